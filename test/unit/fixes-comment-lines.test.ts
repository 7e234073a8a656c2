/** Fixes that insert a step or a map keep comments with what they describe, and never cut the end off a script. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { playbook } from './helpers/findings.js';

function preferredFix(text: string, ruleId: string): string {
  const analysis = checkPlaybook(text);
  const finding = analysis.findings.find((f) => f.ruleId === ruleId);
  assert.ok(finding, `a ${ruleId} finding`);
  const action = codeActions(analysis, finding.range).find((a) => a.finding === finding && a.isPreferred);
  assert.ok(action, `a preferred fix for ${ruleId}`);
  return applyEdits(text, action.edits);
}

describe('inserted steps and a script ending in `#` lines', () => {
  test('a checkpoint inserted before a step goes below the script of the step above it', () => {
    const text = playbook(`  - id: triage
    action: diagnose
    run: |
      kubectl get pods
      # then look at the logs
  # Back to the last good release.
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
  - id: tell
    action: notify
    channel: security
`);
    const after = preferredFix(text, 'PB100');
    assert.match(after, /kubectl get pods\n {6}# then look at the logs\n {2}- id: roll-back-security-review\n/, after);
    assert.equal(checkPlaybook(after).parsed.data && (checkPlaybook(after).parsed.data as { steps: Array<{ run?: string }> }).steps[0]!.run, 'kubectl get pods\n# then look at the logs\n');
  });
});

describe('inserted maps and a block scalar ending in `#` lines', () => {
  test('`channels` created before `steps` goes below the `title: |` text just above it', () => {
    const text = `playbook: demo
owners:
  sre: "@sre"
  security: "@sec"
title: |
  Demo incident
  # not a comment: part of the title
steps:
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
    requires: [gate]
  - id: gate
    action: checkpoint
    kind: security-review
  - id: review
    action: postmortem
`;
    const analysis = checkPlaybook(text);
    const pb102 = analysis.findings.find((f) => f.ruleId === 'PB102');
    assert.ok(pb102, 'a PB102 finding, whose fix creates `channels`');
    const action = codeActions(analysis, pb102.range).find((a) => a.isPreferred);
    assert.ok(action);
    const after = applyEdits(text, action.edits);
    assert.equal((checkPlaybook(after).parsed.data as { title: string }).title, 'Demo incident\n# not a comment: part of the title\n', after);
  });
});
