/**
 * The paths a path rule objects to, written once per rule (its `pathQueries` in rules/rule.ts) and
 * read by both sides of the answer: the rule counts and lists the paths in its finding (here, through
 * pathSpace.ts), and the flow view lights up every one of them (violationPaths.ts). Neither side
 * has an edge filter or a start of its own, so a change to what "guarded" means changes both.
 *
 * A query says where the paths run for the finding on a step and which flow edges they may walk:
 *   `entry-to-step`   — from the entry to the step (PB100);
 *   `success-to-exit` — the step's success edge, then from its successor to the exit (PB102, PB106:
 *                       a change that failed changed nothing).
 */
import type { FlowEdge, FlowGraph } from './flowGraph.js';
import { prependStep, type FlowPath } from './flowPaths.js';
import { pathsFromEntry, pathsToExit } from './pathSpace.js';
import { successEdge } from './securitySteps.js';

export interface PathQuery {
  /** Where the paths of the finding on a step run (above). */
  ends: 'entry-to-step' | 'success-to-exit';
  /** Whether a path that breaks the rule may walk this flow edge. */
  follows(edge: FlowEdge): boolean;
}

/** Where the paths of the finding on `step` run: the edge they all begin with, if any, then from `from` to `to` along followed edges. */
interface PathEnds {
  lead: FlowEdge | undefined;
  from: number;
  to: number;
}

export function pathEnds(graph: FlowGraph, query: PathQuery, step: number): PathEnds {
  if (query.ends === 'entry-to-step') return { lead: undefined, from: 0, to: step };
  // A step with no success edge (none in a built graph) ends there, as successTarget says.
  const lead = successEdge(graph, step);
  return { lead, from: lead?.to ?? graph.exit, to: graph.exit };
}

/** The rule's side: for any flagged step, whether paths break the rule, how many, and the first few. */
export interface BreakingPaths {
  reaches(step: number): boolean;
  /** As PathSpace.count: PATH_COUNT_CAP + 1 for more than PATH_COUNT_CAP. */
  count(step: number): number;
  /** The first `limit`, shortest first, in flow order (the exit left out), each starting at `step` for `success-to-exit`. */
  list(step: number, limit: number): FlowPath[];
}

/**
 * One search for every step the rule asks about: rooted at the end all paths share (the entry, or
 * the exit searched backward) and asked at the finding's own end.
 */
export function breakingPaths(graph: FlowGraph, query: PathQuery): BreakingPaths {
  const fromEntry = query.ends === 'entry-to-step';
  const space = fromEntry ? pathsFromEntry(graph, query.follows) : pathsToExit(graph, query.follows);
  const askedAt = (step: number): number => {
    const { from, to } = pathEnds(graph, query, step);
    return fromEntry ? to : from;
  };
  return {
    reaches: (step) => space.reaches(askedAt(step)),
    count: (step) => space.count(askedAt(step)),
    list(step, limit) {
      const listed = space.list(askedAt(step), limit);
      return fromEntry ? listed : listed.map((rest) => prependStep({ index: step, failed: false }, rest));
    },
  };
}
