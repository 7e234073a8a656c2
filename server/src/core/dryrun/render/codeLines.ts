/**
 * A command or query quoted from the playbook, on lines of its own for a terminal of fixed width.
 * Each line of it as written; a line too long for the width is cut only where the cut changes
 * nothing: a shell command between two words (outside quotes, comments and here-documents), ending
 * the line with ` \`, which the shell reads as the same command; a query at a blank outside its
 * string literals (blanks are all alike in query languages). A rule or a configuration change, whose
 * language is not known, is never cut, and neither is any word: a line may then run past the width.
 */
import { parseShellWithComments } from '../../security/shellSyntax.js';
import type { ShellList } from '../../security/shellSyntaxTree.js';
import type { Quote } from '../types.js';
import { columns } from './wrapText.js';

/** How much deeper the lines a cut makes go than the line they continue. */
const CONTINUATION = 2;

export function codeLines(quote: Quote, indent: number, width: number): string[] {
  const margin = ' '.repeat(indent);
  const cuts = quote.kind === 'command' ? shellCuts(quote.text) : quote.kind === 'query' ? queryCuts(quote.text) : new Set<number>();
  const marker = quote.kind === 'command' ? ' \\' : '';
  const out: string[] = [];
  let lineStart = 0;
  for (const line of quote.text.split('\n')) {
    const written = line.replace(/\s+$/, '');
    out.push(...cutLine(written, lineStart, cuts, indent, width, marker).map((piece, i) => (piece === '' && i === 0 ? '' : `${margin}${i === 0 ? '' : ' '.repeat(CONTINUATION)}${piece}`)));
    lineStart += line.length + 1;
  }
  return out;
}

/**
 * One written line in pieces that fit; `cuts` are offsets (in the whole text) of blanks where a cut
 * is safe. A piece ends at the last cut that keeps it within the room, else at the first one (a
 * long word stays whole). Linear in the line: columns are summed once, the cuts walked once.
 */
function cutLine(line: string, offset: number, cuts: ReadonlySet<number>, indent: number, width: number, marker: string): string[] {
  const blank = (i: number): boolean => line[i] === ' ' || line[i] === '\t';
  // Columns before each index: one per code point (the second half of a surrogate pair adds none).
  const before = new Uint32Array(line.length + 1);
  for (let i = 0; i < line.length; i++) before[i + 1] = before[i]! + (line.charCodeAt(i) >= 0xdc00 && line.charCodeAt(i) <= 0xdfff ? 0 : 1);
  const candidates: number[] = [];
  for (let i = 1; i < line.length; i++) if (blank(i) && !blank(i - 1) && cuts.has(offset + i)) candidates.push(i);
  const markerWidth = columns(marker);
  const pieces: string[] = [];
  let room = width - indent - markerWidth;
  let start = 0;
  let k = 0;
  while (before[line.length]! - before[start]! > room + markerWidth) {
    while (k < candidates.length && candidates[k]! <= start) k++;
    if (k === candidates.length) break;
    let end = candidates[k]!;
    for (; k < candidates.length && before[candidates[k]!]! - before[start]! <= room; k++) end = candidates[k]!;
    pieces.push(`${line.slice(start, end)}${marker}`);
    start = end;
    while (start < line.length && blank(start)) start++;
    room = width - indent - CONTINUATION - markerWidth;
  }
  pieces.push(line.slice(start));
  return pieces;
}

/** Blanks of a shell command that lie between words: not inside a word (its quotes), a comment, or any line of a command that has a here-document. */
function shellCuts(text: string): Set<number> {
  const { list, comments } = parseShellWithComments(text);
  const covered: Array<{ start: number; end: number }> = [...comments];
  let heredoc = false;
  const visit = (pipelines: ShellList): void => {
    for (const { stages } of pipelines) {
      for (const stage of stages) {
        for (const word of stage.words) covered.push(word);
        for (const redirect of stage.redirects) {
          // A redirection and its target read as one: `> /tmp/out` stays on one line (and so do the blanks after a `>` with none).
          let end = text.indexOf(redirect.op, redirect.start) + redirect.op.length;
          while (text[end] === ' ' || text[end] === '\t') end++;
          covered.push({ start: redirect.start, end: Math.max(end, redirect.target?.end ?? 0) });
          if (redirect.heredoc) heredoc = true;
        }
        stage.groups.forEach(visit);
      }
    }
  };
  visit(list);
  // A here-document's body ends at a line of its own; a cut anywhere near it is not worth the doubt.
  if (heredoc) return new Set();
  const inside = new Uint8Array(text.length);
  for (const { start, end } of covered) inside.fill(1, start, end);
  const cuts = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    if ((text[i] === ' ' || text[i] === '\t') && inside[i] === 0) cuts.add(i);
  }
  return cuts;
}

/** Blanks of a query outside its string literals ('…', "…", `…`). */
function queryCuts(text: string): Set<number> {
  const cuts = new Set<number>();
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === ' ' || c === '\t') {
      cuts.add(i);
    }
  }
  return cuts;
}
