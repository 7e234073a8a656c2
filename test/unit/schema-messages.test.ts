import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { assertFindings, playbook } from './helpers/findings.js';

const only = ['PB002'];

describe('PB002 schema: messages a person understands, on the offending key or value', () => {
  test('a missing required field names the step, the action and what the field is for', () =>
    void assertFindings(playbook(`  - id: roll-back
    action: rollback
    service: api
`), [{ rule: 'PB002', flagged: 'rollback', message: 'step `roll-back`: `rollback` needs `to` (the version to roll back to)' }], only));

  test('an unknown field suggests the nearest known one and carries the replacement', () => {
    const [f] = assertFindings(playbook(`  - id: triage
    action: diagnose
    run: x
    on_failure: abort
`), [{ rule: 'PB002', flagged: 'on_failure', message: 'step `triage`: unknown field `on_failure`; did you mean `on-failure`?' }], only);
    assert.deepEqual(f!.data, { replacement: 'on-failure', field: 'on_failure' });
  });

  test('an unknown field far from any known one lists what the action takes', () =>
    void assertFindings(playbook(`  - id: w
    action: wait
    duration: 5m
    colour: blue
`), [{ rule: 'PB002', flagged: 'colour', message: 'a `wait` step takes `id`, `action`' }], only));

  test('an unknown action suggests the nearest action', () =>
    void assertFindings(playbook(`  - id: roll-back
    action: rolback
`), [{ rule: 'PB002', flagged: 'rolback', message: 'unknown action `rolback`; did you mean `rollback`?' }], only));

  test('diagnose needs run or query', () =>
    void assertFindings(playbook(`  - id: triage
    action: diagnose
`), [{ rule: 'PB002', flagged: 'diagnose', message: '`diagnose` needs `run` (a read-only command to look at the system) or `query`' }], only));

  test('a step without action says what is missing, on the id', () =>
    void assertFindings(playbook(`  - id: lonely
`), [{ rule: 'PB002', flagged: 'lonely', message: 'step `lonely` needs `action`' }], only));

  test('pattern errors explain the expected form', () =>
    void assertFindings(playbook(`  - id: Roll_Back
    action: wait
    duration: 5 minutes
`), [
      { rule: 'PB002', flagged: 'Roll_Back', message: '`id` must be kebab-case' },
      { rule: 'PB002', flagged: '5 minutes', message: '`duration` must be a duration such as `30s`' },
    ], only));

  test('wrong types name the expected and the actual kind', () =>
    void assertFindings(playbook(`  - id: more
    action: scale
    service: api
    replicas: lots
`), [{ rule: 'PB002', flagged: 'lots', message: '`replicas` must be a whole number (the number of replicas), not the text `lots`' }], only));

  test('enum values suggest the nearest allowed value', () =>
    void assertFindings(playbook('', { head: 'severity: sev5\n' }).replace('steps:\n', 'steps:\n'), [{ rule: 'PB002', flagged: 'sev5', message: ['one of `sev1`', 'did you mean `sev1`?'] }], only));

  test('a step that is not a map', () =>
    void assertFindings(playbook('  - just text\n'), [{ rule: 'PB002', flagged: 'just text', message: 'step 1 must be a map' }], only));

  test('missing top-level fields are reported on the first key', () =>
    void assertFindings('steps:\n  - id: a\n    action: postmortem\n', [
      { rule: 'PB002', flagged: 'steps', message: 'the playbook needs `playbook` (the playbook id, kebab-case)' },
      { rule: 'PB002', flagged: 'steps', message: 'the playbook needs `title`' },
      { rule: 'PB002', flagged: 'steps', message: 'the playbook needs `owners`' },
    ], only));

  test('an empty file says what a playbook needs', () =>
    void assertFindings('', [{ rule: 'PB002', flagged: '', message: 'the file is empty: the playbook needs `playbook`, `title`, `owners` and `steps`' }], only));

  test('a list instead of a map is reported on the first line only', () =>
    void assertFindings('- id: a\n  action: diagnose\n- id: b\n', [{ rule: 'PB002', flagged: '- id: a', message: 'the playbook is a map of fields' }], only));

  test('services are validated with their name in the message', () =>
    void assertFindings(playbook('', { services: '  api:\n    package: npm/api\n    curent: 1.0.0\n' }), [
      { rule: 'PB002', flagged: 'npm/api', message: 'service `api`: `package` must be a package URL' },
      { rule: 'PB002', flagged: 'curent', message: 'did you mean `current`?' },
    ], only));

  test('an alias bomb is refused with a limit finding, not expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = bomb.join('\n') + '\n';
    const result = checkPlaybook(text);
    const limit = result.findings.filter((f) => f.ruleId === 'PB008');
    assert.equal(limit.length, 1, JSON.stringify(result.findings.map((f) => f.message)));
    assert.match(limit[0]!.message, /`limits.maxAliasCount` in the policy \(now 100\)/);
    assert.equal(text.slice(limit[0]!.range.start, limit[0]!.range.end), bomb[0]);
    assert.equal(result.findings.filter((f) => f.ruleId === 'PB002').length, 0, 'no schema noise from an unexpanded document');
  });
});
