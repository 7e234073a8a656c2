/**
 * The incident run engine (core/run/runState.ts over core/run/flowMachine.ts): on generated
 * playbooks and random answers it only ever offers the step the flow leads to, and a run whose
 * events copy a dry-run scenario ends as that dry-run does. Then the rules a run adds: a step is
 * started first, a checkpoint is decided, a rollback is checked before it is done and a standing
 * advisory acknowledged, nothing follows the end.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { simulate } from '../../server/src/core/dryrun/simulate.js';
import { stepField } from '../../server/src/core/graph/securitySteps.js';
import type { RunEvent } from '../../server/src/core/run/events.js';
import { applyEvent, currentStep, needsReleaseCheck, runPlaybook, startRun, stepName, type RunState } from '../../server/src/core/run/runState.js';
import { playbook } from './helpers/flowSecurity.js';

const BODIES = {
  diagnose: 'action: diagnose, run: x',
  rollback: 'action: rollback, service: api, to: 1.1.0',
  review: 'action: checkpoint, kind: security-review, approvers: [security]',
  tellSecurity: 'action: notify, channel: security, message: m',
} as const;
type Body = keyof typeof BODIES;

interface Shape {
  steps: Array<{ body: Body; next?: number; failure?: 'abort' | 'continue' | number; requires?: number }>;
  /** Per step: what happens when the run gets there (a checkpoint: approved/denied; another: done/failed/skipped). */
  results: Array<'ok' | 'bad' | 'skip'>;
}

const shapes: fc.Arbitrary<Shape> = fc.integer({ min: 1, max: 8 }).chain((n) => fc.record({
  steps: fc.array(fc.record({
    body: fc.constantFrom(...(Object.keys(BODIES) as Body[])),
    // Forward jumps only, so the flow has no cycle (a cycle is refused before a run, PB007).
    next: fc.option(fc.nat(n), { nil: undefined }),
    failure: fc.option(fc.oneof(fc.constantFrom('abort' as const, 'continue' as const), fc.nat(n)), { nil: undefined }),
    requires: fc.option(fc.nat(n), { nil: undefined }),
  }, { requiredKeys: ['body'] }), { minLength: n, maxLength: n }),
  results: fc.array(fc.constantFrom('ok' as const, 'bad' as const, 'skip' as const), { minLength: n, maxLength: n }),
}));

/** Only jumps forward (to a later step or past the end), and `requires` of an earlier step. */
function render({ steps }: Shape): string {
  const n = steps.length;
  const target = (from: number, to: number): string | undefined => (to > from && to < n ? `s${to}` : undefined);
  return playbook(steps.map((s, i) => {
    const next = s.next === undefined ? undefined : target(i, s.next);
    const failure = typeof s.failure === 'number' ? target(i, s.failure) : s.failure;
    const requires = s.requires !== undefined && s.requires < i ? `s${s.requires}` : undefined;
    return `  - {id: s${i}, ${BODIES[s.body]}${next ? `, next: ${next}` : ''}${failure ? `, on-failure: ${failure}` : ''}${requires ? `, requires: [${requires}]` : ''}}\n`;
  }).join(''));
}

const base = { at: '2026-12-06T10:00:00.000Z', by: '@alice' };
const started: RunEvent = { type: 'run-started', ...base, playbook: { id: 'demo', file: 'demo.playbook.yaml', sha256: '0'.repeat(64) }, tool: { name: 'playbook', version: 'test' }, mode: 'answers' };

function must(state: RunState | { problem: string }): RunState {
  assert.ok(!('problem' in state), 'problem' in state ? state.problem : '');
  return state;
}

describe('the run engine on generated playbooks', () => {
  test('it offers only the step the flow leads to, and a run copying a dry-run scenario ends as the dry-run does', () => {
    fc.assert(fc.property(shapes, (shape) => {
      const analysis = checkPlaybook(render(shape));
      const play = runPlaybook(analysis);
      const g = play.graph;
      let state = must(applyEvent(play, startRun(play), started));
      const fail: string[] = [];
      const deny: string[] = [];
      let from: number | undefined;
      let how: 'success' | 'failure' | undefined;
      for (let step = currentStep(play, state); step; step = currentStep(play, state)) {
        // The step offered is where the previous one's edge of the right kind leads (or the entry).
        if (from === undefined) assert.equal(step.index, 0);
        else assert.equal(step.index, g.out[from]!.find((e) => (how === 'failure' ? e.kind === 'failure' : e.kind !== 'failure'))!.to);
        const name = stepName(step);
        state = must(applyEvent(play, state, { type: 'step-started', ...base, step: name, index: step.index }));
        const result = shape.results[step.index]!;
        const checkpoint = step.action === 'checkpoint';
        if (checkpoint) {
          if (result !== 'ok') deny.push(name);
          state = must(applyEvent(play, state, { type: 'approval', ...base, step: name, approver: 'security', decision: result === 'ok' ? 'granted' : 'denied' }));
        } else if (result === 'bad') {
          fail.push(name);
          state = must(applyEvent(play, state, { type: 'step-failed', ...base, step: name }));
        } else {
          // A skip goes on like success (the dry-run has no skip: it is compared only where it goes the same way).
          if (needsReleaseCheck(step)) state = must(applyEvent(play, state, { type: 'release-check', ...base, step: name, service: 'api', version: '1.1.0', standing: [], decided: [], acknowledged: false }));
          state = must(applyEvent(play, state, result === 'skip' ? { type: 'deviation', ...base, step: name, kind: 'skipped', reason: 'r' } : { type: 'step-done', ...base, step: name }));
        }
        from = step.index;
        how = checkpoint ? (result === 'ok' ? 'success' : 'failure') : result === 'bad' ? 'failure' : 'success';
      }
      const outcome = state.flow.outcome!;
      assert.ok(outcome !== undefined);
      must(applyEvent(play, state, { type: 'run-ended', ...base, outcome: outcome as 'resolved', path: [], undelivered: [] }));
      // Skips that a later `requires` needs make the run blocked where the dry-run (which has none) goes on: compare runs without skips.
      if (!shape.results.includes('skip')) assert.equal(outcome, simulate(analysis, { fail, deny }).outcome);
    }), { numRuns: 300 });
  });
});

describe('what a run adds to the flow', () => {
  const text = playbook([
    '  - {id: gate, action: checkpoint, kind: security-review, approvers: [security]}',
    '  - {id: back, action: rollback, service: api, to: 1.1.0}',
    '  - {id: tell, action: notify, channel: security, message: m}',
    '  - {id: later, action: diagnose, run: x, requires: [tell]}',
    '',
  ].join('\n'));
  const analysis = checkPlaybook(text);
  const play = runPlaybook(analysis);
  const begin = (): RunState => must(applyEvent(play, startRun(play), started));
  const problem = (state: RunState, event: RunEvent): string => {
    const next = applyEvent(play, state, event);
    assert.ok('problem' in next, `${event.type} was accepted`);
    return next.problem;
  };
  const start = (state: RunState, step: string, index: number): RunState => must(applyEvent(play, state, { type: 'step-started', ...base, step, index }));

  test('nothing before run-started, and a step is started before anything happens to it', () => {
    assert.match(problem(startRun(play), { type: 'step-started', ...base, step: 'gate', index: 0 }), /must start with run-started/);
    assert.match(problem(begin(), { type: 'approval', ...base, step: 'gate', approver: 'security', decision: 'granted' }), /must be started first/);
    assert.match(problem(begin(), { type: 'step-started', ...base, step: 'back', index: 1 }), /the step to do now is 'gate', not 'back'/);
  });

  test('a checkpoint is decided, not done, failed or skipped', () => {
    const s = start(begin(), 'gate', 0);
    assert.match(problem(s, { type: 'step-done', ...base, step: 'gate' }), /approved or denied, not done/);
    assert.match(problem(s, { type: 'step-failed', ...base, step: 'gate' }), /denied, not failed/);
    assert.match(problem(s, { type: 'deviation', ...base, step: 'gate', kind: 'skipped', reason: 'r' }), /cannot be skipped/);
  });

  test('a rollback is checked before it is done, and a standing advisory must be acknowledged', () => {
    let s = start(begin(), 'gate', 0);
    s = must(applyEvent(play, s, { type: 'approval', ...base, step: 'gate', approver: 'security', decision: 'granted' }));
    s = start(s, 'back', 1);
    assert.match(problem(s, { type: 'step-done', ...base, step: 'back' }), /checked before it is done/);
    const standing = [{ id: 'GHSA-x', aliases: [], severity: 'CRITICAL' }];
    const unacknowledged = must(applyEvent(play, s, { type: 'release-check', ...base, step: 'back', service: 'api', version: '1.1.0', standing, decided: [], acknowledged: false }));
    assert.match(problem(unacknowledged, { type: 'step-done', ...base, step: 'back' }), /must be acknowledged/);
    const acknowledged = must(applyEvent(play, s, { type: 'release-check', ...base, step: 'back', service: 'api', version: '1.1.0', standing, decided: [], acknowledged: true }));
    const done = must(applyEvent(play, acknowledged, { type: 'step-done', ...base, step: 'back' }));
    assert.equal(currentStep(play, done)?.id, 'tell');
    assert.match(problem(start(done, 'tell', 2), { type: 'release-check', ...base, step: 'tell', service: 'api', version: '1.1.0', standing: [], decided: [], acknowledged: false }), /changes no release/);
  });

  test('a skipped step is not completed: a step that requires it is blocked, and the run ends blocked', () => {
    let s = start(begin(), 'gate', 0);
    s = must(applyEvent(play, s, { type: 'approval', ...base, step: 'gate', approver: 'security', decision: 'granted' }));
    s = start(s, 'back', 1);
    s = must(applyEvent(play, s, { type: 'release-check', ...base, step: 'back', service: 'api', version: '1.1.0', standing: [], decided: [], acknowledged: false }));
    s = must(applyEvent(play, s, { type: 'step-done', ...base, step: 'back' }));
    s = start(s, 'tell', 2);
    s = must(applyEvent(play, s, { type: 'deviation', ...base, step: 'tell', kind: 'skipped', reason: 'the channel is down' }));
    assert.equal(s.flow.outcome, 'blocked');
    assert.equal(currentStep(play, s), undefined);
    assert.match(problem(s, { type: 'run-ended', ...base, outcome: 'resolved', path: [], undelivered: [] }), /ended blocked, not resolved/);
    const ended = must(applyEvent(play, s, { type: 'run-ended', ...base, outcome: 'blocked', path: [], undelivered: [] }));
    assert.match(problem(ended, { type: 'notification', ...base, id: 1, channel: 'security', message: 'm', auto: false, delivery: { status: 'delivered', attempts: 1 } }), /has ended/);
  });

  test('a run can be abandoned before its flow ends, and only abandoned', () => {
    assert.match(problem(begin(), { type: 'run-ended', ...base, outcome: 'resolved', path: [], undelivered: [] }), /can only be abandoned/);
    must(applyEvent(play, begin(), { type: 'run-ended', ...base, outcome: 'abandoned', path: [], undelivered: [] }));
  });

  test('a delivery follows a queued notification only', () => {
    const queued = must(applyEvent(play, begin(), { type: 'notification', ...base, id: 1, channel: 'security', message: 'm', auto: true, delivery: { status: 'queued', attempts: 3 } }));
    assert.equal(queued.notifications.get(1)?.waiting, true);
    const delivered = must(applyEvent(play, queued, { type: 'delivery', ...base, notification: 1, delivery: { status: 'delivered', attempts: 4 } }));
    assert.equal(delivered.notifications.get(1)?.waiting, false);
    assert.match(problem(delivered, { type: 'delivery', ...base, notification: 1, delivery: { status: 'delivered', attempts: 5 } }), /not waiting/);
    assert.match(problem(delivered, { type: 'delivery', ...base, notification: 2, delivery: { status: 'delivered', attempts: 1 } }), /no notification 2/);
  });

  test('the on-failure of every generated step is the one the flow machine follows', () => {
    // A step that fails with `on-failure: continue` goes on like success: the machine follows the graph's failure edge.
    const cont = checkPlaybook(playbook('  - {id: a, action: diagnose, run: x, on-failure: continue}\n  - {id: b, action: diagnose, run: x}\n'));
    const p = runPlaybook(cont);
    assert.equal(stepField(p.steps[0]!, 'on-failure')?.value, 'continue');
    let s = must(applyEvent(p, startRun(p), started));
    s = must(applyEvent(p, s, { type: 'step-started', ...base, step: 'a', index: 0 }));
    s = must(applyEvent(p, s, { type: 'step-failed', ...base, step: 'a' }));
    assert.equal(currentStep(p, s)?.id, 'b');
  });
});
