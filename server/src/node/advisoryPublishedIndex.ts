/**
 * The published index of an advisory zip: `<zip>.playbook-index`, written beside the zip by
 * `playbook advisories --write-index` where the zip is made (the security team's mirror job;
 * advisoryIndexBuild.ts), and read by every load that has no cache of its own (a fresh machine,
 * every CI run). It holds what parsing gave for each JSON entry (records prepared for the index,
 * compact bodies, problems), filed under the entry's content identity as the zip's central
 * directory declares it: name, CRC-32 and size; and the package table of the whole zip.
 *
 * A load uses the table as it is when the zip is its only source and every entry is the one
 * indexed; else it takes from the index each entry whose identity is equal and parses the others.
 * So an index older than its zip, or one from another zip, costs time and never changes an answer.
 * One written by another version of playbook, or under other limits, is not read at all. The file
 * is not trusted: a wrong size, checksum or shape means it is ignored.
 *
 *   header (one line of JSON: magic, format, tool version, shape, the writer's entry and base,
 *           section sizes, CRC-32)
 *   entries JSON (names, CRC-32s, sizes) | per-entry JSON (advisoryCacheItems.ts) |
 *   table JSON (advisoryCacheIndex.ts) | record bodies (the table's records first, by number)
 *
 * Paths inside are those of the machine that wrote it (`base`): a load elsewhere moves them to
 * where the zip is now (record sources, problems, notes). Record bodies keep the writer's paths;
 * their source is moved as they are read, and the store does not cache such bodies.
 */
import type { RecordBody } from '../core/advisories/preparedRecord.js';
import { decodeRecordBody } from '../core/advisories/recordBody.js';
import type { AdvisoryProblem } from '../core/advisories/snapshot.js';
import { crc32, TOOL_VERSION } from './advisoryCache.js';
import { isCount, isObject, isString, isStrings, readIndexJson, type CachedLoad } from './advisoryCacheIndex.js';
import { readItemsJson } from './advisoryCacheItems.js';
import type { ParsedItem } from './advisoryParse.js';
import type { ScannedSource } from './advisoryScan.js';
import { readFileBounded } from './readFile.js';
import type { ZipEntryRef } from './zipEntries.js';

export const INDEX_MAGIC = 'incident-playbook advisory index';
export const INDEX_FORMAT = 2;
export const PUBLISHED_INDEX_SUFFIX = '.playbook-index';
const HEADER_MAX = 64 * 1024;

export interface IndexHeader {
  magic: string;
  format: number;
  tool: string;
  /** The source kind and limits the entries were parsed under (`sourceShape`). */
  shape: string;
  /** The policy entry and the zip's path (`<path>!`) where it was written: every record source and problem path starts with the base. */
  entry: string;
  base: string;
  /** Bytes of the entries, per-entry and table JSON, and of the bodies. */
  sizes: [number, number, number, number];
  crc: number;
}

export interface IndexEntries {
  names: string[];
  crcs: number[];
  sizes: number[];
}

/** The whole zip's load as the index gives it: source status, problems and table, and each indexed record's body. */
export interface WholeZip {
  load: CachedLoad;
  body: (record: number) => RecordBody | undefined;
}

export function publishedIndexPath(zipPath: string): string {
  return zipPath + PUBLISHED_INDEX_SUFFIX;
}

export class PublishedIndex {
  private byName: Map<string, number> | undefined;
  private items: ParsedItem[] | null | undefined;

  constructor(
    private readonly header: IndexHeader,
    private readonly entries: IndexEntries,
    private readonly scanned: ScannedSource,
    private readonly sections: { items: Buffer; table: Buffer; blob: Buffer },
  ) {}

  /** Whether the zip lists exactly the entries indexed, in the same order, each with the same CRC-32 and size. */
  coversExactly(refs: readonly ZipEntryRef[]): boolean {
    const { names, crcs, sizes } = this.entries;
    if (refs.length !== names.length) return false;
    for (let i = 0; i < refs.length; i++) if (refs[i]!.name !== names[i] || refs[i]!.crc !== crcs[i] || refs[i]!.size !== sizes[i]) return false;
    return true;
  }

  /** The zip's load from the table section, with the directory's own problems (`sourceProblems`) first; undefined when out of shape. */
  whole(sourceProblems: readonly AdvisoryProblem[]): WholeZip | undefined {
    const { entry, base } = this.header;
    const read = readIndexJson(this.sections.table.toString('utf8'), [{ entry, path: base.slice(0, -1) }], this.sections.blob.length);
    if (!read) return undefined;
    const { load, offsets } = read;
    const move = mover(base, this.here, this.scanned.ref.entry);
    const table = { ...load.table, problems: load.table.problems.map(move.text), notes: load.table.notes.map(move.text) };
    const sources = load.sources.map((status) => ({ ...status, entry: this.scanned.ref.entry, path: this.scanned.ref.path }));
    const blob = this.sections.blob;
    const body = (record: number): RecordBody | undefined => {
      if (record >= table.counts.records) return undefined;
      const decoded = decodeRecordBody(blob.toString('utf8', offsets[record], offsets[record + 1]));
      if (decoded) decoded.source = move.text(decoded.source);
      return decoded;
    };
    return { load: { sources, fileProblems: [...sourceProblems, ...load.fileProblems.map(move.problem)], table }, body };
  }

  /** The item parsed from an entry with this name, CRC-32 and size, if the index has one. */
  itemFor(ref: ZipEntryRef): ParsedItem | undefined {
    if (!this.byName) {
      this.byName = new Map();
      this.entries.names.forEach((name, at) => this.byName!.set(name, at));
    }
    const at = this.byName.get(ref.name);
    if (at === undefined || this.entries.crcs[at] !== ref.crc || this.entries.sizes[at] !== ref.size) return undefined;
    this.items ??= this.readItems();
    return this.items?.[at];
  }

  private get here(): string {
    return `${this.scanned.ref.path}!`;
  }

  /** Every entry's item, moved here; null when the section is out of shape. */
  private readItems(): ParsedItem[] | null {
    const memory = readItemsJson(this.sections.items.toString('utf8'), [this.scanned], this.sections.blob, [this.here])?.[0];
    if (!memory || memory.items.length !== this.entries.names.length || memory.items.includes(undefined)) return null;
    const items = memory.items as ParsedItem[];
    const move = mover(this.header.base, this.here, this.scanned.ref.entry);
    const foreign = this.header.base !== this.here;
    // Sources were read with this zip's path; only the few problem texts still name the writer's.
    for (const item of items) {
      for (const { meta } of item.records) if (meta.problems.length > 0) meta.problems = meta.problems.map(move.text);
      if (item.problems.length > 0) item.problems = item.problems.map(move.problem);
      if (foreign && item.records.length > 0) item.foreignBodies = true;
    }
    return items;
  }
}

/** Moves texts that name the writer's zip to this one, and problems to this policy entry. */
function mover(from: string, to: string, entry: string): { text: (t: string) => string; problem: (p: AdvisoryProblem) => AdvisoryProblem } {
  const text = (t: string): string => (from === to || !t.includes(from) ? t : t.split(from).join(to));
  return { text, problem: (p) => ({ ...p, entry, file: p.file === from.slice(0, -1) ? to.slice(0, -1) : text(p.file), message: text(p.message) }) };
}

/**
 * The index beside the zip `scanned` stands for, read under `shape`; undefined when there is none
 * or it is not one this load can trust (another format, tool version or shape, a wrong size or
 * checksum, entries out of shape). `maxBytes` bounds the read. Sections are parsed when used.
 */
export function readPublishedIndex(scanned: ScannedSource, shape: string, maxBytes: number): PublishedIndex | undefined {
  const bytes = readFileBounded(publishedIndexPath(scanned.ref.path), maxBytes);
  if (!bytes) return undefined;
  const newline = bytes.subarray(0, HEADER_MAX).indexOf(10);
  const header = newline > 0 ? readHeader(bytes.toString('utf8', 0, newline)) : undefined;
  if (!header || header.shape !== shape) return undefined;
  const ends: number[] = [];
  for (const size of header.sizes) ends.push((ends[ends.length - 1] ?? newline + 1) + size);
  const [entriesEnd, itemsEnd, tableEnd, bodiesEnd] = ends as [number, number, number, number];
  if (bodiesEnd !== bytes.length || crc32(bytes.subarray(newline + 1)) !== header.crc) return undefined;
  const entries = readEntries(bytes.toString('utf8', newline + 1, entriesEnd));
  if (!entries) return undefined;
  const sections = { items: bytes.subarray(entriesEnd, itemsEnd), table: bytes.subarray(itemsEnd, tableEnd), blob: bytes.subarray(tableEnd) };
  return new PublishedIndex(header, entries, scanned, sections);
}

function readEntries(text: string): IndexEntries | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isStrings(value['names'])) return undefined;
  const { names, crcs, sizes } = value as Partial<IndexEntries>;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.length === names!.length && v.every(isCount);
  return numbers(crcs) && numbers(sizes) ? { names: names!, crcs, sizes } : undefined;
}

function readHeader(line: string): IndexHeader | undefined {
  let value: Partial<IndexHeader>;
  try {
    value = JSON.parse(line) as Partial<IndexHeader>;
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.magic !== INDEX_MAGIC || value.format !== INDEX_FORMAT || value.tool !== TOOL_VERSION) return undefined;
  const sizes = value.sizes;
  if (!isString(value.shape) || !isString(value.entry) || !isString(value.base) || !value.base.endsWith('!') || !Number.isSafeInteger(value.crc)) return undefined;
  return Array.isArray(sizes) && sizes.length === 4 && sizes.every(isCount) ? (value as IndexHeader) : undefined;
}
