/**
 * The first few paths from the root to a component of a condensation, shortest first, without
 * enumerating the rest (after Eppstein, "Finding the k shortest paths", 1998, on a graph without
 * cycles). Every path is the tree's shortest path (pathTree.ts) with some detours: a detour is an
 * edge p → w that is not w's tree edge, and costs the extra components it takes. A path is the list
 * of its detours, the one nearest the target first; each component keeps the few cheapest detours
 * on its own tree path, so the next path is found in time proportional to the number asked for.
 *
 * A path is returned as pieces of the tree in search order: the tree path from `top` down to `bottom`.
 */
import type { Condensation } from './condensation.js';
import type { PathTree } from './pathTree.js';

interface Detour {
  /** The component the detour leads to, on the tree path of the component it belongs to. */
  w: number;
  /** The component it comes from, where the tree is followed back to the root. */
  p: number;
  /** Components it adds to the path. */
  cost: number;
}

interface Piece {
  top: number;
  bottom: number;
}

export interface ListedPath {
  /** Tree paths, root side first; together they run from the root to the target. */
  pieces: Piece[];
  /** Components on the path. */
  length: number;
}

interface Candidate {
  detours: Detour[];
  /** The component whose list the last detour was taken from, and its place there. */
  owner: number;
  at: number;
  cost: number;
  serial: number;
}

export class ShortestPaths {
  /** Per component: the cheapest detours on its tree path, at most `keep`, best first. */
  private readonly lists: Detour[][];

  constructor(private readonly dag: Condensation, private readonly tree: PathTree, keep: number) {
    const { depth, parent } = tree;
    const better = (a: Detour, b: Detour): number => a.cost - b.cost || dag.key[a.w]! - dag.key[b.w]! || dag.key[a.p]! - dag.key[b.p]!;
    this.lists = Array.from({ length: dag.key.length }, () => []);
    for (const w of tree.order) {
      const own = dag.pred[w]!.filter((p) => p !== parent[w]).map((p) => ({ w, p, cost: depth[p]! + 1 - depth[w]! }));
      const inherited = parent[w]! < 0 ? [] : this.lists[parent[w]!]!;
      this.lists[w] = [...inherited, ...own].sort(better).slice(0, keep);
    }
  }

  /** Up to `limit` paths from the root to component `target`, shortest first; ties in a fixed order. */
  first(target: number, limit: number): ListedPath[] {
    const { depth } = this.tree;
    if (limit <= 0 || depth[target]! < 0) return [];
    const out = [this.describe([], target)];
    const queue: Candidate[] = [];
    let serial = 0;
    const offer = (prefix: Detour[], owner: number, at: number, base: number): void => {
      const detour = this.lists[owner]![at];
      if (detour) queue.push({ detours: [...prefix, detour], owner, at, cost: base + detour.cost, serial: serial++ });
    };
    offer([], target, 0, 0);
    while (out.length < limit && queue.length) {
      let best = 0;
      for (let i = 1; i < queue.length; i++) {
        const [a, b] = [queue[i]!, queue[best]!];
        if (a.cost < b.cost || (a.cost === b.cost && a.serial < b.serial)) best = i;
      }
      const next = queue.splice(best, 1)[0]!;
      out.push(this.describe(next.detours, target));
      const last = next.detours[next.detours.length - 1]!;
      // The same place with the list's next detour, and this path with one more detour after it.
      offer(next.detours.slice(0, -1), next.owner, next.at + 1, next.cost - last.cost);
      offer(next.detours, last.p, 0, next.cost);
    }
    return out;
  }

  private describe(detours: readonly Detour[], target: number): ListedPath {
    const { depth } = this.tree;
    const pieces: Piece[] = [];
    let bottom = target;
    for (const detour of detours) {
      pieces.push({ top: detour.w, bottom });
      bottom = detour.p;
    }
    pieces.push({ top: this.dag.root, bottom });
    pieces.reverse();
    return { pieces, length: pieces.reduce((sum, piece) => sum + depth[piece.bottom]! - depth[piece.top]! + 1, 0) };
  }
}

/** The component at `position` (0: the root, `length - 1`: the target) of a listed path. */
export function componentAt(tree: PathTree, path: ListedPath, position: number): number {
  let at = Math.max(0, position);
  for (const { top, bottom } of path.pieces) {
    const length = tree.depth[bottom]! - tree.depth[top]! + 1;
    if (at < length) return tree.ancestorAt(bottom, tree.depth[top]! + at);
    at -= length;
  }
  return path.pieces[path.pieces.length - 1]!.bottom;
}
