/**
 * Code lenses, data-driven: each lens as its title, the exact text of the line it sits on, and for
 * a lens that reveals a checkpoint, the exact text it reveals; for a lens that opens the flow view,
 * the rule it lights up (on the very step it sits on), which the view has among its findings.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeLenses } from '../../server/src/core/features/codeLens.js';
import { flowView } from '../../server/src/core/features/flowView.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';
import { playbook } from './helpers/findings.js';

interface ShownLens {
  title: string;
  /** The text under the lens's range. */
  on: string;
  /** The text a `playbook.revealRange` lens reveals. */
  reveals?: string;
  /** Any other command, by id. */
  command?: string;
}

function show(text: string, policy: Policy = DEFAULT_POLICY): ShownLens[] {
  const analysis = checkPlaybook(text, { policy });
  return codeLenses(analysis).map((lens) => {
    const shown: ShownLens = { title: lens.title, on: text.slice(lens.range.start, lens.range.end) };
    if (lens.command?.id === 'playbook.revealRange') {
      const [start, end] = lens.command.arguments as [number, number];
      shown.reveals = text.slice(start, end);
    } else if (lens.command?.id === 'playbook.showFlow') {
      // The lens names the finding to light up: the rule, and the very step the lens sits on.
      const [focus] = lens.command.arguments as [{ ruleId: string; step: number }];
      const step = analysis.parsed.model.steps[focus.step]!;
      assert.ok(step.range.start <= lens.range.start && lens.range.end <= step.range.end, `the lens on ${shown.on} focuses step ${focus.step}`);
      // A PB102 or PB106 link names a finding the view lists, with more than its own step to light up.
      if (focus.ruleId !== 'PB100') {
        const { highlight } = flowView(analysis, focus);
        assert.ok(highlight && highlight.edges.length > 0, `the flow view lights up ${focus.ruleId} on step ${focus.step}`);
      }
      shown.command = `playbook.showFlow ${focus.ruleId}`;
    } else if (lens.command) {
      assert.deepEqual(lens.command.arguments, [], `${lens.command.id} takes no arguments`);
      shown.command = lens.command.id;
    }
    return shown;
  });
}

const DRY_RUN: ShownLens = { title: 'Dry-run this playbook', on: 'playbook: demo', command: 'playbook.dryRun' };
const triage = '  - {id: triage, action: diagnose, run: kubectl get pods}\n';
const gate = '  - id: gate\n    action: checkpoint\n    kind: security-review\n';
const rollBack = '  - id: roll-back\n    action: rollback\n    service: api\n    to: 1.1.0\n';
const tell = '  - {id: tell, action: notify, channel: security, message: rolled back}\n';
const onRollBack = (title: string, reveals?: string): ShownLens => (reveals === undefined ? { title, on: 'id: roll-back' } : { title, on: 'id: roll-back', reveals });
/** PB100's verdict on the rollback, with the flow view's paths a click away. */
const UNGUARDED: ShownLens = { title: 'not guarded by a security checkpoint: show the paths', on: 'id: roll-back', command: 'playbook.showFlow PB100' };
/** The notification to the declared `security` channel says it tells security. */
const TELLS: ShownLens = { title: 'tells security (#sec)', on: tell.trim().slice(2) };
/** PB102's finding on the rollback: the paths that never tell security, a click away. */
const UNTOLD: ShownLens = { title: 'security not notified on every path: show the paths', on: 'id: roll-back', command: 'playbook.showFlow PB102' };
const grant = (extra = ''): string => `  - {id: grant, action: access-grant, principal: "@alice", role: admin, duration: 1h${extra}}\n`;
const revoke = '  - {id: revoke, action: access-revoke, principal: "@alice", role: admin}\n';
const onGrant = (title: string, command?: string): ShownLens => ({ title, on: grant().trim().slice(2), ...(command ? { command } : {}) });
const grantGuarded: ShownLens = { ...onGrant('guarded by `gate`'), reveals: 'gate' };
/** PB106's finding on the grant: the paths that keep the access open. */
const UNREVOKED = onGrant('access not revoked on every path: show the paths', 'playbook.showFlow PB106');

describe('codeLenses', () => {
  const cases: Array<[name: string, text: string, expected: ShownLens[], policy?: Policy]> = [
    ['a checkpoint before the risky step guards it, and the lens reveals it', playbook(triage + gate + rollBack + tell),
      [DRY_RUN, onRollBack('guarded by `gate`', 'gate'), TELLS]],
    ['a quoted checkpoint id is revealed without its quotes', playbook(`${triage}  - {id: "gate", action: checkpoint, kind: access-review}\n${rollBack}${tell}`),
      [DRY_RUN, onRollBack('guarded by `gate`', 'gate'), TELLS]],
    ['the nearest of two checkpoints in a row', playbook(`${gate}  - {id: scan, action: checkpoint, kind: vulnerability-scan}\n${rollBack}${tell}`),
      [DRY_RUN, onRollBack('guarded by `scan`', 'scan'), TELLS]],
    ['a checkpoint without an id is revealed by its first line', playbook(`${triage}  - {action: checkpoint, kind: security-review}\n${rollBack}${tell}`),
      [DRY_RUN, onRollBack('guarded by step 2', '{action: checkpoint, kind: security-review}'), TELLS]],
    ['no checkpoint at all', playbook(triage + rollBack + tell),
      [DRY_RUN, UNGUARDED, TELLS]],
    ['a checkpoint that goes on when denied does not guard', playbook(`${gate}    on-failure: continue\n${rollBack}${tell}`),
      [DRY_RUN, UNGUARDED, TELLS]],
    ['a checkpoint of a kind the policy does not count', playbook(`  - {id: gate, action: checkpoint, kind: change-approval}\n${rollBack}${tell}`),
      [DRY_RUN, UNGUARDED, TELLS]],
    ['each branch through its own checkpoint: guarded on every path, by no single one', playbook(`  - {id: triage, action: diagnose, run: x, on-failure: gate-b}
  - {id: gate-a, action: checkpoint, kind: security-review, next: roll-back}
  - {id: gate-b, action: checkpoint, kind: access-review}
${rollBack}${tell}`), [DRY_RUN, onRollBack('guarded on every path'), TELLS]],
    ['a checkpoint in `requires` guards a step that one branch reaches unguarded', playbook(`  - {id: triage, action: diagnose, run: x, on-failure: roll-back}
${gate}${rollBack}    requires: [prep]
  - {id: prep, action: wait, duration: 1m, requires: [gate]}
${tell}`), [DRY_RUN, onRollBack('guarded by `gate` (in `requires`)', 'gate'), UNTOLD, TELLS]],
    ['a suppressed finding says so, with its reason', playbook(`${triage}  # playbook-ignore PB100: approved in change ticket CHG-42
${rollBack}${tell}`), [DRY_RUN, { ...onRollBack('not guarded (suppressed: approved in change ticket CHG-42)'), command: UNGUARDED.command }, TELLS]],
    ['a suppression at the end of the step line', playbook(`${triage}${rollBack.replace('roll-back\n', 'roll-back  # playbook-ignore PB100, PB102: lab only\n')}`),
      [DRY_RUN, { title: 'not guarded (suppressed: lab only)', on: 'id: roll-back  # playbook-ignore PB100, PB102: lab only', command: 'playbook.showFlow PB100' },
        { title: 'security not notified (suppressed: lab only)', on: 'id: roll-back  # playbook-ignore PB100, PB102: lab only', command: 'playbook.showFlow PB102' }]],
    ['a step no path reaches', playbook(`  - {id: triage, action: diagnose, run: x, next: review}\n${rollBack}`),
      [DRY_RUN, onRollBack('not reached from the start')]],
    ['PB100 turned off in the policy still tells the truth', playbook(triage + rollBack + tell),
      [DRY_RUN, UNGUARDED, TELLS], { ...DEFAULT_POLICY, rules: { PB100: 'off' } }],
    ['risky actions come from the policy', playbook(`${triage}  - {id: kick, action: restart, service: api}\n${rollBack}${tell}`),
      [DRY_RUN, { title: UNGUARDED.title, command: UNGUARDED.command, on: '{id: kick, action: restart, service: api}' }, TELLS], { ...DEFAULT_POLICY, riskyActions: new Set(['restart']) }],
    ['every risky step has its lens, in order', playbook(`${triage}  - {id: hotfix, action: run, command: ./fix.sh}\n${gate}${rollBack}${tell}`),
      [DRY_RUN, { title: UNGUARDED.title, command: UNGUARDED.command, on: '{id: hotfix, action: run, command: ./fix.sh}' }, onRollBack('guarded by `gate`', 'gate'), TELLS]],
    ['no risky step: only the dry-run lens', playbook(triage), [DRY_RUN]],
    ['without a `playbook` key the dry-run lens is on the first line', '# checkout\nsteps:\n  - {id: a, action: wait, duration: 1m}\n',
      [{ title: 'Dry-run this playbook', on: '# checkout', command: 'playbook.dryRun' }]],
    ['the `playbook` key further down', 'title: T\nplaybook: late   # id\nsteps: []\n', [{ title: 'Dry-run this playbook', on: 'playbook: late', command: 'playbook.dryRun' }]],
    ['a document with YAML errors still has its lenses', `playbook: demo
title: [oops
steps:
${triage}${rollBack}`, [DRY_RUN, UNGUARDED, UNTOLD]],
    ['a change with no notification after it: PB102\'s paths a click away', playbook(triage + gate + rollBack),
      [DRY_RUN, onRollBack('guarded by `gate`', 'gate'), UNTOLD]],
    ['a notification on some paths only still has the lens', playbook(`${triage}${gate}${rollBack}  - {id: verify, action: diagnose, run: x, on-failure: abort}\n${tell}`),
      [DRY_RUN, onRollBack('guarded by `gate`', 'gate'), UNTOLD, TELLS]],
    ['PB102 turned off in the policy: no link, the view has nothing of it to light up', playbook(triage + gate + rollBack),
      [DRY_RUN, onRollBack('guarded by `gate`', 'gate')], { ...DEFAULT_POLICY, rules: { PB102: 'off' } }],
    ['a grant never told nor revoked: PB100\'s verdict, then PB102\'s and PB106\'s links, on its line', playbook(gate + grant()),
      [DRY_RUN, grantGuarded, onGrant(UNTOLD.title, 'playbook.showFlow PB102'), UNREVOKED]],
    ['a grant told about but never revoked: PB106\'s link alone', playbook(gate + grant() + tell),
      [DRY_RUN, grantGuarded, UNREVOKED, TELLS]],
    ['a grant revoked on one branch only', playbook(`${gate}${grant()}  - {id: work, action: run, command: ./fix.sh, on-failure: abort}\n${revoke}${tell}`),
      [DRY_RUN, grantGuarded, onGrant(UNTOLD.title, 'playbook.showFlow PB102'), UNREVOKED,
        { title: 'guarded by `gate`', on: '{id: work, action: run, command: ./fix.sh, on-failure: abort}', reveals: 'gate' }, TELLS]],
    ['a grant told and revoked on every path, but with no `duration`: no link, PB106 has no path to show', playbook(`${gate}  - {id: grant, action: access-grant, principal: "@alice", role: admin, on-failure: abort}\n${tell.replace('}', ', on-failure: continue}')}${revoke}`),
      [DRY_RUN, { title: 'guarded by `gate`', on: '{id: grant, action: access-grant, principal: "@alice", role: admin, on-failure: abort}', reveals: 'gate' },
        { title: 'tells security (#sec)', on: '{id: tell, action: notify, channel: security, message: rolled back, on-failure: continue}' }]],
    ['a suppressed PB106 finding says so, with its reason, and still shows the paths', playbook(`${gate}${tell}  # playbook-ignore PB106: the platform expires it\n${grant()}`),
      [DRY_RUN, TELLS, grantGuarded, onGrant(UNTOLD.title, 'playbook.showFlow PB102'), onGrant('access not revoked (suppressed: the platform expires it)', 'playbook.showFlow PB106')]],
    ['a document that is not a map: none', '- a\n- b\n', []],
    ['an empty document: none', '', []],
  ];
  for (const [name, text, expected, policy] of cases) test(name, () => assert.deepEqual(show(text, policy), expected));
});
