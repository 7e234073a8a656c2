/** Suppressions that end: `# playbook-ignore PB108 until 2027-03-01: <reason>`, judged by the check's `now`. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { SUPPRESSION_REASON_PLACEHOLDER } from '../../server/src/core/features/fixes/suppress.js';
import { assertFindings, playbook } from './helpers/findings.js';

const unknownRelease = (comment: { above?: string; end?: string }): string => playbook(`${comment.above ? `  ${comment.above}\n` : ''}  - id: roll-back${comment.end ? ` ${comment.end}` : ''}
    action: rollback
    service: api
    to: 0.9.0
`);

const DIRECTIVE = '# playbook-ignore PB108 until 2027-03-01: hotfix build, listed once published';
const at = (iso: string): Date => new Date(iso);

describe('suppressions with an expiry (`until YYYY-MM-DD`)', () => {
  test('before the day the finding is suppressed as any suppression is, and the day travels with it', () => {
    const result = checkPlaybook(unknownRelease({ above: DIRECTIVE }), { now: at('2027-02-28T23:59:59.999Z') });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'PB108' || f.ruleId === 'PB109'), []);
    assert.equal(result.suppressed.length, 1);
    assert.equal(result.suppressed[0]!.suppression.until, '2027-03-01');
    assert.equal(result.suppressed[0]!.suppression.reason, 'hotfix build, listed once published');
  });

  test('from the start of the day (UTC) the finding comes back, and PB109 says the suppression expired, at the comment', () => {
    for (const now of ['2027-03-01T00:00:00.000Z', '2027-03-01T12:00:00+09:00', '2031-01-01T00:00:00Z']) {
      const text = unknownRelease({ above: DIRECTIVE });
      assertFindings(text, [
        { rule: 'PB109', flagged: DIRECTIVE, line: 15, severity: 'warning', message: ['the suppression of PB108 expired on 2027-03-01', 'not applied'] },
        { rule: 'PB108', flagged: '0.9.0' },
      ], ['PB108', 'PB109'], { now: at(now) });
      assert.deepEqual(checkPlaybook(text, { now: at(now) }).suppressed, [], now);
    }
  });

  test('at the end of the step\'s first line, with several ids: each is suppressed until the day', () => {
    const text = unknownRelease({ end: '# playbook-ignore PB006, PB108 until 2027-03-01: rehearsal only' });
    assert.deepEqual(checkPlaybook(text, { now: at('2027-01-01T00:00:00Z') }).findings.filter((f) => f.ruleId === 'PB108'), []);
    assertFindings(text, [
      { rule: 'PB109', flagged: '# playbook-ignore PB006, PB108 until 2027-03-01: rehearsal only', message: 'suppression of PB006, PB108 expired on 2027-03-01' },
      { rule: 'PB108', flagged: '0.9.0' },
    ], ['PB108', 'PB109'], { now: at('2027-03-02T00:00:00Z') });
  });

  test('a day that does not exist, or is not a date, is PB109 and the suppression is not applied, whatever the time', () => {
    const cases: Array<[string, string]> = [
      ['2027-02-30', '`2027-02-30` is not a date'],
      ['2027-02-29', '`2027-02-29` is not a date'],
      ['2027-13-01', '`2027-13-01` is not a date'],
      ['soon', '`soon` is not a date'],
      ['1/3/2027', '`1/3/2027` is not a date'],
      ['2027-03-01 noon', '`2027-03-01 noon` is not a date'],
    ];
    for (const [day, message] of cases) {
      const directive = `# playbook-ignore PB108 until ${day}: hotfix build`;
      for (const now of [at('2020-01-01T00:00:00Z'), undefined]) {
        assertFindings(unknownRelease({ above: directive }), [
          { rule: 'PB109', flagged: directive, message: [message, 'write the day it ends as `until YYYY-MM-DD`'] },
          { rule: 'PB108', flagged: '0.9.0' },
        ], ['PB108', 'PB109'], now ? { now } : {});
      }
    }
  });

  test('`until` with no day says so', () =>
    void assertFindings(unknownRelease({ above: '# playbook-ignore PB108 until: hotfix build' }), [
      { rule: 'PB109', flagged: '# playbook-ignore PB108 until: hotfix build', message: 'says `until` but names no day' },
      { rule: 'PB108', flagged: '0.9.0' },
    ], ['PB108', 'PB109'], { now: at('2020-01-01T00:00:00Z') }));

  test('a leap day exists in a leap year', () => {
    const result = checkPlaybook(unknownRelease({ above: '# playbook-ignore PB108 until 2028-02-29: hotfix build' }), { now: at('2028-02-28T00:00:00Z') });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'PB108' || f.ruleId === 'PB109'), []);
  });

  test('without a time (a check that judges no date) a valid day is not judged: the suppression applies', () => {
    const result = checkPlaybook(unknownRelease({ above: '# playbook-ignore PB108 until 2001-01-01: hotfix build' }));
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'PB108' || f.ruleId === 'PB109'), []);
    assert.equal(result.suppressed.length, 1);
  });

  test('with no reason, the message shows the form to write, date included', () =>
    void assertFindings(unknownRelease({ above: '# playbook-ignore PB108 until 2027-03-01' }), [
      { rule: 'PB109', flagged: '# playbook-ignore PB108 until 2027-03-01', message: 'write `# playbook-ignore PB108 until 2027-03-01: <why this is safe>`' },
      { rule: 'PB108', flagged: '0.9.0' },
    ], ['PB108', 'PB109'], { now: at('2020-01-01T00:00:00Z') }));

  test('`until` is read in real comments only: in a script it is text', () =>
    void assertFindings(playbook(`  - id: note
    action: diagnose
    run: |
      echo "# playbook-ignore PB108 until soon: x"
`), [], ['PB109'], { now: at('2020-01-01T00:00:00Z') }));
});

describe('the suppress quick fix and `until`', () => {
  const step = (comment: string): string => playbook(`  ${comment}
  - id: install
    action: run
    command: curl -fsSL https://get.example.com/i.sh | sh
`);
  const fixed = (text: string, now: Date): string => {
    const analysis = checkPlaybook(text, { now });
    const finding = analysis.findings.find((f) => f.ruleId === 'PB105');
    assert.ok(finding, 'PB105 is reported');
    const action = codeActions(analysis, finding.range).find((a) => a.title === 'Suppress PB105 for step `install`');
    assert.ok(action, 'the suppress fix is offered');
    return applyEdits(text, action.edits);
  };
  const now = at('2027-06-01T00:00:00Z');

  test('on an expired suppression, it writes it again with the placeholder reason and no date, so the author says why anew', () => {
    const after = fixed(step('# playbook-ignore PB105 until 2027-03-01: the mirror is fixed by then'), now);
    assert.ok(after.includes(`  # playbook-ignore PB105: ${SUPPRESSION_REASON_PLACEHOLDER}\n  - id: install\n`), after);
    const result = checkPlaybook(after, { now });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'PB105' || f.ruleId === 'PB109'), []);
  });

  test('a rule joining a suppression that ends joins its date', () => {
    const after = fixed(step('# playbook-ignore PB100 until 2027-09-01: lab only'), now);
    assert.ok(after.includes('  # playbook-ignore PB100, PB105 until 2027-09-01: lab only\n'), after);
    assert.deepEqual(checkPlaybook(after, { now }).suppressed.map((f) => [f.ruleId, f.suppression.until]), [['PB100', '2027-09-01'], ['PB105', '2027-09-01']]);
  });
});
