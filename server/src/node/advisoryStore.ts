/**
 * Loads OSV advisories from the folders and zips a policy names, for the core's AdvisoryIndex:
 *
 *   scan the sources (advisoryScan.ts: names and stats, a fingerprint) ─▶ this process's last load
 *   of the same files? ─▶ the per-user cache file with this key? ─▶ else read every file
 *   (advisoryLoad.ts), assemble the table and write the cache (advisorySnapshotFile.ts).
 *
 * The cache key is a hash of the code, the sources' fingerprint and the limits: a changed source
 * is read whole, never patched. Record bodies are decoded only when a lookup reaches them, and
 * checked again then. When each source was last fetched is read at every load.
 */
import { AdvisoryIndex, type RecordBody, decodeRecordBody, type AdvisorySnapshot } from '../core/index.js';
import { advisoryCacheDir, cacheFileIn, ownedByUs, writeCacheFile } from './advisoryCacheDir.js';
import { DEFAULT_ADVISORY_LIMITS, fetchTimes, loadSources, withLimits, type AdvisoryLimits } from './advisoryLoad.js';
import { scanSources, type SourceRef, type SourceScan } from './advisoryScan.js';
import { encodeSnapshot, readSnapshotFile, snapshotKey, type SnapshotFile } from './advisorySnapshotFile.js';

export type { SourceRef } from './advisoryScan.js';
export { DEFAULT_ADVISORY_LIMITS, type AdvisoryLimits } from './advisoryLoad.js';

export interface AdvisoryStoreOptions {
  /** The cache folder; null: no on-disk cache. Default: `advisoryCacheDir()` (`PLAYBOOK_CACHE_DIR`, …). */
  cacheDir?: string | null;
  /** Worker threads for parsing (0: this thread); default one per core for large loads. */
  workers?: number;
}

/** How the last load was served, for tests and benchmarks. */
export interface LoadStats {
  from: 'memory' | 'cache' | 'index' | 'parsed';
  /** Files and zip entries parsed, and zip entries taken from their zip's published index. */
  parsed: number;
  reusedFromIndex: number;
  /** Worker threads the parsing ran on (0: this thread). */
  workers: number;
  cacheWritten: boolean;
}

export class AdvisoryStore {
  /** Per set of sources and limits: the last snapshot and the fingerprint it was made from. */
  private readonly loaded = new Map<string, { fingerprint: string; snapshot: AdvisorySnapshot }>();
  private readonly limits: AdvisoryLimits;
  /** Where loads are kept between processes (and parsed SBOMs, by whoever reads them with this store); undefined: nowhere. */
  readonly cacheDir: string | undefined;
  lastLoad: LoadStats | undefined;

  constructor(limits: Partial<AdvisoryLimits> = {}, private readonly options: AdvisoryStoreOptions = {}) {
    this.limits = withLimits(DEFAULT_ADVISORY_LIMITS, limits);
    this.cacheDir = options.cacheDir === undefined ? advisoryCacheDir() : (options.cacheDir ?? undefined);
  }

  /** Loads the sources; `limits` (from the policy) override the store's for this load. */
  async load(sources: readonly SourceRef[], limits: Partial<AdvisoryLimits> = {}): Promise<AdvisorySnapshot> {
    const effective = withLimits(this.limits, limits);
    const slot = JSON.stringify([sources.map((s) => [s.entry, s.path]), effective]);
    const scan = await scanSources(sources);
    const previous = this.loaded.get(slot);
    const fresh = previous?.fingerprint === scan.fingerprint ? undefined : await this.read(scan, effective, slot);
    if (!fresh) this.lastLoad = { from: 'memory', parsed: 0, reusedFromIndex: 0, workers: 0, cacheWritten: false };
    const snapshot = withFetchTimes(fresh ?? previous!.snapshot, fetchTimes(scan));
    this.loaded.set(slot, { fingerprint: scan.fingerprint, snapshot });
    return snapshot;
  }

  /** The cache file with this key, else the sources read (and the cache written). */
  private async read(scan: SourceScan, limits: AdvisoryLimits, slot: string): Promise<AdvisorySnapshot> {
    const key = snapshotKey('cache', slot, scan.fingerprint);
    const file = this.cacheDir === undefined ? undefined : cacheFileIn(this.cacheDir, slot);
    const cached = file === undefined ? undefined : readSnapshotFile(file, key, Number.MAX_SAFE_INTEGER, ownedByUs);
    this.lastLoad = { from: 'cache', parsed: 0, reusedFromIndex: 0, workers: 0, cacheWritten: false };
    if (cached) return snapshotOf(cached, key);
    const load = await loadSources(scan, limits, this.options.workers === undefined ? {} : { workers: this.options.workers });
    const { parsed, fromIndex: reusedFromIndex, workers } = load;
    // A lone zip its published index covers: that file serves every load, so no copy is cached.
    this.lastLoad = { from: parsed === 0 && reusedFromIndex > 0 ? 'index' : 'parsed', parsed, reusedFromIndex, workers, cacheWritten: false };
    if (load.whole) return snapshotOf(load.whole, key);
    const encoded = encodeSnapshot(load, key, '', false);
    // A file that could not be read may be readable next time: such a load is not kept on disk.
    this.lastLoad.cacheWritten = file !== undefined && parsed > 0 && !load.unreadable && writeCacheFile(this.cacheDir!, file, encoded.chunks);
    // A load that met an unreadable file is no answer to keep anything under: it is read again next time.
    return snapshotOf(encoded.file, load.unreadable ? undefined : key);
  }
}

/** The snapshot a file holds, known by `key`; a body that does not decode leaves its record out of answers. */
function snapshotOf(file: SnapshotFile, key: string | undefined): AdvisorySnapshot {
  const body = (n: number): RecordBody | undefined => {
    const text = file.body(n);
    return text === undefined ? undefined : decodeRecordBody(text);
  };
  const index = new AdvisoryIndex({ table: file.table, body }, key);
  const problems = [...file.problems];
  for (const message of index.problems) problems.push({ entry: '', file: '', message, severity: 'warning' });
  for (const message of index.notes) problems.push({ entry: '', file: '', message, severity: 'info' });
  return { index, sources: file.sources, problems };
}

/** The snapshot with each source's last fetch as read now; the same object when none changed. */
function withFetchTimes(snapshot: AdvisorySnapshot, fetched: (string | undefined)[]): AdvisorySnapshot {
  if (snapshot.sources.every((s, i) => s.fetchedAt === fetched[i])) return snapshot;
  const sources = snapshot.sources.map(({ fetchedAt: _, newestModified, ...status }, i) => ({ ...status, ...(fetched[i] ? { fetchedAt: fetched[i] } : {}), ...(newestModified ? { newestModified } : {}) }));
  return { ...snapshot, sources };
}
