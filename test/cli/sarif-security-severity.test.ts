/**
 * SARIF for GitHub code scanning: the driver's version, and each result's `security-severity`:
 * PB101's from the advisory (Log4Shell's CVSS 10.0 ranks above a missing security owner's 7.0),
 * every other rule's the same as its descriptor's. The log still validates against SARIF 2.1.0.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { PROJECT_URL } from '../../server/src/core/index.js';
import { playbook } from '../unit/helpers/findings.js';
import { cli, workspace } from './helpers.js';
import { withSuppressionAndError } from './playbooks.js';

const schema = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const LOG4SHELL = readFileSync(path.join(__dirname, '../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json'), 'utf8');

const ROLLBACK_STEPS = `  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: search
    to: 2.14.1
    requires: [security-gate]
  - id: tell-security
    action: notify
    channel: security
    message: "search rolled back"
`;
const SEARCH = '  search:\n    package: pkg:maven/org.apache.logging.log4j/log4j-core\n    current: 2.17.1\n    releases: [2.14.1, 2.17.1]\n';

/** Rolls log4j-core back to 2.14.1 (Log4Shell), and names no security owner (PB103). */
const LOG4SHELL_ROLLBACK = playbook(ROLLBACK_STEPS, { services: SEARCH }).replace('  security: "@sec"\n', '');

interface Result {
  ruleId: string;
  ruleIndex: number;
  properties?: Record<string, string>;
}

async function sarif(files: Record<string, string>): Promise<any> {
  const r = await cli(['check', '--format', 'sarif'], workspace(files));
  return JSON.parse(r.stdout);
}

function securitySeverity(log: any, ruleId: string): number {
  const result = (log.runs[0].results as Result[]).find((r) => r.ruleId === ruleId);
  assert.ok(result, `a ${ruleId} result`);
  return Number(result.properties?.['security-severity']);
}

describe('SARIF security-severity', () => {
  const advisories = { '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n', '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': LOG4SHELL };

  test('Log4Shell\'s PB101 result (CVE-2021-44228, CVSS 10.0) ranks strictly above a missing security owner (PB103); the log is valid SARIF 2.1.0', async () => {
    const log = await sarif({ ...advisories, 'search.playbook.yaml': LOG4SHELL_ROLLBACK });
    assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors, null, 2));
    const log4shell = (log.runs[0].results as Array<Result & { message: { text: string } }>).find((r) => r.ruleId === 'PB101')!;
    assert.match(log4shell.message.text, /GHSA-jfh8-c2jp-5v3q \(CVE-2021-44228\) affects, severity CRITICAL/);
    assert.equal(log4shell.properties?.['security-severity'], '10.0');
    assert.equal(securitySeverity(log, 'PB103'), 7);
    assert.ok(securitySeverity(log, 'PB101') > securitySeverity(log, 'PB103'));
  });

  test('an advisory with a label and no vector ranks at the bottom of its band', async () => {
    const highOnly = JSON.parse(LOG4SHELL);
    delete highOnly.severity;
    highOnly.database_specific.severity = 'HIGH';
    const log = await sarif({ ...advisories, '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': JSON.stringify(highOnly), 'search.playbook.yaml': LOG4SHELL_ROLLBACK });
    assert.equal(securitySeverity(log, 'PB101'), 7);
  });

  test('every other result has its rule descriptor\'s value; structure rules have none in either', async () => {
    const log = await sarif({ ...advisories, 'search.playbook.yaml': LOG4SHELL_ROLLBACK, 'x.playbook.yaml': withSuppressionAndError });
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string; properties: Record<string, unknown> }>;
    const results = log.runs[0].results as Result[];
    const ruleIds = new Set(results.map((r) => r.ruleId));
    for (const id of ['PB002', 'PB100', 'PB101', 'PB103', 'PB108', 'PB110']) assert.ok(ruleIds.has(id), id);
    for (const result of results.filter((r) => r.ruleId !== 'PB101')) {
      assert.equal(result.properties?.['security-severity'], rules[result.ruleIndex]!.properties['security-severity'], result.ruleId);
    }
    assert.equal(securitySeverity(log, 'PB108'), 4);
    assert.equal(results.find((r) => r.ruleId === 'PB002')!.properties, undefined);
    assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors, null, 2));
  });

  test('the driver names its version (version and semanticVersion) and keeps its informationUri', async () => {
    const log = await sarif({ 'x.playbook.yaml': withSuppressionAndError });
    const { driver } = log.runs[0].tool;
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.equal(driver.semanticVersion, driver.version);
    assert.equal(driver.informationUri, PROJECT_URL);
  });
});
