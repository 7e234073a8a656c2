/**
 * Where a range sits in the YAML tree, said without positions: the keys leading to it and, for a
 * list item, its `id` when it has one (`steps[roll-back].to`). Steps are named by id, not index,
 * so a step inserted above or the steps reordered leave the path as it was; other list items are
 * `[]`, since what they hold (the flagged text) tells them apart better than where they stand.
 */
import { isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { findPair } from '../parse/yamlNodes.js';
import type { OffsetRange } from '../types.js';

export interface StructuralPath {
  /** `steps[roll-back].to`; '' for a range no key or item holds (the document itself). */
  path: string;
  /** The range is (inside) a key, not a value. */
  onKey: boolean;
  /** The innermost scalar holding the range, when one does. */
  scalar?: Scalar;
}

export function structuralPath(contents: unknown, range: OffsetRange): StructuralPath {
  let path = '';
  let node: unknown = contents;
  for (;;) {
    if (isMap(node)) {
      const pair = itemHolding(node.items, range, (p) => (isPair(p) ? [startOf(p.key) ?? startOf(p.value), endOf(p.value) ?? endOf(p.key)] : undefined));
      if (!pair || !isPair(pair)) return { path, onKey: false };
      path += keySegment(path, pair.key);
      if (holds(pair.key, range)) return { path, onKey: true, ...(isScalar(pair.key) ? { scalar: pair.key } : {}) };
      if (!holds(pair.value, range)) return { path, onKey: false };
      node = pair.value;
    } else if (isSeq(node)) {
      const item = itemHolding(node.items, range, (i) => [startOf(i), endOf(i)]);
      if (item === undefined) return { path, onKey: false };
      path += itemSegment(item);
      node = item;
    } else {
      return { path, onKey: false, ...(isScalar(node) ? { scalar: node } : {}) };
    }
  }
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

function endOf(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[1];
}

function holds(node: unknown, range: OffsetRange): boolean {
  const [start, end] = [startOf(node), endOf(node)];
  return start !== undefined && end !== undefined && within(start, end, range);
}

/** A range at the very end of a node is after it, unless the node itself is empty there. */
function within(start: number, end: number, range: OffsetRange): boolean {
  return start <= range.start && range.end <= end && (range.start < end || start === end);
}

/**
 * The item whose span holds the range. Items are in text order, so a binary search finds the last
 * one starting at or before the range (a list of 10,000 steps costs 14 looks per finding), and
 * the few before it are tried too in case spans nest or touch.
 */
function itemHolding<T>(items: readonly T[], range: OffsetRange, span: (item: T) => [number | undefined, number | undefined] | undefined): T | undefined {
  let low = 0;
  let high = items.length - 1;
  let last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = span(items[mid]!)?.[0];
    if (start !== undefined && start <= range.start) {
      last = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  for (let i = last; i >= 0 && i >= last - 2; i--) {
    const [start, end] = span(items[i]!) ?? [];
    if (start !== undefined && end !== undefined && within(start, end, range)) return items[i];
  }
  return undefined;
}

function keySegment(path: string, key: unknown): string {
  const name = shown(isScalar(key) ? String(key.value) : '?');
  return path ? `.${name}` : name;
}

/** A map item with an `id` (a step) is named by it; any other item by its place in the list alone. */
function itemSegment(item: unknown): string {
  const id = findPair(item, 'id')?.value;
  return isScalar(id) && typeof id.value === 'string' ? `[${shown(id.value)}]` : '[]';
}

/** A name as it is, or quoted when it holds anything a path uses (`.`, `[`, blanks). */
function shown(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}
