/**
 * One line of YAML read by its shape alone: its `- ` markers, and the `key:` it starts with. Text
 * being typed rarely parses, so completion reads indentation and keys line by line instead.
 */

export interface LineShape {
  /** Columns of the `- ` markers that open list items on this line, left to right. */
  dashes: number[];
  /** Column where the content after the indentation and the markers starts. */
  contentColumn: number;
  /** The key, when the content is `key:` (quotes removed). */
  key?: string;
  /** Column just after the key's colon. */
  colonEnd?: number;
  /** The text written after the colon, comment removed and trimmed ('' when none). */
  value?: string;
  /** Nothing but indentation and maybe a comment: not part of the structure. */
  blank: boolean;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},:][^#:]*?)[ \t]*:(?=[ \t]|$)/;

export function lineShape(line: string): LineShape {
  let i = skipSpaces(line, 0);
  const dashes: number[] = [];
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ')) {
    dashes.push(i);
    i = skipSpaces(line, i + 1);
  }
  const rest = line.slice(i);
  const blank = dashes.length === 0 && (rest.trim() === '' || rest.startsWith('#'));
  const shape: LineShape = { dashes, contentColumn: i, blank };
  const match = blank ? null : KEY.exec(rest);
  if (match) {
    shape.key = unquote(match[1]!);
    shape.colonEnd = i + match[0].length;
    shape.value = withoutComment(line.slice(shape.colonEnd)).trim();
  }
  return shape;
}

function skipSpaces(line: string, from: number): number {
  let i = from;
  while (line[i] === ' ') i++;
  return i;
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"') && key.length > 1) return key.slice(1, -1).replace(/\\(.)/g, '$1');
  if (key.startsWith("'") && key.endsWith("'") && key.length > 1) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** The text before a `#` comment that starts at the beginning or after a space, outside quotes. */
export function withoutComment(text: string): string {
  return text.slice(0, commentStart(text));
}

/** Where a comment starts in `text`, or its length when it has none. */
export function commentStart(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[{,:]/.test(text[i - 1]!)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      return i;
    }
  }
  return text.length;
}

/** The document cut into lines, each without its line break (`\r\n` or `\n`). */
export interface SourceLines {
  text: string;
  /** Start offset of each line. */
  starts: number[];
}

export function sourceLines(text: string): SourceLines {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return { text, starts };
}

export function lineText(lines: SourceLines, index: number): string {
  const start = lines.starts[index]!;
  let end = index + 1 < lines.starts.length ? lines.starts[index + 1]! - 1 : lines.text.length;
  if (end > start && lines.text[end - 1] === '\r') end--;
  return lines.text.slice(start, end);
}

/** Index of the line holding `offset` (a line break belongs to the line it ends). */
export function lineIndexAt(lines: SourceLines, offset: number): number {
  let low = 0;
  let high = lines.starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lines.starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
