/** What PB106's fix plans (revokePlan.ts) and checks (revokePlanChecks.ts): the input and the plan, apart so neither file imports the other. */
import type { FlowGraph } from '../../graph/flowGraph.js';
import type { PlaybookModel } from '../../parse/model.js';
import type { Policy } from '../../policy/policy.js';
import type { PlannedFlow } from './plannedFlow.js';

export interface RevokePlanInput {
  graph: FlowGraph;
  model: PlaybookModel;
  policy: Policy;
  grant: number;
  /** Per step: an `access-revoke` of the grant's principal and role. */
  revokes: readonly boolean[];
}

/** A flow edge the fix re-points: a step's `next` (its success jump) or its `on-failure`. */
export interface Reroute {
  step: number;
  edge: 'next' | 'on-failure';
  /** A step index, or a new revoke's node. */
  to: number;
}

export interface RevokePlan {
  flow: PlannedFlow;
  /** The revoke the happy path passes: an existing step's index, or a new node. */
  main: number;
  /** Where a new `main` is written: above this step index (the exit index: at the end of the list). */
  mainAbove?: number;
  /** The last step the happy path runs before `main` (the grant when none). */
  after: number;
  /** The revoke at the end of the list, when some ways out cannot reach `main`. */
  end?: number;
  /** Steps whose failure now goes to `main`, and those whose failure goes to `end`. */
  failuresToMain: number[];
  failuresToEnd: number[];
  reroutes: Reroute[];
}
