/**
 * Where `# playbook-ignore` comments are and which step each sits on. Only real YAML comments
 * count, so they are read from the YAML lexer: the same words inside a block scalar, a quoted
 * string or a plain scalar (`a# playbook-ignore`) are text. To keep an edit's cost local in a
 * document that parsed without YAML errors, only the steps that hold the word are lexed, each from
 * its first line, where lexing alone reads as lexing the whole text does (see `stepHeads`); a
 * document with errors is lexed whole, since error recovery can leave the lexer anywhere.
 */
import { isMap, Lexer } from 'yaml';
import type { StepModel } from './parse/model.js';
import type { OffsetRange } from './types.js';

const DIRECTIVE_WORD = 'playbook-ignore';

/** A comment is a directive when it starts with the word; a comment that only mentions it is prose. */
const DIRECTIVE = /^#\s*playbook-ignore\b/;

type Placement = 'above' | 'end';

export interface DirectiveComment {
  /** The comment, `#` included, trailing blanks excluded. */
  range: OffsetRange;
  source: string;
  /** The text after the word, e.g. ` PB100: reason`. */
  rest: string;
  /** The step it covers, when it sits directly above a step's first line or at the end of it. */
  stepIndex?: number;
  placement?: Placement;
  /** Set when the line it sits on (or above) starts more than one step (`[{id: a}, {id: b}]`). */
  ambiguous?: boolean;
}

interface StepHead {
  stepIndex: number;
  /** Offset of the step's first line: the line of its `-`, or of its first key when no `-` stands before it. */
  lineStart: number;
  /** Lexing from `lineStart` alone reads the rest of the text as the whole text does. */
  restart: boolean;
}

export interface DirectiveScanOptions {
  /** The text parsed without YAML errors, so each step can be lexed alone. Lexes the whole text when false. */
  parsedCleanly?: boolean;
}

/** Every `playbook-ignore` directive comment of the text, in order, with the step it covers. */
export function directiveComments(text: string, steps: readonly StepModel[], options: DirectiveScanOptions = {}): DirectiveComment[] {
  if (!text.includes(DIRECTIVE_WORD)) return [];
  const heads = stepHeads(text, steps);
  const stepByLine = new Map<number, number | 'ambiguous'>();
  for (const head of heads) stepByLine.set(head.lineStart, stepByLine.has(head.lineStart) ? 'ambiguous' : head.stepIndex);
  const out: DirectiveComment[] = [];
  for (const comment of commentsWithWord(text, options.parsedCleanly ? restartPoints(heads) : [])) {
    const source = comment.source.trimEnd();
    if (!DIRECTIVE.test(source)) continue;
    const range = { start: comment.range.start, end: comment.range.start + source.length };
    const directive: DirectiveComment = { range, source, rest: source.slice(source.indexOf(DIRECTIVE_WORD) + DIRECTIVE_WORD.length) };
    const line = lineStartOf(text, range.start);
    let step = stepByLine.get(line);
    let placement: Placement = 'end';
    if (step === undefined && /^[ \t]*$/.test(text.slice(line, range.start))) {
      const newline = text.indexOf('\n', range.end);
      if (newline !== -1) step = stepByLine.get(newline + 1);
      placement = 'above';
    }
    if (step === 'ambiguous') directive.ambiguous = true;
    else if (step !== undefined) Object.assign(directive, { stepIndex: step, placement });
    out.push(directive);
  }
  return out;
}

/** The offset of a step's first line: the line of the `-` that opens its list item, when there is one. */
export function stepHeadLineStart(text: string, step: StepModel): number {
  return lineStartOf(text, dashBefore(text, step.range.start) ?? step.range.start);
}

function stepHeads(text: string, steps: readonly StepModel[]): StepHead[] {
  const heads: StepHead[] = [];
  for (const step of steps) {
    if (step.range.end <= step.range.start) continue;
    const dash = dashBefore(text, step.range.start);
    const lineStart = lineStartOf(text, dash ?? step.range.start);
    // In valid YAML, a block map opened by a `-` that starts its line is an item of a block list:
    // the lexer is in block context there, with no scalar or flow collection open.
    const restart = dash !== undefined && /^ *$/.test(text.slice(lineStart, dash)) && isMap(step.node) && !step.node.flow;
    heads.push({ stepIndex: step.index, lineStart, restart });
  }
  return heads;
}

/** The `-` list-item marker just before `offset`, across blanks and line breaks only. */
function dashBefore(text: string, offset: number): number | undefined {
  let at = offset - 1;
  while (at >= 0 && /[ \t\r\n]/.test(text[at]!)) at--;
  return at >= 0 && at < offset - 1 && text[at] === '-' ? at : undefined;
}

function restartPoints(heads: readonly StepHead[]): number[] {
  return [...new Set(heads.filter((h) => h.restart).map((h) => h.lineStart))].sort((a, b) => a - b);
}

/**
 * The comments that hold the word, lexing once each part of the text (between two restart points)
 * that holds it. A part that leaves a quoted string open may end it elsewhere than the whole text
 * does (the lexer looks for the closing quote past the part's end), so then the whole text is lexed.
 */
function commentsWithWord(text: string, restarts: readonly number[]): Array<{ range: OffsetRange; source: string }> {
  const out: Array<{ range: OffsetRange; source: string }> = [];
  for (let at = text.indexOf(DIRECTIVE_WORD); at !== -1;) {
    const index = lastAtOrBefore(restarts, at);
    const from = index === -1 ? 0 : restarts[index]!;
    const to = index + 1 < restarts.length ? restarts[index + 1]! : text.length;
    const comments = partComments(text, from, to, text.lastIndexOf(DIRECTIVE_WORD, to - DIRECTIVE_WORD.length));
    if (!comments) return commentsWithWord(text, []);
    for (const comment of comments) if (comment.source.includes(DIRECTIVE_WORD)) out.push(comment);
    // `to` is a line start and the word holds no line break, so no occurrence straddles it.
    at = text.indexOf(DIRECTIVE_WORD, to);
  }
  return out;
}

/**
 * The comments of `text.slice(from, to)` up to the one holding offset `last`, read as
 * `commentSpans` (security/scalars.ts) reads them, or undefined when a quoted string is still open
 * where the part ends: the lexer then takes the rest of the part as the string, where the whole
 * text may end it at an unindented line.
 */
function partComments(text: string, from: number, to: number, last: number): Array<{ range: OffsetRange; source: string }> | undefined {
  const out: Array<{ range: OffsetRange; source: string }> = [];
  let offset = from;
  let scalarNext = false;
  for (const token of new Lexer().lex(text.slice(from, to))) {
    if (token === DOCUMENT_START || token === FLOW_END) continue;
    if (token === SCALAR_MARKER) {
      scalarNext = true;
      continue;
    }
    if (!scalarNext && token.startsWith('#')) out.push({ range: { start: offset, end: offset + token.length }, source: token });
    if (!scalarNext && (token[0] === '"' || token[0] === "'") && offset + token.length === to && to < text.length) return undefined;
    scalarNext = false;
    offset += token.length;
    if (offset > last && to === text.length) break; // no later token can hold the word; the rest need not be lexed
  }
  return out;
}

/** Control tokens the lexer adds that are not in the text (see `commentSpans`). */
const DOCUMENT_START = '\x02';
const FLOW_END = '\x18';
const SCALAR_MARKER = '\x1f';

/** Index of the last sorted value at or before `offset`, or -1. */
function lastAtOrBefore(sorted: readonly number[], offset: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= offset) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
