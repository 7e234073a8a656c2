/**
 * Every piece of text a reader of the playbook sees — each scalar (keys included) and each YAML
 * comment — with its exact source range, so security scans can report offsets that map straight
 * back to the document, quotes, escapes and block scalars included.
 */
import { isPair, isScalar, Lexer, type Pair, type Scalar } from 'yaml';
import type { ParsedPlaybook } from '../parse/model.js';
import type { OffsetRange } from '../types.js';

type TextSpanKind = 'key' | 'value' | 'comment';

export interface TextSpan {
  kind: TextSpanKind;
  range: OffsetRange;
  /** `text.slice(range.start, range.end)`: the text as written, quotes and escapes included. */
  source: string;
  /** The scalar (absent for comments). Numbers and booleans are included: their source is text too. */
  node?: Scalar;
  /** The map pair whose value this scalar is (absent for keys, list items and comments). */
  pair?: Pair;
}

/** Scalars and comments of the document, in document order. Empty when the text was refused before parsing. */
export function textSpans(parsed: ParsedPlaybook): TextSpan[] {
  if (!parsed.yaml) return [];
  return [...scalarSpans(parsed), ...commentSpans(parsed.text)].sort((a, b) => a.range.start - b.range.start);
}

/** Every scalar reachable from the document root. Iterative, so deep nesting cannot overflow the stack. */
function scalarSpans(parsed: ParsedPlaybook): TextSpan[] {
  return scalarSpansUnder(parsed.yaml?.contents, parsed.text);
}

/** Every scalar under `root`, except under the nodes in `skip`. */
export function scalarSpansUnder(root: unknown, text: string, skip?: ReadonlySet<unknown>): TextSpan[] {
  const out: TextSpan[] = [];
  const stack: Array<{ node: unknown; kind: 'key' | 'value'; pair?: Pair }> = [{ node: root, kind: 'value' }];
  while (stack.length) {
    const { node, kind, pair } = stack.pop()!;
    if (skip?.has(node)) continue;
    if (isScalar(node)) {
      const range = scalarSourceRange(node, text);
      if (range) out.push({ kind, range, source: text.slice(range.start, range.end), node, pair });
    } else if (isPair(node)) {
      stack.push({ node: node.value, kind: 'value', pair: node }, { node: node.key, kind: 'key' });
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray(node.items)) {
      // Maps hold pairs, sequences hold nodes (or pairs, in `[a: b]`); aliases have no items and are skipped.
      for (const item of node.items) stack.push({ node: item, kind: 'value' });
    }
  }
  return out;
}

/**
 * The source range of a scalar. A block scalar (`|`, `>`) starts after its header line, so the
 * header's own comment is seen once, as a comment.
 */
export function scalarSourceRange(node: Scalar, text: string): OffsetRange | undefined {
  const r = node.range;
  if (!r) return undefined;
  let start = r[0];
  const end = r[1];
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const newline = text.indexOf('\n', start);
    start = newline === -1 || newline >= end ? end : newline + 1;
  }
  return { start, end };
}

/**
 * The source of a double-quoted scalar with its letter escapes blanked, at the same length, so
 * patterns see the word boundaries the reader sees: `\tcurl` → `  curl`, `\n` → ` ` + newline.
 * `\"` and `\\` stay as written. Any other scalar's source is returned unchanged.
 */
export function scannableSource(source: string, node: Scalar | undefined): string {
  if (node?.type !== 'QUOTE_DOUBLE') return source;
  return source.replace(/\\([\s\S])/g, (escape, char: string) => (char === 'n' ? ' \n' : /\w/.test(char) ? '  ' : escape));
}

/** The value inside a span: surrounding blanks and one pair of quotes removed. */
export function contentRange(span: Pick<TextSpan, 'range' | 'source'>): OffsetRange {
  let start = 0;
  let end = span.source.length;
  while (start < end && /\s/.test(span.source[start]!)) start++;
  while (end > start && /\s/.test(span.source[end - 1]!)) end--;
  const first = span.source[start];
  if (end - start >= 2 && (first === '"' || first === "'") && span.source[end - 1] === first) {
    start++;
    end--;
  }
  return { start: span.range.start + start, end: span.range.start + end };
}

/**
 * YAML comments (`# …`, the `#` included), read from the token stream so none is missed. The lexer
 * adds three control tokens that are not in the text (document start, flow end, scalar marker);
 * every other token is source, so offsets are running sums of token lengths. With `from`/`to`, only
 * that part of the text is read, which must start at a line start and hold whole YAML nodes (one
 * step, say), so that it lexes as it does in the whole text.
 */
export function commentSpans(text: string, from = 0, to = text.length): TextSpan[] {
  const out: TextSpan[] = [];
  let offset = from;
  let scalarNext = false;
  for (const token of new Lexer().lex(from === 0 && to === text.length ? text : text.slice(from, to))) {
    if (token === DOCUMENT_START || token === FLOW_END) continue;
    if (token === SCALAR_MARKER) {
      scalarNext = true; // the next token is a scalar's text, even when it starts with `#` (block scalars)
      continue;
    }
    if (!scalarNext && token.startsWith('#')) out.push({ kind: 'comment', range: { start: offset, end: offset + token.length }, source: token });
    scalarNext = false;
    offset += token.length;
  }
  return out;
}

const DOCUMENT_START = '\x02';
const FLOW_END = '\x18';
const SCALAR_MARKER = '\x1f';
