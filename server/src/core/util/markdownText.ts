/**
 * Text made safe for GitHub-flavoured Markdown, for the reports people attach to tickets and audit
 * folders (the run report, the dry-run). Their texts are typed by people: a run's messages, notes
 * and reasons, a playbook's titles, commands and messages, an advisory's summary. A `|` would end a
 * table cell, a newline the row, a backtick or `<b>` would start markup that is not theirs to
 * write in an auditor's report. Every such character is escaped, so the text shows exactly as
 * written, on one line, and nothing it holds becomes a table cell, a link, emphasis, HTML or a
 * heading. The tool's own sentences (a delivery's error, a finding's message) mark names with
 * backticks, as its diagnostics do: those become code spans.
 */

/** Line breaks of any kind: the report shows a text on one line. */
const BREAKS = /\r\n|[\r\n\u2028\u2029]/g;

/** ASCII punctuation that can start or end markup inline, and `|`, which ends a cell. `$` is math on GitHub. */
const MARKUP = /[\\`*_[\]<>|&~$#!]/g;

/** At the start of a line, these begin a list, a quote or a heading underline. */
const LINE_START = /^(\d{1,9})([.)])|^([-+=])/;

/** Plain text: shown as written (on one line, without blanks around it), in a table cell, a quote or after other words. */
export function inline(text: string): string {
  return atLineStart(oneLine(text).replace(MARKUP, '\\$&'));
}

/**
 * A sentence the tool wrote, in which a name in backticks is code (`PLAYBOOK_WEBHOOK_SECURITY`,
 * a Slack error code): each such span becomes a code span, and everything around it is escaped as
 * `inline` escapes it. A backtick with no partner is shown as a backtick.
 */
export function toolInline(text: string): string {
  return atLineStart(withCodeSpans(text, MARKUP));
}

/** `toolInline` inside a line the report starts itself (a table cell): `#` and `2.` as they are, as `phrase` leaves them. */
export function toolPhrase(text: string): string {
  return withCodeSpans(text, MID_LINE_MARKUP);
}

function withCodeSpans(text: string, markup: RegExp): string {
  const line = oneLine(text);
  let out = '';
  let from = 0;
  for (const span of line.matchAll(/`([^`]+)`/g)) {
    out += line.slice(from, span.index).replace(markup, '\\$&') + code(span[1]!);
    from = span.index + span[0].length;
  }
  return out + line.slice(from).replace(markup, '\\$&');
}

/**
 * Plain text inside a line the report starts itself (`- current: …`, `**… 2.14.1**`): as `inline`,
 * but a `#` or a `2.` is left as it is, since only at the start of a line do they begin a
 * heading or a list, so a version or a channel (`#sec-incidents`) reads as written in the source.
 */
export function phrase(text: string): string {
  return oneLine(text).replace(MID_LINE_MARKUP, '\\$&');
}

/** MARKUP but `#`, which is markup only at the start of a line. */
const MID_LINE_MARKUP = /[\\`*_[\]<>|&~$!]/g;

const oneLine = (text: string): string => text.replace(BREAKS, ' ').trim();

function atLineStart(escaped: string): string {
  return escaped.replace(LINE_START, (_, digits: string | undefined, mark: string | undefined, sign: string | undefined) => (digits === undefined ? `\\${sign}` : `${digits}\\${mark}`));
}

/**
 * A code span showing `text` exactly: fenced by more backticks than it holds in a row, padded when
 * it starts or ends with a backtick or a space (CommonMark strips one of each), and with `|`
 * escaped, which GitHub's tables read before the code span (and unescape inside it).
 */
export function code(text: string): string {
  const one = text.replace(BREAKS, ' ');
  if (!one) return '';
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(one) && one.trim() !== '' ? ' ' : '';
  return `${marks}${pad}${one.replace(/\|/g, '\\|')}${pad}${marks}`;
}

/** A GitHub table; cells are already escaped. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
