/** A graph as flat arrays: the successors of node n are `to[start[n]]` … `to[start[n + 1] - 1]`. */
export interface Adjacency {
  start: Int32Array;
  to: Int32Array;
}

/** Strongly connected components (Tarjan), iterative so deep graphs cannot overflow the stack. */
export function stronglyConnectedComponents(size: number, successors: (node: number) => readonly number[]): number[] {
  const lists = Array.from({ length: size }, (_, n) => successors(n).filter((w) => w >= 0 && w < size));
  const start = new Int32Array(size + 1);
  lists.forEach((list, n) => (start[n + 1] = start[n]! + list.length));
  const to = new Int32Array(start[size]!);
  lists.forEach((list, n) => to.set(list, start[n]));
  return Array.from(componentsOf({ start, to }, Array.from({ length: size }, (_, n) => n)).component);
}

/**
 * Tarjan's components of the nodes reached from `roots`, over flat arrays (no allocation per node).
 * A component is numbered after every component it reaches, so an edge between two components
 * always goes from the higher number to the lower. Nodes not reached are −1.
 */
export function componentsOf(graph: Adjacency, roots: Iterable<number>): { component: Int32Array; count: number } {
  const size = graph.start.length - 1;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const component = new Int32Array(size).fill(-1);
  const stack = new Int32Array(size);
  const workNode = new Int32Array(size);
  const workEdge = new Int32Array(size);
  let top = 0;
  let counter = 0;
  let count = 0;
  for (const root of roots) {
    if (root < 0 || root >= size || index[root] !== -1) continue;
    let depth = 0;
    workNode[0] = root;
    workEdge[0] = graph.start[root]!;
    index[root] = low[root] = counter++;
    stack[top++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const node = workNode[depth]!;
      if (workEdge[depth]! < graph.start[node + 1]!) {
        const w = graph.to[workEdge[depth]!++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[top++] = w;
          onStack[w] = 1;
          depth++;
          workNode[depth] = w;
          workEdge[depth] = graph.start[w]!;
        } else if (onStack[w]) {
          low[node] = Math.min(low[node]!, index[w]!);
        }
        continue;
      }
      depth--;
      if (depth >= 0) low[workNode[depth]!] = Math.min(low[workNode[depth]!]!, low[node]!);
      if (low[node] === index[node]) {
        let w: number;
        do {
          w = stack[--top]!;
          onStack[w] = 0;
          component[w] = count;
        } while (w !== node);
        count++;
      }
    }
  }
  return { component, count };
}

/** Shortest path from `from` to `to` using only nodes that `allowed` accepts (BFS), or undefined. */
export function shortestPath(from: number, to: number, successors: (node: number) => readonly number[], allowed: (node: number) => boolean): number[] | undefined {
  const previous = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head]!;
    for (const w of successors(n)) {
      if (previous.has(w) || !allowed(w)) continue;
      previous.set(w, n);
      if (w === to) {
        const path = [w];
        for (let p = n; p !== -1; p = previous.get(p)!) path.push(p);
        return path.reverse();
      }
      queue.push(w);
    }
  }
  return undefined;
}
