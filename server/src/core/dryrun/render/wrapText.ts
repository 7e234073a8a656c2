/**
 * Prose for a terminal of fixed width: cut between words, each line after the first under a
 * hanging indent, so a long finding or outcome stays under its own heading. A word longer than a
 * line is never cut (a URL, a purl, a quoted name): it stands alone on its line, whole.
 */

/** The width of the text report: fixed, so two runs print the same bytes on any terminal. */
export const TEXT_WIDTH = 100;

export interface WrapOptions {
  /** Columns before each line after the first. */
  indent: number;
  width: number;
  /** Kept whole at the end, after two spaces: "→ escalate (on-failure)". */
  tail?: string;
}

/** `prefix` and then the words of `text`, in lines of at most `width` columns where the words allow. */
export function wrapProse(prefix: string, text: string, { indent, width, tail }: WrapOptions): string[] {
  const units = (text.replace(/\r?\n/g, ' ').match(/\S+\s*/g) ?? []).map((word) => ({ text: word.trimEnd(), gap: word.slice(word.trimEnd().length) || ' ' }));
  if (tail !== undefined) {
    const last = units[units.length - 1];
    if (last) last.gap = '  ';
    units.push({ text: tail, gap: '' });
  }
  const margin = ' '.repeat(indent);
  const lines: string[] = [];
  let line = prefix;
  // Whether the line holds a word yet: the first one of a line goes there, however long.
  let holdsWord = false;
  let gap = '';
  for (const unit of units) {
    const candidate = `${line}${holdsWord ? gap : ''}${unit.text}`;
    // A prefix wider than the indent (a long step id) may give its line up to the words, too.
    const canBreak = holdsWord || line.trimEnd().length > indent;
    if (canBreak && columns(candidate) > width) {
      lines.push(line.trimEnd());
      line = `${margin}${unit.text}`;
    } else {
      line = candidate;
    }
    holdsWord = true;
    gap = unit.gap;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** Columns a line takes: one per code point (the report's own symbols, →, ✗ and •, take one). */
export function columns(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
