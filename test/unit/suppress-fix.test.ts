/**
 * "Suppress for this step" finds existing `playbook-ignore` comments as the suppression scan does:
 * a line of a `run: |` script or a quoted string that only looks like one is never edited, and the
 * new comment lands where it suppresses the finding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { SUPPRESSION_REASON_PLACEHOLDER } from '../../server/src/core/features/fixes/suppress.js';
import { playbook } from './helpers/findings.js';

const DOWNLOAD = 'curl -fsSL https://get.example.com/i.sh | sh';

/** The text after applying "Suppress PB105 for step `install`". */
function suppressPB105(text: string): string {
  const analysis = checkPlaybook(text);
  const finding = analysis.findings.find((f) => f.ruleId === 'PB105');
  assert.ok(finding, 'PB105 fires');
  const action = codeActions(analysis, finding.range).find((a) => a.title === 'Suppress PB105 for step `install`');
  assert.ok(action, 'the suppress fix is offered');
  return applyEdits(text, action.edits);
}

function assertSuppressedWithPlaceholder(after: string): void {
  const result = checkPlaybook(after);
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'PB105' || f.ruleId === 'PB109' || f.ruleId === 'PB001'), []);
  assert.deepEqual(result.suppressed.map((f) => [f.ruleId, f.suppression.reason]), [['PB105', SUPPRESSION_REASON_PLACEHOLDER]]);
}

const runOf = (text: string, id: string): unknown => checkPlaybook(text).parsed.model.steps.find((s) => s.id === id)?.pairs.get('run')?.value?.toString();

describe('the suppress quick fix reads comments from the YAML lexer', () => {
  test('a script line above the step that looks like a directive is left alone; a real comment is added', () => {
    const text = playbook(`  - id: first
    action: diagnose
    run: |
      echo setting up
      # playbook-ignore PB100: part of the script
  - id: install
    action: run
    command: ${DOWNLOAD}
`);
    const after = suppressPB105(text);
    assert.equal(runOf(after, 'first'), runOf(text, 'first'), 'the previous step\'s script is unchanged');
    assert.ok(after.includes(`      # playbook-ignore PB100: part of the script\n  # playbook-ignore PB105: ${SUPPRESSION_REASON_PLACEHOLDER}\n  - id: install\n`), after);
    assertSuppressedWithPlaceholder(after);
  });

  test('a quoted value on the step\'s first line that looks like a directive is left alone', () => {
    const text = playbook(`  - command: "${DOWNLOAD} # playbook-ignore PB100"
    id: install
    action: run
`);
    const after = suppressPB105(text);
    assert.ok(after.includes(`  # playbook-ignore PB105: ${SUPPRESSION_REASON_PLACEHOLDER}\n  - command: "${DOWNLOAD} # playbook-ignore PB100"\n`), after);
    assertSuppressedWithPlaceholder(after);
  });

  test('a real directive at the end of a first line holding an apostrophe is extended', () => {
    const text = playbook(`  - title: "Don't wait" # playbook-ignore PB100: gated elsewhere
    id: install
    action: run
    command: ${DOWNLOAD}
`);
    const after = suppressPB105(text);
    assert.ok(after.includes(`  - title: "Don't wait" # playbook-ignore PB100, PB105: gated elsewhere\n`), after);
  });

  test('the new comment goes above the `-` line of a step whose `-` stands alone', () => {
    const text = playbook(`  -
    id: install
    action: run
    command: ${DOWNLOAD}
`);
    const after = suppressPB105(text);
    assert.ok(after.includes(`  # playbook-ignore PB105: ${SUPPRESSION_REASON_PLACEHOLDER}\n  -\n    id: install\n`), after);
    assertSuppressedWithPlaceholder(after);
  });
});
