/**
 * The per-file section of an advisory cache file: what each file (or zip entry) of the cached load
 * gave, its problems and its prepared records, each record pointing at its body in the file's blob.
 * A later load whose sources changed takes every file whose stat did not change from here and
 * parses only the others; the package table is then assembled again over all of them, so whatever
 * depends on more than one file (duplicates, counts, notes) comes out as a full parse gives it.
 *
 * Kept column by column (one array per field, lookup keys and ecosystem lists numbered once) so
 * 50,000 records cost a few megabytes and one quick JSON.parse. Read only when the sources
 * changed; a section that is out of shape means no reuse, never a wrong record.
 */
import type { RecordMeta } from '../core/advisories/preparedRecord.js';
import type { AdvisoryProblem } from '../core/advisories/snapshot.js';
import { isCount, isObject, isOffsets, isProblem, isString, isStrings } from './advisoryCacheIndex.js';
import type { BodyBytes, ParsedItem, ParsedRecord } from './advisoryParse.js';
import type { SourceMemory } from './advisoryPlan.js';
import type { ScannedSource } from './advisoryScan.js';

/** What a load remembers of one source: its own problems and one item per file or zip entry. */
export interface RememberedSource {
  shape: string;
  /** Every record's source starts with this (the folder's path and separator, `zip!`, the file). */
  base: string;
  problems: AdvisoryProblem[];
  items: ParsedItem[];
}

interface SectionSource {
  shape: string;
  base: string;
  problems: AdvisoryProblem[];
  items: number;
}

interface ItemsJson {
  /** Per source of the load; null when it is not remembered. */
  sources: (SectionSource | null)[];
  /** Per item, over every remembered source in order: how many problems and records it has. */
  itemProblems: number[];
  itemRecords: number[];
  problems: AdvisoryProblem[];
  /** Per record: its fields, its source after the base, and its body's number (-1: withdrawn, no body). */
  ids: string[];
  modified: string[];
  suffixes: string[];
  bodies: number[];
  /** Per record its number of lookup keys; then each key (numbered in `keyNames`) and its entry. */
  keyCounts: number[];
  keys: number[];
  entries: number[];
  keyNames: string[];
  /** Per record, its list of ecosystems, numbered in `ecosystemLists`. */
  ecosystems: number[];
  ecosystemLists: string[][];
  /** `[record, messages]` for the few records with problems. */
  recordProblems: [number, string[]][];
  /** Byte offsets of each body in the blob, and its end. */
  offsets: number[];
}

/** `bodyNumbers[i]`: the body of the i-th record met (source by source, item by item) or -1. Undefined when a record's source does not start with its base. */
export function itemsJson(sources: readonly (RememberedSource | null)[], bodyNumbers: Int32Array, offsets: number[]): string | undefined {
  const out: ItemsJson = { sources: [], itemProblems: [], itemRecords: [], problems: [], ids: [], modified: [], suffixes: [], bodies: [], keyCounts: [], keys: [], entries: [], keyNames: [], ecosystems: [], ecosystemLists: [], recordProblems: [], offsets };
  const keyNumbers = new Map<string, number>();
  const listNumbers = new Map<string, number>();
  for (const source of sources) {
    out.sources.push(source && { shape: source.shape, base: source.base, problems: source.problems, items: source.items.length });
    for (const item of source?.items ?? []) {
      out.itemProblems.push(item.problems.length);
      out.itemRecords.push(item.records.length);
      for (const problem of item.problems) out.problems.push(problem);
      for (const { meta } of item.records) {
        if (!meta.source.startsWith(source!.base)) return undefined;
        const at = out.ids.length;
        out.ids.push(meta.id);
        out.modified.push(meta.modified);
        out.suffixes.push(meta.source.slice(source!.base.length));
        out.bodies.push(bodyNumbers[at]!);
        out.keyCounts.push(meta.keys.length);
        for (let i = 0; i < meta.keys.length; i++) {
          const key = meta.keys[i]!;
          let number = keyNumbers.get(key);
          if (number === undefined) keyNumbers.set(key, (number = out.keyNames.push(key) - 1));
          out.keys.push(number);
          out.entries.push(meta.entries[i]!);
        }
        // Most records name one ecosystem: its name is the key, kept apart from the JSON of a longer list.
        const list = meta.ecosystems.length === 1 ? `1${meta.ecosystems[0]!}` : JSON.stringify(meta.ecosystems);
        let listNumber = listNumbers.get(list);
        if (listNumber === undefined) listNumbers.set(list, (listNumber = out.ecosystemLists.push(meta.ecosystems) - 1));
        out.ecosystems.push(listNumber);
        if (meta.problems.length > 0) out.recordProblems.push([at, meta.problems]);
      }
    }
  }
  return out.ids.length === bodyNumbers.length ? JSON.stringify(out) : undefined;
}

/**
 * Each source as a load's memory (advisoryPlan.ts), its files' stats taken from the cached
 * fingerprint (`scanned`, same order); null for a source not remembered. Record bodies point into
 * `blob`. Record sources start with `bases[i]` when given (the source moved), else with the
 * base written. Undefined when the section does not fit the fingerprint or the blob.
 */
export function readItemsJson(text: string, scanned: readonly ScannedSource[], blob: Buffer, bases?: readonly string[]): (SourceMemory | null)[] | undefined {
  let value: ItemsJson;
  try {
    value = JSON.parse(text) as ItemsJson;
  } catch {
    return undefined;
  }
  if (!isSection(value, scanned, blob.length)) return undefined;
  const ecosystemLists = value.ecosystemLists;
  const problemsOf = new Map(value.recordProblems);
  let item = 0;
  let problem = 0;
  let record = 0;
  let key = 0;
  // Records only read these lists (the table is assembled from them), so records may share them.
  const noProblems: string[] = [];
  const readRecord = (base: string): ParsedRecord => {
    const at = record++;
    const keys: string[] = [];
    for (const end = key + value.keyCounts[at]!; key < end; key++) keys.push(value.keyNames[value.keys[key]!]!);
    const meta: RecordMeta = {
      id: value.ids[at]!,
      modified: value.modified[at]!,
      withdrawn: value.bodies[at]! < 0,
      source: base + value.suffixes[at]!,
      keys,
      entries: value.entries.slice(key - keys.length, key),
      problems: problemsOf.get(at) ?? noProblems,
      ecosystems: ecosystemLists[value.ecosystems[at]!]!,
    };
    const number = value.bodies[at]!;
    if (number < 0) return { meta };
    const body: BodyBytes = { bytes: blob, start: value.offsets[number]!, end: value.offsets[number + 1]! };
    return { meta, body };
  };
  return value.sources.map((source, s) => {
    if (!source) return null;
    const base = bases?.[s] ?? source.base;
    const items: ParsedItem[] = new Array(source.items);
    for (let i = 0; i < source.items; i++, item++) {
      const problemCount = value.itemProblems[item]!;
      const problems = problemCount === 0 ? [] : value.problems.slice(problem, (problem += problemCount));
      const recordCount = value.itemRecords[item]!;
      items[i] = { records: recordCount === 1 ? [readRecord(base)] : Array.from({ length: recordCount }, () => readRecord(base)), problems };
    }
    return { shape: source.shape, scanned: scanned[s]!, items, problems: source.problems, fromCache: true };
  });
}

const isCounts = (v: unknown): v is number[] => Array.isArray(v) && v.every(isCount);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const below = (values: number[], limit: number): boolean => values.every((n) => n < limit);

/** Every count adds up, every number points inside its list, and each folder has one item per file it had. */
function isSection(v: unknown, scanned: readonly ScannedSource[], blobBytes: number): v is ItemsJson {
  if (!isObject(v) || !Array.isArray(v['sources']) || v['sources'].length !== scanned.length) return false;
  const s = v as unknown as ItemsJson;
  const sourcesFit = s.sources.every((source, i) => {
    if (source === null) return true;
    if (!isObject(source) || !isString(source.shape) || !isString(source.base) || !isCount(source.items) || !Array.isArray(source.problems) || !source.problems.every(isProblem)) return false;
    const kind = scanned[i]!.kind;
    return kind === 'zip' || (kind !== 'missing' && source.items === scanned[i]!.names.length);
  });
  if (!sourcesFit || !isCounts(s.itemProblems) || !isCounts(s.itemRecords) || !Array.isArray(s.problems) || !s.problems.every(isProblem)) return false;
  const items = sum(s.sources.map((source) => source?.items ?? 0));
  if (s.itemProblems.length !== items || s.itemRecords.length !== items || sum(s.itemProblems) !== s.problems.length) return false;
  const records = sum(s.itemRecords);
  const perRecord = [s.ids, s.modified, s.suffixes, s.bodies, s.keyCounts, s.ecosystems];
  if (!isStrings(s.ids) || !isStrings(s.modified) || !isStrings(s.suffixes) || !perRecord.every((list) => Array.isArray(list) && list.length === records)) return false;
  if (!isOffsets(s.offsets, 0, blobBytes) || !s.bodies.every((n) => Number.isSafeInteger(n) && n >= -1 && n < s.offsets.length - 1)) return false;
  if (!isCounts(s.keyCounts) || !isCounts(s.keys) || !isCounts(s.entries) || !isStrings(s.keyNames) || s.keys.length !== sum(s.keyCounts) || s.entries.length !== s.keys.length) return false;
  if (!below(s.keys, s.keyNames.length) || !isCounts(s.ecosystems) || !Array.isArray(s.ecosystemLists) || !s.ecosystemLists.every(isStrings) || !below(s.ecosystems, s.ecosystemLists.length)) return false;
  return Array.isArray(s.recordProblems) && s.recordProblems.every((p) => Array.isArray(p) && p.length === 2 && isCount(p[0]) && p[0] < records && isStrings(p[1]));
}
