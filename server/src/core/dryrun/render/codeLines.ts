/**
 * A command or query quoted from the playbook, on lines of its own for a terminal of fixed width.
 * Each line of it as written; a line too long for the width is cut only where the cut changes
 * nothing: a shell command between two words (outside quotes, comments and here-documents), ending
 * the line with ` \`, which the shell reads as the same command; a query at a blank outside its
 * string literals (blanks are all alike in query languages). A rule or a configuration change, whose
 * language is not known, is never cut, and neither is any word: a line may then run past the width.
 */
import { parseShellWithComments, type ShellList } from '../../security/shellSyntax.js';
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

/** One written line in pieces that fit; `cuts` are offsets (in the whole text) of blanks where a cut is safe. */
function cutLine(line: string, offset: number, cuts: ReadonlySet<number>, indent: number, width: number, marker: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let room = width - indent - columns(marker);
  while (columns(line.slice(start)) > room + columns(marker)) {
    // The last safe blank that keeps the piece within the room, else the first one after it (a long word stays whole).
    let cut = -1;
    for (let i = start + 1; i < line.length; i++) {
      if (!cuts.has(offset + i) || line[i - 1] === ' ' || line[i - 1] === '\t') continue;
      if (columns(line.slice(start, i)) <= room || cut === -1) cut = i;
      if (columns(line.slice(start, i)) > room) break;
    }
    if (cut === -1) break;
    pieces.push(`${line.slice(start, cut)}${marker}`);
    start = cut;
    while (start < line.length && (line[start] === ' ' || line[start] === '\t')) start++;
    room = width - indent - CONTINUATION - columns(marker);
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
