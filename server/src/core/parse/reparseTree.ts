/**
 * What both incremental re-parses (one step, one top-level block) do to the previous tree around
 * the part they parse again: move the ranges of its ancestors, and refuse parts whose meaning
 * reaches outside them (anchors and aliases).
 */
import type { Node, Range } from 'yaml';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { treeShape } from './nesting.js';

/** The part of the old text an edit fell in: [start, end), the `index`th item of its list or map. */
export interface Chunk {
  index: number;
  start: number;
  end: number;
}

/**
 * The range of an ancestor of the re-parsed part (the document, the root map, the steps list) in
 * the new text. Positions up to `keep` (the part's first character: its dash or its key) stay. An
 * ancestor that ends with the part ends where the part's own parse says it does (`own`), since that
 * depends only on the part and the line after it. Other positions after the chunk move with the
 * edit; one inside the chunk is unexpected: undefined.
 */
export function movedRange(range: Range, chunk: Chunk, keep: number, delta: number, endsHere: boolean, own: Range | undefined): Range | undefined {
  if (endsHere && !own) return undefined;
  const out = [...range] as Range;
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    if (p <= keep) continue;
    if (endsHere && i > 0) out[i] = own![i]!;
    else if (p >= chunk.end) out[i] = p + delta;
    else return undefined;
  }
  return out;
}

/** `range` moved by `offset` (a part parsed alone, placed back at its offset in the text). */
export function offsetRange(range: Range | null | undefined, offset: number): Range | undefined {
  return range ? (range.map((p) => p + offset) as Range) : undefined;
}

/** Whether the tree under `root` holds an anchor or an alias (one walk: nesting.ts `treeShape`, with no depth limit). */
export function hasAnchorOrAlias(root: Node): boolean {
  return treeShape(root, Infinity).anchorOrAlias;
}

export function sameLimits(a: Limits, b: Limits): boolean {
  return (Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>).every((key) => a[key] === b[key]);
}
