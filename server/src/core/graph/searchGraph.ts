/**
 * The edges a path rule follows, as flat arrays (condensation.ts's SearchGraph): the flow graph's
 * edges are laid out once per graph, each way round, and every search (one per rule, one per access
 * for PB106) keeps the ones it allows without building objects.
 */
import type { SearchGraph } from './condensation.js';
import type { FlowEdge, FlowGraph } from './flowGraph.js';
import type { Adjacency } from '../util/scc.js';

/** The flow graph's edges as flat arrays, each way round, made once per graph and shared by every rule. */
interface FlatEdges {
  /** By source, in step order (success first); the same edges by target, sources in step order. */
  forward: Adjacency & { edge: FlowEdge[] };
  backward: Adjacency & { edge: FlowEdge[] };
}

const flatEdges = new WeakMap<FlowGraph, FlatEdges>();

function flatten(graph: FlowGraph): FlatEdges {
  let flat = flatEdges.get(graph);
  if (!flat) {
    const size = graph.exit + 1;
    const forward = { start: new Int32Array(size + 1), to: new Int32Array(0), edge: [] as FlowEdge[] };
    const byTarget = Array.from({ length: size }, () => 0);
    for (let n = 0; n < graph.exit; n++) {
      for (const e of graph.out[n]!) {
        forward.edge.push(e);
        byTarget[e.to]!++;
      }
      forward.start[n + 1] = forward.edge.length;
    }
    forward.start[size] = forward.edge.length;
    forward.to = Int32Array.from(forward.edge, (e) => e.to);
    const backward = { start: new Int32Array(size + 1), to: new Int32Array(forward.edge.length), edge: new Array<FlowEdge>(forward.edge.length) };
    byTarget.forEach((count, n) => (backward.start[n + 1] = backward.start[n]! + count));
    const fill = backward.start.slice(0, size);
    for (const e of forward.edge) {
      const at = fill[e.to]!++;
      backward.to[at] = e.from;
      backward.edge[at] = e;
    }
    flat = { forward, backward };
    flatEdges.set(graph, flat);
  }
  return flat;
}

/** The allowed edges, turned round when searching back from the exit; in step order, success first. */
export function searchGraph(graph: FlowGraph, follows: (edge: FlowEdge) => boolean, backward: boolean): SearchGraph {
  const all = backward ? flatten(graph).backward : flatten(graph).forward;
  const size = all.start.length - 1;
  const allowed = new Uint8Array(all.edge.length);
  const start = new Int32Array(size + 1);
  for (let n = 0; n < size; n++) {
    let kept = 0;
    for (let e = all.start[n]!; e < all.start[n + 1]!; e++) if ((allowed[e] = follows(all.edge[e]!) ? 1 : 0)) kept++;
    start[n + 1] = start[n]! + kept;
  }
  const to = new Int32Array(start[size]!);
  const failed = new Uint8Array(start[size]!);
  for (let e = 0, at = 0; e < allowed.length; e++) {
    if (!allowed[e]) continue;
    to[at] = all.to[e]!;
    failed[at++] = all.edge[e]!.kind === 'failure' ? 1 : 0;
  }
  return { start, to, failed };
}
