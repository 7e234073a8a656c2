/**
 * Code lenses, data-driven: each lens as its title, the exact text of the line it sits on, and for
 * a lens that reveals a checkpoint, the exact text it reveals.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeLenses } from '../../server/src/core/features/codeLens.js';
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
${tell}`), [DRY_RUN, onRollBack('guarded by `gate` (in `requires`)', 'gate'), TELLS]],
    ['a suppressed finding says so, with its reason', playbook(`${triage}  # playbook-ignore PB100: approved in change ticket CHG-42
${rollBack}${tell}`), [DRY_RUN, { ...onRollBack('not guarded (suppressed: approved in change ticket CHG-42)'), command: UNGUARDED.command }, TELLS]],
    ['a suppression at the end of the step line', playbook(`${triage}${rollBack.replace('roll-back\n', 'roll-back  # playbook-ignore PB100, PB102: lab only\n')}`),
      [DRY_RUN, { title: 'not guarded (suppressed: lab only)', on: 'id: roll-back  # playbook-ignore PB100, PB102: lab only', command: 'playbook.showFlow PB100' }]],
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
${triage}${rollBack}`, [DRY_RUN, UNGUARDED]],
    ['a document that is not a map: none', '- a\n- b\n', []],
    ['an empty document: none', '', []],
  ];
  for (const [name, text, expected, policy] of cases) test(name, () => assert.deepEqual(show(text, policy), expected));
});
