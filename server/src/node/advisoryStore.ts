/**
 * Loads OSV advisories from the folders and zips a policy names, for the core's AdvisoryIndex.
 *
 * A load first takes stock of the sources (advisoryScan.ts: every file's size, times and inode,
 * no record read). If nothing changed since this store's last load of the same sources, that
 * snapshot is returned; else the per-user cache (advisoryCache.ts) is used when it was made from
 * the same files; else the files are parsed, on worker threads for large loads
 * (advisoryWorkers.ts), except those whose stat did not change since this store last parsed them
 * or since the cached load (a day's new advisory parses one file, not the folder). The table is
 * then assembled over every file again, and the result written to the cache. Records are read
 * back from their compact form only when a lookup needs them. A broken file is reported and
 * skipped: it never hides the others.
 */
import { AdvisoryIndex } from '../core/advisories/advisoryIndex.js';
import { assembleTable } from '../core/advisories/indexTable.js';
import type { RecordBody, RecordMeta } from '../core/advisories/preparedRecord.js';
import { decodeRecordBody } from '../core/advisories/recordBody.js';
import type { AdvisoryProblem, AdvisorySnapshot, SourceStatus } from '../core/advisories/snapshot.js';
import { AdvisoryCache, bodiesInCacheOrder, type CacheFile } from './advisoryCache.js';
import { advisoryCacheDir } from './advisoryCacheDir.js';
import type { CachedLoad } from './advisoryCacheIndex.js';
import type { RememberedSource } from './advisoryCacheItems.js';
import { completeSource, DEFAULT_ADVISORY_LIMITS, planLoad, sourceShape, withLimits, type AdvisoryLimits, type SourceMemory } from './advisoryPlan.js';
import { folderBase, scanSources, type SourceRef, type SourceScan } from './advisoryScan.js';
import { bodyText, type BodyBytes } from './advisoryParse.js';
import { runJobs } from './advisoryWorkers.js';

export type { SourceRef } from './advisoryScan.js';
export { DEFAULT_ADVISORY_LIMITS, type AdvisoryLimits } from './advisoryPlan.js';

export interface AdvisoryStoreOptions {
  /** The cache folder; null: no on-disk cache. Default: `advisoryCacheDir()` (`PLAYBOOK_CACHE_DIR`, …). */
  cacheDir?: string | null;
  /** Worker threads for parsing (0: this thread); default one per core for large loads. */
  workers?: number;
}

/** How the last load was served, for tests and benchmarks. */
export interface LoadStats {
  from: 'memory' | 'cache' | 'index' | 'parsed';
  /** Files and zip entries parsed; files or zips reused unchanged, and how many of those the on-disk cache gave. */
  parsed: number;
  reused: number;
  reusedFromCache: number;
  /** Zip entries taken from their zip's published index (advisoryPublishedIndex.ts). */
  reusedFromIndex: number;
  /** Worker threads the parsing ran on (0: this thread). */
  workers: number;
  cacheWritten: boolean;
}

export class AdvisoryStore {
  /** Per source path: what the last parse of it gave, to reuse the files that did not change. */
  private readonly memory = new Map<string, SourceMemory>();
  /** Per set of sources and limits: the last snapshot and the fingerprint it was made from. */
  private readonly loaded = new Map<string, { fingerprint: Buffer; snapshot: AdvisorySnapshot }>();
  private readonly limits: AdvisoryLimits;
  private readonly cache: AdvisoryCache | undefined;
  lastLoad: LoadStats | undefined;

  constructor(limits: Partial<AdvisoryLimits> = {}, private readonly options: AdvisoryStoreOptions = {}) {
    this.limits = withLimits(DEFAULT_ADVISORY_LIMITS, limits);
    const dir = options.cacheDir === undefined ? advisoryCacheDir() : (options.cacheDir ?? undefined);
    this.cache = dir === undefined ? undefined : new AdvisoryCache(dir);
  }

  /** Loads the sources; `limits` (from the policy) override the store's for this load. */
  async load(sources: readonly SourceRef[], limits: Partial<AdvisoryLimits> = {}): Promise<AdvisorySnapshot> {
    const effective = withLimits(this.limits, limits);
    const key = JSON.stringify({ sources: sources.map((s) => [s.entry, s.path]), limits: [effective.maxRecordBytes, effective.maxZipEntries, effective.maxZipBytes] });
    const scan = await scanSources(sources);
    const previous = this.loaded.get(key);
    if (previous?.fingerprint.equals(scan.fingerprint)) {
      this.lastLoad = { from: 'memory', parsed: 0, reused: 0, reusedFromCache: 0, reusedFromIndex: 0, workers: 0, cacheWritten: false };
      return previous.snapshot;
    }
    const cached = this.cache?.open(key);
    const hit = cached?.hit(scan.fingerprint, sources);
    let snapshot: AdvisorySnapshot;
    if (hit) {
      snapshot = snapshotOf(hit, new AdvisoryIndex(hit.index));
      this.lastLoad = { from: 'cache', parsed: 0, reused: 0, reusedFromCache: 0, reusedFromIndex: 0, workers: 0, cacheWritten: false };
    } else {
      snapshot = await this.parse(key, scan, effective, cached);
    }
    this.loaded.set(key, { fingerprint: scan.fingerprint, snapshot });
    return snapshot;
  }

  private async parse(key: string, scan: SourceScan, limits: AdvisoryLimits, cached: CacheFile | undefined): Promise<AdvisorySnapshot> {
    const plan = await planLoad(scan, limits, this.rememberedFor(scan, limits, cached));
    const whole = plan.sources[0]?.whole;
    if (whole) {
      // A lone zip its published index covers: its table as written there, nothing parsed, nothing to cache.
      this.memory.clear();
      this.lastLoad = { from: 'index', parsed: 0, reused: 0, reusedFromCache: 0, reusedFromIndex: plan.reusedFromIndex, workers: 0, cacheWritten: false };
      return snapshotOf(whole.load, new AdvisoryIndex({ table: whole.load.table, body: whole.body }));
    }
    const run = await runJobs(plan.jobs, plan.items, this.options.workers !== undefined ? { workers: this.options.workers } : {});
    const metas: RecordMeta[] = [];
    const bodies: (BodyBytes | undefined)[] = [];
    const fileProblems: AdvisoryProblem[] = [];
    const statuses: SourceStatus[] = [];
    const remembered: (RememberedSource | null)[] = [];
    let unreadable = false;
    let foreignBodies = false;
    this.memory.clear();
    for (const source of plan.sources) {
      const { result, memory } = completeSource(source, run.results);
      if (memory) this.memory.set(source.scanned.ref.path, memory);
      const { kind, ref } = source.scanned;
      remembered.push(kind === 'missing' ? null : { shape: source.shape, base: kind === 'zip' ? `${ref.path}!` : folderBase(source.scanned), problems: result.problems, items: result.items });
      let records = 0;
      for (const problem of result.problems) fileProblems.push(problem);
      for (const item of result.items) {
        unreadable ||= item.ioError === true;
        foreignBodies ||= item.foreignBodies === true;
        for (const problem of item.problems) fileProblems.push(problem);
        for (const record of item.records) {
          metas.push(record.meta);
          bodies.push(record.body);
          records++;
        }
      }
      statuses.push({ ...source.status, records });
    }
    const table = assembleTable(metas);
    const load: CachedLoad = { sources: statuses, fileProblems, table };
    // Indexed records are never withdrawn, so each has a body. Its source is the record's own (a
    // body from a published index names the path it had where the index was written).
    const kept = table.kept.map((at) => bodies[at]!);
    const keptSources = table.kept.map((at) => metas[at]!.source);
    const index = new AdvisoryIndex({ table, body: (record) => (record < kept.length ? withSource(decodeRecordBody(bodyText(kept[record]!)), keptSources[record]!) : undefined) });
    // A file that could not be read may be readable next time: such a load is not kept on disk. Nor
    // is one with bodies naming other paths (the cache serves bodies as they are); its index does.
    const cacheWritten = !unreadable && !foreignBodies && this.cache !== undefined && this.writeCache(key, scan.fingerprint, load, bodies, table.kept, remembered);
    this.lastLoad = { from: 'parsed', parsed: plan.items, reused: plan.reused, reusedFromCache: plan.reusedFromCache, reusedFromIndex: plan.reusedFromIndex, workers: run.workers, cacheWritten };
    return snapshotOf(load, index);
  }

  /**
   * What this store parsed last, and for each source it has not parsed (a warm start, another
   * process's load) what the cached load gave: either is reused file by file where stats are equal.
   */
  private rememberedFor(scan: SourceScan, limits: AdvisoryLimits, cached: CacheFile | undefined): ReadonlyMap<string, SourceMemory> {
    const lacking = (s: SourceScan['sources'][number]): boolean => s.kind !== 'missing' && this.memory.get(s.ref.path)?.shape !== sourceShape(s.kind, limits);
    if (!cached || !scan.sources.some(lacking)) return this.memory;
    const merged = new Map(this.memory);
    const fromCache = cached.remembered(scan.sources.map((s) => s.ref)) ?? [];
    scan.sources.forEach((s, i) => {
      const memory = fromCache[i];
      if (memory && lacking(s)) merged.set(s.ref.path, memory);
    });
    return merged;
  }

  private writeCache(key: string, fingerprint: Buffer, load: CachedLoad, bodies: readonly (BodyBytes | undefined)[], kept: readonly number[], sources: (RememberedSource | null)[]): boolean {
    const { ordered, bodyNumbers } = bodiesInCacheOrder(bodies, kept);
    return this.cache!.write(key, fingerprint, load, ordered, { sources, bodyNumbers });
  }
}

function withSource(body: RecordBody | undefined, source: string): RecordBody | undefined {
  if (body) body.source = source;
  return body;
}

function snapshotOf(load: CachedLoad, index: AdvisoryIndex): AdvisorySnapshot {
  const problems = [...load.fileProblems];
  for (const message of index.problems) problems.push({ entry: '', file: '', message, severity: 'warning' });
  for (const message of index.notes) problems.push({ entry: '', file: '', message, severity: 'info' });
  return { index, sources: load.sources, problems };
}
