/**
 * The measurements bench/advisories.ts runs in fresh processes, bundled as the product is (the
 * advisory worker beside the bundle): `load` (one load, cold or warm as the cache folder and the
 * sources hold, then a reload with nothing changed),
 * `breakdown` (each step of a cold and a warm load alone, in one thread) and `lookups` (per-lookup
 * times on indexes of growing size). Prints one line of JSON.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, type OsvRecord } from '../server/src/core/advisories/index.js';
import { assembleTable } from '../server/src/core/advisories/indexTable.js';
import { parseOsvRecord } from '../server/src/core/advisories/osvRecord.js';
import { prepareRecord, type PreparedRecord } from '../server/src/core/advisories/preparedRecord.js';
import { decodeRecordBody, encodeRecordBody } from '../server/src/core/advisories/recordBody.js';
import { buildPublishedIndex } from '../server/src/node/advisoryIndexBuild.js';
import type { ParsedRecord } from '../server/src/node/advisoryParse.js';
import { scanSources } from '../server/src/node/advisoryScan.js';
import { encodeSnapshot, readSnapshotFile } from '../server/src/node/advisorySnapshotFile.js';
import { AdvisoryStore, type LoadStats } from '../server/src/node/advisoryStore.js';
import { workerPool, workerScript } from '../server/src/node/workerPool.js';
import { writeFileAtomically } from '../server/src/node/writeFile.js';
import { listZipJsonEntries, readZipBytes, readZipData, readZipEntry } from '../server/src/node/zipEntries.js';
import { generateOsvCorpus, lookupPairs, type LookupPair } from './osvGenerator.js';
import { median, round } from './stats.js';

const MB = 1024 * 1024;
const LOOKUPS = 10_000;

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** What every load must answer alike: counts, problems and the probe lookups, hashed. */
function digest(snapshot: Awaited<ReturnType<AdvisoryStore['load']>>, probes: LookupPair[]): string {
  const answers = probes.map(({ purl, version }) => snapshot.index.lookup(purl, version, { dates: true }));
  return createHash('sha1').update(JSON.stringify([snapshot.index.counts(), snapshot.problems, answers])).digest('hex').slice(0, 12);
}

/** The store's own account of the load (`LoadStats`), with what was measured around it. */
export interface LoadRun extends LoadStats {
  loadMs: number;
  reloadMs: number;
  firstLookupMs: number;
  records: number;
  withdrawn: number;
  problems: number;
  peakRssMB: number;
  heapAfterLoadMB: number;
  digest: string;
}

/** One load (cold or warm, as the cache folder and the sources hold), then a reload with nothing changed. */
async function childLoad(source: string, cacheDir: string, workers: string, probesFile: string): Promise<LoadRun> {
  const store = new AdvisoryStore({}, { cacheDir: cacheDir === 'off' ? null : cacheDir, ...(workers === 'default' ? {} : { workers: Number(workers) }) });
  const ref = [{ entry: source, path: source }];
  const first = await timed(() => store.load(ref));
  const stats = store.lastLoad!;
  const probes = JSON.parse(readFileSync(probesFile, 'utf8')) as LookupPair[];
  const lookup = await timed(() => first.value.index.lookup(probes[0]!.purl, probes[0]!.version));
  const peakRss = peakResidentBytes();
  global.gc?.();
  const heapAfterLoad = process.memoryUsage().heapUsed;
  const again = await timed(() => store.load(ref));
  if (store.lastLoad?.from !== 'memory') throw new Error(`a reload with nothing changed came from ${store.lastLoad?.from}`);
  const counts = first.value.index.counts();
  return {
    loadMs: round(first.ms),
    ...stats,
    reloadMs: round(again.ms),
    firstLookupMs: round(lookup.ms, 2),
    records: counts.records,
    withdrawn: counts.withdrawn,
    problems: first.value.problems.length,
    peakRssMB: round(peakRss / MB),
    heapAfterLoadMB: round(heapAfterLoad / MB),
    digest: digest(first.value, probes),
  };
}

/** What publishing the zip costs: `playbook advisories --write-index` for it (no index there yet). */
async function childIndex(zip: string): Promise<{ ms: number; bytes: number; parsed: number }> {
  const built = await timed(() => buildPublishedIndex({ entry: zip, path: zip }));
  if ('problem' in built.value) throw new Error(`no index for ${zip}: ${built.value.problem}`);
  return { ms: round(built.ms), bytes: built.value.bytes, parsed: built.value.parsed };
}

/**
 * Where a load goes, in one thread: the per-file stages timed file by file, as the store runs them
 * (so each file's garbage dies young, as it does there), then the steps over the whole set.
 */
async function childBreakdown(folder: string, zip: string): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const { ms, value } = await timed(fn);
    steps[name] = round(ms);
    return value;
  };
  await step('start one advisory worker (bundle loaded, ready)', () => workerStartup());
  const scan = await step('folder: list and stat every file (also the first step of a warm load)', () => scanSources([{ entry: 'f', path: folder }]));
  const files = scan.sources[0]!.files.map((file) => file.path);
  const stage = { read: 0, parse: 0, osv: 0, prepare: 0, encode: 0 };
  const records: ParsedRecord[] = [];
  for (const file of files) {
    let at = performance.now();
    const lap = (key: keyof typeof stage): void => {
      const now = performance.now();
      stage[key] += now - at;
      at = now;
    };
    const text = readText(file);
    lap('read');
    JSON.parse(text);
    lap('parse');
    const parsed = parseOsvRecord(text, file);
    lap('osv');
    if (!('record' in parsed)) continue;
    const record: PreparedRecord = prepareRecord(parsed.record, file, { compact: true });
    lap('prepare');
    records.push(record.meta.withdrawn ? { meta: record.meta } : { meta: record.meta, body: Buffer.from(encodeRecordBody(record.body)) });
    lap('encode');
  }
  steps['folder: open + read + close every file, UTF-8 to text'] = round(stage.read);
  steps['JSON.parse of every text (timed alone)'] = round(stage.parse);
  steps['parseOsvRecord of every text (its own JSON.parse + ajv + range checks)'] = round(stage.osv);
  steps['prepareRecord, compact (lookup keys, severity, problems)'] = round(stage.prepare);
  steps['encode the compact records (JSON.stringify, UTF-8)'] = round(stage.encode);
  await step('assemble the package table (newest per id, filings)', () => assembleTable(records.map((r) => r.meta)));
  const cacheDir = path.join(path.dirname(folder), 'breakdown-cache');
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, 'advisories.cache');
  const content = { sources: [{ entry: 'f', path: folder, kind: 'folder' as const, records: records.length }], problems: [], records };
  await step('encode the snapshot (table assembled again, JSON, bodies) and write it (temporary file + rename)', () => writeFileAtomically(file, encodeSnapshot(content, 'k', '', false).chunks, 0o600));
  const hit = await step('read the snapshot file (checks, CRC-32, package table)', () => readSnapshotFile(file, 'k', Number.MAX_SAFE_INTEGER));
  if (!hit) throw new Error('the snapshot just written was not read back');
  const kept = hit.table.counts.records;
  await step(`decode every record body (all ${kept}, as if every package were looked up)`, () => {
    for (let n = 0; n < kept; n++) decodeRecordBody(hit.body(n)!);
  });
  rmSync(cacheDir, { recursive: true, force: true });
  const bytes = await step('zip: read the file', async () => {
    const read = await readZipBytes(zip, { maxEntryBytes: 5 * MB, maxEntries: 500_000, maxZipBytes: 1024 * MB });
    if ('problem' in read) throw new Error(read.problem);
    await readZipData(read);
    return read.bytes;
  });
  const directory = await step('zip: central directory, limits applied', () => listZipJsonEntries(bytes, { maxEntryBytes: 5 * MB, maxEntries: 500_000, maxZipBytes: 1024 * MB }));
  const decoder = new TextDecoder();
  await step('zip: inflate (zlib) + UTF-8 to text, every entry', () => directory.entries.forEach((ref) => {
    const read = readZipEntry(bytes, ref);
    if ('problem' in read) throw new Error(read.problem);
    decoder.decode(read.data);
  }));
  return steps;
}

/**
 * This process's own peak (VmHWM, reset by exec); `resourceUsage().maxRSS` is not, and would report
 * the parent's memory when it was larger at the spawn.
 */
function peakResidentBytes(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}

const buffer = Buffer.allocUnsafe(1 << 20);
function readText(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

async function workerStartup(): Promise<void> {
  const script = workerScript('advisoryWorker');
  if (!script) throw new Error('no advisory worker script beside the bundle');
  const pool = workerPool(script, 1);
  await pool.run({ entry: 'f', maxRecordBytes: 1, files: [] });
  await pool.destroy();
}

export interface LookupRow {
  records: number;
  index: string;
  medianUs: number;
  p95Us: number;
  hitRate: number;
}

/** Per-lookup times on seeded purl+version pairs; corpora keep ~5 advisories per package at every size. */
function childLookups(sizes: number[]): LookupRow[] {
  return sizes.flatMap((size) => {
    const corpus = generateOsvCorpus(size);
    const inputs = corpus.records.map((record) => ({ record: record as unknown as OsvRecord, source: String(record['id']) }));
    const prepared = inputs.map((input) => prepareRecord(input.record, input.source, { compact: true }));
    const table = assembleTable(prepared.map((p) => p.meta));
    const texts = table.kept.map((at) => encodeRecordBody(prepared[at]!.body));
    const pairs = lookupPairs(corpus, LOOKUPS);
    const lazy = new AdvisoryIndex({ table, body: (n) => decodeRecordBody(texts[n]!) });
    const rows: [string, AdvisoryIndex][] = [
      ['as loaded (cache or workers): first lookup of a package reads its records', lazy],
      ['same, every record already read', lazy],
      ['built in memory from full records', new AdvisoryIndex(inputs)],
    ];
    return rows.map(([name, index]) => {
      let hits = 0;
      const samples = pairs.map(({ purl, version }) => {
        const start = performance.now();
        hits += index.lookup(purl, version).length > 0 ? 1 : 0;
        return (performance.now() - start) * 1000;
      });
      const sorted = [...samples].sort((a, b) => a - b);
      return { records: size, index: name, medianUs: round(median(samples), 2), p95Us: round(sorted[Math.floor(sorted.length * 0.95)]!, 2), hitRate: round(hits / LOOKUPS, 3) };
    });
  });
}

async function child(mode: string | undefined, args: string[]): Promise<unknown> {
  if (mode === 'load') return childLoad(args[0]!, args[1]!, args[2]!, args[3]!);
  if (mode === 'index') return childIndex(args[0]!);
  if (mode === 'breakdown') return childBreakdown(args[0]!, args[1]!);
  if (mode === 'lookups') return childLookups(args.map(Number));
  throw new Error(`unknown child mode ${mode}`);
}

void child(process.argv[2], process.argv.slice(3)).then((result) => console.log(JSON.stringify(result)));
