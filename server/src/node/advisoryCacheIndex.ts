/**
 * The index section of an advisory cache file: the package table, counts, problems and source
 * statuses as JSON, and the checks that what was read back is shaped as written. A cache file is
 * not trusted: a value of the wrong shape makes the whole file unusable, never a wrong table.
 */
import type { AdvisoryCounts } from '../core/advisories/advisoryIndex.js';
import type { IndexTable } from '../core/advisories/indexTable.js';
import type { AdvisoryProblem, SourceStatus } from '../core/advisories/snapshot.js';
import type { SourceRef } from './advisoryScan.js';

/** A load as the cache keeps it. */
export interface CachedLoad {
  sources: SourceStatus[];
  /** The problems of files and sources (the index's own are in `table`). */
  fileProblems: AdvisoryProblem[];
  table: Omit<IndexTable, 'kept'>;
}

interface IndexJson {
  sources: SourceStatus[];
  fileProblems: AdvisoryProblem[];
  counts: AdvisoryCounts;
  problems: string[];
  notes: string[];
  keys: string[];
  pairs: number[][];
  /** Byte offsets of each body in the blob (the indexed records' first, by number, then the others'), and its end. */
  offsets: number[];
}

export function indexJson(load: CachedLoad, offsets: number[]): string {
  const { filings, counts, problems, notes } = load.table;
  const value: IndexJson = { sources: load.sources, fileProblems: load.fileProblems, counts, problems, notes, keys: [...filings.keys()], pairs: [...filings.values()], offsets };
  return JSON.stringify(value);
}

/** The load and the record offsets, or undefined when anything is out of shape. */
export function readIndexJson(text: string, refs: readonly SourceRef[], blobBytes: number): { load: CachedLoad; offsets: number[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { sources, fileProblems, counts, problems, notes, keys, pairs, offsets } = value as Partial<Record<keyof IndexJson, unknown>>;
  if (!isCounts(counts) || !isStrings(problems) || !isStrings(notes) || !isStrings(keys)) return undefined;
  if (!Array.isArray(sources) || sources.length !== refs.length || !sources.every((s, i) => isStatus(s, refs[i]!))) return undefined;
  if (!Array.isArray(fileProblems) || !fileProblems.every(isProblem)) return undefined;
  if (!isOffsets(offsets, counts.records, blobBytes) || !Array.isArray(pairs) || pairs.length !== keys.length) return undefined;
  const filings = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const list = pairs[i];
    if (!isPairs(list, counts.records) || filings.has(keys[i]!)) return undefined;
    filings.set(keys[i]!, list);
  }
  return { load: { sources, fileProblems, table: { filings, counts, problems, notes } }, offsets };
}

type Loose = Record<string, unknown>;

export const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
export const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function isCounts(v: unknown): v is AdvisoryCounts {
  if (!isObject(v) || !isCount(v['records']) || !isCount(v['withdrawn']) || !isCount(v['duplicates']) || !isObject(v['byEcosystem'])) return false;
  return Object.values(v['byEcosystem']).every(isCount);
}

function isStatus(v: unknown, ref: SourceRef): v is SourceStatus {
  if (!isObject(v) || v['entry'] !== ref.entry || v['path'] !== ref.path || !isCount(v['records'])) return false;
  return ['folder', 'zip', 'file', 'missing'].includes(v['kind'] as string) && (v['problem'] === undefined || isString(v['problem']));
}

export function isProblem(v: unknown): v is AdvisoryProblem {
  return isObject(v) && isString(v['entry']) && isString(v['file']) && isString(v['message']) && (v['severity'] === 'warning' || v['severity'] === 'info');
}

/** From 0 to the blob's end, never going back, with a body for each of the first `records` at least. */
export function isOffsets(v: unknown, records: number, blobBytes: number): v is number[] {
  if (!Array.isArray(v) || v.length < records + 1 || v[0] !== 0 || v[v.length - 1] !== blobBytes) return false;
  for (let i = 1; i < v.length; i++) if (!isCount(v[i]) || v[i] < v[i - 1]) return false;
  return true;
}

/** `[record, entry, …]`: records below the count, entries small whole numbers. */
function isPairs(v: unknown, records: number): v is number[] {
  if (!Array.isArray(v) || v.length === 0 || v.length % 2 !== 0) return false;
  for (let i = 0; i < v.length; i += 2) if (!isCount(v[i]) || v[i] >= records || !isCount(v[i + 1])) return false;
  return true;
}
