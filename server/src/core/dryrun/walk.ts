/**
 * The dry-run's walk: the flow machine (run/flowMachine.ts) driven by the scenario, from the entry
 * to an end. Cycles are refused before the walk (PB007); the machine's visit bound is the last
 * guard, so that no input can make the walk hang.
 */
import type { FlowGraph } from '../graph/flowGraph.js';
import { advance, startFlow, type AbortsOnFailure, type FlowOutcome, type Visit } from '../run/flowMachine.js';

export type { Visit } from '../run/flowMachine.js';

export interface Walk {
  visits: Visit[];
  outcome: FlowOutcome;
}

export interface WalkRules {
  /** What happens to a step that can run (from the scenario). */
  resultOf(index: number): 'ran' | 'failed' | 'denied';
  abortsOnFailure: AbortsOnFailure;
  /** Most visits before giving up; default twice the steps. */
  maxVisits?: number;
}

export function walkFlow(graph: FlowGraph, rules: WalkRules): Walk {
  let state = startFlow(graph);
  while (state.outcome === undefined) state = advance(graph, state, rules.resultOf(state.node), rules.abortsOnFailure, rules.maxVisits);
  return { visits: [...state.visits], outcome: state.outcome };
}
