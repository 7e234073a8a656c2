/**
 * The security team's snippets, offered where a new step may start: on a `- ` line of the steps
 * list, or on an empty line at the column of its items. A snippet body is a step (or several),
 * written with or without its leading `- `; it is inserted with the marker the line still lacks.
 * Lines after the first are relative to the current line's indentation, as editors insert snippets.
 */
import type { CompletionEntry } from '../types.js';
import type { CursorContext } from './cursorContext.js';

export interface SnippetDefinition {
  name: string;
  /** What the user types to find it; shown as the label. */
  prefix: string;
  /** Snippet syntax (`$1`, `${1:default}`): one step, or several as list items. */
  body: string;
  description?: string;
}

export function snippetItems(ctx: CursorContext, snippets: readonly SnippetDefinition[]): CompletionEntry[] {
  const lead = ctx.needsSpace ? ' ' : '';
  return snippets.map((snippet, i) => {
    const lines = listItemLines(snippet.body);
    // Lines after the first stay relative to the `- ` marker, so a body of several steps keeps them all level.
    const first = ctx.startsItem ? lines[0]!.slice(2) : lines[0]!;
    return {
      label: snippet.prefix,
      kind: 'snippet' as const,
      insertText: lead + [first, ...lines.slice(1)].join('\n'),
      isSnippet: true,
      replace: ctx.word,
      detail: snippet.name,
      documentation: `${snippet.description ? `${snippet.description}\n\n` : ''}\`\`\`yaml\n${lines.join('\n')}\n\`\`\``,
      sortText: `9${String(i).padStart(3, '0')}`,
    };
  });
}

/** The body as a list item: common indentation removed, and a `- ` marker before it if it had none. */
function listItemLines(body: string): string[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 1 && lines.at(-1)!.trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const indent = indents.length ? Math.min(...indents) : 0;
  const flush = lines.map((l) => (l.trim() === '' ? '' : l.slice(indent)));
  if (flush[0]!.startsWith('- ')) return flush;
  return [`- ${flush[0]}`, ...flush.slice(1).map((l) => (l === '' ? '' : `  ${l}`))];
}
