/**
 * Loads OSV advisories from the folders and zips a policy names, for the core's AdvisoryIndex.
 *
 * A load first takes stock of the sources (advisoryScan.ts: every file's size, times and inode,
 * no record read). If nothing changed since this store's last load of the same sources, that
 * snapshot is returned; else the per-user cache (advisoryCache.ts) is tried; else the files are
 * parsed, on worker threads for large loads (advisoryWorkers.ts), reusing in memory every file
 * whose stamp did not change, and the result is written to the cache. Records are read back from
 * their compact form only when a lookup needs them. A broken file is reported and skipped: it
 * never hides the others.
 */
import { AdvisoryIndex } from '../core/advisories/advisoryIndex.js';
import { assembleTable } from '../core/advisories/indexTable.js';
import type { RecordMeta } from '../core/advisories/preparedRecord.js';
import { decodeRecordBody } from '../core/advisories/recordBody.js';
import type { AdvisoryProblem, AdvisorySnapshot, SourceStatus } from '../core/advisories/snapshot.js';
import { AdvisoryCache } from './advisoryCache.js';
import { advisoryCacheDir } from './advisoryCacheDir.js';
import type { CachedLoad } from './advisoryCacheIndex.js';
import { completeSource, DEFAULT_ADVISORY_LIMITS, planLoad, type AdvisoryLimits, type SourceMemory } from './advisoryPlan.js';
import { scanSources, type SourceRef, type SourceScan } from './advisoryScan.js';
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
  from: 'memory' | 'cache' | 'parsed';
  /** Files and zip entries parsed; files or zips reused unchanged from this store's memory. */
  parsed: number;
  reused: number;
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
    this.limits = { ...DEFAULT_ADVISORY_LIMITS, ...definedOnly(limits) };
    const dir = options.cacheDir === undefined ? advisoryCacheDir() : (options.cacheDir ?? undefined);
    this.cache = dir === undefined ? undefined : new AdvisoryCache(dir);
  }

  /** Loads the sources; `limits` (from the policy) override the store's for this load. */
  async load(sources: readonly SourceRef[], limits: Partial<AdvisoryLimits> = {}): Promise<AdvisorySnapshot> {
    const effective: AdvisoryLimits = { ...this.limits, ...definedOnly(limits) };
    const key = JSON.stringify({ sources: sources.map((s) => [s.entry, s.path]), limits: [effective.maxRecordBytes, effective.maxZipEntries, effective.maxZipBytes] });
    const scan = await scanSources(sources);
    const previous = this.loaded.get(key);
    if (previous?.fingerprint.equals(scan.fingerprint)) {
      this.lastLoad = { from: 'memory', parsed: 0, reused: 0, workers: 0, cacheWritten: false };
      return previous.snapshot;
    }
    const hit = this.cache?.read(key, scan.fingerprint, sources);
    let snapshot: AdvisorySnapshot;
    if (hit) {
      snapshot = snapshotOf(hit, new AdvisoryIndex(hit.index));
      this.lastLoad = { from: 'cache', parsed: 0, reused: 0, workers: 0, cacheWritten: false };
    } else {
      snapshot = await this.parse(key, scan, effective);
    }
    this.loaded.set(key, { fingerprint: scan.fingerprint, snapshot });
    return snapshot;
  }

  private async parse(key: string, scan: SourceScan, limits: AdvisoryLimits): Promise<AdvisorySnapshot> {
    const plan = await planLoad(scan, limits, this.memory);
    const run = await runJobs(plan.jobs, plan.items, this.options.workers !== undefined ? { workers: this.options.workers } : {});
    const metas: RecordMeta[] = [];
    const bodies: (BodyBytes | undefined)[] = [];
    const fileProblems: AdvisoryProblem[] = [];
    const statuses: SourceStatus[] = [];
    let unreadable = false;
    this.memory.clear();
    for (const source of plan.sources) {
      const { result, memory } = completeSource(source, run.results);
      if (memory) this.memory.set(source.scanned.ref.path, memory);
      let records = 0;
      for (const problem of result.problems) fileProblems.push(problem);
      for (const item of result.items) {
        unreadable ||= item.ioError === true;
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
    // Indexed records are never withdrawn, so each has a body.
    const kept = table.kept.map((at) => bodies[at]!);
    const index = new AdvisoryIndex({ table, body: (record) => (record < kept.length ? decodeRecordBody(bodyText(kept[record]!)) : undefined) });
    // A file that could not be read may be readable next time: such a load is not kept on disk.
    const cacheWritten = !unreadable && this.cache !== undefined && this.cache.write(key, scan.fingerprint, load, kept);
    this.lastLoad = { from: 'parsed', parsed: plan.items, reused: plan.reused, workers: run.workers, cacheWritten };
    return snapshotOf(load, index);
  }
}

function definedOnly(limits: Partial<AdvisoryLimits>): Partial<AdvisoryLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => typeof v === 'number'));
}

function snapshotOf(load: CachedLoad, index: AdvisoryIndex): AdvisorySnapshot {
  const problems = [...load.fileProblems];
  for (const message of index.problems) problems.push({ entry: '', file: '', message, severity: 'warning' });
  for (const message of index.notes) problems.push({ entry: '', file: '', message, severity: 'info' });
  return { index, sources: load.sources, problems };
}
