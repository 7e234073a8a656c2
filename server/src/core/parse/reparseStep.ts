/**
 * The incremental re-parse of one item of the block `steps:` list (see reparse.ts): only that
 * item's text is parsed; the previous tree takes the new item, every later position moves by the
 * edit's length, and the plain data and the model are patched.
 */
import { isMap, isSeq, parseDocument, type Document, type Range, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Limits } from '../limits.js';
import { buildStep } from './buildModel.js';
import type { IncrementalBase, ParsedPlaybook, StepModel } from './model.js';
import { estimateTextNesting, findTooDeep, longestLine } from './nesting.js';
import { PARSE_OPTIONS } from './parsePlaybook.js';
import { hasAnchorOrAlias, movedRange, offsetRange } from './reparseTree.js';
import { shiftPositions } from './shiftRanges.js';
import { chunkForEdit, isOneItemShape, nextLineStart } from './stepChunks.js';
import type { ChangedRegion } from './textDiff.js';
import { findPair, nodeRange } from './yamlNodes.js';

/** The new parse when the edit in `region` lies inside one step; undefined leaves it to another way. The caller has checked the base and the limits. */
export function reparseOneStep(previous: ParsedPlaybook, base: IncrementalBase, text: string, region: ChangedRegion, limits: Limits): ParsedPlaybook | undefined {
  const doc = previous.yaml!;
  const root = doc.contents as YAMLMap;
  const stepsPair = findPair(root, 'steps');
  const seq = stepsPair?.value as YAMLSeq | undefined;
  const data = previous.data as { steps?: unknown } | undefined;
  if (!stepsPair || !isSeq(seq) || !data || !Array.isArray(data.steps) || data.steps.length !== seq.items.length) return undefined;
  const chunk = chunkForEdit(previous.text, seq.items, base.seqIndent, region.start);
  // An edit after the last item's chunk (in a block after `steps`) is not in a step; one right at its end may be (a line added to the item).
  if (!chunk || region.start > chunk.end) return undefined;
  const delta = text.length - previous.text.length;
  // The diff may place a deletion's end past the chunk (into the next dash line's indentation): fine while the text after the chunk is unchanged.
  if (chunk.end + delta <= chunk.start || (region.oldEnd > chunk.end && previous.text.slice(chunk.end, region.oldEnd) !== text.slice(chunk.end + delta, region.newEnd))) return undefined;
  const parsedItem = parseChunk(text, chunk.start, chunk.end + delta, base, limits);
  if (!parsedItem) return undefined;
  const { item, value } = parsedItem;
  const keep = chunk.start + base.seqIndent; // the item's dash, which the new chunk keeps in place
  const ancestors = [
    { node: doc as unknown as { range: Range }, endsHere: parsedItem.endsText, own: parsedItem.wrapper.doc },
    { node: root as { range: Range }, endsHere: parsedItem.endsText, own: parsedItem.wrapper.root },
    { node: seq as { range: Range }, endsHere: parsedItem.endsText || parsedItem.endsList, own: parsedItem.wrapper.seq },
  ];
  const moved = ancestors.map(({ node, endsHere, own }) => movedRange(node.range, chunk, keep, delta, endsHere, own));
  if (moved.some((r) => r === undefined)) return undefined;

  // From here on the previous tree becomes the new one.
  base.consumed = true;
  seq.items[chunk.index] = item;
  for (let j = chunk.index + 1; j < seq.items.length; j++) shiftPositions(seq.items[j], chunk.end, delta);
  for (const pair of root.items) if (pair !== stepsPair) shiftPositions(pair, chunk.end, delta);
  ancestors.forEach(({ node }, k) => moved[k]!.forEach((p, i) => (node.range[i] = p)));

  const steps: StepModel[] = previous.model.steps.slice();
  steps[chunk.index] = buildStep(item, chunk.index);
  for (let j = chunk.index + 1; j < steps.length; j++) steps[j] = { ...steps[j]!, range: nodeRange(steps[j]!.node) };
  const stepsData = data.steps.slice();
  stepsData[chunk.index] = value;
  return {
    text,
    yaml: doc,
    data: { ...data, steps: stepsData },
    parseFindings: [],
    model: { ...previous.model, steps },
    incremental: { ...base, consumed: false },
    change: { from: previous, key: 'steps', stepIndex: chunk.index, at: chunk.end, delta },
  };
}

/**
 * The one step item of `text` in [start, end), when it parses cleanly and stays well within the
 * limits. It is parsed under a `steps:` key and followed by the line after it (the next item's dash
 * line, or what ends the list), so that where it ends, trailing blank lines and comments included,
 * is decided exactly as in the whole document.
 */
function parseChunk(text: string, start: number, end: number, base: IncrementalBase, limits: Limits): ParsedChunk | undefined {
  const chunk = text.slice(start, end);
  if (!isOneItemShape(chunk, base.seqIndent, end === text.length) || chunk.includes('\u0000')) return undefined;
  // Limits close to being hit are left to the full parse, which reports them exactly.
  if (longestLine(chunk).length > limits.maxLineLength || estimateTextNesting(chunk, limits.maxNestingDepth * 4 - 4)) return undefined;
  const lineAfter = text.slice(end, nextLineStart(text, end));
  const endsList = lineAfter.charCodeAt(base.seqIndent) !== 45; // no dash: the list ends there
  const head = `${' '.repeat(base.keyIndent)}steps:\n`;
  const doc: Document.Parsed = parseDocument(head + chunk + lineAfter, PARSE_OPTIONS);
  const seq = isMap(doc.contents) ? doc.contents.items[0]?.value : undefined;
  if (doc.errors.length || doc.warnings.length || !isSeq(seq) || seq.flow || seq.items.length !== (endsList ? 1 : 2)) return undefined;
  const item = seq.items[0];
  if (!isMap(item) || item.flow || hasAnchorOrAlias(item) || findTooDeep(item, limits.maxNestingDepth - 2)) return undefined;
  let value: unknown;
  try {
    value = (doc.toJS({ maxAliasCount: limits.maxAliasCount }) as { steps: unknown[] }).steps[0];
  } catch {
    return undefined;
  }
  const offset = start - head.length;
  shiftPositions(item, 0, offset);
  return { item, value, endsList, endsText: lineAfter === '', wrapper: { doc: offsetRange(doc.range, offset), root: offsetRange(doc.contents?.range, offset), seq: offsetRange(seq.range, offset) } };
}

interface ParsedChunk {
  item: YAMLMap;
  value: unknown;
  /** The line after the chunk ends the list; `endsText`: nothing comes after it at all. */
  endsList: boolean;
  endsText: boolean;
  /** Ranges of the parse's own document, map and list, in the new text's offsets: where the real ones end when they end with this item. */
  wrapper: Record<'doc' | 'root' | 'seq', Range | undefined>;
}
