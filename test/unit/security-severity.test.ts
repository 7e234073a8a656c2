/** SARIF's security-severity, worked out in the core: PB101's from the advisory's band and CVSS score, every other rule's from the rule. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findingSecuritySeverity, ruleSecuritySeverity, RULES } from '../../server/src/core/index.js';
import type { Finding } from '../../server/src/core/types.js';

const finding = (ruleId: string, data?: Record<string, unknown>): Finding => ({ ruleId, severity: 'error', message: 'm', range: { start: 0, end: 1 }, ...(data ? { data } : {}) });

describe('security-severity', () => {
  const PB101: ReadonlyArray<readonly [Record<string, unknown>, string, string]> = [
    [{ severity: 'CRITICAL', cvssScore: 10 }, '10.0', 'the CVSS score, in its band'],
    [{ severity: 'CRITICAL', cvssScore: 9.3 }, '9.3', 'a v4 score'],
    [{ severity: 'HIGH', cvssScore: 8.1 }, '8.1', 'within HIGH'],
    [{ severity: 'HIGH', cvssScore: 10 }, '7.0', 'a v2 vector\'s 10.0 is HIGH in v2, which GitHub\'s bands would read as critical: the band\'s floor'],
    [{ severity: 'CRITICAL' }, '9.0', 'a label alone: the bottom of its band'],
    [{ severity: 'HIGH' }, '7.0', 'HIGH'],
    [{ severity: 'MODERATE' }, '4.0', 'MODERATE (GitHub\'s medium)'],
    [{ severity: 'LOW' }, '0.1', 'LOW'],
    [{ severity: null }, '4.0', 'unknown: as PB101 reports it, like MODERATE'],
    [{ severity: 'SEVERE', cvssScore: 9.9 }, '4.0', 'no band this knows'],
  ];
  for (const [data, expected, why] of PB101) {
    test(`PB101 ${JSON.stringify(data)} → ${expected}: ${why}`, () => {
      assert.equal(findingSecuritySeverity(finding('PB101', data)), expected);
    });
  }

  test('other rules: the same as their descriptor, 7.0 for security errors, 4.0 for the rest, none for structure', () => {
    for (const rule of RULES.filter((r) => r.id !== 'PB101')) {
      assert.equal(findingSecuritySeverity(finding(rule.id)), ruleSecuritySeverity(rule), rule.id);
    }
    assert.equal(ruleSecuritySeverity(RULES.find((r) => r.id === 'PB103')!), '7.0');
    assert.equal(ruleSecuritySeverity(RULES.find((r) => r.id === 'PB105')!), '4.0');
    assert.equal(ruleSecuritySeverity(RULES.find((r) => r.id === 'PB002')!), undefined);
    assert.equal(findingSecuritySeverity(finding('PB999')), undefined);
  });
});
