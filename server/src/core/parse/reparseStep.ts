/**
 * The incremental re-parse of the items of the block `steps:` list an edit touched (see
 * reparse.ts): one item edited, items added or removed, an edit across two. Only those items' text
 * is parsed; the previous tree takes the new items, every later position moves by the edit's
 * length, and the plain data and the model are patched (later steps renumbered when the count
 * changed).
 */
import { isMap, isSeq, parseDocument, type Document, type Range, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Limits } from '../limits.js';
import { buildStep, stepLabel } from './buildModel.js';
import type { IncrementalBase, ParsedPlaybook, StepModel } from './model.js';
import { estimateTextNesting, longestLine, treeShape } from './nesting.js';
import { PARSE_OPTIONS } from './parseOptions.js';
import { toPlainData } from './plainData.js';
import { movedRange, offsetRange, type Chunk } from './reparseTree.js';
import { shiftPositions } from './shiftRanges.js';
import { chunkForEdit, dashLineStarts, isItemsShape, nextLineStart } from './stepChunks.js';
import type { ChangedRegion } from './textDiff.js';
import { findPair, nodeRange } from './yamlNodes.js';

/**
 * The new parse when the edit in `region` lies inside the steps list's items: one item edited, or
 * several (an edit across two steps), or items added or removed between others. Undefined leaves
 * it to another way. The caller has checked the base and the limits; `textChecked`: the whole new
 * text has passed the checks a parse starts with (its lines' length, its nesting, no NUL byte).
 */
export function reparseSteps(previous: ParsedPlaybook, base: IncrementalBase, text: string, region: ChangedRegion, limits: Limits, textChecked = false): ParsedPlaybook | undefined {
  const doc = previous.yaml!;
  const root = doc.contents as YAMLMap;
  const stepsPair = findPair(root, 'steps');
  const seq = stepsPair?.value as YAMLSeq | undefined;
  const data = previous.data as { steps?: unknown } | undefined;
  if (!stepsPair || !isSeq(seq) || !data || !Array.isArray(data.steps) || data.steps.length !== seq.items.length) return undefined;
  const span = spanForEdit(previous.text, seq.items, base.seqIndent, region);
  if (!span) return undefined;
  const delta = text.length - previous.text.length;
  if (span.end + delta < span.start) return undefined;
  const parsed = parseItems(text, span.start, span.end + delta, base, limits, textChecked);
  const count = span.last - span.index + 1;
  if (!parsed || seq.items.length - count + parsed.items.length > limits.maxSteps) return undefined;
  const keep = span.start + base.seqIndent; // the first item's dash, which the new text keeps in place
  const ancestors = [
    { node: doc as unknown as { range: Range }, endsHere: parsed.endsText, own: parsed.wrapper.doc },
    { node: root as { range: Range }, endsHere: parsed.endsText, own: parsed.wrapper.root },
    { node: seq as { range: Range }, endsHere: parsed.endsText || parsed.endsList, own: parsed.wrapper.seq },
  ];
  const moved = ancestors.map(({ node, endsHere, own }) => movedRange(node.range, span, keep, delta, endsHere, own));
  if (moved.some((r) => r === undefined)) return undefined;

  // From here on the previous tree becomes the new one.
  base.consumed = true;
  seq.items.splice(span.index, count, ...parsed.items);
  const after = span.index + parsed.items.length;
  for (let j = after; j < seq.items.length; j++) shiftPositions(seq.items[j], span.end, delta);
  for (const pair of root.items) if (pair !== stepsPair) shiftPositions(pair, span.end, delta);
  ancestors.forEach(({ node }, k) => moved[k]!.forEach((p, i) => (node.range[i] = p)));

  const old = previous.model.steps;
  const steps: StepModel[] = old.slice(0, span.index);
  parsed.items.forEach((item, k) => steps.push(buildStep(item, span.index + k)));
  for (let j = span.last + 1; j < old.length; j++) steps.push(movedStep(old[j]!, steps.length));
  const stepsData = data.steps.slice();
  stepsData.splice(span.index, count, ...parsed.values);
  const oneStep = count === 1 && parsed.items.length === 1;
  return {
    text,
    yaml: doc,
    data: { ...data, steps: stepsData },
    parseFindings: [],
    model: { ...previous.model, steps },
    incremental: { ...base, consumed: false },
    change: { from: previous, key: 'steps', ...(oneStep ? { stepIndex: span.index } : {}), at: span.end, delta },
  };
}

/** A step the edit did not touch, at its new place: its node moved in place; an index that changed changes a label without an id. */
function movedStep(step: StepModel, index: number): StepModel {
  return index === step.index ? { ...step, range: nodeRange(step.node) } : { ...step, index, label: stepLabel(step.id, index), range: nodeRange(step.node) };
}

/** The items [index, last] of the old text an edit falls in, from the first one's dash line to the end of the last one's chunk. */
interface Span extends Chunk {
  last: number;
}

function spanForEdit(text: string, items: readonly unknown[], seqIndent: number, region: ChangedRegion): Span | undefined {
  const first = chunkForEdit(text, items, seqIndent, region.start);
  // An edit after the last item's chunk (in a block after `steps`) is not in a step; one right at its end may be (a line added to the item).
  if (!first || region.start > first.end) return undefined;
  // The diff may place a deletion's end past the chunk (into the next dash line's indentation): one item still, while the text after it is unchanged.
  if (region.oldEnd <= first.end) return { ...first, last: first.index };
  const last = chunkForEdit(text, items, seqIndent, region.oldEnd - 1);
  if (!last || last.index < first.index || region.oldEnd > last.end) return undefined;
  return { index: first.index, start: first.start, end: last.end, last: last.index };
}

/**
 * The step items of `text` in [start, end) (none when the text is empty: items removed), when they
 * parse cleanly and stay well within the limits. They are parsed under a `steps:` key and followed
 * by the line after them (the next item's dash line, or what ends the list), so that where they
 * end, trailing blank lines and comments included, is decided exactly as in the whole document.
 *
 * Many items are parsed a few dozen at a time, each batch followed by the next one's dash line:
 * `yaml` then builds and drops one small syntax tree after another instead of one for all of them,
 * which a fresh process pays for twice (the garbage collector copies what is still alive, and the
 * parser's code is still cold through one long call). Each batch must read exactly the items its
 * dash lines announce, or the whole is left to another way.
 */
function parseItems(text: string, start: number, end: number, base: IncrementalBase, limits: Limits, textChecked: boolean): ParsedItems | undefined {
  const chunk = text.slice(start, end);
  if (!isItemsShape(chunk, base.seqIndent, end === text.length)) return undefined;
  // Limits close to being hit are left to the full parse, which reports them exactly.
  if (!textChecked && (chunk.includes('\u0000') || longestLine(chunk).length > limits.maxLineLength || estimateTextNesting(chunk, limits.maxNestingDepth * 4 - 4))) return undefined;
  const dashes = dashLineStarts(text, start, end, base.seqIndent);
  if (dashes.length <= ITEMS_PER_PARSE) return parseBatch(text, start, end, dashes.length, base, limits);
  const items: YAMLMap[] = [];
  const values: unknown[] = [];
  let last: ParsedItems | undefined;
  for (let k = 0; k < dashes.length; k += ITEMS_PER_PARSE) {
    const batchEnd = k + ITEMS_PER_PARSE < dashes.length ? dashes[k + ITEMS_PER_PARSE]! : end;
    last = parseBatch(text, dashes[k]!, batchEnd, Math.min(ITEMS_PER_PARSE, dashes.length - k), base, limits);
    if (!last) return undefined;
    items.push(...last.items);
    values.push(...last.values);
  }
  // Where the list, the map and the document end is the last batch's to say.
  return { ...last!, items, values };
}

/** Items per `yaml` parse when many are parsed at once (a pasted block, a first open in pieces). */
const ITEMS_PER_PARSE = 32;

/** The items in [start, end), `count` of them by their dash lines, parsed as one document (see parseItems). */
function parseBatch(text: string, start: number, end: number, count: number, base: IncrementalBase, limits: Limits): ParsedItems | undefined {
  const lineAfter = text.slice(end, nextLineStart(text, end));
  const endsList = lineAfter.charCodeAt(base.seqIndent) !== 45; // no dash: the list ends there
  const head = `${' '.repeat(base.keyIndent)}steps:\n`;
  const source = head + text.slice(start, end) + lineAfter;
  const doc: Document.Parsed = parseDocument(source, PARSE_OPTIONS);
  const seq = isMap(doc.contents) ? doc.contents.items[0]?.value : undefined;
  if (doc.errors.length || doc.warnings.length || !isSeq(seq) || seq.flow) return undefined;
  const items = endsList ? seq.items : seq.items.slice(0, -1);
  // A dash line at the list's column always starts an item in a clean parse; checked all the same, so a wrong cut can never pass.
  if (items.length !== count || (items.length === 0 && endsList)) return undefined;
  if (items.some((item) => {
    if (!isMap(item) || item.flow) return true;
    const shape = treeShape(item, limits.maxNestingDepth - 2);
    return shape.anchorOrAlias || shape.tooDeep !== undefined;
  })) return undefined;
  // Written with no anchor or alias (checked above) and no merge key (the base rules out directives): read as a whole parse reads such a playbook.
  const data = toPlainData(doc, source, limits, true);
  if (!('value' in data)) return undefined;
  const values = (data.value as { steps: unknown[] }).steps.slice(0, items.length);
  const offset = start - head.length;
  for (const item of items) shiftPositions(item, 0, offset);
  return { items: items as YAMLMap[], values, endsList, endsText: lineAfter === '', wrapper: { doc: offsetRange(doc.range, offset), root: offsetRange(doc.contents?.range, offset), seq: offsetRange(seq.range, offset) } };
}

interface ParsedItems {
  items: YAMLMap[];
  values: unknown[];
  /** The line after the items ends the list; `endsText`: nothing comes after it at all. */
  endsList: boolean;
  endsText: boolean;
  /** Ranges of the parse's own document, map and list, in the new text's offsets: where the real ones end when they end with these items. */
  wrapper: Record<'doc' | 'root' | 'seq', Range | undefined>;
}
