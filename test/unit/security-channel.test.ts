/**
 * A notify to a `security` channel the playbook does not declare tells no one: PB102, its quick fix,
 * the dry-run (security notified, SOC 2 CC2.2), hover and the code lens all read it so, through one
 * definition (securitySteps.ts `tellsSecurity`). Every way of not declaring it, and the ways of
 * declaring it that count.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { simulate } from '../../server/src/core/dryrun/index.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { codeLenses } from '../../server/src/core/features/codeLens.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { hover } from '../../server/src/core/features/hover.js';
import { PB102 } from '../../server/src/core/rules/PB102.js';
import { runRule } from './helpers/runRule.js';

/** A guarded rollback, told to security right after; `channels` as given (YAML lines, or none). */
function playbook(channels: string | undefined): string {
  return `playbook: demo
title: Demo incident
owners:
  sre: "@sre"
  security: "@sec"
services:
  api:
    package: pkg:npm/api
    current: 1.2.0
    releases: [1.0.0, 1.1.0, 1.2.0]
${channels === undefined ? '' : `channels:${channels}\n`}steps:
  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
  - id: tell
    action: notify
    channel: security
    message: rolled back
    on-failure: continue
  - id: review
    action: postmortem
    due: 48h
`;
}

/** Each way a playbook can fail to declare the `security` channel, and what the message says about it. */
const UNDECLARED: ReadonlyArray<[name: string, channels: string | undefined, why: string, fixed: boolean]> = [
  ['no `channels` at all', undefined, 'the playbook has no `channels`', true],
  ['`channels:` with nothing under it', '', '`channels` is empty', true],
  ['`channels` without a `security` key', '\n  incident: "#inc"', '`channels` has no `security` key', true],
  ['`security:` with nothing after it', '\n  security:\n  incident: "#inc"', '`channels.security` is empty', true],
  ['`security: ""`', '\n  security: ""', '`channels.security` is empty', true],
  ['`security: "   "` (blanks only)', '\n  security: "   "', '`channels.security` is empty', true],
  ['`security: ~`', '\n  security: ~', '`channels.security` is empty', true],
  ['`security: null` in a flow map', ' {security: null, incident: "#inc"}', '`channels.security` is empty', true],
  ['`security: false`', '\n  security: false', '`channels.security` is `false`, not a channel', true],
  ['`channels` that is a list', ' [security, incident]', '`channels` is not a map of channel roles', false],
  ['`channels` that is a scalar', ' security', '`channels` is not a map of channel roles', false],
];

describe('PB102: a notify to an undeclared `security` channel tells no one', () => {
  for (const [name, channels, why] of UNDECLARED) {
    test(`${name}: the rollback is flagged, and the message says why`, () => {
      const findings = runRule(PB102, playbook(channels));
      assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
      const [finding] = findings;
      assert.match(finding!.message, /^step `roll-back`: after rolling `api` back to `1\.1\.0`, security is never told on the only path to the end \('roll-back' → 'tell' → 'review' → \(exit\)\): `tell` notifies the channel `security`, which is not declared \(/);
      assert.ok(finding!.message.includes(`(${why})`), finding!.message);
      assert.ok(finding!.message.includes('so the message reaches no one'), finding!.message);
      assert.equal(finding!.data?.['hasSecurityChannel'], false);
      assert.equal(finding!.data?.['declareChannelOnly'], true);
    });
  }

  const DECLARED: ReadonlyArray<[string, string]> = [
    ['a block map', '\n  security: "#sec-incidents"'],
    ['a flow map', ' {security: "#sec-incidents"}'],
    ['a plain value', '\n  security: sec-incidents@acme.example'],
  ];
  for (const [name, channels] of DECLARED) test(`declared in ${name}: the notification counts`, () => assert.deepEqual(runRule(PB102, playbook(channels)), []));

  test('a notification missing on a path as well: both are said, and both are to do', () => {
    const text = playbook(undefined).replace('    on-failure: continue\n', '').replace('    message: rolled back\n', '    message: rolled back\n  - {id: verify, action: diagnose, run: x}\n');
    const moved = text.replace(/ {2}- id: tell\n(?: {4}.*\n)+/, '').replace('  - id: review', '  - id: tell\n    action: notify\n    channel: security\n  - id: review');
    const [finding] = runRule(PB102, moved);
    assert.match(finding!.message, /, 3 paths reach the end without notifying security \('roll-back' → 'verify' \(fails\) → \(exit\); 'roll-back' → 'verify' → 'tell' \(fails\) → \(exit\); 'roll-back' → 'verify' → 'tell' → 'review' → \(exit\)\), and `tell` notifies the channel `security`, which is not declared \(the playbook has no `channels`\), so the message reaches no one; add a `notify` step with `channel: security` after it, and add a `security` key under `channels`$/);
    assert.equal(finding!.data?.['declareChannelOnly'], false);
  });
});

describe('the PB102 quick fix declares the channel', () => {
  for (const [name, channels, , fixed] of UNDECLARED) {
    test(`${name}: ${fixed ? 'declaring the channel alone fixes it, with no second notification' : 'no fix (rewriting `channels` would guess)'}`, () => {
      const text = playbook(channels);
      const analysis = checkPlaybook(text);
      const finding = analysis.findings.find((f) => f.ruleId === 'PB102')!;
      const fixes = codeActions(analysis, finding.range).filter((a) => a.finding === finding && !a.title.startsWith('Suppress'));
      if (!fixed) return assert.deepEqual(fixes, []);
      assert.equal(fixes.length, 1, fixes.map((f) => f.title).join(' | '));
      const after = applyEdits(text, fixes[0]!.edits);
      const rechecked = checkPlaybook(after);
      assert.deepEqual(rechecked.findings.filter((f) => f.ruleId === 'PB102' || f.ruleId === 'PB001'), [], after);
      assert.equal(rechecked.parsed.model.steps.length, 4, 'no step added');
      assert.equal(rechecked.parsed.model.channels.get('security')?.target, '#security-incidents');
    });
  }

  test('a change with no notification at all gets one, and the channel', () => {
    const text = playbook(undefined).replace(/ {2}- id: tell\n(?: {4}.*\n)+/, '');
    const analysis = checkPlaybook(text);
    const finding = analysis.findings.find((f) => f.ruleId === 'PB102')!;
    const [fix] = codeActions(analysis, finding.range).filter((a) => a.finding === finding);
    assert.equal(fix!.title, 'Notify security after step `roll-back` and add a `security` channel');
    const rechecked = checkPlaybook(applyEdits(text, fix!.edits));
    assert.deepEqual(rechecked.findings.filter((f) => f.ruleId === 'PB102'), []);
  });
});

describe('the dry-run: a notification to an undeclared channel tells no one', () => {
  for (const [name, channels] of UNDECLARED) {
    test(`${name}: security not notified, CC2.2 and CC7.4 not evidenced`, () => {
      const run = simulate(checkPlaybook(playbook(channels)));
      assert.equal(run.outcome, 'resolved');
      const tell = run.trace.find((e) => e.step === 'tell')!;
      assert.equal(tell.notification?.security, false);
      assert.ok(tell.notification?.undeclared, 'the notification says it reaches no one');
      assert.equal(tell.notification?.target, undefined);
      assert.match(tell.wouldDo, /^would notify security \(.*, so the message reaches no one\): "rolled back"$/);
      assert.equal(run.summary.securityNotified, false);
      assert.deepEqual(run.summary.changes.map((c) => [c.step, c.notifiedBy]), [['roll-back', undefined]]);
      const cc = (criterion: string) => run.summary.soc2.find((p) => p.criterion === criterion)!;
      assert.equal(cc('CC2.2').evidenced, false);
      assert.match(cc('CC2.2').evidence, /tell named channels that are not declared|security was not told of roll-back/);
      assert.equal(cc('CC7.4').evidenced, false);
    });
  }

  test('declared: security notified, CC2.2 evidenced', () => {
    const run = simulate(checkPlaybook(playbook('\n  security: "#sec-incidents"')));
    assert.equal(run.summary.securityNotified, true);
    assert.equal(run.trace.find((e) => e.step === 'tell')!.notification?.security, true);
    assert.equal(run.summary.soc2.find((p) => p.criterion === 'CC2.2')!.evidenced, true);
  });
});

describe('hover and code lens say the same', () => {
  const undeclared = playbook('\n  security: ""');
  const declared = playbook('\n  security: "#sec-incidents"');
  const hoverAt = (text: string, word: string, occurrence = 0): string => {
    let at = -1;
    for (let i = 0; i <= occurrence; i++) at = text.indexOf(word, at + 1);
    return hover(checkPlaybook(text), at)?.markdown ?? '';
  };

  test('hover on the notify step', () => {
    assert.match(hoverAt(undeclared, 'tell\n'), /Tells security nothing: `channels\.security` is empty, so the message reaches no one, and PB102 does not count it\./);
    assert.match(hoverAt(declared, 'tell\n'), /Tells security: it counts for PB102/);
  });

  test('hover on `channel: security`', () => {
    assert.match(hoverAt(undeclared, 'security\n    message'), /reaches no one/);
    assert.doesNotMatch(hoverAt(undeclared, 'security\n    message'), /The channel PB102 looks for/);
    assert.match(hoverAt(declared, 'security\n    message'), /The channel PB102 looks for/);
    assert.match(hoverAt(playbook(undefined), 'security\n    message'), /No channel `security` is declared under `channels` \(PB005\)\. A notification to it reaches no one/);
  });

  test('the code lens over the notify step', () => {
    const lens = (text: string) => codeLenses(checkPlaybook(text)).find((l) => text.slice(l.range.start, l.range.end) === 'id: tell')?.title;
    assert.equal(lens(undeclared), 'tells security nothing: `channels.security` is empty, so the message reaches no one');
    assert.equal(lens(playbook(undefined)), 'tells security nothing: the playbook has no `channels`, so the message reaches no one');
    assert.equal(lens(declared), 'tells security (#sec-incidents)');
  });
});
