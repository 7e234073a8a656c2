/**
 * Advisory loading at the scale of a public OSV export: 50,000 generated records written as a folder
 * of JSON files and as an OSV-style zip, each loaded in fresh processes running the bundled code (the
 * advisory worker beside the bundle, as in dist/): cold (no cache: a fresh machine or CI, which
 * parses everything and writes the cache), warm (the cache in place: every later editor start or CLI
 * run), one file added to the folder with the cache in place (a changed folder is parsed whole: what
 * that costs), and cold without writing the cache on two workers and in one thread (what the workers
 * give). Then where a load goes, step by step, and lookups on indexes of 1k, 10k and 50k records.
 * Prints tables and PASS/FAIL lines and writes bench-results/advisories.json.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { codeHash } from '../scripts/codeHash.mjs';
import type { LoadRun, LookupRow } from './advisoriesChild.js';
import { generateOsvCorpus, lookupPairs } from './osvGenerator.js';
import { busyCores, machine, median, round } from './stats.js';

const ROOT = path.resolve(__dirname, '..');
const RECORDS = 50_000;
const LOAD_RUNS = 3;
const LOOKUP_SIZES = [1_000, 10_000, 50_000];
const MAX_LOOKUP_RATIO = 3;
const MB = 1024 * 1024;

/** The target: a quarter of yaml-language-server's open of a 5,000-step playbook, as bench/lsp.ts last measured it here. */
function target(): { yamlLsOpenMs: number; from: string; budgetMs: number } {
  const fallback = { yamlLsOpenMs: 1259, from: 'README (no bench-results/lsp.json)' };
  let found = fallback;
  try {
    const lsp = JSON.parse(readFileSync(path.join(ROOT, 'bench-results/lsp.json'), 'utf8')) as { date: string; yaml: { sizes: { steps: number; openMedianMs: number }[] } };
    const open = lsp.yaml.sizes.find((s) => s.steps === 5000)?.openMedianMs;
    if (open) found = { yamlLsOpenMs: open, from: `bench-results/lsp.json of ${lsp.date}` };
  } catch {
    // No earlier editor benchmark: the README's figure.
  }
  return { ...found, budgetMs: round(found.yamlLsOpenMs / 4) };
}

/** The child measurements and the advisory worker, bundled as scripts/build.mjs bundles the product. */
async function bundle(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  // piscina's thread runtime too: the pool bundled into the child starts `worker.js` from the child's folder (scripts/build.mjs).
  const entryPoints = { advisoriesChild: 'bench/advisoriesChild.ts', advisoryWorker: 'server/src/node/advisoryWorker.ts', worker: 'node_modules/piscina/dist/worker.js' };
  const common = {
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', absWorkingDir: ROOT, outdir: dir, external: ['@napi-rs/nice'] as string[],
    define: { PLAYBOOK_VERSION: JSON.stringify(version), 'import.meta.url': '__importMetaUrl' } as Record<string, string>,
    banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  } as const;
  // Without it each process would have a key of its own (as under tsx), and no warm load would find the cache.
  common.define['PLAYBOOK_CODE_HASH'] = JSON.stringify(await codeHash(Object.values(entryPoints), common));
  await build({ ...common, entryPoints });
  return path.join(dir, 'advisoriesChild.js');
}

function inChild<T>(script: string, ...args: string[]): T {
  const out = execFileSync(process.execPath, ['--expose-gc', script, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * MB, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Writes the corpus as `<ID>.json` files and as an OSV `all.zip`, the lookups every load is checked with, and the record a day adds (not written yet). */
function writeCorpus(dir: string) {
  const corpus = generateOsvCorpus(RECORDS);
  const folder = path.join(dir, 'records');
  mkdirSync(folder);
  const entries: Record<string, Uint8Array> = {};
  let bytes = 0;
  for (const record of corpus.records) {
    const text = JSON.stringify(record, null, 2);
    bytes += text.length;
    writeFileSync(path.join(folder, `${String(record['id'])}.json`), text);
    entries[`${String(record['id'])}.json`] = strToU8(text);
  }
  const zip = path.join(dir, 'all.zip');
  writeFileSync(zip, zipSync(entries, { level: 6 }));
  const probes = path.join(dir, 'probes.json');
  writeFileSync(probes, JSON.stringify(lookupPairs(corpus, 500, 11)));
  // A new advisory for a package the corpus has, so the lookups see it.
  const added = { file: path.join(folder, 'GHSA-added-0001.json'), text: JSON.stringify({ ...corpus.records[0], id: 'GHSA-added-0001', modified: '2025-06-01T00:00:00Z', withdrawn: undefined }, null, 2) };
  return { folder, zip, probes, added, records: corpus.records.length, withdrawn: corpus.withdrawn, packages: corpus.packages.length, folderMB: round(bytes / MB), zipMB: round(statSync(zip).size / MB) };
}

type Variant = 'cold' | 'warm' | 'coldTwoWorkers' | 'coldOneThread';

interface Added {
  file: string;
  text: string;
}

/** A load run with one file added to the folder, which is removed again after it. */
function withAdded<T>(added: Added, run: () => T): T {
  writeFileSync(added.file, added.text);
  try {
    return run();
  } finally {
    rmSync(added.file);
  }
}

/**
 * Runs interleaved, so a busy moment of the machine does not land on one variant only. For a folder,
 * the cache the cold and warm runs used is then used by a load with one file added.
 */
function measure(script: string, source: string, probes: string, dir: string, added?: Added): { runs: Record<Variant, LoadRun[]>; oneChanged: LoadRun[] } {
  const runs: Record<Variant, LoadRun[]> = { cold: [], warm: [], coldTwoWorkers: [], coldOneThread: [] };
  const oneChanged: LoadRun[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    const cacheDir = mkdtempSync(path.join(dir, 'cache-'));
    runs.cold.push(inChild<LoadRun>(script, 'load', source, cacheDir, 'default', probes));
    runs.warm.push(inChild<LoadRun>(script, 'load', source, cacheDir, 'default', probes));
    if (added) oneChanged.push(withAdded(added, () => inChild<LoadRun>(script, 'load', source, cacheDir, 'default', probes)));
    runs.coldTwoWorkers.push(inChild<LoadRun>(script, 'load', source, 'off', '2', probes));
    runs.coldOneThread.push(inChild<LoadRun>(script, 'load', source, 'off', '0', probes));
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return { runs, oneChanged };
}

function summarise(source: string, runs: Record<Variant, LoadRun[]>, oneChanged: LoadRun[] = []) {
  const ms = (variant: Variant) => median(runs[variant].map((r) => r.loadMs));
  const pick = (variant: Variant, key: keyof LoadRun) => median(runs[variant].map((r) => r[key] as number));
  return {
    source,
    coldLoadMs: ms('cold'),
    warmLoadMs: ms('warm'),
    ...(oneChanged.length > 0 ? { oneChangedLoadMs: median(oneChanged.map((r) => r.loadMs)) } : {}),
    coldTwoWorkersNoCacheMs: ms('coldTwoWorkers'),
    coldOneThreadNoCacheMs: ms('coldOneThread'),
    reloadMs: pick('warm', 'reloadMs'),
    warmFirstLookupMs: pick('warm', 'firstLookupMs'),
    records: pick('cold', 'records'),
    withdrawn: pick('cold', 'withdrawn'),
    problems: pick('cold', 'problems'),
    coldWorkers: pick('cold', 'workers'),
    peakRssColdMB: pick('cold', 'peakRssMB'),
    peakRssWarmMB: pick('warm', 'peakRssMB'),
    heapAfterWarmLoadMB: pick('warm', 'heapAfterLoadMB'),
    coldRunsMs: runs.cold.map((r) => r.loadMs).join(' / '),
    warmRunsMs: runs.warm.map((r) => r.loadMs).join(' / '),
    ...(oneChanged.length > 0 ? { oneChangedRunsMs: oneChanged.map((r) => r.loadMs).join(' / ') } : {}),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const busyAtStart = await busyCores();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'playbook-advisories-'));
  try {
    const script = await bundle(path.join(dir, 'bundle'));
    const corpus = writeCorpus(dir);
    const expected = corpus.records - corpus.withdrawn;
    const goal = target();
    console.log(`${corpus.records} records (${corpus.withdrawn} withdrawn) over ${corpus.packages} packages: ${corpus.folderMB} MB of JSON, ${corpus.zipMB} MB zipped. Other processes kept ${busyAtStart ?? '?'} of ${os.cpus().length} cores busy.`);
    const folderRuns = measure(script, corpus.folder, corpus.probes, dir, corpus.added);
    const runs = { folder: folderRuns.runs, zip: measure(script, corpus.zip, corpus.probes, dir).runs };
    const oneChanged = folderRuns.oneChanged;
    // The security team publishes the zip with its index; a consumer checks both out elsewhere (other paths) and has no cache.
    const published = inChild<{ ms: number; bytes: number; parsed: number }>(script, 'index', corpus.zip);
    const consumerZip = path.join(mkdtempSync(path.join(dir, 'checkout-')), 'all.zip');
    copyFileSync(corpus.zip, consumerZip);
    copyFileSync(`${corpus.zip}.playbook-index`, `${consumerZip}.playbook-index`);
    const fromIndex = Array.from({ length: LOAD_RUNS }, () => inChild<LoadRun>(script, 'load', consumerZip, 'off', 'default', corpus.probes));
    const indexLoadMs = median(fromIndex.map((r) => r.loadMs));
    // What those loads must answer: a cold load of the same zip at the same path, its index set aside.
    renameSync(`${consumerZip}.playbook-index`, `${consumerZip}.aside`);
    const indexReference = inChild<LoadRun>(script, 'load', consumerZip, 'off', 'default', corpus.probes);
    renameSync(`${consumerZip}.aside`, `${consumerZip}.playbook-index`);
    // What the loads after the day's file must answer: a cold load, without cache, of the same folder.
    const oneChangedReference = withAdded(corpus.added, () => inChild<LoadRun>(script, 'load', corpus.folder, 'off', 'default', corpus.probes));
    const loads = [summarise(`folder of ${corpus.records} files`, runs.folder, oneChanged), summarise('zip', runs.zip)];
    const breakdown = inChild<Record<string, number>>(script, 'breakdown', corpus.folder, corpus.zip);
    const lookups = inChild<LookupRow[]>(script, 'lookups', ...LOOKUP_SIZES.map(String));

    console.log('Loads, median of 3 fresh processes each (ms); cold = no cache (parses everything, writes the cache), warm = the cache in place, oneChanged = one file added to the folder since the cache was written (parsed whole):');
    console.table(loads.map(({ coldRunsMs: _c, warmRunsMs: _w, oneChangedRunsMs: _o, ...row }) => row));
    console.log(`Zip with its published index (written in ${published.ms} ms, ${round(published.bytes / MB)} MB), checked out at another path, no cache: ${fromIndex.map((r) => r.loadMs).join(' / ')} ms (median ${indexLoadMs}).`);
    console.log('Where a load goes: each step alone, in one thread of one fresh process (ms). The store runs the per-file steps on the workers.');
    console.table(Object.entries(breakdown).map(([step, ms]) => ({ step, ms })));
    console.log('Lookups (µs per lookup, 10,000 seeded purl + version pairs):');
    console.table(lookups);

    const checks: { name: string; pass: boolean; gate: boolean }[] = [];
    const every = (source: 'folder' | 'zip') => Object.values(runs[source]).flat();
    for (const source of ['folder', 'zip'] as const) {
      const all = every(source);
      const complete = all.every((r) => r.records === expected && r.problems === 0);
      checks.push({ name: `${source}: every run indexed ${expected} records (${corpus.records} − ${corpus.withdrawn} withdrawn) with no problems`, pass: complete, gate: true });
      const digests = new Set(all.map((r) => r.digest));
      checks.push({ name: `${source}: cold, warm, two-worker and one-thread loads answer 500 lookups, counts and problems identically (${[...digests].join(', ')})`, pass: digests.size === 1, gate: true });
      checks.push({ name: `${source}: warm runs were served from the cache, cold runs wrote it`, pass: runs[source].warm.every((r) => r.from === 'cache') && runs[source].cold.every((r) => r.from === 'parsed' && r.cacheWritten), gate: true });
    }
    const indexDigests = new Set(fromIndex.map((r) => r.digest));
    const referenceParsed = indexReference.from === 'parsed' && indexReference.parsed === corpus.records;
    checks.push({ name: `zip with its published index at another path: every load took the table from the index, parsed nothing and answers as a cold load of the zip there (${[...indexDigests].join(', ')} vs ${indexReference.digest})`, pass: fromIndex.every((r) => r.from === 'index' && r.parsed === 0 && r.reusedFromIndex === corpus.records) && referenceParsed && indexDigests.size === 1 && indexDigests.has(indexReference.digest), gate: true });
    const parsedAll = oneChanged.every((r) => r.from === 'parsed' && r.parsed === corpus.records + 1 && r.cacheWritten);
    checks.push({ name: `folder: with one file added, every run parsed the folder whole (no per-file reuse) and rewrote the cache (${oneChanged.map((r) => `${r.parsed} parsed`).join('; ')})`, pass: parsedAll, gate: true });
    const changedDigests = new Set(oneChanged.map((r) => r.digest));
    const seen = oneChangedReference.records === expected + 1 && oneChangedReference.digest !== runs.folder.cold[0]!.digest;
    checks.push({ name: `folder: with one file added, every load answers as a cold load of the same folder (${[...changedDigests].join(', ')} vs ${oneChangedReference.digest}), which sees the new record`, pass: seen && changedDigests.size === 1 && changedDigests.has(oneChangedReference.digest), gate: true });
    for (const [name, rows] of [['as loaded', lookups.filter((r) => r.index.startsWith('as loaded'))], ['in memory', lookups.filter((r) => r.index.startsWith('built'))]] as const) {
      const ratio = rows[rows.length - 1]!.medianUs / rows[0]!.medianUs;
      checks.push({ name: `lookup median (index ${name}) at ${LOOKUP_SIZES[2]} records is ${ratio.toFixed(2)}× the one at ${LOOKUP_SIZES[0]} (target: under ${MAX_LOOKUP_RATIO}×)`, pass: ratio < MAX_LOOKUP_RATIO, gate: true });
    }
    const budget = `target ${goal.budgetMs} ms = 1/4 of yaml-language-server's ${goal.yamlLsOpenMs} ms open of a 5,000-step playbook (${goal.from})`;
    for (const load of loads) {
      checks.push({ name: `WARM load (cache in place: every editor start and CLI run after the first) of ${RECORDS} records from the ${load.source}: ${load.warmLoadMs} ms; ${budget}`, pass: load.warmLoadMs < goal.budgetMs, gate: false });
      checks.push({ name: `COLD load (no cache: the first run on a machine, or CI without a kept cache) from the ${load.source}: ${load.coldLoadMs} ms; ${budget}`, pass: load.coldLoadMs < goal.budgetMs, gate: false });
      if (load.oneChangedLoadMs !== undefined) checks.push({ name: `ONE FILE ADDED to the ${load.source}, the cache in place (the day's new advisory): ${load.oneChangedLoadMs} ms (cold ${load.coldLoadMs} ms); ${budget}`, pass: load.oneChangedLoadMs < goal.budgetMs, gate: false });
    }
    checks.push({ name: `FRESH MACHINE (no cache: CI, a new laptop) with the zip's published index: ${indexLoadMs} ms; ${budget}`, pass: indexLoadMs < goal.budgetMs, gate: false });
    for (const check of checks) console.log(`${check.pass ? 'PASS' : 'FAIL'} ${check.name}${check.gate ? '' : ' (measured, not a gate: the machine is shared)'}`);
    const warmMeets = loads.every((l) => l.warmLoadMs < goal.budgetMs);
    const indexMeets = indexLoadMs < goal.budgetMs;
    console.log(`Within the target: ${[warmMeets ? 'every WARM load (from the cache)' : '', indexMeets ? 'the FRESH-MACHINE load of the zip with its published index' : ''].filter(Boolean).join(' and ') || 'nothing'}. A first load with neither cache nor index parses 176 MB of JSON (${loads.map((l) => `${l.coldLoadMs} ms ${l.source}`).join(', ')}), once per machine and change.`);
    if (checks.some((c) => c.gate && !c.pass)) process.exitCode = 1;

    const { folder: _f, zip: _z, probes: _p, added: _a, ...corpusFigures } = corpus;
    const busyAtEnd = await busyCores();
    const results = { date: new Date().toISOString(), machine: { ...machine(), busyCoresAtStart: busyAtStart, busyCoresAtEnd: busyAtEnd }, corpus: { ...corpusFigures, expected }, target: goal, loadBudgetMs: goal.budgetMs, loads, runs, oneChanged: { runs: oneChanged, reference: oneChangedReference }, publishedIndex: { writeMs: published.ms, bytes: published.bytes, loadMs: indexLoadMs, runs: fromIndex, reference: indexReference }, breakdownMs: breakdown, lookups, checks };
    mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench-results/advisories.json'), JSON.stringify(results, null, 2));
    console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s in all; wrote bench-results/advisories.json)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(path.join(ROOT, 'package.json'))) throw new Error(`bench/advisories.ts runs from the repository (${ROOT})`);
void main();
