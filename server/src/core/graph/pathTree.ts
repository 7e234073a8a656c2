/**
 * Over a condensation (condensation.ts): how many paths lead from the root to each component, and
 * a tree of shortest paths from the root, whose ancestors are found in logarithmic time, so a path
 * of thousands of steps is shown by its two ends without walking it.
 */
import type { Condensation } from './condensation.js';

/** Paths from the root to each component, counted up to `cap`; `cap + 1` stands for "more than `cap`". */
export function countPaths(dag: Condensation, cap: number): Int32Array {
  const count = new Int32Array(dag.key.length);
  if (dag.root < 0) return count;
  count[dag.root] = 1;
  for (const c of dag.order) {
    if (c === dag.root) continue;
    let sum = 0;
    for (const p of dag.pred[c]!) sum = Math.min(cap + 1, sum + count[p]!);
    count[c] = sum;
  }
  return count;
}

export interface PathTree {
  /** Components between the root and each component on a shortest path (−1: unreached). */
  depth: Int32Array;
  /** The previous component on the kept shortest path (−1 for the root and unreached ones). */
  parent: Int32Array;
  /** Reached components, each after its parent. */
  order: Int32Array;
  /** The ancestor of `c` at depth `depth` (at most `c`'s own). */
  ancestorAt(c: number, depth: number): number;
}

/**
 * Breadth-first from the root. Of the predecessors on a shortest path, the one with the smallest
 * step is kept, so the tree does not depend on the order edges were written in.
 */
export function shortestPathTree(dag: Condensation): PathTree {
  const size = dag.key.length;
  const depth = new Int32Array(size).fill(-1);
  const parent = new Int32Array(size).fill(-1);
  const queue = new Int32Array(size);
  let tail = 0;
  if (dag.root >= 0) {
    depth[dag.root] = 0;
    queue[tail++] = dag.root;
  }
  // A component's predecessors one level up are all dequeued before it: its parent is settled then.
  for (let head = 0; head < tail; head++) {
    const a = queue[head]!;
    for (const b of dag.succ[a]!) {
      if (depth[b] === -1) {
        depth[b] = depth[a]! + 1;
        parent[b] = a;
        queue[tail++] = b;
      } else if (depth[b] === depth[a]! + 1 && dag.key[a]! < dag.key[parent[b]!]!) {
        parent[b] = a;
      }
    }
  }
  const order = queue.slice(0, tail);
  let jumps: Int32Array[] | undefined;
  return {
    depth,
    parent,
    order,
    ancestorAt(c, target) {
      jumps ??= liftingTable(parent, depth, order);
      let node = c;
      for (let up = depth[node]! - target, level = 0; up > 0; up >>= 1, level++) if (up & 1) node = jumps[level]![node]!;
      return node;
    },
  };
}

/** Binary lifting: row k holds each component's ancestor 2^k levels up (itself at the root). */
function liftingTable(parent: Int32Array, depth: Int32Array, order: Int32Array): Int32Array[] {
  const deepest = order.reduce((max, c) => Math.max(max, depth[c]!), 0);
  const first = new Int32Array(parent.length);
  for (const c of order) first[c] = parent[c]! < 0 ? c : parent[c]!;
  const rows = [first];
  for (let span = 2; span <= deepest; span *= 2) {
    const previous = rows[rows.length - 1]!;
    const row = new Int32Array(parent.length);
    for (const c of order) row[c] = previous[previous[c]!]!;
    rows.push(row);
  }
  return rows;
}
