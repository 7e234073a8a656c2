/**
 * The paths a flow rule objects to: from the entry to a step (PB100), or from a step to the exit
 * (PB102, PB106), along the edges the rule allows. Whether a step is on such a path is one search,
 * done at once (linear). How many paths there are, and which to show, is asked only for the steps
 * a rule flags, and costs one more linear pass over the graph for all of them together.
 *
 * A path is a sequence of steps with no step twice, except that steps which reach one another
 * (a loop through `next` or `on-failure`, PB007) count as one stop: going round a loop any number
 * of times, or leaving it from another of its steps, is the same path. Two paths differ when their
 * stops differ; a success and a failure edge to the same step are one way there. Counts stop at
 * PATH_COUNT_CAP, since every branch can double them (forty in a row make a trillion); past it a
 * finding says "more than". Paths are listed shortest first (shortestPaths.ts).
 */
import { condense, type Condensation, type SearchGraph } from './condensation.js';
import type { FlowEdge, FlowGraph } from './flowGraph.js';
import { SHOWN_AT_EACH_END, SHOWN_WHOLE_UP_TO, type FlowPath, type PathStep } from './flowPaths.js';
import { countPaths, shortestPathTree, type PathTree } from './pathTree.js';
import { searchGraph } from './searchGraph.js';
import { componentAt, ShortestPaths, type ListedPath } from './shortestPaths.js';

/** Paths are counted up to this many; a count above it reads "more than 1,000". */
export const PATH_COUNT_CAP = 1000;

export interface PathSpace {
  /** Whether some allowed path joins `node` and the rule's end of the flow (true for that end itself). */
  reaches(node: number): boolean;
  /** How many such paths there are: 0 when none, PATH_COUNT_CAP + 1 for more than PATH_COUNT_CAP. */
  count(node: number): number;
  /** The first `limit` of them, shortest first, in flow order (the exit left out). */
  list(node: number, limit: number): FlowPath[];
}

/** Paths from the entry (step 0) to a node, following the out-edges that `follows` accepts. */
export function pathsFromEntry(graph: FlowGraph, follows: (edge: FlowEdge) => boolean): PathSpace {
  return pathSpace(searchGraph(graph, follows, false), graph.exit > 0 ? 0 : -1, 'from-entry');
}

/** Paths from a node to the exit, following the edges that `follows` accepts (searched backward from the exit). */
export function pathsToExit(graph: FlowGraph, follows: (edge: FlowEdge) => boolean): PathSpace {
  return pathSpace(searchGraph(graph, follows, true), graph.exit, 'to-exit');
}

type Direction = 'from-entry' | 'to-exit';

interface Analysis {
  dag: Condensation;
  tree: PathTree;
  counts: Int32Array;
  /** Built for the largest number of paths asked for so far. */
  paths?: { listed: number; finder: ShortestPaths };
}

function pathSpace(edges: SearchGraph, root: number, direction: Direction): PathSpace {
  const reached = reach(edges, root);
  let analysis: Analysis | undefined;
  const analyse = (): Analysis => {
    if (!analysis) {
      const dag = condense(edges, root);
      analysis = { dag, tree: shortestPathTree(dag), counts: countPaths(dag, PATH_COUNT_CAP) };
    }
    return analysis;
  };
  const isReached = (node: number): boolean => Number.isInteger(node) && node >= 0 && node < reached.length && reached[node] === 1;
  return {
    reaches: isReached,
    count(node) {
      if (!isReached(node)) return 0;
      const { dag, counts } = analyse();
      return counts[dag.comp[node]!]!;
    },
    list(node, limit) {
      if (!isReached(node) || limit <= 0) return [];
      const a = analyse();
      // Each component keeps one detour fewer than the paths asked for: the first path has none.
      if (!a.paths || a.paths.listed < limit) a.paths = { listed: limit, finder: new ShortestPaths(a.dag, a.tree, limit - 1) };
      return a.paths.finder.first(a.dag.comp[node]!, limit).map((path) => shownPath(a, path, node, direction));
    },
  };
}

/** Nodes reached from `root` along the search edges. */
function reach({ start, to }: SearchGraph, root: number): Uint8Array {
  const size = start.length - 1;
  const seen = new Uint8Array(size);
  if (root < 0 || root >= size) return seen;
  const stack = new Int32Array(size);
  let top = 0;
  stack[top++] = root;
  seen[root] = 1;
  while (top > 0) {
    const node = stack[--top]!;
    for (let e = start[node]!; e < start[node + 1]!; e++) {
      if (seen[to[e]!]) continue;
      seen[to[e]!] = 1;
      stack[top++] = to[e]!;
    }
  }
  return seen;
}

/** The path's stops turned into steps, in flow order; a long path shows only its two ends. */
function shownPath({ dag, tree }: Analysis, path: ListedPath, node: number, direction: Direction): FlowPath {
  const fromEntry = direction === 'from-entry';
  // In flow order; searching back from the exit, the exit is the path's last component and no step.
  const stops = fromEntry ? path.length : path.length - 1;
  // Each stop is asked for by itself and by its two neighbours: found once.
  const found = new Map<number, number>();
  const compAt = (i: number): number => {
    let c = found.get(i);
    if (c === undefined) found.set(i, (c = componentAt(tree, path, fromEntry ? i : path.length - 1 - i)));
    return c;
  };
  /** The flow edge from the stop at `i` to the one after it: the step it leaves, the step it enters. */
  const edgeAfter = (i: number): { leaves: number; enters: number; failed: boolean } => {
    if (fromEntry) {
      const link = dag.link(compAt(i), compAt(i + 1));
      return { leaves: link.from, enters: link.to, failed: link.failed };
    }
    const link = dag.link(compAt(i + 1), compAt(i));
    return { leaves: link.to, enters: link.from, failed: link.failed };
  };
  const stepsOf = (i: number): PathStep[] => {
    const enters = i === 0 ? (fromEntry ? 0 : node) : edgeAfter(i - 1).enters;
    const last = fromEntry && i === stops - 1;
    const out = last ? { leaves: node, failed: false } : edgeAfter(i);
    if (dag.size[compAt(i)]! === 1) return [{ index: enters, failed: out.failed }];
    if (enters === out.leaves) return [{ index: enters, failed: out.failed, loop: true }];
    return [{ index: enters, failed: false, loop: true }, { index: out.leaves, failed: out.failed }];
  };
  const range = (from: number, to: number): PathStep[] => {
    const out: PathStep[] = [];
    for (let i = from; i < to; i++) out.push(...stepsOf(i));
    return out;
  };
  if (stops <= SHOWN_WHOLE_UP_TO) return { head: range(0, stops), omitted: 0, tail: [] };
  return { head: range(0, SHOWN_AT_EACH_END), omitted: stops - 2 * SHOWN_AT_EACH_END, tail: range(stops - SHOWN_AT_EACH_END, stops) };
}
