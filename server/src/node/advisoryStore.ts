/**
 * Loads OSV advisories from the folders and zips a policy names, for the core's AdvisoryIndex.
 * Each file is parsed once and again only when its size or modification time changes, so a
 * re-check after a keystroke never re-reads advisories. A broken file is reported and skipped:
 * it never hides the others.
 */
import { promises as fs, readFileSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, parseOsvRecord, type AdvisoryInput } from '../core/advisories/index.js';
import type { AdvisoryProblem, AdvisorySnapshot, SourceStatus } from '../core/advisories/snapshot.js';
import { describeFsError } from './readFile.js';
import { readZipJsonEntries } from './zipEntries.js';

export interface AdvisoryLimits {
  maxRecordBytes: number;
  maxZipEntries: number;
  maxZipBytes: number;
}

export const DEFAULT_ADVISORY_LIMITS: AdvisoryLimits = { maxRecordBytes: 5 * 1024 * 1024, maxZipEntries: 500_000, maxZipBytes: 1024 * 1024 * 1024 };

/** Files read between two yields to the event loop, so a large folder never blocks the server for long. */
const READ_BATCH = 256;

/** A source as the policy wrote it, with the folder it is relative to. */
export interface SourceRef {
  /** As written in the policy (`.playbooks/advisories`), for messages and for locating the entry. */
  entry: string;
  /** Absolute path. */
  path: string;
}

interface CachedFile {
  stamp: string;
  inputs: AdvisoryInput[];
  problems: AdvisoryProblem[];
}

export class AdvisoryStore {
  private readonly cache = new Map<string, CachedFile>();

  private limits: AdvisoryLimits;

  constructor(limits: Partial<AdvisoryLimits> = {}) {
    this.limits = { ...DEFAULT_ADVISORY_LIMITS, ...limits };
  }

  /** Loads the sources; `limits` (from the policy) override the store's for this load. */
  async load(sources: readonly SourceRef[], limits: Partial<AdvisoryLimits> = {}): Promise<AdvisorySnapshot> {
    const previous = this.limits;
    this.limits = { ...previous, ...definedOnly(limits) };
    try {
      return await this.loadWithLimits(sources);
    } finally {
      this.limits = previous;
    }
  }

  private async loadWithLimits(sources: readonly SourceRef[]): Promise<AdvisorySnapshot> {
    const inputs: AdvisoryInput[] = [];
    const problems: AdvisoryProblem[] = [];
    const statuses: SourceStatus[] = [];
    const live = new Set<string>();
    for (const source of sources) {
      const status = await this.loadSource(source, inputs, problems, live);
      statuses.push(status);
    }
    for (const key of this.cache.keys()) if (!live.has(key)) this.cache.delete(key);
    const index = new AdvisoryIndex(inputs);
    for (const message of index.problems) problems.push({ entry: '', file: '', message, severity: 'warning' });
    for (const message of index.notes) problems.push({ entry: '', file: '', message, severity: 'info' });
    return { index, sources: statuses, problems };
  }

  private async loadSource(source: SourceRef, inputs: AdvisoryInput[], problems: AdvisoryProblem[], live: Set<string>): Promise<SourceStatus> {
    let stat: Stats;
    try {
      stat = await fs.stat(source.path);
    } catch (e) {
      return { entry: source.entry, path: source.path, kind: 'missing', records: 0, problem: describeFsError(e) };
    }
    const before = inputs.length;
    if (stat.isDirectory()) {
      const files = await jsonFilesUnder(source.path);
      for (let i = 0; i < files.length; i++) {
        if (i > 0 && i % READ_BATCH === 0) await yieldToEventLoop();
        const cached = this.fromFile(files[i]!, source.entry);
        live.add(files[i]!);
        append(inputs, cached.inputs);
        append(problems, cached.problems);
      }
      return { entry: source.entry, path: source.path, kind: 'folder', records: inputs.length - before };
    }
    if (source.path.toLowerCase().endsWith('.zip')) {
      const cached = await this.fromZip(source.path, source.entry, stat.size, stat.mtimeMs);
      live.add(source.path);
      append(inputs, cached.inputs);
      append(problems, cached.problems);
      return { entry: source.entry, path: source.path, kind: 'zip', records: inputs.length - before };
    }
    if (source.path.toLowerCase().endsWith('.json')) {
      const cached = this.fromFile(source.path, source.entry);
      live.add(source.path);
      append(inputs, cached.inputs);
      append(problems, cached.problems);
      return { entry: source.entry, path: source.path, kind: 'file', records: inputs.length - before };
    }
    return { entry: source.entry, path: source.path, kind: 'missing', records: 0, problem: 'is neither a folder, a .zip nor a .json file' };
  }

  /** Synchronous on purpose: awaiting each small read costs far more than the read (callers yield between batches). */
  private fromFile(file: string, entry: string): CachedFile {
    try {
      const stat = statSync(file);
      const stamp = `${stat.size}:${stat.mtimeMs}:${this.limits.maxRecordBytes}`;
      const cached = this.cache.get(file);
      if (cached?.stamp === stamp) return cached;
      const result: CachedFile = { stamp, inputs: [], problems: [] };
      if (stat.size > this.limits.maxRecordBytes) {
        result.problems.push({ entry, file, message: `is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the ${(this.limits.maxRecordBytes / 1024 / 1024).toFixed(0)} MB limit for one record (maxRecordBytes); skipped`, severity: 'warning' });
      } else {
        addParsed(readFileSync(file, 'utf8'), file, entry, result);
      }
      this.cache.set(file, result);
      return result;
    } catch (e) {
      return { stamp: '', inputs: [], problems: [{ entry, file, message: `cannot be read (${describeFsError(e)})`, severity: 'warning' }] };
    }
  }

  private async fromZip(file: string, entry: string, size: number, mtimeMs: number): Promise<CachedFile> {
    const stamp = `${size}:${mtimeMs}:${this.limits.maxRecordBytes}:${this.limits.maxZipEntries}:${this.limits.maxZipBytes}`;
    const cached = this.cache.get(file);
    if (cached?.stamp === stamp) return cached;
    const result: CachedFile = { stamp, inputs: [], problems: [] };
    const { entries, problem } = await readZipJsonEntries(file, { maxEntryBytes: this.limits.maxRecordBytes, maxEntries: this.limits.maxZipEntries, maxZipBytes: this.limits.maxZipBytes });
    if (problem) result.problems.push({ entry, file, message: problem, severity: 'warning' });
    for (const e of entries) {
      const name = `${file}!${e.name}`;
      if (e.problem) result.problems.push({ entry, file: name, message: `${e.problem}; skipped`, severity: 'warning' });
      else addParsed(e.text ?? '', name, entry, result);
    }
    this.cache.set(file, result);
    return result;
  }
}

function definedOnly(limits: Partial<AdvisoryLimits>): Partial<AdvisoryLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => typeof v === 'number'));
}

/** `push(...items)` overflows the stack for very large arrays (a 150,000-record zip): append in a loop. */
function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function addParsed(text: string, file: string, entry: string, into: CachedFile): void {
  const name = path.basename(file);
  const parsed = parseOsvRecord(text, name);
  // The problem already names the file; the finding names it once, with its full path.
  const withoutName = (message: string): string => (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
  if ('problem' in parsed) {
    into.problems.push({ entry, file, message: `${withoutName(parsed.problem)}; skipped`, severity: 'warning' });
    return;
  }
  into.inputs.push({ record: parsed.record, source: file });
  for (const message of parsed.problems) into.problems.push({ entry, file, message: withoutName(message), severity: 'warning' });
  for (const message of parsed.notes) into.problems.push({ entry, file, message: withoutName(message), severity: 'info' });
}

async function jsonFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length) {
    const current = pending.pop()!;
    const entries = await fs.readdir(current, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = path.join(current, e.name);
      if (e.isDirectory()) pending.push(full);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(full);
    }
  }
  return out.sort();
}
