/**
 * Reads what scanned advisory sources hold: every record file and zip parsed (in slices, on
 * advisory workers for large loads), except a zip whose published index (`<zip>.playbook-index`)
 * was made from exactly its central directory under these limits: that zip's records come from
 * the index. The result is every record and problem in the sources' order, with each source's
 * status. A broken file is a problem that never hides the others; a stale or damaged index costs a
 * parse, never an answer.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { AdvisoryProblem, SourceStatus } from '../core/index.js';
import { readFetchRecord } from './advisoryFetchRecord.js';
import { runJob, type AdvisoryJob, type ParsedItem, type ParsedRecord } from './advisoryParse.js';
import type { SourceScan } from './advisoryScan.js';
import { readSnapshotFile, snapshotKey, type SnapshotContent, type SnapshotFile } from './advisorySnapshotFile.js';
import { describeFsError } from './readFile.js';
import { workerPool, workerScript } from './workerPool.js';
import { listZipJsonEntries, readZipBytes, readZipData } from './zipEntries.js';

export interface AdvisoryLimits {
  maxRecordBytes: number;
  maxZipEntries: number;
  maxZipBytes: number;
}

export const DEFAULT_ADVISORY_LIMITS: AdvisoryLimits = { maxRecordBytes: 5 * 1024 * 1024, maxZipEntries: 500_000, maxZipBytes: 1024 * 1024 * 1024 };
export const PUBLISHED_INDEX_SUFFIX = '.playbook-index';
/** Below this many files or zip entries, starting workers (~100 ms to load the bundle) costs more than it saves. */
const MIN_ITEMS_FOR_WORKERS = 5000;
const FILES_PER_JOB = 200;
const ENTRIES_PER_JOB = 400;

/** `limits` with those `override` sets (a policy's `limits:` holds only some, and others besides). */
export function withLimits(limits: AdvisoryLimits, override: Partial<AdvisoryLimits>): AdvisoryLimits {
  const { maxRecordBytes, maxZipEntries, maxZipBytes } = { ...limits, ...Object.fromEntries(Object.entries(override).filter(([, v]) => typeof v === 'number')) };
  return { maxRecordBytes, maxZipEntries, maxZipBytes };
}

export interface Loaded extends SnapshotContent {
  /** Files and zip entries parsed, and zip entries taken from published indexes. */
  parsed: number;
  fromIndex: number;
  /** Worker threads the parsing ran on (0: this thread). */
  workers: number;
  /** A file could not be read (it may be readable next time). */
  unreadable: boolean;
  /** The load's only source is a zip its index covers: the index as it is, moved to where the zip is now. */
  whole?: SnapshotFile;
}

/** Part of a source: items given, or the next `count` items of the jobs' output (a zip's follow its own problems). */
type Part = { source: number; items?: ParsedItem[]; count: number; zip?: { file: string; entry: string; problems: AdvisoryProblem[] } };

export async function loadSources(scan: SourceScan, limits: AdvisoryLimits, options: { workers?: number; indexes?: boolean } = {}): Promise<Loaded> {
  const parts: Part[] = [];
  const jobs: AdvisoryJob[] = [];
  let fromIndex = 0;
  for (const [s, { ref, files, kind }] of scan.sources.entries()) {
    let filesJob: Extract<AdvisoryJob, { files: unknown }> | undefined;
    for (const file of files) {
      const last = parts[parts.length - 1];
      if (file.error !== undefined) {
        parts.push({ source: s, count: 0, items: [{ records: [], problems: [{ entry: ref.entry, file: file.path, message: `cannot be read (${file.error})`, severity: 'warning' }], ioError: true }] });
      } else if (!file.zip) {
        // Jobs and parts follow the sources' order, so the jobs' output, read in order, fills the parts.
        if (last?.source === s && !last.items && !last.zip) last.count++;
        else parts.push({ source: s, count: 1 });
        if (filesJob && filesJob.files.length < FILES_PER_JOB) filesJob.files.push(file);
        else jobs.push((filesJob = { entry: ref.entry, maxRecordBytes: limits.maxRecordBytes, files: [file] }));
      } else {
        filesJob = undefined;
        const zip = await openZip(file.path, ref.entry, limits, options.indexes !== false);
        if ('failure' in zip) parts.push({ source: s, count: 0, items: [zip.failure] });
        else if ('index' in zip) {
          if (scan.sources.length === 1 && kind === 'zip') return { sources: [], problems: [], records: [], parsed: 0, fromIndex: zip.entries, workers: 0, unreadable: false, whole: movedWhole(zip.index, ref.entry, file.path) };
          parts.push({ source: s, count: 0, items: [movedItems(zip.index, ref.entry, file.path)] });
          fromIndex += zip.entries;
        } else {
          parts.push({ source: s, count: zip.jobs.reduce((n, job) => n + job.entries.length, 0), zip: { file: file.path, entry: ref.entry, problems: zip.problems } });
          jobs.push(...zip.jobs);
        }
      }
    }
  }
  const parsed = parts.reduce((n, part) => n + part.count, 0);
  const run = await runJobs(jobs, parsed, options.workers);
  return { ...assemble(scan, parts, run.results.flat()), parsed, fromIndex, workers: run.workers };
}

/** The parts in order, each source's status counted from its records. */
function assemble(scan: SourceScan, parts: Part[], parsedItems: ParsedItem[]): SnapshotContent & { unreadable: boolean } {
  const out = { sources: [] as SourceStatus[], problems: [] as AdvisoryProblem[], records: [] as ParsedRecord[], unreadable: false };
  let at = 0;
  let part = 0;
  for (const [s, { ref, kind, problem }] of scan.sources.entries()) {
    let records = 0;
    let newestModified: string | undefined;
    let newestTime = -Infinity;
    for (; parts[part]?.source === s; part++) {
      const { items: given, count, zip } = parts[part]!;
      let items = given ?? parsedItems.slice(at, (at += count));
      // One entry that cannot be inflated makes the zip unreadable, as it always has (its oversized entries are still said).
      const broken = zip && items.find((item) => item.zipError !== undefined);
      if (zip && broken) items = [{ records: [], problems: [{ entry: zip.entry, file: zip.file, message: `it cannot be read as a zip (${broken.zipError})`, severity: 'warning' }, ...zip.problems.filter((p) => p.file !== zip.file)] }];
      else if (zip) items = [{ records: [], problems: zip.problems }, ...items];
      for (const item of items) {
        out.unreadable ||= item.ioError === true;
        out.problems.push(...item.problems);
        for (const record of item.records) {
          out.records.push(record);
          // The newest `modified` that parses as a date.
          const time = Date.parse(record.meta.modified);
          if (time > newestTime) [newestTime, newestModified] = [time, record.meta.modified];
          records++;
        }
      }
    }
    out.sources.push({ entry: ref.entry, path: ref.path, kind, ...(problem !== undefined ? { problem } : {}), records, ...(newestModified ? { newestModified } : {}) });
  }
  return out;
}

type OpenedZip = { failure: ParsedItem } | { key: string; entries: number; index: SnapshotFile } | { key: string; problems: AdvisoryProblem[]; jobs: Extract<AdvisoryJob, { zipPath: string }>[] };

/** A zip's central directory: its current published index (with `useIndex`), else its entries cut into jobs; or why it cannot be read. */
export async function openZip(zipPath: string, entry: string, limits: AdvisoryLimits, useIndex: boolean): Promise<OpenedZip> {
  const problem = (message: string, file = zipPath): AdvisoryProblem => ({ entry, file, message, severity: 'warning' });
  const unreadable = (e: unknown): OpenedZip => ({ failure: { records: [], problems: [problem(`cannot be read (${describeFsError(e)})`)], ioError: true } });
  const zipLimits = { maxEntryBytes: limits.maxRecordBytes, maxEntries: limits.maxZipEntries, maxZipBytes: limits.maxZipBytes };
  let read: Awaited<ReturnType<typeof readZipBytes>>;
  try {
    read = await readZipBytes(zipPath, zipLimits);
  } catch (e) {
    return unreadable(e);
  }
  if ('problem' in read) return { failure: { records: [], problems: [problem(read.problem)] } };
  const directory = listZipJsonEntries(read.bytes, zipLimits);
  const key = snapshotKey('index', limits, directory.entries.map((e) => [e.name, e.crc, e.size]), directory.oversized, directory.problem ?? '');
  const index = useIndex && directory.entries.length > 0 ? readSnapshotFile(zipPath + PUBLISHED_INDEX_SUFFIX, key, limits.maxZipBytes) : undefined;
  if (index) return { key, entries: directory.entries.length, index };
  const problems = [...(directory.problem ? [problem(directory.problem)] : []), ...directory.oversized.map((o) => problem(`${o.problem}; skipped`, `${zipPath}!${o.name}`))];
  const jobs: Extract<AdvisoryJob, { zipPath: string }>[] = [];
  for (let i = 0; i < directory.entries.length; i += ENTRIES_PER_JOB) jobs.push({ entry, zipPath, bytes: read.bytes, entries: directory.entries.slice(i, i + ENTRIES_PER_JOB) });
  try {
    if (jobs.length > 0) await readZipData(read);
  } catch (e) {
    return unreadable(e);
  }
  return { key, problems, jobs };
}

/** Moves what an index says of the writer's zip (its path, its policy entry) to this one: texts, problems, record sources and bodies. */
function mover(from: string, to: string, entry: string) {
  const text = (t: string): string => (from === to || !t.includes(from) ? t : t.split(from).join(to));
  // A body is JSON: the path in it is escaped as JSON escapes it.
  const [fromJson, toJson] = [from, to].map((p) => JSON.stringify(p).slice(1, -1)) as [string, string];
  const body = (b: string | undefined): string | undefined => (b === undefined || from === to ? b : b.replace(fromJson, toJson));
  const bytes = (b: Uint8Array): Uint8Array => (from === to ? b : Buffer.from(body(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString())!));
  return { text, body, bytes, problem: (p: AdvisoryProblem): AdvisoryProblem => ({ ...p, entry, file: text(p.file), message: text(p.message) }) };
}

function movedItems(index: SnapshotFile, entry: string, zipPath: string): ParsedItem {
  const move = mover(index.base, zipPath, entry);
  const records = (index.records() ?? []).map(({ meta, body }): ParsedRecord => {
    const moved = { ...meta, source: move.text(meta.source), problems: meta.problems.map(move.text) };
    return body === undefined ? { meta: moved } : { meta: moved, body: move.bytes(body) };
  });
  return { records, problems: index.problems.map(move.problem) };
}

function movedWhole(index: SnapshotFile, entry: string, zipPath: string): SnapshotFile {
  const move = mover(index.base, zipPath, entry);
  const { records = 0, newestModified } = index.sources[0] ?? {};
  const status: SourceStatus = { entry, path: zipPath, kind: 'zip', records, ...(newestModified ? { newestModified } : {}) };
  const table = { ...index.table, problems: index.table.problems.map(move.text), notes: index.table.notes.map(move.text) };
  return { ...index, sources: [status], problems: index.problems.map(move.problem), table, base: zipPath, body: (n) => move.body(index.body(n)) };
}

/** The later of two ISO dates (one that does not parse never wins). */
const newer = (a: string | undefined, b: string | undefined): string | undefined => (b !== undefined && !Number.isNaN(Date.parse(b)) && !(Date.parse(b) <= Date.parse(a ?? '')) ? b : a);

/** When each source was last fetched (`advisories --update`'s records beside its zips; the newest for a folder): read at every load, so a 304 that only refreshes it costs no parse. */
export function fetchTimes(scan: SourceScan): (string | undefined)[] {
  return scan.sources.map((s) => s.files.reduce<string | undefined>((latest, f) => (f.zip ? newer(latest, readFetchRecord(f.path)?.fetchedAt) : latest), undefined));
}

/** Each job's items, in job order, and how many workers computed them: one per core (at most 4) for a large load in the main thread, else this thread. */
async function runJobs(jobs: readonly AdvisoryJob[], items: number, workers?: number): Promise<{ results: ParsedItem[][]; workers: number }> {
  const cores = availableParallelism();
  const count = Math.min(jobs.length, workers ?? (isMainThread && items >= MIN_ITEMS_FOR_WORKERS && cores > 1 ? Math.min(cores, 4) : 0));
  const script = count > 0 ? workerScript('advisoryWorker') : undefined;
  if (script) {
    const pool = workerPool(script, count);
    try {
      return { results: await Promise.all(jobs.map((job) => pool.run(job) as Promise<ParsedItem[]>)), workers: count };
    } catch {
      // A worker that cannot start or dies: the same work, here.
    } finally {
      await pool.destroy();
    }
  }
  const results: ParsedItem[][] = [];
  for (const job of jobs) {
    results.push(runJob(job));
    // Let the server answer requests between slices of a large load.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { results, workers: 0 };
}
