/**
 * Over a condensation (condensation.ts): how many paths lead from the root to each component, and
 * a tree of shortest paths from the root whose ancestors are found in logarithmic time (jump
 * pointers, one per component), so a path of thousands of steps is shown by its two ends without
 * walking it.
 */
import type { Condensation } from './condensation.js';

/** Paths from the root to each component, counted up to `cap`; `cap + 1` stands for "more than `cap`". */
export function countPaths(dag: Condensation, cap: number): Int32Array {
  const count = new Int32Array(dag.count);
  if (dag.root < 0) return count;
  count[dag.root] = 1;
  const { start, to } = dag.pred;
  // Search order is descending: every predecessor is counted before the component.
  for (let c = dag.root - 1; c >= 0; c--) {
    let sum = 0;
    for (let e = start[c]!; e < start[c + 1]!; e++) sum = Math.min(cap + 1, sum + count[to[e]!]!);
    count[c] = sum;
  }
  return count;
}

export interface PathTree {
  /** Components between the root and each component on a shortest path. */
  depth: Int32Array;
  /** The previous component on the kept shortest path (−1 for the root). */
  parent: Int32Array;
  /** Components, each after its parent. */
  order: Int32Array;
  /** The ancestor of `c` at depth `depth` (at most `c`'s own). */
  ancestorAt(c: number, depth: number): number;
}

/**
 * Breadth-first from the root. Of the predecessors on a shortest path, one joined by a success edge
 * is kept before one joined only by a failure (the path that goes as planned comes first), then the
 * one with the smallest step, so the tree does not depend on the order edges were written in.
 */
export function shortestPathTree(dag: Condensation): PathTree {
  const depth = new Int32Array(dag.count).fill(-1);
  const parent = new Int32Array(dag.count).fill(-1);
  const jump = new Int32Array(dag.count);
  const order = new Int32Array(dag.count);
  const viaFailure = new Uint8Array(dag.count);
  let tail = 0;
  if (dag.root >= 0) {
    depth[dag.root] = 0;
    jump[dag.root] = dag.root;
    order[tail++] = dag.root;
  }
  const { start, to } = dag.succ;
  // A component's predecessors one level up are all dequeued before it: its parent is settled then.
  for (let head = 0; head < tail; head++) {
    const a = order[head]!;
    if (a !== dag.root) jump[a] = jumpFrom(parent[a]!, jump, depth);
    for (let e = start[a]!; e < start[a + 1]!; e++) {
      const b = to[e]!;
      const failed = dag.succFailed[e]!;
      if (depth[b] === -1) {
        depth[b] = depth[a]! + 1;
        order[tail++] = b;
      } else if (depth[b] !== depth[a]! + 1 || (failed - viaFailure[b]! || dag.key[a]! - dag.key[parent[b]!]!) >= 0) {
        continue;
      }
      parent[b] = a;
      viaFailure[b] = failed;
    }
  }
  return {
    depth,
    parent,
    order: order.subarray(0, tail),
    ancestorAt(c, target) {
      let node = c;
      while (depth[node]! > target) node = depth[jump[node]!]! >= target ? jump[node]! : parent[node]!;
      return node;
    },
  };
}

/**
 * The jump pointer of a component whose parent is `p` (Myers, "An applicative random-access stack",
 * 1983): the parent's jump's jump when the parent's two jumps are as long as each other, else the
 * parent. Any ancestor is then reached in O(log depth) jumps.
 */
function jumpFrom(p: number, jump: Int32Array, depth: Int32Array): number {
  const j = jump[p]!;
  return depth[p]! - depth[j]! === depth[j]! - depth[jump[j]!]! ? jump[j]! : p;
}
