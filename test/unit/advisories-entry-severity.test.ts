/**
 * Severity written in the `affected` entry (OSV allows `affected[].severity[]` and the entry's
 * `database_specific`/`ecosystem_specific` labels): read for the entry that matched the service,
 * through checkPlaybook, so a HIGH in-house record written that way is a PB101 error.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdvisoryIndex } from '../../server/src/core/advisories/advisoryIndex.js';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';
import { prepareRecord } from '../../server/src/core/advisories/preparedRecord.js';
import { decodeRecordBody, encodeRecordBody } from '../../server/src/core/advisories/recordBody.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import type { Finding } from '../../server/src/core/types.js';
import { playbook } from './helpers/findings.js';

const V3_CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
const V3_HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'; // 7.5
const V4_HIGH = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N'; // 8.7
const V3_LOW = 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'; // 1.8

type Entry = Record<string, unknown>;

/** An affected entry for an in-house package (matched by purl), introduced 3.0.0, fixed 3.2.1. */
function ledgerEntry(name: string, extra: Entry = {}): Entry {
  return { package: { ecosystem: 'Internal', name: `acme/${name}`, purl: `pkg:generic/acme/${name}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.0.0' }, { fixed: '3.2.1' }] }], ...extra };
}

function snapshotOf(record: Entry): AdvisorySnapshot {
  const parsed = parseOsvRecord(JSON.stringify({ id: 'ACME-2026-0001', modified: '2026-01-05T00:00:00Z', summary: 'Ledger exports leak account numbers', ...record }), 'acme.json');
  assert.ok('record' in parsed, JSON.stringify(parsed));
  return { index: new AdvisoryIndex([{ record: parsed.record, source: 'acme.json' }]), sources: [], problems: [] };
}

/** A rollback of service `app` (package `name`) to 3.1.0, which the record's range covers. */
function rollback(name: string): string {
  return playbook(
    `  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: app
    to: 3.1.0
    requires: [security-gate]
  - id: tell-security
    action: notify
    channel: security
    message: "ledger rolled back"
`,
    { services: `  app:\n    package: pkg:generic/acme/${name}\n    current: 3.2.1\n    releases: [3.1.0, 3.2.1]\n` },
  );
}

function pb101(record: Entry, name = 'ledger'): Finding[] {
  return checkPlaybook(rollback(name), { advisories: snapshotOf(record) }).findings.filter((f) => f.ruleId === 'PB101');
}

function assertSeverity(record: Entry, expected: { severity: string; error: boolean; field: string }, name = 'ledger'): void {
  const found = pb101(record, name);
  assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
  const f = found[0]!;
  assert.ok(f.message.includes(`severity ${expected.severity}`), f.message);
  assert.equal(f.data?.['severity'], expected.severity);
  assert.equal(f.severity, expected.error ? 'error' : 'warning');
  const match = snapshotOf(record).index.lookup(`pkg:generic/acme/${name}`, '3.1.0')[0];
  assert.equal(match?.severityField, expected.field);
}

describe('severity in the affected entry reaches PB101', () => {
  test('affected[].database_specific.severity HIGH: an error, not "severity unknown"', () => {
    assertSeverity({ affected: [ledgerEntry('ledger', { database_specific: { severity: 'HIGH' } })] }, { severity: 'HIGH', error: true, field: 'affected[0].database_specific.severity' });
  });

  test('affected[].severity with a CVSS v3.1 vector (7.5): HIGH, an error', () => {
    assertSeverity({ affected: [ledgerEntry('ledger', { severity: [{ type: 'CVSS_V3', score: V3_HIGH }] })] }, { severity: 'HIGH', error: true, field: 'affected[0].severity[0]' });
  });

  test('affected[].severity with a CVSS v4.0 vector (8.7): HIGH, an error', () => {
    assertSeverity({ affected: [ledgerEntry('ledger', { severity: [{ type: 'CVSS_V4', score: V4_HIGH }] })] }, { severity: 'HIGH', error: true, field: 'affected[0].severity[0]' });
  });

  test('affected[].ecosystem_specific.severity CRITICAL: an error', () => {
    assertSeverity({ affected: [ledgerEntry('ledger', { ecosystem_specific: { severity: 'critical' } })] }, { severity: 'CRITICAL', error: true, field: 'affected[0].ecosystem_specific.severity' });
  });

  test('an Ubuntu priority in affected[].severity counts too', () => {
    assertSeverity({ affected: [ledgerEntry('ledger', { severity: [{ type: 'Ubuntu', score: 'high' }] })] }, { severity: 'HIGH', error: true, field: 'affected[0].severity[0]' });
  });

  test('within the entry, sources that disagree give the worst: a LOW label does not hide a CRITICAL vector', () => {
    const entry = ledgerEntry('ledger', { database_specific: { severity: 'LOW' }, severity: [{ type: 'CVSS_V3', score: V3_LOW }, { type: 'CVSS_V3', score: V3_CRITICAL }] });
    assertSeverity({ affected: [entry] }, { severity: 'CRITICAL', error: true, field: 'affected[0].severity[1]' });
  });

  test('the entry that matched decides: in one record, `ledger` is LOW and `vault` CRITICAL', () => {
    const record = { affected: [ledgerEntry('ledger', { database_specific: { severity: 'LOW' } }), ledgerEntry('vault', { database_specific: { severity: 'CRITICAL' } })] };
    assertSeverity(record, { severity: 'LOW', error: false, field: 'affected[0].database_specific.severity' }, 'ledger');
    assertSeverity(record, { severity: 'CRITICAL', error: true, field: 'affected[1].database_specific.severity' }, 'vault');
  });

  test('the entry\'s own severity wins over the record\'s, which may be about another package', () => {
    const record = { database_specific: { severity: 'CRITICAL' }, affected: [ledgerEntry('ledger', { database_specific: { severity: 'MODERATE' } }), ledgerEntry('vault')] };
    assertSeverity(record, { severity: 'MODERATE', error: false, field: 'affected[0].database_specific.severity' }, 'ledger');
    // An entry with none of its own takes the record's.
    assertSeverity(record, { severity: 'CRITICAL', error: true, field: 'database_specific.severity' }, 'vault');
  });

  test('two entries of one package that both match: the worst of them', () => {
    const record = { affected: [ledgerEntry('ledger', { database_specific: { severity: 'LOW' } }), ledgerEntry('ledger', { severity: [{ type: 'CVSS_V3', score: V3_HIGH }] })] };
    assertSeverity(record, { severity: 'HIGH', error: true, field: 'affected[1].severity[0]' });
  });

  test('an entry that does not match lends nothing: the matching entry\'s LOW stands', () => {
    const other = { ...ledgerEntry('ledger', { database_specific: { severity: 'CRITICAL' } }), ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '2.0.0' }] }] };
    assertSeverity({ affected: [ledgerEntry('ledger', { database_specific: { severity: 'LOW' } }), other] }, { severity: 'LOW', error: false, field: 'affected[0].database_specific.severity' });
  });

  test('unreadable entry severities are ignored, not thrown on, and reported to the record\'s author; the record\'s severity applies', () => {
    const entry = ledgerEntry('ledger', { severity: 'HIGH', database_specific: { severity: 'HGIH' }, ecosystem_specific: { severity: ['HIGH'] } });
    const record = { severity: [{ type: 'CVSS_V3', score: V3_HIGH }, { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }, { type: 'SOMEDAY_V9', score: '?' }], affected: [entry] };
    assertSeverity(record, { severity: 'HIGH', error: true, field: 'severity[0]' });
    assert.deepEqual(snapshotOf(record).index.problems, [
      'acme.json: `severity[1]` is not a complete CVSS_V4 vector; it is ignored',
      'acme.json: `affected[0].database_specific.severity` is "HGIH", which is not a severity (CRITICAL, HIGH, MODERATE or MEDIUM, LOW); it is ignored',
      'acme.json: `affected[0].ecosystem_specific.severity` is ["HIGH"], which is not a severity (CRITICAL, HIGH, MODERATE or MEDIUM, LOW); it is ignored',
      'acme.json: `affected[0].severity` must be a list of `{type, score}`; it is ignored',
    ]);
  });
});

describe('per-entry severities in a stored record body', () => {
  const record = { affected: [ledgerEntry('ledger', { database_specific: { severity: 'LOW' } }), ledgerEntry('vault', { database_specific: { severity: 'CRITICAL' } })] };
  const parsed = parseOsvRecord(JSON.stringify({ id: 'ACME-2026-0001', modified: '2026-01-05T00:00:00Z', ...record }), 'acme.json');
  assert.ok('record' in parsed);
  const { body } = prepareRecord(parsed.record, 'acme.json', { compact: true });

  test('the compact body keeps one verdict per entry (the entry fields they come from are dropped) and reads back the same', () => {
    assert.deepEqual(body.entrySeverities?.map((v) => v.severity), ['LOW', 'CRITICAL']);
    assert.equal(body.severity.severity, 'CRITICAL');
    assert.deepEqual(decodeRecordBody(encodeRecordBody(body)), body);
  });

  test('a body whose verdicts do not line up with its entries is refused, not misread', () => {
    const text = encodeRecordBody({ ...body, entrySeverities: body.entrySeverities!.slice(0, 1) });
    assert.equal(decodeRecordBody(text), undefined);
    assert.equal(decodeRecordBody(encodeRecordBody({ ...body, entrySeverities: [body.severity, { severity: 'SEVERE' as never, source: 'cvss' }] })), undefined);
  });
});
