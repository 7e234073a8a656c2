/**
 * The part of the flow graph a path rule searches, with its loops collapsed. The search starts at
 * one end (the entry, or the exit searched backward) and follows the edges the rule allows; steps
 * that reach one another along those edges (a loop through `next` or `on-failure`, which PB007
 * reports) form one component, and the components form a graph without cycles, over which paths
 * can be counted and listed in linear time. Between two components, the first edge met (in step
 * order) stands for all of them, so a path always names the same steps.
 *
 * Everything is kept in flat typed arrays: a rule may build one of these per access (PB106) on a
 * playbook of thousands of steps, on every keystroke.
 */
import { componentsOf, type Adjacency } from '../util/scc.js';

/** Search edges (against the flow when searching back from the exit), with which are failure edges. */
export interface SearchGraph extends Adjacency {
  /** 1 where the flow edge is a failure edge (`on-failure`). */
  failed: Uint8Array;
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
  /** Number of components: all reached. The root's is the last; search order is descending. */
  count: number;
  /** The component of the node the search starts from (−1 when there is none). */
  root: number;
  /** Search successors and predecessors of each component, each named once. */
  succ: Adjacency;
  pred: Adjacency;
  /** For each edge of `succ`: 1 when only failure edges join the two components' chosen steps. */
  succFailed: Uint8Array;
  /** The smallest node of each component: a stable tie-break. */
  key: Int32Array;
  /** Nodes in each component: more than one is a loop. */
  size: Int32Array;
  /** The edge that stands for the search edges from component `from` to component `to`. */
  link(from: number, to: number): Link;
}

export function condense(graph: SearchGraph, root: number): Condensation {
  const nodeCount = graph.start.length - 1;
  const { component: comp, count } = componentsOf(graph, root >= 0 && root < nodeCount ? [root] : []);
  // Members of each component, in step order (a counting sort).
  const memberStart = new Int32Array(count + 1);
  for (let n = 0; n < nodeCount; n++) if (comp[n]! >= 0) memberStart[comp[n]! + 1]!++;
  for (let c = 0; c < count; c++) memberStart[c + 1]! += memberStart[c]!;
  const members = new Int32Array(memberStart[count]!);
  const fill = memberStart.slice(0, count);
  for (let n = 0; n < nodeCount; n++) if (comp[n]! >= 0) members[fill[comp[n]!]!++] = n;
  const key = new Int32Array(count);
  const size = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    key[c] = members[memberStart[c]!]!;
    size[c] = memberStart[c + 1]! - memberStart[c]!;
  }

  // One edge per pair of components: the first met, its members and their edges in step order.
  const succStart = new Int32Array(count + 1);
  const succTo = new Int32Array(graph.to.length);
  const linkFrom = new Int32Array(graph.to.length);
  const linkTo = new Int32Array(graph.to.length);
  const linkFailed = new Uint8Array(graph.to.length);
  const seenFrom = new Int32Array(count).fill(-1);
  const seenAt = new Int32Array(count);
  let links = 0;
  for (let c = 0; c < count; c++) {
    for (let m = memberStart[c]!; m < memberStart[c + 1]!; m++) {
      const n = members[m]!;
      for (let e = graph.start[n]!; e < graph.start[n + 1]!; e++) {
        const target = graph.to[e]!;
        const b = comp[target]!;
        if (b === c || b < 0) continue;
        if (seenFrom[b] !== c) {
          seenFrom[b] = c;
          seenAt[b] = links;
          succTo[links] = b;
          linkFrom[links] = n;
          linkTo[links] = target;
          linkFailed[links++] = graph.failed[e]!;
        } else if (linkFrom[seenAt[b]!] === n && linkTo[seenAt[b]!] === target && !graph.failed[e]) {
          linkFailed[seenAt[b]!] = 0; // success and failure lead to the same step: the path is shown as a success
        }
      }
    }
    succStart[c + 1] = links;
  }
  const succ = { start: succStart, to: succTo.subarray(0, links) };
  return {
    comp,
    count,
    root: count > 0 ? comp[root]! : -1,
    succ,
    pred: reversed(succ, count),
    succFailed: linkFailed.subarray(0, links),
    key,
    size,
    link(from, to) {
      for (let e = succStart[from]!; e < succStart[from + 1]!; e++) {
        if (succTo[e] === to) return { from: linkFrom[e]!, to: linkTo[e]!, failed: linkFailed[e] === 1 };
      }
      throw new RangeError(`no edge from component ${from} to ${to}`);
    },
  };
}

/** The same edges, each turned round. */
function reversed(graph: Adjacency, count: number): Adjacency {
  const start = new Int32Array(count + 1);
  for (const b of graph.to) start[b + 1]!++;
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const to = new Int32Array(graph.to.length);
  const fill = start.slice(0, count);
  for (let a = 0; a < count; a++) for (let e = graph.start[a]!; e < graph.start[a + 1]!; e++) to[fill[graph.to[e]!]!++] = a;
  return { start, to };
}
