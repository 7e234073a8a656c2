/**
 * Paths through a flow graph by brute force, knowing nothing of the linear algorithms: loops found
 * by pairwise reachability, every path enumerated. A path is a sequence of stops (steps that reach
 * one another along allowed edges are one stop, named by their lowest index).
 */
import type { FlowEdge, FlowGraph } from '../../../server/src/core/graph/flowGraph.js';

/** For each node, the nodes it reaches along allowed edges (itself included). */
export function reachSets(g: FlowGraph, follows: (e: FlowEdge) => boolean): Array<Set<number>> {
  const succ = (n: number): number[] => (n < g.exit ? g.out[n]!.filter(follows).map((e) => e.to) : []);
  return Array.from({ length: g.exit + 1 }, (_, start) => {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length) for (const w of succ(stack.pop()!)) if (!seen.has(w)) { seen.add(w); stack.push(w); }
    return seen;
  });
}

/** The stop of each node: the lowest index among the nodes it reaches and is reached from. */
export function stopOf(reaches: ReadonlyArray<Set<number>>): (node: number) => number {
  return (n) => Math.min(...[...reaches[n]!].filter((m) => reaches[m]!.has(n)));
}

/** The stops of every path between `from` and `to` along allowed edges, loops collapsed. */
export function bruteForce(g: FlowGraph, follows: (e: FlowEdge) => boolean, from: number, to: number): number[][] {
  const succ = (n: number): number[] => (n < g.exit ? g.out[n]!.filter(follows).map((e) => e.to) : []);
  const reaches = reachSets(g, follows);
  const loopOf = stopOf(reaches);
  const out: number[][] = [];
  const walk = (node: number, stops: number[]): void => {
    const stop = loopOf(node);
    const path = stops[stops.length - 1] === stop ? stops : [...stops, stop];
    if (stop === loopOf(to)) {
      out.push(path);
      return;
    }
    // Within a stop, every member is a way on; a path is named by its stops only.
    for (const member of reaches[node]!) {
      if (loopOf(member) !== stop) continue;
      for (const next of succ(member)) if (loopOf(next) !== stop && reaches[next]!.has(to)) walk(next, path);
    }
  };
  if (reaches[from]!.has(to)) walk(from, []);
  return [...new Map(out.map((p) => [p.join(' '), p])).values()];
}
