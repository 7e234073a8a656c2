/** Line arithmetic over the raw text, so fixes insert whole lines at the file's own indentation and line endings. */

/** The file's line ending: CRLF files stay CRLF. */
function eolOf(text: string): '\r\n' | '\n' {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Back from `end` over white space and line breaks: where the written content really stops. */
function contentEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  return at;
}

/**
 * Where to insert whole lines after the content ending at `end` (a trailing comment on that line
 * stays with it): the start of the next line, or the end of a file without a final line break, in
 * which case the insertion must begin with one.
 */
export function lineBreakAfter(text: string, end: number): { offset: number; needsBreak: boolean } {
  const newline = text.indexOf('\n', contentEnd(text, end));
  return newline === -1 ? { offset: text.length, needsBreak: true } : { offset: newline + 1, needsBreak: false };
}

/** Lines to insert after the content ending at `end`, each given without its line ending. */
export function linesAfter(text: string, end: number, lines: string[]): { range: { start: number; end: number }; newText: string } {
  const eol = eolOf(text);
  const { offset, needsBreak } = lineBreakAfter(text, end);
  const body = lines.join(eol);
  return { range: { start: offset, end: offset }, newText: needsBreak ? eol + body : body + eol };
}

/** Lines to insert at a line start. */
export function linesAt(text: string, lineOffset: number, lines: string[]): { range: { start: number; end: number }; newText: string } {
  const eol = eolOf(text);
  return { range: { start: lineOffset, end: lineOffset }, newText: lines.map((l) => l + eol).join('') };
}

/**
 * The start of the comment-only lines directly above `lineOffset` (they describe what follows
 * them), never above `floor`: where the node before ends. A `#` line above that is the node's own
 * text (the last lines of a `run: |` script), not a comment.
 */
export function attachedCommentsStart(text: string, lineOffset: number, floor: number): number {
  let start = lineOffset;
  while (start > 0) {
    const previous = lineStart(text, start - 1);
    if (previous < floor || !text.slice(previous, start).trimStart().startsWith('#')) break;
    start = previous;
  }
  return start;
}

export function spaces(count: number): string {
  return ' '.repeat(Math.max(0, count));
}
