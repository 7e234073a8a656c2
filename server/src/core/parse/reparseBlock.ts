/**
 * The incremental re-parse of one top-level block other than `steps` (`title`, `owners`,
 * `services`, `channels`, `trigger`, …; see reparse.ts): only the text from its key's line to the
 * next key's line is parsed; the previous tree takes the new pair, every later position moves by the
 * edit's length, and the plain data and the model are patched. The steps tree is kept as it is,
 * moved when the block comes before it.
 *
 * The block must keep its key: renaming it, adding a second key or removing the block (uniqueness,
 * `steps` appearing or going) is left to the full parse.
 */
import { isMap, isScalar, parseDocument, type Document, type Node, type Pair, type Range, type YAMLMap } from 'yaml';
import type { Limits } from '../limits.js';
import { buildChannel, buildService } from './buildModel.js';
import type { IncrementalBase, ParsedPlaybook, PlaybookModel } from './model.js';
import { estimateTextNesting, findTooDeep, longestLine } from './nesting.js';
import { PARSE_OPTIONS } from './parseOptions.js';
import { hasAnchorOrAlias, movedRange, offsetRange, type Chunk } from './reparseTree.js';
import { shiftPositions } from './shiftRanges.js';
import { endsAtLineBreak, firstNonSpace, lastChunkEnd, laterLinesWithin, nextLineStart } from './stepChunks.js';
import type { ChangedRegion } from './textDiff.js';
import { mapKeys, nodeRange, scalarText } from './yamlNodes.js';

/** The new parse when the edit in `region` lies inside one top-level block other than `steps`; undefined leaves it to the full parse. */
export function reparseTopLevelBlock(previous: ParsedPlaybook, base: IncrementalBase, text: string, region: ChangedRegion, limits: Limits): ParsedPlaybook | undefined {
  const doc = previous.yaml!;
  const root = doc.contents as YAMLMap;
  const data = previous.data;
  if (!isMap(root) || root.flow || !isPlainObject(data)) return undefined;
  const blocks = blockLines(previous.text, root);
  if (!blocks) return undefined;
  const index = blockAt(blocks.lineStarts, region.start);
  // An edit at the start of a key's line may as well have been typed at the end of the block before it (a line added there).
  return reparseBlockAt(previous, base, text, region, limits, blocks, index)
    ?? (index > 0 && blocks.lineStarts[index] === region.start ? reparseBlockAt(previous, base, text, region, limits, blocks, index - 1) : undefined);
}

function reparseBlockAt(previous: ParsedPlaybook, base: IncrementalBase, text: string, region: ChangedRegion, limits: Limits, blocks: BlockLines, index: number): ParsedPlaybook | undefined {
  const doc = previous.yaml!;
  const root = doc.contents as YAMLMap;
  const data = previous.data as Record<string, unknown>;
  const chunk = blockChunk(previous.text, root, blocks, index);
  if (!chunk) return undefined;
  const { indent } = blocks;
  const key = plainKey(root.items[chunk.index]);
  if (key === undefined || key === 'steps' || !Object.prototype.hasOwnProperty.call(data, key)) return undefined;
  const delta = text.length - previous.text.length;
  if (chunk.end + delta <= chunk.start || (region.oldEnd > chunk.end && previous.text.slice(chunk.end, region.oldEnd) !== text.slice(chunk.end + delta, region.newEnd))) return undefined;
  const parsed = parseBlock(text, chunk.start, chunk.end + delta, indent, limits);
  if (!parsed || plainKey(parsed.pair) !== key) return undefined;
  const keep = chunk.start + indent; // the key's first character, which the new block keeps in place
  const last = chunk.index === root.items.length - 1;
  const ancestors = [
    { node: doc as unknown as { range: Range }, own: parsed.wrapper.doc },
    { node: root as { range: Range }, own: parsed.wrapper.root },
  ];
  const moved = ancestors.map(({ node, own }) => movedRange(node.range, chunk, keep, delta, last, own));
  if (moved.some((r) => r === undefined)) return undefined;

  // From here on the previous tree becomes the new one.
  base.consumed = true;
  root.items[chunk.index] = parsed.pair;
  for (let j = chunk.index + 1; j < root.items.length; j++) shiftPositions(root.items[j], chunk.end, delta);
  ancestors.forEach(({ node }, k) => moved[k]!.forEach((p, i) => (node.range[i] = p)));
  return {
    text,
    yaml: doc,
    data: { ...data, [key]: parsed.value },
    parseFindings: [],
    model: patchedModel(previous.model, key, parsed.pair, delta !== 0 && !last),
    incremental: { ...base, consumed: false },
    change: { from: previous, key, at: chunk.end, delta },
  };
}

/**
 * The model after block `key` became `pair`: what the model reads from that block is rebuilt, and
 * when later positions moved, so are the steps' ranges (their nodes moved in place).
 */
function patchedModel(model: PlaybookModel, key: string, pair: Pair, moved: boolean): PlaybookModel {
  const out: PlaybookModel = { ...model };
  if (key === 'playbook') out.id = scalarText(pair.value);
  if (key === 'owners') out.ownersPair = pair;
  if (key === 'services') out.services = new Map(mapKeys(pair.value).map(({ key: name, pair: p }) => [name, buildService(name, p)]));
  if (key === 'channels') out.channels = new Map(mapKeys(pair.value).map(({ key: name, pair: p }) => [name, buildChannel(name, p)]));
  if (moved) out.steps = model.steps.map((step) => ({ ...step, range: nodeRange(step.node) }));
  return out;
}

interface BlockLines {
  /** Where each key's line starts. */
  lineStarts: number[];
  /** The keys' column. */
  indent: number;
}

/** The start of each root key's line, when every key starts its own line at the same column. */
function blockLines(text: string, root: YAMLMap): BlockLines | undefined {
  const lineStarts: number[] = [];
  let indent = -1;
  for (const pair of root.items) {
    const keyStart = (pair.key as Node | null)?.range?.[0];
    if (keyStart === undefined) return undefined;
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    if (firstNonSpace(text, lineStart) !== keyStart || (indent >= 0 && keyStart - lineStart !== indent)) return undefined;
    indent = keyStart - lineStart;
    lineStarts.push(lineStart);
  }
  return indent < 0 ? undefined : { lineStarts, indent };
}

/** The last block whose key's line starts at or before `offset` (-1: none, the offset is before the first key). */
function blockAt(lineStarts: readonly number[], offset: number): number {
  let index = -1;
  for (let low = 0, high = lineStarts.length - 1; low <= high;) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid]! <= offset) {
      index = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return index;
}

/**
 * Block `index` of the root map: from the start of its key's line to the start of the next key's
 * line, or for the last block to the end of the text (which only blank lines and comments may
 * follow).
 */
function blockChunk(text: string, root: YAMLMap, { lineStarts }: BlockLines, index: number): Chunk | undefined {
  if (index < 0) return undefined;
  const pair = root.items[index]!;
  const end = index + 1 < lineStarts.length ? lineStarts[index + 1] : lastChunkEnd(text, (pair.value ?? pair.key) as Node);
  if (end === undefined || (index + 1 === lineStarts.length && end !== text.length)) return undefined;
  return { index, start: lineStarts[index]!, end };
}

/**
 * The one pair of `text` in [start, end), when it parses cleanly and stays well within the limits.
 * It is parsed followed by the line after it (the next key's line), so that where it ends, trailing
 * blank lines and comments included, is decided exactly as in the whole document.
 */
function parseBlock(text: string, start: number, end: number, indent: number, limits: Limits): ParsedBlock | undefined {
  const block = text.slice(start, end);
  if (!isOnePairShape(block, indent, end === text.length) || block.includes('\u0000')) return undefined;
  // Limits close to being hit are left to the full parse, which reports them exactly.
  if (longestLine(block).length > limits.maxLineLength || estimateTextNesting(block, limits.maxNestingDepth * 4 - 4)) return undefined;
  const lineAfter = text.slice(end, nextLineStart(text, end));
  const doc: Document.Parsed = parseDocument(block + lineAfter, PARSE_OPTIONS);
  const map = doc.contents;
  if (doc.errors.length || doc.warnings.length || !isMap(map) || map.flow || map.items.length !== (lineAfter ? 2 : 1)) return undefined;
  const pair = map.items[0]!;
  if (hasAnchorOrAlias(pair.key) || (pair.value && hasAnchorOrAlias(pair.value)) || findTooDeep(map, limits.maxNestingDepth)) return undefined;
  let value: unknown;
  try {
    const plain = doc.toJS({ maxAliasCount: limits.maxAliasCount }) as unknown;
    if (!isPlainObject(plain)) return undefined;
    value = plain[String(plainKey(pair))];
  } catch {
    return undefined;
  }
  shiftPositions(pair, 0, start);
  return { pair, value, wrapper: { doc: offsetRange(doc.range, start), root: offsetRange(map.range, start) } };
}

interface ParsedBlock {
  pair: Pair;
  value: unknown;
  /** Ranges of the parse's own document and map, in the new text's offsets: where the real ones end when they end with this block. */
  wrapper: Record<'doc' | 'root', Range | undefined>;
}

/**
 * Whether `block` still has the shape of one pair at `indent`: its first line starts with the key
 * at that column, and every later line is blank, a comment, indented deeper, or an item of a list
 * written at the key's own column (`steps:\n- id: …` is YAML's compact form). It must also end at a
 * line break, unless it ends the text.
 */
function isOnePairShape(block: string, indent: number, endsText: boolean): boolean {
  if (firstNonSpace(block, 0) !== indent) return false;
  const first = block.charCodeAt(indent);
  if (first === 35 || first === 45 || first === 10 || first === 13) return false; // a comment, a dash or nothing where the key goes
  return endsAtLineBreak(block, endsText) && laterLinesWithin(block, indent);
}

/** A key written as a plain string (the only kind whose block is re-parsed alone). */
function plainKey(pair: Pair | undefined): string | undefined {
  const key = pair?.key;
  return isScalar(key) && typeof key.value === 'string' && key.value !== '__proto__' ? key.value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
