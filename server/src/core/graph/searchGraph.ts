/**
 * The edges a path rule follows, as flat arrays (condensation.ts's SearchGraph), in two passes over
 * the flow graph and without an object per edge: a search is built per rule, and per access for
 * PB106, on every keystroke.
 */
import type { SearchGraph } from './condensation.js';
import type { FlowEdge, FlowGraph } from './flowGraph.js';

/** The edges `follows` accepts, turned round when searching back from the exit; in step order, success first. */
export function searchGraph(graph: FlowGraph, follows: (edge: FlowEdge) => boolean, backward: boolean): SearchGraph {
  const size = graph.exit + 1;
  let total = 0;
  for (let n = 0; n < graph.exit; n++) total += graph.out[n]!.length;
  const allowed = new Uint8Array(total);
  const start = new Int32Array(size + 1);
  let kept = 0;
  for (let n = 0, e = 0; n < graph.exit; n++) {
    for (const edge of graph.out[n]!) {
      if (follows(edge)) {
        allowed[e] = 1;
        start[(backward ? edge.to : n) + 1]!++;
        kept++;
      }
      e++;
    }
  }
  for (let n = 0; n < size; n++) start[n + 1]! += start[n]!;
  const out: SearchGraph = { start, to: new Int32Array(kept), failed: new Uint8Array(kept) };
  const fill = start.slice(0, size);
  // Sources are met in step order, so each node's edges keep that order, the success edge first.
  for (let n = 0, e = 0; n < graph.exit; n++) {
    for (const edge of graph.out[n]!) {
      if (allowed[e++]) {
        const at = fill[backward ? edge.to : n]!++;
        out.to[at] = backward ? n : edge.to;
        out.failed[at] = edge.kind === 'failure' ? 1 : 0;
      }
    }
  }
  return out;
}
