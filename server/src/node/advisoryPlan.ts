/**
 * What a load has to parse: the scanned sources cut into jobs (slices of files or zip entries, for
 * one worker at a time). Files whose stat is unchanged since this store last parsed the source are
 * taken from its memory instead. Per-file bookkeeping lives in typed arrays, so planning 50,000
 * files costs a few milliseconds.
 */
import type { AdvisoryProblem, SourceStatus } from '../core/advisories/snapshot.js';
import type { AdvisoryJob, ParsedItem } from './advisoryParse.js';
import { folderBase, sameStat, type ScannedSource, type SourceScan } from './advisoryScan.js';
import { readPublishedIndex, type WholeZip } from './advisoryPublishedIndex.js';
import { describeFsError } from './readFile.js';
import { listZipJsonEntries, readZipBytes, readZipData, type ZipEntryRef } from './zipEntries.js';

export interface AdvisoryLimits {
  maxRecordBytes: number;
  maxZipEntries: number;
  maxZipBytes: number;
}

export const DEFAULT_ADVISORY_LIMITS: AdvisoryLimits = { maxRecordBytes: 5 * 1024 * 1024, maxZipEntries: 500_000, maxZipBytes: 1024 * 1024 * 1024 };

/** `limits` with those `override` sets (a policy's `limits:` holds only some, and others besides). */
export function withLimits(limits: AdvisoryLimits, override: Partial<AdvisoryLimits>): AdvisoryLimits {
  return { ...limits, ...Object.fromEntries(Object.entries(override).filter(([, v]) => typeof v === 'number')) };
}

/** A source's result: its own problems first (a zip's), then one item per file or zip entry. */
export interface SourceResult {
  items: ParsedItem[];
  problems: AdvisoryProblem[];
}

/** What this store parsed last time from a source, to reuse what did not change. */
export interface SourceMemory {
  /** The source's kind and the limits that shaped the result. */
  shape: string;
  scanned: ScannedSource;
  /** Folder: per file, its item (undefined when it must be read again). Zip or file: one result. */
  items: (ParsedItem | undefined)[];
  problems: AdvisoryProblem[];
  /** Read back from the on-disk cache (a load of another process, or this one's warm start). */
  fromCache?: boolean;
}

export interface PlannedSource {
  scanned: ScannedSource;
  status: Omit<SourceStatus, 'records'>;
  shape: string;
  /** Per file or zip entry: its item when known already, else where the jobs' output holds it. */
  items: (ParsedItem | undefined)[];
  job: Int32Array;
  position: Int32Array;
  problems: AdvisoryProblem[];
  /** A zip: turns its entries' items into the zip's result. */
  finish?: (items: ParsedItem[]) => SourceResult;
  /** A zip read this time: its listed entries, one per item. */
  zipEntries?: ZipEntryRef[];
  /** A zip whose published index covers it exactly, when it is the load's only source: the whole load, as the index gives it (items are then not read). */
  whole?: WholeZip;
}

export interface LoadPlan {
  sources: PlannedSource[];
  jobs: AdvisoryJob[];
  /** Files and zip entries to parse, and files or zips taken from memory; of those, how many the on-disk cache gave. */
  items: number;
  reused: number;
  reusedFromCache: number;
  /** Zip entries taken from the zip's published index. */
  reusedFromIndex: number;
}

const FILES_PER_JOB = 200;
const ENTRIES_PER_JOB = 400;

/** What a source's parsed result depends on besides its files: its kind and the limits. */
export function sourceShape(kind: SourceStatus['kind'], limits: AdvisoryLimits): string {
  return kind === 'zip' ? `zip:${limits.maxRecordBytes}:${limits.maxZipEntries}:${limits.maxZipBytes}` : `${kind}:${limits.maxRecordBytes}`;
}

/** `wholeZip`: take a lone zip's whole load from its published index when it covers the zip (default: yes). */
export async function planLoad(scan: SourceScan, limits: AdvisoryLimits, memory: ReadonlyMap<string, SourceMemory>, options: { wholeZip?: boolean } = {}): Promise<LoadPlan> {
  const plan: LoadPlan = { sources: [], jobs: [], items: 0, reused: 0, reusedFromCache: 0, reusedFromIndex: 0 };
  for (const scanned of scan.sources) {
    const { ref, kind } = scanned;
    const status: PlannedSource['status'] = { entry: ref.entry, path: ref.path, kind, ...(scanned.problem !== undefined ? { problem: scanned.problem } : {}) };
    const shape = sourceShape(kind, limits);
    const source: PlannedSource = { scanned, status, shape, items: [], job: new Int32Array(0), position: new Int32Array(0), problems: [] };
    const previous = memory.get(ref.path);
    const reusable = previous?.shape === shape ? previous : undefined;
    if (kind === 'zip') await planZip(plan, source, limits, reusable, options.wholeZip !== false && scan.sources.length === 1);
    else if (kind !== 'missing') planFiles(plan, source, limits, reusable);
    plan.sources.push(source);
  }
  return plan;
}

function planFiles(plan: LoadPlan, source: PlannedSource, limits: AdvisoryLimits, previous: SourceMemory | undefined): void {
  const { scanned } = source;
  const entry = scanned.ref.entry;
  const base = folderBase(scanned);
  const count = scanned.names.length;
  source.items = new Array(count);
  source.job = new Int32Array(count).fill(-1);
  source.position = new Int32Array(count);
  // Both name lists are sorted (advisoryScan.ts), so one walk down the previous list finds each name.
  const previousNames = previous?.scanned.names ?? [];
  let before = 0;
  let job: Extract<AdvisoryJob, { kind: 'files' }> | undefined;
  for (let at = 0; at < count; at++) {
    const name = scanned.names[at]!;
    const error = scanned.errors.get(at);
    if (error !== undefined) {
      source.items[at] = { records: [], problems: [{ entry, file: base + name, message: `cannot be read (${error})`, severity: 'warning' }], ioError: true };
      continue;
    }
    while (before < previousNames.length && previousNames[before]! < name) before++;
    const kept = previousNames[before] === name ? previous!.items[before] : undefined;
    if (kept && sameStat(previous!.scanned, before, scanned, at)) {
      source.items[at] = kept;
      plan.reused++;
      if (previous!.fromCache) plan.reusedFromCache++;
      continue;
    }
    if (!job || job.files.length === FILES_PER_JOB) plan.jobs.push((job = { kind: 'files', entry, maxRecordBytes: limits.maxRecordBytes, files: [] }));
    source.job[at] = plan.jobs.length - 1;
    source.position[at] = job.files.length;
    job.files.push({ path: base + name, size: scanned.stats[at * 4]! });
    plan.items++;
  }
}

async function planZip(plan: LoadPlan, source: PlannedSource, limits: AdvisoryLimits, previous: SourceMemory | undefined, alone: boolean): Promise<void> {
  const { entry, path: zipPath } = source.scanned.ref;
  if (previous && sameStat(previous.scanned, 0, source.scanned, 0)) {
    source.items = previous.items;
    source.problems = previous.problems;
    plan.reused++;
    if (previous.fromCache) plan.reusedFromCache++;
    return;
  }
  const problem = (message: string): AdvisoryProblem => ({ entry, file: zipPath, message, severity: 'warning' });
  const zipLimits = { maxEntryBytes: limits.maxRecordBytes, maxEntries: limits.maxZipEntries, maxZipBytes: limits.maxZipBytes };
  let read: Awaited<ReturnType<typeof readZipBytes>>;
  try {
    read = await readZipBytes(zipPath, zipLimits);
  } catch (e) {
    source.items = [{ records: [], problems: [problem(`cannot be read (${describeFsError(e)})`)], ioError: true }];
    return;
  }
  if ('problem' in read) {
    source.problems = [problem(read.problem)];
    return;
  }
  const directory = listZipJsonEntries(read.bytes, zipLimits);
  const count = directory.entries.length;
  source.zipEntries = directory.entries;
  source.items = new Array(count);
  source.job = new Int32Array(count).fill(-1);
  source.position = new Int32Array(count);
  const oversized = directory.oversized.map((o): AdvisoryProblem => ({ entry, file: `${zipPath}!${o.name}`, message: `${o.problem}; skipped`, severity: 'warning' }));
  const sourceProblems = [...(directory.problem ? [problem(directory.problem)] : []), ...oversized];
  // Entries whose name, CRC-32 and size the published index has are not inflated again.
  const index = count > 0 ? readPublishedIndex(source.scanned, source.shape, limits.maxZipBytes) : undefined;
  const whole = alone && index?.coversExactly(directory.entries) ? index.whole(sourceProblems) : undefined;
  if (whole) {
    source.whole = whole;
    plan.reusedFromIndex += count;
    return;
  }
  const jobs: Extract<AdvisoryJob, { kind: 'zip' }>[] = [];
  let indexed = 0;
  for (let at = 0; at < count; at++) {
    const ref = directory.entries[at]!;
    const item = index?.itemFor(ref);
    if (item) {
      source.items[at] = item;
      indexed++;
      continue;
    }
    let job = jobs[jobs.length - 1];
    if (!job || job.entries.length === ENTRIES_PER_JOB) jobs.push((job = { kind: 'zip', entry, zipPath, bytes: read.bytes, entries: [] }));
    source.job[at] = plan.jobs.length + jobs.length - 1;
    source.position[at] = job.entries.length;
    job.entries.push(ref);
  }
  if (jobs.length > 0) {
    try {
      await readZipData(read);
    } catch (e) {
      source.zipEntries = undefined;
      source.items = [{ records: [], problems: [problem(`cannot be read (${describeFsError(e)})`)], ioError: true }];
      return;
    }
  }
  plan.jobs.push(...jobs);
  plan.items += count - indexed;
  plan.reusedFromIndex += indexed;
  source.finish = (items) => {
    // One entry that cannot be inflated makes the zip unreadable, as it always has.
    const broken = items.find((item) => item.zipError !== undefined);
    if (broken) return { items: [], problems: [problem(`it cannot be read as a zip (${broken.zipError})`), ...oversized] };
    return { items, problems: sourceProblems };
  };
}

/** The source's result once the jobs are done, and what to remember of it for the next load (nothing when unreadable). */
export function completeSource(source: PlannedSource, results: readonly ParsedItem[][]): { result: SourceResult; memory?: SourceMemory } {
  const items = source.items;
  for (let at = 0; at < items.length; at++) if (items[at] === undefined) items[at] = results[source.job[at]!]![source.position[at]!]!;
  const result: SourceResult = source.finish ? source.finish(items as ParsedItem[]) : { items: items as ParsedItem[], problems: source.problems };
  const { kind } = source.scanned;
  if (kind === 'folder') {
    // Remembered file by file: an unreadable one is read again next time.
    return { result, memory: { shape: source.shape, scanned: source.scanned, items: result.items.map((item) => (item.ioError ? undefined : item)), problems: [] } };
  }
  const unreadable = kind === 'missing' || result.items.some((item) => item.ioError);
  return { result, ...(unreadable ? {} : { memory: { shape: source.shape, scanned: source.scanned, items: result.items, problems: result.problems } }) };
}
