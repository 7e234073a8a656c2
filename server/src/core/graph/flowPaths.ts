/**
 * A path through the flow graph as a finding shows it: its steps, or its two ends when it is long,
 * so a playbook of thousands of steps cannot make findings quadratic in size. The paths themselves
 * are counted and chosen in pathSpace.ts.
 */

export interface PathStep {
  index: number;
  /** The path leaves this step through its failure edge (a step that fails, a checkpoint that is denied). */
  failed: boolean;
  /**
   * The path goes into a loop here (steps that reach one another, PB007), which counts as one stop:
   * it leaves the loop from this step, or from the next step shown.
   */
  loop?: boolean;
}

/** A path of steps (the exit not included): `head`, then `omitted` stops left out, then `tail`. */
export interface FlowPath {
  head: PathStep[];
  omitted: number;
  tail: PathStep[];
}

/** Stops shown at each end of a path that is too long to show whole. */
export const SHOWN_AT_EACH_END = 4;
/** Paths of up to this many stops are shown whole. */
export const SHOWN_WHOLE_UP_TO = 2 * SHOWN_AT_EACH_END + 2;

/** `step` followed by `rest`, e.g. a changing step and a path from its successor to the exit. */
export function prependStep(step: PathStep, rest: FlowPath): FlowPath {
  return { head: [step, ...rest.head], omitted: rest.omitted, tail: rest.tail };
}

/** Every step of the path that is shown, in order. */
export function shownSteps(path: FlowPath): PathStep[] {
  return [...path.head, ...path.tail];
}
