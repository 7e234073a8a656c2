/**
 * Re-parse after an edit, at the cost of the edit rather than of the document: when the edit falls
 * inside one item of the block `steps:` list, only that item's text is parsed; the previous tree
 * takes the new item, every later position moves by the edit's length, and the plain data and the
 * model are patched. Anything else (an edit in the header, across items, adding or removing a step,
 * a YAML error before or after, anchors, directives, a limit in reach) gets a full parse, so the
 * result is always what `parsePlaybook` gives for the new text.
 *
 * The previous parse's tree is taken over, not copied: once reused, the previous ParsedPlaybook
 * must no longer be read (its `incremental.consumed` says so, and a second reuse is refused).
 */
import { isAlias, isMap, isPair, isSeq, parseDocument, type Document, type Node, type Range, type YAMLMap, type YAMLSeq } from 'yaml';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { buildStep } from './buildModel.js';
import type { IncrementalBase, ParsedPlaybook, StepModel } from './model.js';
import { estimateTextNesting, findTooDeep, longestLine } from './nesting.js';
import { PARSE_OPTIONS, parsePlaybook } from './parsePlaybook.js';
import { shiftPositions } from './shiftRanges.js';
import { chunkForEdit, isOneItemShape, nextLineStart, type Chunk } from './stepChunks.js';
import { changedRegion } from './textDiff.js';
import { findPair, nodeRange } from './yamlNodes.js';

/** `parsePlaybook(text, limits)`, re-using `previous` (an earlier version of the same document) where it can. */
export function reparsePlaybook(previous: ParsedPlaybook | undefined, text: string, limits: Limits = DEFAULT_LIMITS): ParsedPlaybook {
  if (previous && previous.text === text && previous.incremental && !previous.incremental.consumed && sameLimits(previous.incremental.limits, limits)) return previous;
  return (previous && reparseOneStep(previous, text, limits)) ?? parsePlaybook(text, limits);
}

function reparseOneStep(previous: ParsedPlaybook, text: string, limits: Limits): ParsedPlaybook | undefined {
  const base = previous.incremental;
  const doc = previous.yaml;
  if (!base || base.consumed || !doc || !sameLimits(base.limits, limits) || text.length > limits.maxDocumentLength) return undefined;
  const root = doc.contents as YAMLMap;
  const stepsPair = findPair(root, 'steps');
  const seq = stepsPair?.value as YAMLSeq | undefined;
  const data = previous.data as { steps?: unknown } | undefined;
  if (!stepsPair || !isSeq(seq) || !data || !Array.isArray(data.steps) || data.steps.length !== seq.items.length) return undefined;
  const region = changedRegion(previous.text, text);
  const chunk = chunkForEdit(previous.text, seq.items, base.seqIndent, region.start);
  if (!chunk) return undefined;
  const delta = text.length - previous.text.length;
  // The diff may place a deletion's end past the chunk (into the next dash line's indentation): fine while the text after the chunk is unchanged.
  if (chunk.end + delta <= chunk.start || (region.oldEnd > chunk.end && previous.text.slice(chunk.end, region.oldEnd) !== text.slice(chunk.end + delta, region.newEnd))) return undefined;
  const parsedItem = parseChunk(text, chunk.start, chunk.end + delta, base, limits);
  if (!parsedItem) return undefined;
  const { item, value } = parsedItem;
  const ancestors = [
    { name: 'doc', node: doc as unknown as { range: Range } },
    { name: 'root', node: root as { range: Range } },
    { name: 'seq', node: seq as { range: Range } },
  ] as const;
  const moved = ancestors.map(({ name, node }) => movedRange(node.range, name, chunk, base.seqIndent, delta, parsedItem));
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
  const moved = (range: Range | null | undefined): Range | undefined => (range ? (range.map((p) => p + offset) as Range) : undefined);
  return { item, value, endsList, endsText: lineAfter === '', wrapper: { doc: moved(doc.range), root: moved(doc.contents?.range), seq: moved(seq.range) } };
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

/**
 * The range of an ancestor of the edited item (document, root map, steps list) in the new text.
 * Positions up to the item's dash stay. An ancestor that ends with this item (the list when the
 * item is its last, everything when the item ends the text) ends where the chunk's own parse says
 * it does, since that depends only on the item and the line after it. Other positions after the
 * chunk move with the edit; one inside the chunk is unexpected: undefined.
 */
function movedRange(range: Range, ancestor: 'doc' | 'root' | 'seq', chunk: Chunk, seqIndent: number, delta: number, parsed: ParsedChunk): Range | undefined {
  const endsHere = parsed.endsText || (ancestor === 'seq' && parsed.endsList);
  const own = parsed.wrapper[ancestor];
  if (endsHere && !own) return undefined;
  const out = [...range] as Range;
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    if (p <= chunk.start + seqIndent) continue; // up to the item's dash, which the new chunk keeps in place
    if (endsHere && i > 0) out[i] = own![i]!;
    else if (p >= chunk.end) out[i] = p + delta;
    else return undefined;
  }
  return out;
}

function hasAnchorOrAlias(root: Node): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) return true;
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    if (node && typeof node === 'object') {
      if ((node as { anchor?: string }).anchor) return true;
      const items = (node as { items?: unknown }).items;
      if (Array.isArray(items)) stack.push(...items);
    }
  }
  return false;
}

function sameLimits(a: Limits, b: Limits): boolean {
  return (Object.keys(DEFAULT_LIMITS) as Array<keyof Limits>).every((key) => a[key] === b[key]);
}
