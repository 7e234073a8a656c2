/**
 * The part of the flow graph a path rule searches, with its loops collapsed. The search starts at
 * one end (the entry, or the exit searched backward) and follows the edges the rule allows; steps
 * that reach one another along those edges (a loop through `next` or `on-failure`, which PB007
 * reports) form one component, and the components form a graph without cycles, over which paths
 * can be counted and listed in linear time. Between two components, the first flow edge met (in
 * step order) stands for all of them, so a path always names the same steps.
 */
import { stronglyConnectedComponents } from '../util/scc.js';

/** An edge in the direction of the search (against the flow when searching back from the exit). */
export interface SearchEdge {
  to: number;
  /** The flow edge is a failure edge (`on-failure`). */
  failed: boolean;
}

/** The search edge that stands for all edges from one component to another. */
interface Link {
  /** Its node in the component the search comes from. */
  from: number;
  /** Its node in the component the search goes to. */
  to: number;
  /** Only a failure edge joins these two nodes. */
  failed: boolean;
}

export interface Condensation {
  /** Component of each node; −1 for nodes the search does not reach. */
  comp: Int32Array;
  /** The component of the node the search starts from. */
  root: number;
  /** Reached components in search order: each after every component with an edge into it (the root first). */
  order: Int32Array;
  /** Search successors and predecessors of each component, each named once. */
  succ: number[][];
  pred: number[][];
  /** The smallest node of each component (−1 when unreached): a stable tie-break. */
  key: Int32Array;
  /** Nodes in each component: more than one is a loop. */
  size: Int32Array;
  /** The edge that stands for the search edges from component `from` to component `to`. */
  link(from: number, to: number): Link;
}

/** `reached[n]` must mark exactly the nodes the search reaches from `root` along `edges`. */
export function condense(nodeCount: number, root: number, reached: Uint8Array, edges: readonly (readonly SearchEdge[])[]): Condensation {
  const targets = edges.map((list, n) => (reached[n] ? list.map((e) => e.to) : []));
  // Tarjan numbers a component after every component it reaches, so the search order is descending.
  const raw = stronglyConnectedComponents(nodeCount, (n) => targets[n]!);
  const count = raw.reduce((max, c) => Math.max(max, c + 1), 0);
  const comp = new Int32Array(nodeCount).fill(-1);
  const key = new Int32Array(count).fill(-1);
  const size = new Int32Array(count);
  for (let n = 0; n < nodeCount; n++) {
    if (!reached[n]) continue;
    const c = raw[n]!;
    comp[n] = c;
    if (key[c] === -1) key[c] = n;
    size[c]!++;
  }
  const succ: number[][] = Array.from({ length: count }, () => []);
  const pred: number[][] = Array.from({ length: count }, () => []);
  const links = new Map<number, Link>();
  for (let n = 0; n < nodeCount; n++) {
    if (!reached[n]) continue;
    const a = comp[n]!;
    for (const edge of edges[n]!) {
      const b = comp[edge.to]!;
      if (b === a || b < 0) continue;
      const id = a * count + b;
      const known = links.get(id);
      if (!known) {
        links.set(id, { from: n, to: edge.to, failed: edge.failed });
        succ[a]!.push(b);
        pred[b]!.push(a);
      } else if (known.from === n && known.to === edge.to && !edge.failed) {
        known.failed = false; // success and failure lead to the same step: the path is shown as a success
      }
    }
  }
  const order: number[] = [];
  for (let c = count - 1; c >= 0; c--) if (key[c] !== -1) order.push(c);
  return {
    comp,
    root: reached[root] ? comp[root]! : -1,
    order: Int32Array.from(order),
    succ,
    pred,
    key,
    size,
    link: (from, to) => links.get(from * count + to)!,
  };
}
