/**
 * The text a YAML scalar hands to a shell, with each character's place in the scalar's source, so
 * a command can be read as the shell reads it (escapes decoded, `''` made one quote, folded lines
 * joined) and what is found in it reported on the source text. A block literal (`run: |`) keeps
 * its lines and indentation: leading blanks mean nothing to a shell.
 */
import type { Scalar } from 'yaml';

export interface MappedText {
  text: string;
  /** `starts[i]`/`ends[i]`: the source offsets of `text[i]`; absent when the text is the source itself. */
  starts?: number[];
  ends?: number[];
}

/** The source range of `text.slice(start, end)` (non-empty). */
export function sourceRange(mapped: MappedText, start: number, end: number): { start: number; end: number } {
  return mapped.starts && mapped.ends ? { start: mapped.starts[start]!, end: mapped.ends[end - 1]! } : { start, end };
}

/** The shell text of a scalar's source (`scalarSourceRange`'s slice of the document). */
export function shellTextOf(source: string, type: Scalar.Type | undefined): MappedText {
  switch (type) {
    case 'QUOTE_DOUBLE': return doubleQuoted(source);
    case 'QUOTE_SINGLE': return folded(source, 1, closingQuote(source, "'"), true);
    case 'PLAIN': return folded(source, 0, source.length, false);
    case 'BLOCK_FOLDED': return blockFolded(source);
    default: return identity(source);
  }
}

function identity(source: string): MappedText {
  return { text: source };
}

function closingQuote(source: string, quote: string): number {
  return source.length >= 2 && source.endsWith(quote) ? source.length - 1 : source.length;
}

class Builder {
  text = '';
  starts: number[] = [];
  ends: number[] = [];
  add(chars: string, start: number, end: number): void {
    for (let i = 0; i < chars.length; i++) {
      this.text += chars[i]!;
      this.starts.push(start);
      this.ends.push(end);
    }
  }
  done(): MappedText {
    return { text: this.text, starts: this.starts, ends: this.ends };
  }
}

/**
 * A line break inside a flow scalar (plain or quoted) folds to a space, unless blank lines follow
 * it, which stand for line breaks. Returns where the break and the next line's indentation end.
 */
function fold(source: string, at: number, end: number, out: Builder): number {
  let pos = at;
  let breaks = 0;
  while (pos < end && /[\r\n \t]/.test(source[pos]!)) {
    if (source[pos] === '\n') breaks++;
    pos++;
  }
  out.add(breaks > 1 ? '\n' : ' ', at, pos);
  return pos;
}

function folded(source: string, from: number, to: number, singleQuoted: boolean): MappedText {
  const out = new Builder();
  let pos = from;
  while (pos < to) {
    const c = source[pos]!;
    if (c === '\n' || c === '\r') {
      pos = fold(source, pos, to, out);
    } else if (singleQuoted && c === "'" && source[pos + 1] === "'") {
      out.add("'", pos, pos + 2);
      pos += 2;
    } else {
      out.add(c, pos, pos + 1);
      pos++;
    }
  }
  return out.done();
}

const ESCAPES: Partial<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function doubleQuoted(source: string): MappedText {
  const out = new Builder();
  const to = closingQuote(source, '"');
  let pos = 1;
  while (pos < to) {
    const c = source[pos]!;
    if (c === '\n' || c === '\r') {
      pos = fold(source, pos, to, out);
    } else if (c !== '\\' || pos + 1 >= to) {
      out.add(c, pos, pos + 1);
      pos++;
    } else {
      const e = source[pos + 1]!;
      if (e === '\n' || e === '\r') {
        // An escaped line break joins the lines with nothing between them.
        pos += 2;
        while (pos < to && /[\r\n \t]/.test(source[pos]!)) pos++;
        continue;
      }
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = digits ? source.slice(pos + 2, pos + 2 + digits) : '';
      if (digits && /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits) {
        out.add(String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)), pos, pos + 2 + digits);
        pos += 2 + digits;
      } else {
        out.add(ESCAPES[e] ?? e, pos, pos + 2);
        pos += 2;
      }
    }
  }
  return out.done();
}

/**
 * `>`: a line break between two lines at the block's indentation folds to a space; breaks next to
 * blank or more-indented lines stay.
 */
function blockFolded(source: string): MappedText {
  const lines = source.split('\n');
  const indent = /^[ ]*/.exec(lines.find((l) => l.trim() !== '') ?? '')![0].length;
  const plain = (line: string | undefined): boolean => line !== undefined && line.trim() !== '' && !/^[ \t]/.test(line.slice(indent));
  let text = '';
  lines.forEach((line, i) => {
    text += line;
    if (i < lines.length - 1) text += plain(line.replace(/\r$/, '')) && plain(lines[i + 1]) ? ' ' : '\n';
  });
  // Folding only turns line breaks into spaces, so every character keeps its offset.
  return { text };
}
