/**
 * Breadth-first searches over the flow graph that answer "which nodes can reach / be reached
 * along the allowed edges" for all nodes at once (linear time), and keep one shortest path per
 * node to show in a finding. Long paths are shown by their two ends, in constant time per path,
 * so a playbook of thousands of steps cannot make findings quadratic in size.
 */
import type { FlowEdge, FlowGraph } from './flowGraph.js';

export interface PathStep {
  index: number;
  /** The path leaves this step through its failure edge (a step that fails, a checkpoint that is denied). */
  failed: boolean;
}

/** A path of steps (the exit not included): `head`, then `omitted` steps left out, then `tail`. */
export interface FlowPath {
  head: PathStep[];
  omitted: number;
  tail: PathStep[];
}

/** Steps shown at each end of a path that is too long to show whole. */
const SHOWN_AT_EACH_END = 4;
const SHOWN_WHOLE_UP_TO = 2 * SHOWN_AT_EACH_END + 2;

export interface PathsFromEntry {
  /** Whether some path from the entry (step 0) reaches `node` along the allowed edges. */
  reaches(node: number): boolean;
  /** A shortest such path, entry first, ending with `node` itself. */
  pathTo(node: number): FlowPath;
}

export interface PathsToExit {
  /** Whether some path from `node` reaches the exit along the allowed edges (true for the exit itself). */
  reaches(node: number): boolean;
  /** A shortest such path, `node` first, the exit left out (empty for the exit). */
  pathFrom(node: number): FlowPath;
}

const UNREACHED = -2;
const ROOT = -1;

interface SearchTree {
  /** The next node toward the root on the kept path; ROOT at the root, UNREACHED when not reached. */
  link: Int32Array;
  /** Whether the kept path uses a failure edge: into the node (from the entry), or out of it (to the exit). */
  failed: Uint8Array;
  /** Edges between the node and the root on the kept path. */
  depth: Int32Array;
  /** The node at depth SHOWN_AT_EACH_END on the kept path, to find the root's end of long paths at once. */
  anchor: Int32Array;
}

/** From the entry, following the out-edges that `follows` accepts. */
export function pathsFromEntry(graph: FlowGraph, follows: (edge: FlowEdge) => boolean): PathsFromEntry {
  const tree = search(graph.exit + 1, graph.exit > 0 ? 0 : -1, (node, visit) => {
    if (node >= graph.exit) return;
    for (const edge of graph.out[node]!) if (follows(edge)) visit(edge.to, edge.kind === 'failure');
  });
  // Here `failed[n]` is about the edge into n, so a step's own flag is its successor's.
  const step = (index: number, successor: number | undefined): PathStep => ({ index, failed: successor !== undefined && tree.failed[successor] === 1 });
  const walk = (from: number, count: number): PathStep[] => {
    const nodes: number[] = [];
    for (let n = from; n >= 0 && nodes.length < count; n = tree.link[n]!) nodes.push(n);
    return nodes.reverse().map((n, i, all) => step(n, all[i + 1]));
  };
  return {
    reaches: (node) => isReached(tree, node),
    pathTo(node) {
      if (!isReached(tree, node)) return { head: [], omitted: 0, tail: [] };
      const length = tree.depth[node]! + 1;
      if (length <= SHOWN_WHOLE_UP_TO) return { head: walk(node, length), omitted: 0, tail: [] };
      const anchor = tree.anchor[node]!;
      const head = walk(anchor, SHOWN_AT_EACH_END + 1);
      head.pop(); // the anchor itself is hidden; only its flag on the previous step was needed
      return { head, omitted: length - 2 * SHOWN_AT_EACH_END, tail: walk(node, SHOWN_AT_EACH_END) };
    },
  };
}

/** To the exit, following the edges that `follows` accepts (searched backward from the exit). */
export function pathsToExit(graph: FlowGraph, follows: (edge: FlowEdge) => boolean): PathsToExit {
  const tree = search(graph.exit + 1, graph.exit, (node, visit) => {
    for (const edge of graph.in[node]!) if (follows(edge)) visit(edge.from, edge.kind === 'failure');
  });
  const walk = (from: number, count: number): PathStep[] => {
    const out: PathStep[] = [];
    for (let n = from; n >= 0 && n !== graph.exit && out.length < count; n = tree.link[n]!) out.push({ index: n, failed: tree.failed[n] === 1 });
    return out;
  };
  return {
    reaches: (node) => isReached(tree, node),
    pathFrom(node) {
      if (!isReached(tree, node)) return { head: [], omitted: 0, tail: [] };
      const length = tree.depth[node]!;
      if (length <= SHOWN_WHOLE_UP_TO) return { head: walk(node, length), omitted: 0, tail: [] };
      return { head: walk(node, SHOWN_AT_EACH_END), omitted: length - 2 * SHOWN_AT_EACH_END, tail: walk(tree.anchor[node]!, SHOWN_AT_EACH_END) };
    },
  };
}

/** `step` followed by `rest`, e.g. a changing step and a path from its successor to the exit. */
export function prependStep(step: PathStep, rest: FlowPath): FlowPath {
  return { head: [step, ...rest.head], omitted: rest.omitted, tail: rest.tail };
}

/** Every step of the path that is shown, in order. */
export function shownSteps(path: FlowPath): PathStep[] {
  return [...path.head, ...path.tail];
}

function isReached(tree: SearchTree, node: number): boolean {
  return Number.isInteger(node) && node >= 0 && node < tree.link.length && tree.link[node] !== UNREACHED;
}

/** Breadth-first search from `root`; `neighbours` calls `visit` for each allowed neighbour. */
function search(size: number, root: number, neighbours: (node: number, visit: (next: number, failed: boolean) => void) => void): SearchTree {
  const tree: SearchTree = {
    link: new Int32Array(size).fill(UNREACHED),
    failed: new Uint8Array(size),
    depth: new Int32Array(size),
    anchor: new Int32Array(size).fill(-1),
  };
  if (root < 0 || root >= size) return tree;
  tree.link[root] = ROOT;
  const queue = new Int32Array(size);
  let tail = 0;
  queue[tail++] = root;
  for (let head = 0; head < tail; head++) {
    const node = queue[head]!;
    // Parents are dequeued before their children, so a parent's anchor is already known.
    const depth = tree.depth[node]!;
    tree.anchor[node] = depth === SHOWN_AT_EACH_END ? node : depth > SHOWN_AT_EACH_END ? tree.anchor[tree.link[node]!]! : -1;
    neighbours(node, (next, failed) => {
      if (next < 0 || next >= size || tree.link[next] !== UNREACHED) return;
      tree.link[next] = node;
      tree.failed[next] = failed ? 1 : 0;
      tree.depth[next] = depth + 1;
      queue[tail++] = next;
    });
  }
  return tree;
}
