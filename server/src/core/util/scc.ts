/** Strongly connected components (Tarjan), iterative so deep graphs cannot overflow the stack. */
export function stronglyConnectedComponents(size: number, successors: (node: number) => readonly number[]): number[] {
  const index = new Array<number>(size).fill(-1);
  const low = new Array<number>(size).fill(0);
  const onStack = new Array<boolean>(size).fill(false);
  const component = new Array<number>(size).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < size; root++) {
    if (index[root] !== -1) continue;
    const work: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = successors(frame.node);
      if (frame.next < succ.length) {
        const w = succ[frame.next++]!;
        if (w < 0 || w >= size) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ node: w, next: 0 });
        } else if (onStack[w]) low[frame.node] = Math.min(low[frame.node]!, index[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === index[frame.node]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== frame.node);
        components++;
      }
    }
  }
  return component;
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
