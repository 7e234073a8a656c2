/**
 * Structural edits to YAML maps and lists as text edits at offsets: a key added at the column of its
 * siblings, an item appended in the list's own style (block or flow), a pair removed with its line.
 * The document is never re-serialised, so comments and formatting around the edit stay as written.
 */
import { isMap, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { nodeRange } from '../../parse/yamlNodes.js';
import type { TextEdit } from '../types.js';
import { columnOf, linesAfter, lineStart, lineBreakAfter, spaces } from './text.js';

export function keyStart(pair: Pair): number {
  return nodeRange(pair.key as Node).start;
}

/** Where a pair's written text ends (its value, or its key when the value is empty). */
export function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  return value?.range ? value.range[1] : nodeRange(pair.key as Node).end;
}

/** True for a map or list written in flow style (`{…}`, `[…]`). */
export function isFlow(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && (node as { flow?: boolean }).flow === true;
}

/** Adds `key: value` to a map, after `after` (default: its last pair). */
export function addPair(text: string, map: YAMLMap, key: string, value: string, after?: Pair): TextEdit | undefined {
  const anchor = after ?? (map.items[map.items.length - 1]);
  if (isFlow(map)) {
    if (!anchor) return { range: at(nodeRange(map).start + 1), newText: `${key}: ${value}` };
    return { range: at(pairEnd(anchor)), newText: `, ${key}: ${value}` };
  }
  const first = map.items[0];
  if (!anchor || !first) return undefined;
  return linesAfter(text, pairEnd(anchor), [`${spaces(columnOf(text, keyStart(first)))}${key}: ${value}`]);
}

/** Adds `key: value` under a key whose value is empty (`owners:` with nothing below it). */
export function addPairUnderEmptyKey(text: string, pair: Pair, key: string, value: string, indentUnit: number): TextEdit {
  const column = columnOf(text, keyStart(pair)) + indentUnit;
  return linesAfter(text, nodeRange(pair.key as Node).end, [`${spaces(column)}${key}: ${value}`]);
}

/** Appends an item to a list, in its own style; a lone scalar becomes a flow list of both. */
export function appendItem(text: string, list: Node, item: string): TextEdit | undefined {
  const range = nodeRange(list);
  if (!isSeq(list)) {
    if (!list.range) return undefined;
    return { range, newText: `[${text.slice(range.start, range.end)}, ${item}]` };
  }
  const seq = list;
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (isFlow(seq)) {
    return last ? { range: at(nodeRange(last).end), newText: `, ${item}` } : { range: at(range.start + 1), newText: item };
  }
  const first = seq.items[0] as Node | undefined;
  if (!first || !last) return undefined;
  const dash = text.lastIndexOf('-', nodeRange(first).start);
  return linesAfter(text, nodeRange(last).end, [`${spaces(columnOf(text, dash))}- ${item}`]);
}

/**
 * Removes a pair from a map: its whole line(s) in a block map, or the pair and one separating comma
 * in a flow map. Undefined when the pair shares the `- ` line of a list item and nothing follows it.
 */
export function removePair(text: string, map: YAMLMap, pair: Pair): TextEdit | undefined {
  const index = map.items.indexOf(pair);
  const start = keyStart(pair);
  const following = map.items[index + 1];
  if (isFlow(map)) {
    const previous = map.items[index - 1];
    if (previous) return { range: { start: pairEnd(previous), end: pairEnd(pair) }, newText: '' };
    return { range: { start, end: following ? keyStart(following) : pairEnd(pair) }, newText: '' };
  }
  const lineOffset = lineStart(text, start);
  if (text.slice(lineOffset, start).trim() === '') {
    const after = lineBreakAfter(text, pairEnd(pair));
    return { range: { start: lineOffset, end: after.offset }, newText: '' };
  }
  // The pair sits on the `- ` line: pull the next pair up onto it.
  return following ? { range: { start, end: keyStart(following) }, newText: '' } : undefined;
}

function at(offset: number): { start: number; end: number } {
  return { start: offset, end: offset };
}
