import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { assertFindings, playbook } from './helpers/findings.js';

const unknownRelease = (comment: { above?: string; end?: string }): string => playbook(`${comment.above ? `  ${comment.above}\n` : ''}  - id: roll-back${comment.end ? ` ${comment.end}` : ''}
    action: rollback
    service: api
    to: 0.9.0
`);

describe('suppressions (# playbook-ignore)', () => {
  test('a comment above the step with a reason suppresses the rule for that step', () => {
    const result = checkPlaybook(unknownRelease({ above: '# playbook-ignore PB108: 0.9.0 is the hotfix build, not yet in the release list' }));
    assert.equal(result.findings.filter((f) => f.ruleId === 'PB108').length, 0);
    assert.equal(result.suppressed.length, 1);
    assert.equal(result.suppressed[0]!.ruleId, 'PB108');
    assert.equal(result.suppressed[0]!.suppression.reason, '0.9.0 is the hotfix build, not yet in the release list');
  });

  test('a comment at the end of the `- id:` line works too, with several ids', () => {
    const result = checkPlaybook(unknownRelease({ end: '# playbook-ignore PB006, PB108: rehearsal only' }));
    assert.equal(result.findings.filter((f) => f.ruleId === 'PB108').length, 0);
    assert.equal(result.suppressed.length, 1);
  });

  test('without a reason it is not applied and PB109 says why', () => {
    const text = unknownRelease({ above: '# playbook-ignore PB108' });
    assertFindings(text, [
      { rule: 'PB109', flagged: '# playbook-ignore PB108', severity: 'warning', message: 'has no reason, so it is not applied' },
      { rule: 'PB108', flagged: '0.9.0' },
    ], ['PB108', 'PB109']);
  });

  test('an empty reason after the colon counts as none', () =>
    void assertFindings(unknownRelease({ above: '# playbook-ignore PB108:   ' }), [{ rule: 'PB109', flagged: '# playbook-ignore PB108:', message: 'no reason' }], ['PB109']));

  test('an unknown rule id is reported', () =>
    void assertFindings(unknownRelease({ above: '# playbook-ignore PB999: because' }), [{ rule: 'PB109', flagged: '# playbook-ignore PB999: because', message: '`PB999` is not a rule id' }], ['PB109']));

  test('a comment that is not next to a step suppresses nothing and says so', () =>
    void assertFindings(`# playbook-ignore PB108: top of file\n${unknownRelease({})}`, [{ rule: 'PB109', flagged: '# playbook-ignore PB108: top of file', message: 'suppresses nothing' }], ['PB109']));

  test('it only covers the step it sits on', () => {
    const text = playbook(`  # playbook-ignore PB108: hotfix build
  - id: first
    action: rollback
    service: api
    to: 0.9.0
  - id: second
    action: rollback
    service: api
    to: 0.9.1
`);
    assertFindings(text, [{ rule: 'PB108', flagged: '0.9.1' }], ['PB108']);
  });

  test('the directive inside a quoted string is not a comment', () =>
    void assertFindings(playbook(`  - id: note
    action: diagnose
    run: "echo '# playbook-ignore PB108: x'"
`), [], ['PB109']));
});
