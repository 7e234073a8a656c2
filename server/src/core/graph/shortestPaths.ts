/**
 * The first few paths from the root to a component of a condensation, shortest first, without
 * enumerating the rest (after Eppstein, "Finding the k shortest paths", 1998, on a graph without
 * cycles). Every path is the tree's shortest path (pathTree.ts) with some detours: a detour is an
 * edge p → w that is not w's tree edge, and costs the components it adds. A path is the list of its
 * detours, the one nearest the target first; each component keeps the few cheapest detours on its
 * own tree path, so the next path is found in time proportional to the number asked for.
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
  /** Per component, `keep` slots of the cheapest detours on its tree path, best first: w, p and cost. */
  private readonly w: Int32Array;
  private readonly p: Int32Array;
  private readonly cost: Int32Array;
  private readonly length: Uint8Array;

  constructor(private readonly dag: Condensation, private readonly tree: PathTree, private readonly keep: number) {
    const { depth, parent } = tree;
    const size = dag.count * keep;
    [this.w, this.p, this.cost] = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
    this.length = new Uint8Array(dag.count);
    if (keep <= 0) return;
    const { start, to } = dag.pred;
    for (const w of tree.order) {
      const up = parent[w]!;
      // A component's tree path is its parent's and one more: the parent's detours hold here too.
      if (up >= 0) {
        for (let i = 0; i < this.length[up]!; i++) {
          this.w[w * keep + i] = this.w[up * keep + i]!;
          this.p[w * keep + i] = this.p[up * keep + i]!;
          this.cost[w * keep + i] = this.cost[up * keep + i]!;
        }
        this.length[w] = this.length[up]!;
      }
      for (let e = start[w]!; e < start[w + 1]!; e++) {
        const p = to[e]!;
        if (p !== up) this.insert(w, w, p, depth[p]! + 1 - depth[w]!);
      }
    }
  }

  /** Up to `limit` paths from the root to component `target`, shortest first; ties in a fixed order. */
  first(target: number, limit: number): ListedPath[] {
    if (limit <= 0 || this.tree.depth[target]! < 0) return [];
    const out = [this.describe([], target)];
    const queue: Candidate[] = [];
    let serial = 0;
    const offer = (prefix: Detour[], owner: number, at: number, base: number): void => {
      const detour = this.detour(owner, at);
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

  private detour(owner: number, at: number): Detour | undefined {
    if (at >= this.length[owner]!) return undefined;
    const slot = owner * this.keep + at;
    return { w: this.w[slot]!, p: this.p[slot]!, cost: this.cost[slot]! };
  }

  /** Puts detour p → w (of `cost`) in its place in `owner`'s list, if it is among the `keep` best. */
  private insert(owner: number, w: number, p: number, cost: number): void {
    const base = owner * this.keep;
    let at = this.length[owner]!;
    if (at === this.keep) {
      if (!this.before(w, p, cost, base + at - 1)) return;
      at--;
    } else {
      this.length[owner]!++;
    }
    for (; at > 0 && this.before(w, p, cost, base + at - 1); at--) {
      this.w[base + at] = this.w[base + at - 1]!;
      this.p[base + at] = this.p[base + at - 1]!;
      this.cost[base + at] = this.cost[base + at - 1]!;
    }
    this.w[base + at] = w;
    this.p[base + at] = p;
    this.cost[base + at] = cost;
  }

  /** Whether detour p → w of `cost` goes before the one in `slot`: cheaper, then by step order. */
  private before(w: number, p: number, cost: number, slot: number): boolean {
    const { key } = this.dag;
    return (cost - this.cost[slot]! || key[w]! - key[this.w[slot]!]! || key[p]! - key[this.p[slot]!]!) < 0;
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
