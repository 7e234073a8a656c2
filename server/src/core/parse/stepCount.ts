/**
 * Counts the items of the top-level block `steps:` list from the text alone, before the YAML
 * parser runs, so that a playbook far over `maxSteps` is refused at the cost of one pass over its
 * lines instead of a full parse (seconds and hundreds of megabytes at the size limit).
 *
 * Only dash lines at the list's own indentation count, and the count stops at the first line that
 * ends the list, so it never counts more items than YAML reads: nothing indented less than the
 * list can continue an item, and nothing at its indentation but a dash. A list the scan cannot
 * read (flow style, a `steps` key it does not recognise) counts as nothing here; the exact count
 * after parsing still applies.
 */

export interface StepItemScan {
  /** Items counted. */
  count: number;
  /** Offset of the first item over `max` (its content after the dash), when there is one. */
  overAt?: number;
}

const STEPS_KEY = /^(?:steps|"steps"|'steps')[ \t]*:(?:[ \t]+(?:#.*|&\S+[ \t]*)?)?$/;

/** Where the counted list lies: its items' dash lines, and the start of the line that ends it (the text's end when none does). */
export interface StepListLayout {
  dashLines: number[];
  end: number;
}

export function scanStepItems(text: string, max: number, layout: StepListLayout = { dashLines: [], end: 0 }): StepItemScan {
  layout.dashLines.length = 0;
  layout.end = text.length;
  let at = 0;
  let inList = false;
  let listIndent: number | undefined;
  let count = 0;
  let overAt: number | undefined;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(at, end - 1) : text.slice(at, end);
    const lineStart = at;
    at = end + 1;
    const indent = line.length - line.trimStart().length;
    const content = line.slice(indent);
    if (indent === 0 && STEPS_KEY.test(content)) {
      // A `steps` key written twice is a YAML error whose data keeps the last list: count that one.
      inList = true;
      listIndent = undefined;
      count = 0;
      overAt = undefined;
      layout.dashLines.length = 0;
      layout.end = text.length;
      continue;
    }
    if (!inList || content === '' || content.startsWith('#')) continue;
    const isDash = content === '-' || content.startsWith('- ') || content.startsWith('-\t');
    listIndent ??= isDash ? indent : -1;
    if (indent < listIndent || (indent === listIndent && !isDash) || listIndent < 0) {
      inList = false;
      layout.end = lineStart;
      continue;
    }
    if (indent === listIndent) {
      count++;
      layout.dashLines.push(lineStart);
      // Where the item's own content starts, as the parsed step's range does (the dash when nothing follows it).
      if (count === max + 1) overAt = lineStart + indent + (content.length > 1 ? content.length - content.slice(1).trimStart().length : 0);
    }
  }
  return overAt === undefined ? { count } : { count, overAt };
}
