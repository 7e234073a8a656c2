/**
 * Where the cursor is, read from the text around it rather than from the parsed document: while a
 * line is being typed (`    act`, `  - `, `    to: 2.`) the document often does not parse, or
 * parses into something else. The enclosing keys come from indentation: walking up from the
 * cursor, each less indented `key:` opens the map or list the cursor is in, and each `- ` marker
 * to the left of the current column opens a list item.
 */
import type { OffsetRange } from '../../types.js';
import { commentStart, lineIndexAt, lineShape, lineText, sourceLines, withoutComment, type LineShape, type SourceLines } from './lines.js';

/** A key, or `[]` for an item of a list. */
export type Segment = string;
export const ITEM: Segment = '[]';

export interface CursorContext {
  /** Typing a key of a map, or a value (after `key:`, or as an item of that key's list). */
  kind: 'key' | 'value';
  /** The keys from the root to the map the key (or the key whose value is typed) sits in. */
  container: Segment[];
  /** For a value: the key it belongs to. */
  key?: string;
  /** For a value: it is one item of a list (`[a, |]` or a `- ` line under the key). */
  listItem: boolean;
  /** For a value in a `[...]` list: the other items written there. */
  written: string[];
  /** Keys written in the container map, with their values as written on their line. */
  siblings: Map<string, string>;
  /** Keys of the step the cursor is in, when it is in one. */
  step?: Map<string, string>;
  /** The word being typed: what a completion replaces. */
  word: OffsetRange;
  /** The word follows a `:` or `-` with no space: an insertion must start with one. */
  needsSpace: boolean;
  /** A `- ` marker is right before the key: it starts a new list item. */
  startsItem: boolean;
  /** A colon already follows the key being typed: insert the bare name. */
  colonFollows: boolean;
}

interface Level {
  kind: 'map' | 'seq';
  column: number;
  keys: Map<string, string>;
}

/** Characters of a word being typed: anything but whitespace and YAML punctuation. */
const WORD_CHAR = /[^\s,[\]{}:#"'`]/;

export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const lines = sourceLines(text);
  const index = lineIndexAt(lines, offset);
  const lineStart = lines.starts[index]!;
  const line = lineText(lines, index);
  const column = Math.min(Math.max(0, offset - lineStart), line.length);
  const before = line.slice(0, column);
  if (commentStart(before) < before.length) return undefined;
  const shape = lineShape(line);
  const isValue = shape.key !== undefined && column >= shape.colonEnd!;
  const onLine = isValue ? valueOnLine(line, column, shape) : keyOnLine(line, column, shape);
  if (!onLine) return undefined;

  const levels: Level[] = [{ kind: 'map', column: onLine.mapColumn, keys: new Map() }];
  const segments: Segment[] = [];
  for (const d of [...shape.dashes].reverse()) if (d < levels.at(-1)!.column) open(levels, segments, 'seq', d);
  for (let i = index - 1; i >= 0; i--) {
    const above = lineShape(lineText(lines, i));
    if (!above.blank && !visitAbove(above, levels, segments)) return undefined;
  }
  collectBelow(lines, index, levels);

  let container = [...segments].reverse();
  let kind: CursorContext['kind'] = isValue ? 'value' : 'key';
  let key = isValue ? shape.key : undefined;
  let listItem = onLine.listItem;
  let written = onLine.written;
  // `- word` under a key that is not `steps`: an item of that key's list, not a key of a map.
  if (!isValue && shape.dashes.length > 0 && container.at(-1) === ITEM && container.length >= 2 && !(container.length === 2 && container[0] === 'steps')) {
    kind = 'value';
    key = container.at(-2);
    listItem = true;
    container = container.slice(0, -2);
    written = blockListItems(lines, index, shape.dashes.at(-1)!);
  }
  const levelAt = (depth: number): Level | undefined => levels[levels.length - 1 - depth];
  const inStep = container.length >= 2 && container[0] === 'steps' && container[1] === ITEM;
  const word = { start: lineStart + onLine.wordStart, end: lineStart + wordEnd(line, column) };
  return {
    kind,
    container,
    key,
    listItem,
    written,
    siblings: levelAt(container.length)?.keys ?? new Map(),
    step: inStep ? levelAt(2)?.keys : undefined,
    word,
    needsSpace: onLine.wordStart > 0 && /[:-]/.test(line[onLine.wordStart - 1]!),
    startsItem: kind === 'key' && shape.dashes.length > 0,
    colonFollows: kind === 'key' && /^[ \t]*:/.test(line.slice(word.end - lineStart)),
  };
}

interface OnLine {
  /** Column of the keys of the map the cursor's key (or value's key) belongs to. */
  mapColumn: number;
  wordStart: number;
  listItem: boolean;
  written: string[];
}

/** The cursor is on a key (or on an empty line or item, where a key may start). */
function keyOnLine(line: string, column: number, shape: LineShape): OnLine | undefined {
  const empty = shape.blank && line.slice(column).trim() === '';
  if (!empty && column < shape.contentColumn) return undefined; // in the indentation of a written line
  const contentStart = empty ? column : shape.contentColumn;
  const wordStart = wordStartFrom(line, column, contentStart);
  const typed = line.slice(contentStart, wordStart);
  if (typed !== '' && typed !== '"' && typed !== "'") return undefined; // inside a plain scalar with spaces
  return { mapColumn: contentStart, wordStart, listItem: false, written: [] };
}

/** The cursor is after `key:`: in its value, maybe inside a `[...]` list. */
function valueOnLine(line: string, column: number, shape: LineShape): OnLine | undefined {
  let valueStart = shape.colonEnd!;
  while (line[valueStart] === ' ' && valueStart < column) valueStart++;
  const typed = line.slice(valueStart, column);
  if (typed.startsWith('[')) {
    const close = line.indexOf(']', valueStart);
    if (close !== -1 && close < column) return undefined;
    const wordStart = wordStartFrom(line, column, valueStart + 1);
    const items = line.slice(valueStart + 1, close === -1 ? undefined : close).split(',');
    const current = line.slice(valueStart + 1, column).split(',').length - 1;
    const written = items.filter((_, i) => i !== current).map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean);
    const between = line.slice(valueStart + 1, wordStart).split(',').at(-1)!.trim();
    if (between !== '' && between !== '"' && between !== "'") return undefined;
    return { mapColumn: shape.contentColumn, wordStart, listItem: true, written };
  }
  const wordStart = wordStartFrom(line, column, valueStart);
  const lead = line.slice(valueStart, wordStart);
  if (lead !== '' && lead !== '"' && lead !== "'") return undefined; // a value with spaces, or a block scalar
  return { mapColumn: shape.contentColumn, wordStart, listItem: false, written: [] };
}

function wordStartFrom(line: string, column: number, limit: number): number {
  let start = column;
  while (start > limit && WORD_CHAR.test(line[start - 1]!)) start--;
  return start;
}

function wordEnd(line: string, column: number): number {
  let end = column;
  while (end < line.length && WORD_CHAR.test(line[end]!)) end++;
  return end;
}

/** The other items of the block list whose `- ` marker at `dash` is on line `index`. */
function blockListItems(lines: SourceLines, index: number, dash: number): string[] {
  const items: string[] = [];
  for (const direction of [-1, 1]) {
    for (let i = index + direction; i >= 0 && i < lines.starts.length; i += direction) {
      const line = lineText(lines, i);
      const shape = lineShape(line);
      if (shape.blank) continue;
      if (shape.dashes.length !== 1 || shape.dashes[0] !== dash || shape.key !== undefined) break;
      const item = withoutComment(line.slice(shape.contentColumn)).trim().replace(/^(["'])(.*)\1$/, '$2');
      if (item) items.push(item);
    }
  }
  return items;
}

function open(levels: Level[], segments: Segment[], kind: Level['kind'], column: number, key?: string): void {
  segments.push(key ?? ITEM);
  levels.push({ kind, column, keys: key === undefined ? new Map() : new Map([[key, '']]) });
}

/**
 * One line above the cursor: a key at the current map's column is a sibling; a less indented key
 * opens the map holding the current one; a `- ` marker left of the current column opens an item.
 * Returns false when the cursor turns out to be inside a key's scalar value (a block scalar).
 */
function visitAbove(shape: LineShape, levels: Level[], segments: Segment[]): boolean {
  const top = levels.at(-1)!;
  if (shape.key !== undefined) {
    const column = shape.contentColumn;
    if (top.kind === 'map' && column === top.column) {
      if (!top.keys.has(shape.key)) top.keys.set(shape.key, shape.value!);
    } else if (column < top.column || (top.kind === 'seq' && column === top.column)) {
      if (shape.value !== '') return false;
      open(levels, segments, 'map', column, shape.key);
    }
  }
  for (const d of [...shape.dashes].reverse()) if (d < levels.at(-1)!.column) open(levels, segments, 'seq', d);
  return true;
}

/** Keys below the cursor that belong to the same maps (fields written after the line being typed). */
function collectBelow(lines: SourceLines, index: number, levels: Level[]): void {
  let inner = 0;
  for (let i = index + 1; i < lines.starts.length && inner < levels.length; i++) {
    const shape = lineShape(lineText(lines, i));
    if (shape.blank) continue;
    const least = shape.dashes[0] ?? shape.contentColumn;
    while (inner < levels.length && closes(levels[inner]!, least, shape)) inner++;
    const level = levels[inner];
    if (level?.kind === 'map' && shape.key !== undefined && shape.dashes.length === 0 && shape.contentColumn === level.column && !level.keys.has(shape.key)) {
      level.keys.set(shape.key, shape.value!);
    }
  }
}

function closes(level: Level, least: number, shape: LineShape): boolean {
  if (least < level.column) return true;
  return level.kind === 'seq' && least === level.column && shape.dashes[0] !== least;
}
