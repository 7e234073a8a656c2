/**
 * The walk itself, over the flow graph the rules use: from the entry, a step that succeeds follows
 * its success edge (list order or `next`), a step that fails or a checkpoint that is denied follows
 * its failure edge (`on-failure`). A step whose `requires` have not all completed cannot run; on an
 * acyclic flow it never comes back on this path, so the run stops there, `blocked`.
 *
 * Cycles are refused before the walk (PB007); the visit bound is the last guard, so that no
 * input can make the walk hang.
 */
import type { FlowGraph } from '../graph/flowGraph.js';

type StepResult = 'ran' | 'failed' | 'denied';

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

export interface Walk {
  visits: Visit[];
  outcome: 'resolved' | 'aborted' | 'blocked' | 'invalid';
}

export interface WalkRules {
  /** What happens to a step that can run (from the scenario). */
  resultOf(index: number): StepResult;
  /** Whether the step's failure ends the run (`on-failure: abort`, or none), rather than going on. */
  abortsOnFailure(index: number): boolean;
  /** Most visits before giving up; default twice the steps. */
  maxVisits?: number;
}

export function walkFlow(graph: FlowGraph, rules: WalkRules): Walk {
  const exit = graph.exit;
  const maxVisits = rules.maxVisits ?? exit * 2;
  const completed = new Array<boolean>(exit).fill(false);
  const visits: Visit[] = [];
  let node = 0;
  while (node !== exit) {
    if (visits.length >= maxVisits) return { visits, outcome: 'invalid' };
    const unmet = [...new Set(graph.requires[node]!.map((r) => r.target).filter((t) => !completed[t]))].sort((a, b) => a - b);
    if (unmet.length) {
      visits.push({ index: node, status: 'blocked', blockedBy: unmet });
      return { visits, outcome: 'blocked' };
    }
    const status = rules.resultOf(node);
    const failed = status !== 'ran';
    if (!failed) completed[node] = true;
    const edges = graph.out[node]!;
    const next = (failed ? edges.find((e) => e.kind === 'failure') : edges.find((e) => e.kind !== 'failure'))?.to ?? exit;
    const aborts = failed && rules.abortsOnFailure(node);
    visits.push({ index: node, status, next, ...(next === exit ? { ends: aborts ? 'abort' : 'end' } : {}) });
    if (next === exit && aborts) return { visits, outcome: 'aborted' };
    node = next;
  }
  return { visits, outcome: 'resolved' };
}
