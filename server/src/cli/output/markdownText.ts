/**
 * A Markdown page as plain text for a terminal (`playbook rules PB101`), readable without colour:
 * headings underlined, code blocks indented without their fences, each table row a short block
 * (a wide table does not fit a terminal's width), `**strong**` without its stars, and links as
 * "text (address)" with relative ones made absolute, inline code as a quoted name. Lists and line
 * breaks stay as written. Made for the project's own pages, not for every corner of Markdown.
 */
import { plainText } from '../../core/index.js';

const FENCE = /^(\s*)(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const TABLE_ROW = /^\s*\|/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const UNDERLINE = ['=', '-', '.'];

/** `pageUrl`: where the page is published, against which relative links are resolved. */
export function markdownText(markdown: string, pageUrl: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      i = codeBlock(lines, i + 1, fence[1]!.length, fence[2]!, out);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const text = inline(heading[2]!, pageUrl);
      out.push(text, UNDERLINE[Math.min(heading[1]!.length, UNDERLINE.length) - 1]!.repeat([...text].length));
      continue;
    }
    if (TABLE_ROW.test(line)) {
      let end = i;
      while (end < lines.length && TABLE_ROW.test(lines[end]!)) end++;
      out.push(...table(lines.slice(i, end), pageUrl));
      i = end - 1;
      continue;
    }
    out.push(inline(line, pageUrl));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\s+$/g, '')}\n`;
}

/** The block's lines indented by four spaces, up to the closing fence (or the end); returns the index of the fence's line. */
function codeBlock(lines: string[], from: number, indent: number, opening: string, out: string[]): number {
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const close = FENCE.exec(line);
    if (close && close[2]![0] === opening[0] && close[2]!.length >= opening.length && line.trim() === close[2]) break;
    // The fence's own indentation (a block inside a list item) is not part of the code.
    const code = line.slice(Math.min(indent, line.length - line.trimStart().length));
    out.push(code === '' ? '' : `    ${code}`);
  }
  return i;
}

/** A header row, a rule and data rows: each data row as "- first cell" with the other cells under it as "header: cell". */
function table(rows: string[], pageUrl: string): string[] {
  const cells = (row: string): string[] => {
    const parts = row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
    return parts.map((cell) => inline(cell.trim().replace(/\\\|/g, '|'), pageUrl));
  };
  const [head, rule, ...body] = rows;
  if (rule === undefined || !TABLE_RULE.test(rule)) return rows.map((row) => inline(row, pageUrl));
  const headers = cells(head!);
  return body.flatMap((row) => {
    const [first = '', ...rest] = cells(row);
    return [`  - ${first}`, ...rest.map((cell, n) => `      ${headers[n + 1] ?? ''}${headers[n + 1] ? ': ' : ''}${cell}`)];
  });
}

/** Strong emphasis without its stars, links as "text (address)" (just the address when the text is the address). */
function inline(text: string, pageUrl: string): string {
  const linked = text
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, href: string) => {
      const shown = label.replace(/`/g, '');
      return shown === href ? href : `${shown} (${new URL(href, pageUrl).href})`;
    });
  // A terminal shows backticks as they are: inline code reads as a quoted name.
  return plainText(linked);
}
