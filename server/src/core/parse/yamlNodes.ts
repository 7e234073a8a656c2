/** Small, total helpers over eemeli/yaml nodes: none of them throws on unexpected shapes. */
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { OffsetRange } from '../types.js';

export function nodeRange(node: Node | null | undefined, fallback: OffsetRange = { start: 0, end: 0 }): OffsetRange {
  const r = node?.range;
  if (!r) return fallback;
  return { start: r[0], end: r[1] };
}

/**
 * The pair of `key` in `map`. A key written twice is a PB001 error, and the plain data the schema
 * reads keeps the last value, so every reader takes the last one too.
 */
export function findPair(map: unknown, key: string): Pair<Scalar, unknown> | undefined {
  if (!isMap(map)) return undefined;
  for (let i = map.items.length - 1; i >= 0; i--) {
    const item = map.items[i];
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair<Scalar, unknown>;
  }
  return undefined;
}

export function getNode(map: unknown, key: string): Node | undefined {
  const value = findPair(map, key)?.value;
  return value == null ? undefined : (value as Node);
}

/** The text of a scalar as written (so `1.10` stays `1.10`, not the number 1.1). */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'object') return undefined;
  const src = (node as Scalar & { source?: string }).source;
  return typeof src === 'string' && typeof node.value !== 'string' ? src : String(node.value);
}

export interface ListItem {
  value: string;
  node: Node;
}

/** String items of a sequence (a lone scalar counts as a one-item list). */
export function stringItems(node: unknown): ListItem[] {
  if (isSeq(node)) {
    const out: ListItem[] = [];
    for (const item of node.items) {
      const value = scalarText(item);
      if (value !== undefined) out.push({ value, node: item as Node });
    }
    return out;
  }
  const value = scalarText(node);
  return value === undefined ? [] : [{ value, node: node as Node }];
}

/** The pairs of a map by key; a repeated key (PB001) keeps its last pair, as the schema's data does. */
export function pairsByKey(map: unknown): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  if (!isMap(map)) return pairs;
  for (const item of map.items) if (isPair(item) && isScalar(item.key)) pairs.set(String(item.key.value), item);
  return pairs;
}

export function mapKeys(map: unknown): Array<{ key: string; pair: Pair }> {
  if (!isMap(map)) return [];
  const out: Array<{ key: string; pair: Pair }> = [];
  for (const item of (map).items) {
    if (isPair(item) && isScalar(item.key)) out.push({ key: String(item.key.value), pair: item });
  }
  return out;
}

/** The part of `range` on its first line, for findings about a whole map (never the whole document). */
export function firstLineOf(range: OffsetRange, text: string): OffsetRange {
  const newline = text.indexOf('\n', range.start);
  const end = newline === -1 || newline > range.end ? range.end : newline;
  return { start: range.start, end: Math.max(range.start, end > range.start && text[end - 1] === '\r' ? end - 1 : end) };
}
