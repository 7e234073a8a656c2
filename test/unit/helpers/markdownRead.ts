/**
 * Markdown read as GitHub would, for the tests of the reports (the run report, the dry-run): raw
 * HTML recognised (so that any that slipped through shows up as HTML tokens), no linkify; each
 * table's header and cells, the cells each row has in the source, and a cell's text as a reader
 * sees it.
 */
import assert from 'node:assert/strict';
import MarkdownIt, { type Token } from 'markdown-it';

export const parser = new MarkdownIt({ html: true });

export interface Table { header: string[]; rows: Token[][] }

export function tables(tokens: readonly Token[]): Table[] {
  const out: Table[] = [];
  let row: Token[] = [];
  for (const [i, t] of tokens.entries()) {
    if (t.type === 'table_open') out.push({ header: [], rows: [] });
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close' && tokens[i - 1]?.type === 'td_close') out.at(-1)!.rows.push(row);
    else if (t.type === 'inline' && tokens[i - 1]?.type === 'th_open') out.at(-1)!.header.push(t.content);
    else if (t.type === 'inline' && tokens[i - 1]?.type === 'td_open') row.push(t);
  }
  return out;
}

/**
 * The cells of each table line as GitHub's tables split them: at every `|` not preceded by a
 * backslash. (A parser pads a short row and drops a long one's extra cells, so it cannot tell.)
 */
export function rawCellCounts(src: string): number[][] {
  const blocks: number[][] = [];
  let previous = false;
  for (const line of src.split('\n')) {
    const isRow = line.startsWith('|');
    if (isRow && !previous) blocks.push([]);
    if (isRow) blocks.at(-1)!.push(line.split(/(?<!\\)\|/).length - 2);
    previous = isRow;
  }
  return blocks;
}

/** A cell's text as a reader sees it; markup the cell holds shows as `<type>`, so it cannot pass for text. */
export function seen(cell: Token): string {
  return (cell.children ?? []).map((c) => (c.type === 'text' ? c.content : c.type === 'code_inline' ? `code:${c.content}` : `<${c.type}>`)).join('');
}

/** The table with a column headed `column`. */
export function tableWith(src: string, column: string): Table {
  const table = tables(parser.parse(src, {})).find((t) => t.header.includes(column));
  assert.ok(table, `a table with a column ${column}`);
  return table;
}

/** What a text from the record should read as: on one line, without blanks around it. */
export const oneLine = (text: string) => text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').trim();
