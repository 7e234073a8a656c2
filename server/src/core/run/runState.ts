/**
 * An incident run as a pure state machine over its events (spec section 10): the flow machine
 * (flowMachine.ts, the dry-run's) plus what a run adds — a step is started before anything happens
 * to it, a checkpoint is decided by an approval, a rollback or deploy is re-checked before it is
 * done and a standing advisory acknowledged, notifications are numbered. `applyEvent` refuses any
 * event the flow does not allow at that point, so a record replayed through it (Resume, verify,
 * report) can only say what the playbook allowed, and the editor and `playbook run` cannot differ.
 */
import type { CheckResult } from '../check.js';
import type { FlowGraph } from '../graph/flowGraph.js';
import { stepField } from '../graph/securitySteps.js';
import type { StepModel } from '../parse/model.js';
import type { RunEvent, RunOutcome } from './events.js';
import { advance, startFlow, type FlowState } from './flowMachine.js';

/** The actions whose target the run re-checks before the step is done. */
const CHECKED_ACTIONS: ReadonlySet<string> = new Set(['rollback', 'deploy']);

export interface RunState {
  readonly flow: FlowState;
  readonly started: boolean;
  /** The current step has its `step-started`. */
  readonly stepStarted: boolean;
  /** The current step's release check, once made. */
  readonly releaseCheck?: { standing: number; acknowledged: boolean };
  /** Notification ids, with whether each is still waiting for delivery. */
  readonly notifications: ReadonlyMap<number, { waiting: boolean }>;
  readonly ended?: RunOutcome;
}

/** What the engine needs of a checked playbook. */
export interface RunPlaybook {
  graph: FlowGraph;
  steps: readonly StepModel[];
}

export function runPlaybook(analysis: CheckResult): RunPlaybook {
  return { graph: analysis.graph(), steps: analysis.parsed.model.steps };
}

/** The name a record gives a step: its id, else its place (`#3`). */
export function stepName(step: StepModel): string {
  return step.id ?? `#${step.index + 1}`;
}

const INITIAL_RUN: Omit<RunState, 'flow'> = { started: false, stepStarted: false, notifications: new Map() };

export function startRun(playbook: RunPlaybook): RunState {
  return { ...INITIAL_RUN, flow: startFlow(playbook.graph) };
}

/** The step to do now; undefined once the flow has ended (blocked, aborted, resolved). */
export function currentStep(playbook: RunPlaybook, state: RunState): StepModel | undefined {
  return state.flow.outcome === undefined && state.ended === undefined ? playbook.steps[state.flow.node] : undefined;
}

/** Whether marking the step done needs its release checked first. */
export function needsReleaseCheck(step: StepModel): boolean {
  return step.action !== undefined && CHECKED_ACTIONS.has(step.action);
}

const abortsOnFailure = (steps: readonly StepModel[]) => (i: number): boolean => (stepField(steps[i]!, 'on-failure')?.value ?? 'abort') === 'abort';

/** The state after `event`, or why the event cannot happen now. */
export function applyEvent(playbook: RunPlaybook, state: RunState, event: RunEvent): RunState | { problem: string } {
  if (state.ended !== undefined) return { problem: `the run has ended (${state.ended}); nothing can follow` };
  if (event.type === 'run-started') return state.started ? { problem: 'the run has started already' } : { ...state, started: true };
  if (!state.started) return { problem: 'the run must start with run-started' };
  switch (event.type) {
    case 'notification':
      return state.notifications.has(event.id) ? { problem: `notification ${event.id} exists already` } : { ...state, notifications: withNotification(state, event.id, event.delivery.status === 'queued') };
    case 'delivery': {
      const known = state.notifications.get(event.notification);
      if (!known) return { problem: `there is no notification ${event.notification}` };
      if (!known.waiting) return { problem: `notification ${event.notification} is not waiting for delivery` };
      return { ...state, notifications: withNotification(state, event.notification, event.delivery.status === 'queued') };
    }
    case 'run-ended':
      return endRun(state, event.outcome);
    default:
      return stepEvent(playbook, state, event);
  }
}

function withNotification(state: RunState, id: number, waiting: boolean): Map<number, { waiting: boolean }> {
  return new Map([...state.notifications, [id, { waiting }]]);
}

/** A run ends with its flow's outcome, or `abandoned` before the flow ended. */
function endRun(state: RunState, outcome: RunOutcome): RunState | { problem: string } {
  const flowOutcome = state.flow.outcome;
  if (flowOutcome === undefined && outcome !== 'abandoned') return { problem: `the flow has not ended: the run can only be abandoned, not ${outcome}` };
  if (flowOutcome !== undefined && flowOutcome !== outcome) return { problem: `the flow ended ${flowOutcome}, not ${outcome}` };
  return { ...state, ended: outcome };
}

type StepEvent = Extract<RunEvent, { step: string }>;

function stepEvent(playbook: RunPlaybook, state: RunState, event: RunEvent): RunState | { problem: string } {
  const step = currentStep(playbook, state);
  if (!step) return { problem: `the flow has ended (${state.flow.outcome}); only run-ended can follow` };
  const name = stepName(step);
  if (!('step' in event) || (event as StepEvent).step !== name) return { problem: `the step to do now is '${name}', not ${'step' in event ? `'${(event as StepEvent).step}'` : 'this event'}` };
  if (event.type === 'step-started') {
    if (event.index !== step.index) return { problem: `step '${name}' is step ${step.index}, not ${event.index}` };
    return state.stepStarted ? { problem: `step '${name}' has started already` } : { ...state, stepStarted: true };
  }
  if (!state.stepStarted) return { problem: `step '${name}' must be started first` };
  const checkpoint = step.action === 'checkpoint';
  const next = (result: 'ran' | 'failed' | 'denied' | 'skipped'): RunState => ({ ...state, stepStarted: false, releaseCheck: undefined, flow: advance(playbook.graph, state.flow, result, abortsOnFailure(playbook.steps)) });
  switch (event.type) {
    case 'approval':
      if (!checkpoint) return { problem: `step '${name}' is not a checkpoint; nobody approves it` };
      return next(event.decision === 'granted' ? 'ran' : event.decision === 'denied' ? 'denied' : 'failed');
    case 'release-check':
      if (!needsReleaseCheck(step)) return { problem: `step '${name}' changes no release` };
      return { ...state, releaseCheck: { standing: event.standing.length, acknowledged: event.acknowledged } };
    case 'step-done': {
      if (checkpoint) return { problem: `checkpoint '${name}' is approved or denied, not done` };
      if (needsReleaseCheck(step) && !state.releaseCheck) return { problem: `step '${name}' changes a release: its target is checked before it is done` };
      if (state.releaseCheck && state.releaseCheck.standing > 0 && !state.releaseCheck.acknowledged) return { problem: `step '${name}': the standing advisories on its target must be acknowledged before it is done` };
      return next('ran');
    }
    case 'step-failed':
      return checkpoint ? { problem: `checkpoint '${name}' is denied, not failed; a checkpoint nobody could decide is an approval with decision 'failed'` } : next('failed');
    case 'deviation':
      return checkpoint ? { problem: `checkpoint '${name}' cannot be skipped: someone decides it` } : next('skipped');
  }
  return { problem: `unexpected event for step '${name}'` };
}

/** The steps the run went through, in order (blocked ones included), by name. */
export function runPath(playbook: RunPlaybook, state: RunState): string[] {
  return state.flow.visits.map((v) => stepName(playbook.steps[v.index]!));
}
