/**
 * YAML aliases and merge keys: the rules read exactly the document the schema reads. Each case
 * writes a playbook with `*name` (or `<<`) where the written-out playbook would hold the value,
 * and expects the findings of the written-out one, at the alias.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { hover } from '../../server/src/core/features/hover.js';
import { rename } from '../../server/src/core/features/rename.js';
import { DEFAULT_LIMITS } from '../../server/src/core/limits.js';
import type { Finding } from '../../server/src/core/types.js';
import { assertFindings } from './helpers/findings.js';

const advisories = ((): AdvisorySnapshot => {
  const record = {
    id: 'OSV-TEST-LEDGER',
    modified: '2024-01-01T00:00:00Z',
    summary: 'ledger leaks balances',
    affected: [{ package: { ecosystem: 'Internal', name: 'acme/ledger', purl: 'pkg:generic/acme/ledger' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.8.0' }] }] }],
    database_specific: { severity: 'CRITICAL' },
  };
  const parsed = parseOsvRecord(JSON.stringify(record), 'ledger.json');
  if (!('record' in parsed)) throw new Error('test record does not parse');
  return { index: new AdvisoryIndex([{ record: parsed.record, source: 'ledger.json' }]), sources: [], problems: [] };
})();

const head = (directive = ''): string => `${directive}playbook: ledger-outage
title: Ledger errors
owners: {sre: "@sre", security: "@sec"}
services:
  ledger:
    package: pkg:generic/acme/ledger
    current: 3.8.0
    releases: [3.7.2, 3.8.0]
channels:
  security: "#sec"
steps:
`;
const tail = `  - id: tell
    action: notify
    channel: security
  - id: review
    action: postmortem
`;

const check = (text: string): Finding[] => checkPlaybook(text, { advisories }).findings;
const rules = (findings: readonly Finding[]): string[] => findings.map((f) => f.ruleId).sort();
const flagged = (text: string, f: Finding): string => text.slice(f.range.start, f.range.end);

describe('aliases: the rules see the values the schema sees', () => {
  test('`to: *v` names the vulnerable release it stands for (PB101, at the alias)', () => {
    const text = `${head()}  - id: gate
    action: checkpoint
    kind: security-review
    notes: &v 3.7.2
  - id: roll-back
    action: rollback
    service: ledger
    to: *v
${tail}`;
    const pb101 = check(text).filter((f) => f.ruleId === 'PB101');
    assert.equal(pb101.length, 1, JSON.stringify(check(text)));
    assert.equal(flagged(text, pb101[0]!), '*v');
    assert.equal(pb101[0]!.severity, 'error');
    assert.match(pb101[0]!.message, /OSV-TEST-LEDGER/);
  });

  test('`action: *a` is the risky action it stands for (PB100 on an unguarded rollback)', () => {
    const text = `${head()}  - id: triage
    action: diagnose
    run: &a rollback
  - id: roll-back
    action: *a
    service: ledger
    to: 3.8.0
${tail}`;
    assertFindings(text, [{ rule: 'PB100', flagged: '*a', message: 'step `roll-back`: `rollback` is risky' }], ['PB100']);
  });

  test('`requires: *r` guards the step as the written list does (no false PB100)', () => {
    const text = `${head()}  - id: gate
    action: checkpoint
    kind: security-review
    on-failure: roll-back
    approvers: &r [gate]
  - id: roll-back
    action: rollback
    service: ledger
    to: 3.8.0
    requires: *r
${tail}`;
    assertFindings(text, [], ['PB100', 'PB002', 'PB004']);
    const written = text.replace('requires: *r', 'requires: [gate]');
    assert.deepEqual(rules(check(text)), rules(check(written)));
  });

  test('`on-failure: *x` is an edge of the flow graph (the step it names is reachable)', () => {
    const text = `${head()}  - id: triage
    action: diagnose
    run: kubectl get pods
    notes: &x page
    on-failure: *x
    next: tell
  - id: page
    action: escalate
    to: incident-commander
${tail}`;
    assertFindings(text, [], ['PB006', 'PB004']);
    const without = text.replace('on-failure: *x', 'on-failure: abort');
    assertFindings(without, [{ rule: 'PB006', flagged: 'page', line: 18 }], ['PB006']);
  });

  test('a whole step written as `- *name` is checked as that step, reported at the alias', () => {
    const text = `${head()}  - &step
    id: roll-back
    action: rollback
    service: ledger
    to: 3.7.2
    requires: [gate]
  - id: gate
    action: checkpoint
    kind: security-review
  - *step
${tail}`;
    const found = check(text);
    const ids = found.filter((f) => f.ruleId === 'PB003');
    assert.equal(ids.length, 1, 'the copied step repeats the id `roll-back`');
    assert.equal(flagged(text, ids[0]!), '*step');
    assert.equal(found.filter((f) => f.ruleId === 'PB101').length, 2, 'both rollbacks to 3.7.2 are flagged');
  });

  test('an alias to no anchor, and one inside its own anchor, are YAML errors, not a silent nothing', () => {
    const unresolved = `${head()}  - id: triage
    action: diagnose
    run: *nowhere
${tail}`;
    assertFindings(unresolved, [{ rule: 'PB001', flagged: '*nowhere', message: 'names no anchor' }], ['PB001', 'PB008']);
    const recursive = `${head()}  - &me
    id: triage
    action: diagnose
    notes: [*me]
${tail}`;
    assertFindings(recursive, [{ rule: 'PB001', flagged: '*me', message: 'would make the document infinite' }], ['PB001', 'PB008']);
  });

  test('hover over `*v` describes the version it stands for', () => {
    const text = `${head()}  - id: gate
    action: checkpoint
    kind: security-review
    notes: &v 3.7.2
  - id: roll-back
    action: rollback
    service: ledger
    to: *v
${tail}`;
    const analysis = checkPlaybook(text, { advisories });
    const shown = hover(analysis, text.indexOf('*v') + 1);
    assert.ok(shown && /OSV-TEST-LEDGER/.test(shown.markdown), `hover: ${JSON.stringify(shown)}`);
  });
});

describe('merge keys in a %YAML 1.1 document', () => {
  const directive = '%YAML 1.1\n---\n';

  test('`<<: *base` brings a risky action and its target into the step', () => {
    const text = `${head(directive)}  - id: triage
    action: diagnose
    run: kubectl get pods
    notes: &base {action: rollback, service: ledger, to: 3.7.2}
  - <<: *base
    id: roll-back
${tail}`;
    const found = check(text);
    assert.deepEqual(found.filter((f) => f.ruleId === 'PB100' || f.ruleId === 'PB101').map((f) => [f.ruleId, flagged(text, f)]), [['PB100', '*base'], ['PB101', '*base']]);
  });

  test('keys the map writes itself win over merged ones; the first of several sources wins', () => {
    const text = `${head(directive)}  - id: triage
    action: diagnose
    run: kubectl get pods
    notes: [&safe {to: 3.8.0}, &bad {action: rollback, service: ledger, to: 3.7.2}]
  - <<: [*safe, *bad]
    id: roll-back
    requires: [gate]
  - id: gate
    action: checkpoint
    kind: security-review
${tail}`;
    const found = check(text);
    assert.deepEqual(found.filter((f) => f.ruleId === 'PB101'), [], 'the first source sets `to: 3.8.0`');
    const overridden = text.replace('    id: roll-back\n', '    id: roll-back\n    to: 3.7.2\n').replace('&safe {to: 3.8.0}', '&safe {to: 3.8.0, x: 1}');
    assert.equal(check(overridden).filter((f) => f.ruleId === 'PB101').length, 1, 'the written `to` wins');
  });

  test('a merge of something other than a map is a YAML error on it', () => {
    const text = `${head(directive)}  - <<: 3
    id: triage
    action: diagnose
    run: x
${tail}`;
    assertFindings(text, [{ rule: 'PB001', flagged: '3', message: 'a merge key (`<<`) takes a map' }], ['PB001', 'PB008']);
  });

  test('without the directive `<<` is an ordinary key, which the schema does not know', () => {
    const text = `${head()}  - id: triage
    action: diagnose
    run: &r kubectl get pods
  - <<: *r
    id: again
    action: diagnose
    run: x
${tail}`;
    assert.ok(check(text).some((f) => f.ruleId === 'PB002' && flagged(text, f) === '<<'));
  });
});

describe('alias limits', () => {
  test('copies past `maxAliasNodes` refuse the structure (PB008) instead of checking part of it', () => {
    const items = Array.from({ length: 50 }, (_, i) => `k${i}: v`).join(', ');
    const uses = Array.from({ length: 30 }, () => '*big').join(', ');
    const text = `${head()}  - id: triage
    action: diagnose
    run: x
    notes: [&big {${items}}, ${uses}]
${tail}`;
    const limited = checkPlaybook(text, { limits: { ...DEFAULT_LIMITS, maxAliasNodes: 1000 } });
    const pb008 = limited.findings.filter((f) => f.ruleId === 'PB008');
    assert.equal(pb008.length, 1);
    assert.match(pb008[0]!.message, /`limits\.maxAliasNodes`/);
    assert.equal(limited.parsed.model.steps.length, 0, 'no rule reads a partly expanded document');
    assert.equal(checkPlaybook(text).findings.filter((f) => f.ruleId === 'PB008').length, 0, 'within the default limit');
  });
});

describe('editing around aliases', () => {
  const text = `${head()}  - id: gate
    action: checkpoint
    kind: security-review
    notes: &v 3.7.2
  - &step
    id: roll-back
    action: rollback
    service: ledger
    to: *v
    requires: &r [gate]
  - id: second
    action: rollback
    service: ledger
    to: 3.8.0
    requires: *r
${tail}`;

  test('the PB101 fix replaces the alias with a safe release, leaving the anchor alone', () => {
    const analysis = checkPlaybook(text, { advisories });
    const finding = analysis.findings.find((f) => f.ruleId === 'PB101')!;
    const fix = codeActions(analysis, finding.range).find((a) => a.isPreferred)!;
    assert.ok(fix, 'a preferred fix');
    const after = applyEdits(text, fix.edits);
    assert.match(after, /notes: &v 3\.7\.2/);
    assert.match(after, /to: 3\.8\.0\n {4}requires: &r/);
    assert.equal(checkPlaybook(after, { advisories }).findings.filter((f) => f.ruleId === 'PB101').length, 0);
  });

  test('no fix inserts into a step that is only an alias', () => {
    const copied = `${head()}  - &step
    id: roll-back
    action: rollback
    service: ledger
    to: 3.8.0
  - *step
${tail}`;
    const analysis = checkPlaybook(copied, { advisories });
    for (const finding of analysis.findings.filter((f) => f.stepIndex === 1)) {
      for (const action of codeActions(analysis, finding.range)) {
        const after = applyEdits(copied, action.edits);
        assert.equal(checkPlaybook(after).parsed.parseFindings.filter((f) => f.ruleId === 'PB001').length, 0, `${action.title} keeps the YAML valid:\n${after}`);
      }
    }
  });

  test('rename refuses a step id that an alias also names, and says where', () => {
    const analysis = checkPlaybook(text, { advisories });
    const result = rename(analysis, text.indexOf('id: gate') + 4, 'security-gate');
    assert.ok('error' in result && /alias \(`\*r`\) on line 26/.test(result.error), JSON.stringify(result));
  });
});

describe('a key written twice', () => {
  test('the rules read the value the schema reads (the last), beside the PB001', () => {
    const text = `${head()}  - id: roll-back
    action: diagnose
    action: rollback
    service: ledger
    to: 3.8.0
${tail}`;
    assertFindings(text, [
      { rule: 'PB001', flagged: 'action', line: 14 },
      { rule: 'PB100', flagged: 'rollback', line: 14 },
    ], ['PB001', 'PB100']);
  });

  test('a second `steps:` is the list every rule checks', () => {
    const text = `${head()}  - id: triage
    action: diagnose
    run: x
steps:
  - id: roll-back
    action: rollback
    service: ledger
    to: 3.7.2
`;
    const found = check(text);
    assert.ok(found.some((f) => f.ruleId === 'PB101'), JSON.stringify(found.map((f) => f.ruleId)));
    assert.ok(found.some((f) => f.ruleId === 'PB100'));
  });
});
