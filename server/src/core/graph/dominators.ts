/**
 * Dominator trees: node `a` dominates `b` when every path from the entry to `b` passes `a`.
 * Computed with the iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance
 * Algorithm", 2001) over reverse postorder; everything is iterative, so deep graphs cannot
 * overflow the stack, and cycles converge in a few passes.
 */
import type { FlowGraph } from './flowGraph.js';

export interface Dominators {
  /** Immediate dominator of each node; −1 for the entry and for nodes the entry does not reach. */
  idom: Int32Array;
  /** The nodes the entry reaches, in reverse postorder: the entry first, every node after its immediate dominator. */
  order: Int32Array;
  /** Whether `a` dominates `b` (a node dominates itself); false when either is unreached. Constant time. */
  dominates(a: number, b: number): boolean;
}

/** Dominator tree of the graph with nodes 0..size-1, from `entry`. Successors out of range are ignored. */
export function dominatorTree(size: number, entry: number, successors: (node: number) => readonly number[]): Dominators {
  const idom = new Int32Array(size).fill(-1);
  if (!(entry >= 0 && entry < size)) return { idom, order: new Int32Array(0), dominates: () => false };
  const inRange = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < size;
  const postorder = postorderFrom(size, entry, (n) => successors(n).filter(inRange));
  const postNumber = new Int32Array(size).fill(-1);
  postorder.forEach((node, i) => (postNumber[node] = i));
  const order = postorder.slice().reverse();
  const predecessors: number[][] = Array.from({ length: size }, () => []);
  for (const node of order) for (const next of successors(node)) if (inRange(next)) predecessors[next]!.push(node);

  // While computing, the entry is its own dominator so that `intersect` stops there.
  const dom = new Int32Array(size).fill(-1);
  dom[entry] = entry;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (postNumber[a]! < postNumber[b]!) a = dom[a]!;
      while (postNumber[b]! < postNumber[a]!) b = dom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of order) {
      if (node === entry) continue;
      let candidate = -1;
      for (const p of predecessors[node]!) {
        if (dom[p] === -1) continue; // not processed yet in this pass
        candidate = candidate === -1 ? p : intersect(p, candidate);
      }
      if (candidate !== -1 && dom[node] !== candidate) {
        dom[node] = candidate;
        changed = true;
      }
    }
  }
  for (const node of order) if (node !== entry) idom[node] = dom[node]!;
  return { idom, order, dominates: treeIntervals(size, entry, idom, order) };
}

/** The dominator tree of a flow graph from its entry (step 0); the exit node is included. */
export function computeDominators(graph: FlowGraph): Dominators {
  return dominatorTree(graph.exit + 1, 0, (n) => (n < graph.exit ? graph.out[n]!.map((e) => e.to) : []));
}

function postorderFrom(size: number, entry: number, successors: (node: number) => readonly number[]): Int32Array {
  const seen = new Uint8Array(size);
  const result: number[] = [];
  const stack: Array<{ node: number; next: readonly number[]; at: number }> = [{ node: entry, next: successors(entry), at: 0 }];
  seen[entry] = 1;
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.at < frame.next.length) {
      const w = frame.next[frame.at++]!;
      if (!seen[w]) {
        seen[w] = 1;
        stack.push({ node: w, next: successors(w), at: 0 });
      }
      continue;
    }
    stack.pop();
    result.push(frame.node);
  }
  return Int32Array.from(result);
}

/** Numbers the dominator tree depth-first so that "a dominates b" is an interval test. */
function treeIntervals(size: number, entry: number, idom: Int32Array, order: Int32Array): (a: number, b: number) => boolean {
  const children: number[][] = Array.from({ length: size }, () => []);
  for (const node of order) if (node !== entry) children[idom[node]!]!.push(node);
  const enter = new Int32Array(size).fill(-1);
  const leave = new Int32Array(size).fill(-1);
  let clock = 0;
  const stack: Array<{ node: number; at: number }> = [{ node: entry, at: 0 }];
  enter[entry] = clock++;
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    const kids = children[frame.node]!;
    if (frame.at < kids.length) {
      const child = kids[frame.at++]!;
      enter[child] = clock++;
      stack.push({ node: child, at: 0 });
      continue;
    }
    leave[frame.node] = clock++;
    stack.pop();
  }
  const known = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < size && enter[n] !== -1;
  return (a, b) => known(a) && known(b) && enter[a]! <= enter[b]! && leave[b]! <= leave[a]!;
}
