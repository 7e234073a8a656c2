/**
 * Advisory loading at the scale of a public OSV export: 50,000 generated records written as a folder
 * of JSON files and as an OSV-style zip, each loaded cold in a fresh process (time, peak memory,
 * record count) and re-loaded from the store's cache; lookups timed on indexes of 1k, 10k and 50k
 * records; and where the load time goes. Prints tables and PASS/FAIL lines and writes
 * bench-results/advisories.json. The same file runs the measurements as child modes (`--child`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, promises as fs, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import Ajv from 'ajv';
import { strToU8, zipSync } from 'fflate';
import { AdvisoryIndex, advisorySeverity, parseOsvRecord, type AdvisoryInput, type OsvRecord } from '../server/src/core/advisories/index.js';
import { OSV_RECORD_SCHEMA } from '../server/src/core/advisories/osvSchema.js';
import { AdvisoryStore } from '../server/src/node/advisoryStore.js';
import { generateOsvCorpus, lookupPairs } from './osvGenerator.js';

const RECORDS = 50_000;
const LOAD_RUNS = 3;
const LOOKUPS = 10_000;
const LOOKUP_SIZES = [1_000, 10_000, 50_000];
/** Provisional: a quarter of the ~780 ms the issue quotes for yaml-language-server opening the 5,000-step file. */
const LOAD_BUDGET_MS = 780 / 4;
const MAX_LOOKUP_RATIO = 3;
const ZIP_READ_STEP = 'zip: read + inflate entries (derived: zip load − parseOsvRecord − index)';
const PARSE_STEP = 'parseOsvRecord of every text (JSON.parse + ajv + the rest)';

const SCRIPT = path.resolve(process.argv[1]!);
const MB = 1024 * 1024;
const round = (value: number, digits = 1) => +value.toFixed(digits);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Runs a child mode in a fresh Node process and returns the JSON it prints. */
function inChild<T>(mode: string, ...args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', SCRIPT, '--child', mode, ...args], {
    cwd: path.dirname(path.dirname(SCRIPT)),
    encoding: 'utf8',
    maxBuffer: 64 * MB,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

interface LoadRun {
  loadMs: number;
  reloadMs: number;
  records: number;
  withdrawn: number;
  problems: number;
  rssBeforeMB: number;
  peakRssMB: number;
  heapAfterLoadMB: number;
}

/** One cold load (the first in this process), then a re-load with nothing changed. */
async function childLoad(source: string): Promise<LoadRun> {
  const rssBefore = process.memoryUsage().rss;
  const store = new AdvisoryStore();
  const ref = [{ entry: source, path: source }];
  const first = await timed(() => store.load(ref));
  const peakRss = process.resourceUsage().maxRSS * 1024;
  global.gc?.();
  const heapAfterLoad = process.memoryUsage().heapUsed; // the snapshot and the store's cache are still alive
  const again = await timed(() => store.load(ref));
  if (again.value.index.counts().records !== first.value.index.counts().records) throw new Error('a re-load changed the record count');
  const counts = first.value.index.counts();
  return {
    loadMs: round(first.ms),
    reloadMs: round(again.ms),
    records: counts.records,
    withdrawn: counts.withdrawn,
    problems: first.value.problems.length,
    rssBeforeMB: round(rssBefore / MB),
    peakRssMB: round(peakRss / MB),
    heapAfterLoadMB: round(heapAfterLoad / MB),
  };
}

/**
 * A folder load's steps one by one (the store's calls, in its order), plus I/O it could use instead.
 * The zip's own read is derived by the parent from the zip loads.
 */
async function childBreakdown(folder: string, zip: string): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    global.gc?.(); // so a step does not pay for the garbage of the one before
    const { ms, value } = await timed(fn);
    steps[name] = round(ms);
    return value;
  };
  const files = await step('folder: list files', async () => (await fs.readdir(folder)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(folder, f)));
  steps[ZIP_READ_STEP] = Number.NaN; // filled in by the parent, from the zip loads
  const inflated = await step('  alternative: node:zlib inflateRawSync per entry', () => inflateWithZlib(zip));
  if (inflated !== files.length) throw new Error(`node:zlib gave ${inflated} entries for ${files.length} files`);
  const texts = await step('folder: fs.promises stat + readFile, one at a time (for comparison)', async () => {
    const out: string[] = [];
    for (const file of files) {
      await fs.stat(file);
      out.push(await fs.readFile(file, 'utf8'));
    }
    return out;
  });
  await step('  alternative: readFileSync', () => files.map((f) => readFileSync(f, 'utf8')));
  await step('  alternative: readFile, 64 at a time', async () => {
    const out: string[] = new Array(files.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < files.length; i = next++) out[i] = await fs.readFile(files[i]!, 'utf8');
    };
    await Promise.all(Array.from({ length: 64 }, worker));
  });
  let values: unknown[] | undefined = await step('JSON.parse of every text, alone', () => texts.map((t) => JSON.parse(t) as unknown));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(OSV_RECORD_SCHEMA); // as parseOsvRecord compiles it
  await step('ajv validation of every value, alone', () => values!.forEach((v) => validate(v)));
  values = undefined;
  const inputs = await step(PARSE_STEP, () =>
    texts.flatMap((text, i): AdvisoryInput[] => {
      const parsed = parseOsvRecord(text, files[i]!);
      return 'record' in parsed ? [{ record: parsed.record, source: files[i]! }] : [];
    }),
  );
  await step('advisorySeverity (inside the index build)', () => inputs.forEach((input) => advisorySeverity(input.record)));
  await step('new AdvisoryIndex', () => new AdvisoryIndex(inputs));
  return steps;
}

/**
 * Sizes the alternative to reading entries one stream at a time: entries found through the central
 * directory of a zip read at once, inflated by node:zlib in one call each. A sketch for the
 * measurement (no zip64, no size limits), not a reader to ship.
 */
function inflateWithZlib(zip: string): number {
  const buf = readFileSync(zip);
  let end = buf.length - 22;
  while (end > 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  let texts = 0;
  for (let i = 0; i < count; i++) {
    const [method, size, nameLength, local] = [buf.readUInt16LE(at + 10), buf.readUInt32LE(at + 20), buf.readUInt16LE(at + 28), buf.readUInt32LE(at + 42)];
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    if ((method === 8 ? inflateRawSync(data) : data).toString('utf8').length > 0) texts++;
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return texts;
}

interface LookupRow {
  records: number;
  medianUs: number;
  p95Us: number;
  meanUs: number;
  hitRate: number;
  matchesPerLookup: number;
}

/** Per-lookup times over seeded purl+version pairs; corpora keep ~5 advisories per package at every size. */
function childLookups(): LookupRow[] {
  return LOOKUP_SIZES.map((size) => {
    const corpus = generateOsvCorpus(size);
    const index = new AdvisoryIndex(corpus.records.map((record) => ({ record: record as unknown as OsvRecord, source: String(record['id']) })));
    const pairs = lookupPairs(corpus, LOOKUPS);
    let hits = 0;
    let matches = 0;
    for (const { purl, version } of pairs) {
      const found = index.lookup(purl, version).length; // warm-up pass, which also counts the matches
      hits += found > 0 ? 1 : 0;
      matches += found;
    }
    global.gc?.();
    const samples = pairs.map(({ purl, version }) => {
      const start = performance.now();
      index.lookup(purl, version);
      return (performance.now() - start) * 1000;
    });
    const sorted = [...samples].sort((a, b) => a - b);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    return { records: size, medianUs: round(median(samples), 2), p95Us: round(sorted[Math.floor(sorted.length * 0.95)]!, 2), meanUs: round(mean, 2), hitRate: round(hits / LOOKUPS, 3), matchesPerLookup: round(matches / LOOKUPS, 2) };
  });
}

/** Medians of the runs of one source, with every run's load time shown. */
function summarise(source: string, runs: LoadRun[]) {
  const pick = (key: keyof LoadRun) => median(runs.map((run) => run[key]));
  return {
    source,
    coldLoadMs: pick('loadMs'),
    reloadMs: pick('reloadMs'),
    records: pick('records'),
    withdrawn: pick('withdrawn'),
    problems: pick('problems'),
    rssBeforeMB: pick('rssBeforeMB'),
    peakRssMB: pick('peakRssMB'),
    heapAfterLoadMB: pick('heapAfterLoadMB'),
    runsMs: runs.map((run) => run.loadMs).join(' / '),
  };
}

/** Writes the corpus as `<ID>.json` files and as an OSV `all.zip`; returns what it wrote. */
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
  return { folder, zip, records: corpus.records.length, withdrawn: corpus.withdrawn, packages: corpus.packages.length, folderMB: round(bytes / MB), zipMB: round(statSync(zip).size / MB) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'playbook-advisories-'));
  try {
    const written = await timed(() => writeCorpus(dir));
    const corpus = written.value;
    const expected = corpus.records - corpus.withdrawn;
    console.log(`${corpus.records} records (${corpus.withdrawn} withdrawn) over ${corpus.packages} packages: ${corpus.folderMB} MB of JSON, ${corpus.zipMB} MB zipped; written in ${(written.ms / 1000).toFixed(1)} s`);
    const runs = { folder: [] as LoadRun[], zip: [] as LoadRun[] };
    for (let i = 0; i < LOAD_RUNS; i++) {
      runs.folder.push(inChild<LoadRun>('load', corpus.folder));
      runs.zip.push(inChild<LoadRun>('load', corpus.zip));
    }
    const loads = [summarise(`folder of ${corpus.records} files`, runs.folder), summarise('zip', runs.zip)];
    const breakdown = inChild<Record<string, number>>('breakdown', corpus.folder, corpus.zip);
    // Reading the zip costs nearly a whole zip load, so it is derived rather than run once more.
    breakdown[ZIP_READ_STEP] = round(loads[1]!.coldLoadMs - breakdown[PARSE_STEP]! - breakdown['new AdvisoryIndex']!);
    const lookups = inChild<LookupRow[]>('lookups');

    console.table(loads);
    console.log("Where a cold load goes: each step alone, in one fresh process; 'alternative' rows are not what the store does, they size a fix.");
    console.table(Object.entries(breakdown).map(([step, ms]) => ({ step, ms })));
    console.table(lookups);

    const checks: { name: string; pass: boolean; provisional?: boolean }[] = [];
    const complete = new Map<string, boolean>();
    for (const [source, every] of [[loads[0]!.source, runs.folder], ['zip', runs.zip]] as const) {
      const pass = every.every((run) => run.records === expected && run.problems === 0);
      complete.set(source, pass);
      const got = every.map((run) => `${run.records} records, ${run.problems} problems`).join('; ');
      checks.push({ name: `${source}: every run indexed ${expected} records (${corpus.records} generated − ${corpus.withdrawn} withdrawn) with no problems (got ${got})`, pass });
    }
    const ratio = lookups[lookups.length - 1]!.medianUs / lookups[0]!.medianUs;
    checks.push({ name: `lookup median at ${LOOKUP_SIZES[2]} records is ${ratio.toFixed(2)}× the one at ${LOOKUP_SIZES[0]} (target: under ${MAX_LOOKUP_RATIO}×)`, pass: ratio < MAX_LOOKUP_RATIO });
    for (const load of loads) {
      const budget = `PROVISIONAL budget ${LOAD_BUDGET_MS} ms: 1/4 of the issue's ~780 ms for yaml-language-server, not yet measured here`;
      // A load that missed records proves nothing, however fast it was.
      const why = complete.get(load.source) ? budget : 'not every record was indexed, so the time means nothing';
      checks.push({ name: `cold load of ${corpus.records} records from the ${load.source}: ${load.coldLoadMs} ms (${why})`, pass: complete.get(load.source)! && load.coldLoadMs < LOAD_BUDGET_MS, provisional: true });
    }
    for (const check of checks) console.log(`${check.pass ? 'PASS' : 'FAIL'} ${check.name}`);
    if (checks.some((c) => !c.pass && !c.provisional)) process.exitCode = 1;

    const cpus = os.cpus();
    const machine = { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, totalMemoryGB: round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.platform()} ${os.release()}` };
    const { folder: _folder, zip: _zip, ...corpusFigures } = corpus;
    const results = { date: new Date().toISOString(), machine, corpus: { ...corpusFigures, expected }, loadBudgetMs: LOAD_BUDGET_MS, loads, runs, breakdownMs: breakdown, lookups, lookupRatio: round(ratio, 2), checks };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/advisories.json', JSON.stringify(results, null, 2));
    console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s in all; ${machine.cpu}, ${machine.cores} cores, ${machine.totalMemoryGB} GB, Node ${machine.node})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(mode: string | undefined, args: string[]): Promise<unknown> {
  if (mode === 'load') return childLoad(args[0]!);
  if (mode === 'breakdown') return childBreakdown(args[0]!, args[1]!);
  if (mode === 'lookups') return childLookups();
  throw new Error(`unknown child mode ${mode}`);
}

const childAt = process.argv.indexOf('--child');
if (childAt === -1) void main();
else void child(process.argv[childAt + 1], process.argv.slice(childAt + 2)).then((result) => console.log(JSON.stringify(result)));
