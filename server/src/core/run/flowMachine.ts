/**
 * The flow of a playbook as a state machine: from the entry, a step that succeeds (or is skipped)
 * follows its success edge (list order or `next`), a step that fails or a checkpoint that is denied
 * follows its failure edge (`on-failure`). A step whose `requires` have not all completed cannot
 * run: the run stops there, `blocked`. The dry-run drives it with a scenario (`walkFlow`), an
 * incident run with what the person says happened, one step at a time; both therefore agree on
 * where the flow goes.
 *
 * A skipped step is not completed: a later step that requires it is blocked, as the playbook says.
 * States are values: `advance` returns a new one, so a run can be replayed from its record.
 */
import type { FlowGraph } from '../graph/flowGraph.js';

export type StepResult = 'ran' | 'failed' | 'denied' | 'skipped';
export type FlowOutcome = 'resolved' | 'aborted' | 'blocked' | 'invalid';

export interface Visit {
  index: number;
  status: StepResult | 'blocked';
  /** Step indices of the unmet `requires` (blocked steps). */
  blockedBy?: number[];
  /** The node the flow goes to (the graph's `exit` for an end); absent for a blocked step. */
  next?: number;
  /** How the flow leaves the playbook after this step, when it does. */
  ends?: 'end' | 'abort';
}

export interface FlowState {
  /** The step to do next; the graph's `exit` once the flow has left the playbook. */
  readonly node: number;
  readonly completed: readonly boolean[];
  readonly visits: readonly Visit[];
  /** Set once the run has ended. */
  readonly outcome?: FlowOutcome;
}

/** Whether a step's failure ends the run (`on-failure: abort`, or none) rather than going on. */
export type AbortsOnFailure = (index: number) => boolean;

/** The state before the first step; a playbook without steps is resolved at once. */
export function startFlow(graph: FlowGraph): FlowState {
  const start: FlowState = { node: 0, completed: new Array<boolean>(graph.exit).fill(false), visits: [] };
  return graph.exit === 0 ? { ...start, outcome: 'resolved' } : blockIfUnmet(graph, start);
}

/** The state after the current step's result. The run must not have ended. */
export function advance(graph: FlowGraph, state: FlowState, result: StepResult, abortsOnFailure: AbortsOnFailure, maxVisits = graph.exit * 2): FlowState {
  if (state.outcome !== undefined) throw new Error('the run has ended');
  const node = state.node;
  const failed = result === 'failed' || result === 'denied';
  const completed = failed || result === 'skipped' ? state.completed : state.completed.map((done, i) => done || i === node);
  const edges = graph.out[node]!;
  const next = (failed ? edges.find((e) => e.kind === 'failure') : edges.find((e) => e.kind !== 'failure'))?.to ?? graph.exit;
  const aborts = failed && abortsOnFailure(node);
  const visits = [...state.visits, { index: node, status: result, next, ...(next === graph.exit ? { ends: aborts ? ('abort' as const) : ('end' as const) } : {}) }];
  if (next === graph.exit) return { node: next, completed, visits, outcome: aborts ? 'aborted' : 'resolved' };
  // The visit bound is the last guard against a flow that loops: no input can make a walk hang.
  if (visits.length >= maxVisits) return { node: next, completed, visits, outcome: 'invalid' };
  return blockIfUnmet(graph, { node: next, completed, visits });
}

/** A step whose `requires` are not all completed cannot run: the flow ends there. */
function blockIfUnmet(graph: FlowGraph, state: FlowState): FlowState {
  const unmet = [...new Set(graph.requires[state.node]!.map((r) => r.target).filter((t) => !state.completed[t]))].sort((a, b) => a - b);
  if (!unmet.length) return state;
  return { ...state, visits: [...state.visits, { index: state.node, status: 'blocked', blockedBy: unmet }], outcome: 'blocked' };
}
