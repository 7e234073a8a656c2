/**
 * Loaded advisories in the tool's one cache file format (cacheFile.ts), for the per-user cache and
 * for a zip's published index (`<zip>.playbook-index`). Three sections:
 *
 *   load     JSON: source statuses, problems, the package table, where each body starts
 *   records  JSON, in a published index only: each record's facts and body, for a load that
 *            combines the zip with other sources (the table is then assembled again)
 *   bodies   the compact record bodies back to back, the indexed records' first (by number)
 *
 * Each body is checked again when a lookup decodes it (recordBody.ts).
 */
import type { Stats } from 'node:fs';
import { assembleTable, type IndexTable, type RecordMeta, type AdvisoryProblem, type SourceStatus } from '../core/index.js';
import type { ParsedRecord } from './advisoryParse.js';
import { contentKey, encodeCacheFile, parseJson as parse, readCacheFile } from './cacheFile.js';

const MAGIC = 'incident-playbook advisories';

/** The key of content made by this code from `inputs`. */
export function snapshotKey(...inputs: unknown[]): string {
  return contentKey(inputs);
}

/** What a load gave, in order: the sources' statuses, the problems of files, every record parsed. */
export interface SnapshotContent {
  sources: SourceStatus[];
  problems: AdvisoryProblem[];
  records: ParsedRecord[];
}

/** A snapshot file read back (or just encoded): the load with its package table, and the record bodies by number. */
export interface SnapshotFile {
  sources: SourceStatus[];
  problems: AdvisoryProblem[];
  table: Omit<IndexTable, 'kept'>;
  /** Where the writer's paths start (a published index: the zip's path then), so a reader elsewhere can move them. */
  base: string;
  /** The body of indexed record `n`. */
  body(n: number): string | undefined;
  /** Every record with its body, when the file holds them (a published index) and they are in shape. */
  records(): ParsedRecord[] | undefined;
}

interface LoadJson {
  base: string;
  sources: SourceStatus[];
  problems: AdvisoryProblem[];
  table: { keys: string[]; pairs: number[][]; counts: IndexTable['counts']; problems: string[]; notes: string[] };
  offsets: number[];
}

/** The file's bytes (header line first) and the snapshot they hold; `records` keeps every record for a later combined load. */
export function encodeSnapshot(content: SnapshotContent, key: string, base: string, records: boolean): { chunks: Buffer[]; file: SnapshotFile } {
  const metas = content.records.map((r) => r.meta);
  const table = assembleTable(metas);
  const bodyOf = new Array<number>(metas.length).fill(-1);
  const bodies: Uint8Array[] = [];
  for (const at of table.kept) bodyOf[at] = bodies.push(content.records[at]!.body ?? new Uint8Array(0)) - 1;
  if (records) content.records.forEach((r, at) => void (r.body !== undefined && bodyOf[at] === -1 && (bodyOf[at] = bodies.push(r.body) - 1)));
  const offsets = [0];
  for (const body of bodies) offsets.push(offsets[offsets.length - 1]! + body.length);
  const { filings, counts, problems, notes } = table;
  const load: LoadJson = { base, sources: content.sources, problems: content.problems, table: { keys: [...filings.keys()], pairs: [...filings.values()], counts, problems, notes }, offsets };
  const sections = [Buffer.from(JSON.stringify(load)), Buffer.from(records ? JSON.stringify({ metas, bodies: bodyOf }) : ''), Buffer.concat(runs(bodies))];
  const file = snapshotFile(load, table, sections[2]!, () => (records ? content.records : undefined));
  return { chunks: encodeCacheFile(MAGIC, key, sections), file };
}

/** Bodies that lie back to back in one buffer (one parsed slice's) as one piece: copying 50,000 pieces costs more than the bytes. */
function runs(bodies: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const body of bodies) {
    const last = out[out.length - 1];
    if (last && last.buffer === body.buffer && last.byteOffset + last.byteLength === body.byteOffset) out[out.length - 1] = new Uint8Array(body.buffer, last.byteOffset, last.byteLength + body.byteLength);
    else out.push(body);
  }
  return out;
}

/** The file with this key, when everything in it checks out; `maxBytes` bounds the read, `accept` judges the open file. */
export function readSnapshotFile(path: string, key: string, maxBytes: number, accept?: (stat: Stats) => boolean): SnapshotFile | undefined {
  const sections = readCacheFile(path, MAGIC, key, 3, maxBytes, accept);
  if (!sections) return undefined;
  const [loadBytes, recordBytes, bodies] = sections as [Buffer, Buffer, Buffer];
  const load = parse(loadBytes.toString('utf8'));
  if (!isLoad(load, bodies.length)) return undefined;
  const { keys, pairs, counts, problems, notes } = load.table;
  const table = { filings: new Map(keys.map((k, i) => [k, pairs[i]!])), counts, problems, notes };
  return snapshotFile(load, table, bodies, () => readRecords(recordBytes.toString('utf8'), load.offsets, bodies));
}

function snapshotFile(load: LoadJson, table: SnapshotFile['table'], blob: Buffer, records: () => ParsedRecord[] | undefined): SnapshotFile {
  const { offsets } = load;
  const body = (n: number): string | undefined => (n < table.counts.records ? blob.toString('utf8', offsets[n], offsets[n + 1]) : undefined);
  return { sources: load.sources, problems: load.problems, table, base: load.base, body, records };
}

function readRecords(text: string, offsets: number[], blob: Buffer): ParsedRecord[] | undefined {
  const v = parse(text);
  if (!isObject(v) || !Array.isArray(v['metas']) || !v['metas'].every(isMeta) || !below(v['bodies'], offsets.length - 1, -1) || v['bodies'].length !== v['metas'].length) return undefined;
  // Every record's facts, and the number of its body (-1: withdrawn).
  const { metas, bodies } = v as { metas: RecordMeta[]; bodies: number[] };
  return metas.map((meta, i) => (bodies[i]! < 0 ? { meta } : { meta, body: blob.subarray(offsets[bodies[i]!], offsets[bodies[i]! + 1]) }));
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isCounts = (v: unknown): v is number[] => Array.isArray(v) && v.every(isCount);
/** Whole numbers from `from` to below `limit`. */
const below = (v: unknown, limit: number, from = 0): v is number[] => Array.isArray(v) && v.every((n) => Number.isSafeInteger(n) && n >= from && n < limit);

function isProblem(v: unknown): v is AdvisoryProblem {
  return isObject(v) && isString(v['entry']) && isString(v['file']) && isString(v['message']) && (v['severity'] === 'warning' || v['severity'] === 'info');
}

function isStatus(v: unknown): v is SourceStatus {
  if (!isObject(v) || !isString(v['entry']) || !isString(v['path']) || !isCount(v['records']) || !['folder', 'zip', 'file', 'missing'].includes(v['kind'] as string)) return false;
  return ['problem', 'fetchedAt', 'newestModified'].every((k) => v[k] === undefined || isString(v[k]));
}

/** Every part shaped as written: offsets rising from 0 to the end of the bodies, a body for each indexed record, filings within the records. */
function isLoad(v: unknown, bodyBytes: number): v is LoadJson {
  if (!isObject(v) || !isString(v['base']) || !Array.isArray(v['sources']) || !v['sources'].every(isStatus) || !Array.isArray(v['problems']) || !v['problems'].every(isProblem)) return false;
  const { offsets, table } = v as Partial<LoadJson>;
  if (!isCounts(offsets) || offsets[0] !== 0 || offsets[offsets.length - 1] !== bodyBytes || offsets.some((n, i) => i > 0 && n < offsets[i - 1]!)) return false;
  if (!isObject(table) || !isStrings(table.problems) || !isStrings(table.notes) || !isStrings(table.keys) || !Array.isArray(table.pairs) || table.pairs.length !== table.keys.length) return false;
  const { counts } = table;
  if (!isObject(counts) || !isCount(counts.records) || !isCount(counts.withdrawn) || !isCount(counts.duplicates) || !isObject(counts.byEcosystem) || !Object.values(counts.byEcosystem).every(isCount)) return false;
  if (counts.records > offsets.length - 1 || new Set(table.keys).size !== table.keys.length) return false;
  return table.pairs.every((p) => isCounts(p) && p.length > 0 && p.length % 2 === 0 && p.every((n, i) => i % 2 === 1 || n < counts.records));
}

function isMeta(v: unknown): v is RecordMeta {
  if (!isObject(v) || !isString(v['id']) || !isString(v['modified']) || typeof v['withdrawn'] !== 'boolean' || !isString(v['source'])) return false;
  return isStrings(v['keys']) && isCounts(v['entries']) && v['entries'].length === v['keys'].length && isStrings(v['problems']) && isStrings(v['ecosystems']);
}
