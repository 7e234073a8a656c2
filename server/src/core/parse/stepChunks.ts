/**
 * The text of one item of the block `steps:` list, as the incremental parse cuts it: from the start
 * of its `- ` line to the start of the next item's `- ` line, or, for the last item, to the first
 * line after it that is neither blank nor a comment. A chunk cut this way parses alone exactly as it
 * does inside the document: the line before it ended the previous item, the line after it ends this
 * one, and nothing in between depends on what surrounds it (anchors and directives excepted, which
 * the caller rules out).
 */
import { isMap, type Node } from 'yaml';
import type { Chunk } from './reparseTree.js';


/** Start of the line holding item `node`'s dash, when that line is `<indent>- <content>`; else undefined. */
function dashLineStart(text: string, node: Node | undefined, seqIndent: number): number | undefined {
  if (!isMap(node) || node.flow || !node.range) return undefined;
  const contentStart = node.range[0];
  const lineStart = text.lastIndexOf('\n', contentStart - 1) + 1;
  if (contentStart - lineStart < seqIndent + 2) return undefined;
  for (let i = lineStart; i < lineStart + seqIndent; i++) if (text.charCodeAt(i) !== 32) return undefined;
  if (text.charCodeAt(lineStart + seqIndent) !== 45) return undefined; // '-'
  for (let i = lineStart + seqIndent + 1; i < contentStart; i++) if (text.charCodeAt(i) !== 32) return undefined;
  return lineStart;
}

/**
 * The chunk of the item an edit starting at `start` falls in. The caller checks that the edit ends
 * inside it, or at least that the text after it is unchanged.
 */
export function chunkForEdit(text: string, items: readonly unknown[], seqIndent: number, start: number): Chunk | undefined {
  if (items.length === 0) return undefined;
  // The last item whose content starts at or before the edit; the edit may also sit in the next item's dash prefix.
  let low = 0;
  let high = items.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const contentStart = (items[mid] as Node | undefined)?.range?.[0];
    if (contentStart === undefined) return undefined;
    if (contentStart <= start) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  let index = Math.max(found, 0);
  const nextStart = index + 1 < items.length ? dashLineStart(text, items[index + 1] as Node, seqIndent) : undefined;
  if (nextStart !== undefined && nextStart <= start) index++;
  const chunkStart = dashLineStart(text, items[index] as Node, seqIndent);
  if (chunkStart === undefined || chunkStart > start) return undefined;
  const chunkEnd = index + 1 < items.length ? dashLineStart(text, items[index + 1] as Node, seqIndent) : lastChunkEnd(text, items[index] as Node);
  if (chunkEnd === undefined) return undefined;
  return { index, start: chunkStart, end: chunkEnd };
}

/** After the last item: the start of the first line that is neither blank nor a comment, or the end of the text. */
export function lastChunkEnd(text: string, node: Node): number | undefined {
  const end = node.range?.[2];
  if (end === undefined) return undefined;
  let pos = end > 0 && text.charCodeAt(end - 1) !== 10 ? nextLineStart(text, end) : end;
  while (pos < text.length) {
    const first = firstNonSpace(text, pos);
    const c = text.charCodeAt(first);
    if (first < text.length && c !== 10 && c !== 13 && c !== 35) return pos;
    pos = nextLineStart(text, pos);
  }
  return text.length;
}

/**
 * Whether `chunk` (the new text of some items) still has the shape of items at `seqIndent`: it is
 * empty (items removed) or its first line is a dash line, and every later line is blank, a
 * comment, indented deeper than the dash, or another item's dash line. It must also end at a line
 * break, unless it ends the text.
 */
export function isItemsShape(chunk: string, seqIndent: number, endsText: boolean): boolean {
  if (chunk === '') return true;
  return isDashLine(chunk, 0, seqIndent) && endsAtLineBreak(chunk, endsText) && laterLinesWithin(chunk, seqIndent);
}

/** Whether `text` ends at a line break, as a part cut from a longer text must (the text's last part need not). */
export function endsAtLineBreak(text: string, endsText: boolean): boolean {
  return endsText || text.charCodeAt(text.length - 1) === 10;
}

/**
 * Whether every line of `text` after its first is blank, a comment, indented deeper than
 * `indent`, or a dash line at `indent` (a list item there: another step, or a block's compact
 * list): nothing that would start a new part at `indent` or end an enclosing one.
 */
export function laterLinesWithin(text: string, indent: number): boolean {
  for (let pos = nextLineStart(text, 0); pos < text.length; pos = nextLineStart(text, pos)) {
    const first = firstNonSpace(text, pos);
    const c = text.charCodeAt(first);
    if (first >= text.length || c === 10 || c === 13 || c === 35) continue;
    if (first - pos > indent) continue;
    if (!isDashLine(text, pos, indent)) return false;
  }
  return true;
}

/** Where the dash lines at `seqIndent` in [start, end) start: the items of a chunk that has the items' shape. */
export function dashLineStarts(text: string, start: number, end: number, seqIndent: number): number[] {
  const starts: number[] = [];
  for (let pos = start; pos < end; pos = nextLineStart(text, pos)) if (isDashLine(text, pos, seqIndent)) starts.push(pos);
  return starts;
}

/** `<seqIndent spaces>-` followed by a space or the line's end, at `lineStart`. */
function isDashLine(text: string, lineStart: number, seqIndent: number): boolean {
  for (let i = lineStart; i < lineStart + seqIndent; i++) if (text.charCodeAt(i) !== 32) return false;
  if (text.charCodeAt(lineStart + seqIndent) !== 45) return false;
  const after = text.charCodeAt(lineStart + seqIndent + 1);
  return after === 32 || after === 10 || after === 13 || Number.isNaN(after);
}

/** The start of the line after the one holding `from` (the text's end on its last line). */
export function nextLineStart(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline === -1 ? text.length : newline + 1;
}

export function firstNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}
