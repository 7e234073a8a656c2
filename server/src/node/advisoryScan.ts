/**
 * What the advisory sources hold right now, without reading any record: each source's kind and
 * files with their stat (size, modification and change times, inode), and a fingerprint of it
 * all. Equal fingerprints mean no file was added, removed, replaced or written since: an edit
 * changes the change time even when it keeps the size and restores the modification time.
 * A folder of 50,000 files is one directory listing and 50,000 stats, kept in a typed array:
 * this runs before every load, so it allocates as little as it can. Folders are walked as playbook
 * folders are (folderWalk.ts: links followed once per real folder, nothing read twice), and an
 * entry that is not a regular file (a FIFO, a device, a broken link) is kept as a file that cannot
 * be read, with why, so it is reported instead of opened.
 */
import { promises as fs, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { SourceStatus } from '../core/advisories/snapshot.js';
import { describeFsError, notRegularReason, pathKind } from './fileKind.js';
import { Seen, walkFolder } from './folderWalk.js';

/** A source as the policy wrote it, with the folder it is relative to. */
export interface SourceRef {
  /** As written in the policy (`.playbooks/advisories`), for messages and for locating the entry. */
  entry: string;
  /** Absolute path. */
  path: string;
}

export interface ScannedSource {
  ref: SourceRef;
  kind: SourceStatus['kind'];
  /** Why a `missing` source is not read. */
  problem?: string;
  /** A folder's `*.json` files relative to it, sorted; '' (the source itself) for a zip or a single file. */
  names: string[];
  /** Per file: size, mtimeMs, ctimeMs, ino (NaN when it could not be stat'ed). */
  stats: Float64Array;
  /** Why a file could not be stat'ed, by its position. */
  errors: Map<number, string>;
}

export interface SourceScan {
  sources: ScannedSource[];
  /** Every source, file name and stat: compared whole, so two different states never match. */
  fingerprint: Buffer;
}

const FIELDS = 4;
/** Files stat'ed between two yields to the event loop. */
const STAT_BATCH = 8192;

export async function scanSources(refs: readonly SourceRef[]): Promise<SourceScan> {
  const sources: ScannedSource[] = [];
  for (const ref of refs) sources.push(await scanSource(ref));
  // File names cannot hold NUL, so NUL-separated names cannot pass for one another.
  const parts: Buffer[] = [];
  for (const s of sources) {
    const errors = [...s.errors].map(([at, why]) => `${at}:${why}`);
    parts.push(Buffer.from(`${JSON.stringify([s.kind, s.ref.entry, s.ref.path, s.problem ?? '', s.names.length, errors])}\0${s.names.join('\0')}\0`));
    parts.push(Buffer.from(s.stats.buffer, s.stats.byteOffset, s.stats.byteLength));
  }
  return { sources, fingerprint: Buffer.concat(parts) };
}

/**
 * The sources a fingerprint was made from (kinds, file names and stats), read back: what an older
 * load saw, for comparing file by file. Undefined when the bytes are not a fingerprint.
 */
export function sourcesOfFingerprint(fingerprint: Buffer): ScannedSource[] | undefined {
  const out: ScannedSource[] = [];
  let at = 0;
  try {
    while (at < fingerprint.length) {
      const headEnd = fingerprint.indexOf(0, at);
      if (headEnd < 0) return undefined;
      const head: unknown = JSON.parse(fingerprint.toString('utf8', at, headEnd));
      if (!isHead(head)) return undefined;
      const [kind, entry, sourcePath, problem, count, errorTexts] = head;
      at = headEnd + 1;
      // `count` names, each followed by a NUL; none is a single NUL. Counted here: one native call per name costs more.
      let namesEnd = at;
      for (let left = Math.max(count, 1); left > 0 && namesEnd < fingerprint.length; namesEnd++) if (fingerprint[namesEnd] === 0) left--;
      if (fingerprint[namesEnd - 1] !== 0) return undefined;
      const names = count === 0 ? [] : fingerprint.toString('utf8', at, namesEnd - 1).split('\0');
      const bytes = count * FIELDS * Float64Array.BYTES_PER_ELEMENT;
      if ((count === 0 && namesEnd !== at + 1) || namesEnd + bytes > fingerprint.length) return undefined;
      const stats = new Float64Array(count * FIELDS);
      new Uint8Array(stats.buffer).set(fingerprint.subarray(namesEnd, namesEnd + bytes));
      at = namesEnd + bytes;
      const errors = new Map(errorTexts.map((text) => [Number(text.slice(0, text.indexOf(':'))), text.slice(text.indexOf(':') + 1)]));
      out.push({ ref: { entry, path: sourcePath }, kind, ...(problem !== '' ? { problem } : {}), names, stats, errors });
    }
  } catch {
    return undefined;
  }
  return out;
}

type Head = [ScannedSource['kind'], string, string, string, number, string[]];

function isHead(v: unknown): v is Head {
  if (!Array.isArray(v) || v.length !== 6 || !['folder', 'zip', 'file', 'missing'].includes(v[0] as string)) return false;
  const [, entry, sourcePath, problem, count, errors] = v as unknown[];
  if (typeof entry !== 'string' || typeof sourcePath !== 'string' || typeof problem !== 'string' || !Number.isSafeInteger(count) || (count as number) < 0) return false;
  return Array.isArray(errors) && errors.every((e) => typeof e === 'string' && /^\d+:/.test(e));
}

/** What a file's name is appended to for its path, spelt as path.join spells it. */
export function folderBase(source: ScannedSource): string {
  return source.kind === 'folder' ? path.join(source.ref.path, '_').slice(0, -1) : source.ref.path;
}

/** Whether file `i` of one scan and file `j` of another have the same stat (never when either could not be stat'ed). */
export function sameStat(a: ScannedSource, i: number, b: ScannedSource, j: number): boolean {
  for (let k = 0; k < FIELDS; k++) if (a.stats[i * FIELDS + k] !== b.stats[j * FIELDS + k]) return false;
  return true;
}

async function scanSource(ref: SourceRef): Promise<ScannedSource> {
  const missing = (problem: string): ScannedSource => ({ ref, kind: 'missing', problem, names: [], stats: new Float64Array(0), errors: new Map() });
  let stat: Stats;
  try {
    stat = await fs.stat(ref.path);
  } catch {
    // Said as the reader would say it: a dangling link or a link loop, not "no such file".
    const kind = await pathKind(ref.path);
    return missing('error' in kind ? kind.error : 'cannot be read');
  }
  if (stat.isDirectory()) return scanFolder(ref);
  const lower = ref.path.toLowerCase();
  const kind = lower.endsWith('.zip') ? 'zip' : lower.endsWith('.json') ? 'file' : undefined;
  if (!kind) return missing('is neither a folder, a .zip nor a .json file');
  // Decided before anything opens it: a FIFO would wait for a writer, a device never end.
  const notRegular = notRegularReason(stat);
  if (notRegular !== undefined) return missing(notRegular);
  const stats = new Float64Array(FIELDS);
  put(stats, 0, stat);
  return { ref, kind, names: [''], stats, errors: new Map() };
}

/** A folder's `*.json` files, and the entries that could not be read (kept as files that cannot be read, with why). */
async function scanFolder(ref: SourceRef): Promise<ScannedSource> {
  const walk = await walkFolder(ref.path, { accept: isJsonName, maxDepth: Infinity, skipFolders: NO_FOLDERS, within: [], seen: new Seen() });
  const root = path.resolve(ref.path);
  const atRoot = walk.problems.find((p) => p.path === root);
  if (atRoot) return { ref, kind: 'missing', problem: atRoot.reason, names: [], stats: new Float64Array(0), errors: new Map() };
  const base = path.join(root, '_').slice(0, -1);
  const names = walk.files.map((file) => file.slice(base.length));
  const unreadable = new Map(walk.problems.map((p) => [p.path.slice(base.length), p.reason]));
  names.push(...unreadable.keys());
  names.sort();
  const scanned = await statAll(base, names);
  names.forEach((name, at) => {
    const reason = unreadable.get(name);
    if (reason === undefined) return;
    scanned.stats.fill(Number.NaN, at * FIELDS, at * FIELDS + FIELDS);
    scanned.errors.set(at, reason);
  });
  return { ref, kind: 'folder', names, ...scanned };
}

const NO_FOLDERS: ReadonlySet<string> = new Set();
const isJsonName = (relative: string): boolean => relative.toLowerCase().endsWith('.json');

function put(stats: Float64Array, at: number, stat: Stats): void {
  stats[at * FIELDS] = stat.size;
  stats[at * FIELDS + 1] = stat.mtimeMs;
  stats[at * FIELDS + 2] = stat.ctimeMs;
  stats[at * FIELDS + 3] = stat.ino;
}

/** Synchronous on purpose: awaiting each small stat costs far more than the stat (yields come between batches). */
async function statAll(prefix: string, names: readonly string[]): Promise<Pick<ScannedSource, 'stats' | 'errors'>> {
  const stats = new Float64Array(names.length * FIELDS);
  const errors = new Map<number, string>();
  for (let i = 0; i < names.length; i++) {
    if (i > 0 && i % STAT_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    let problem: string | undefined;
    try {
      const stat = statSync(prefix + names[i]);
      problem = notRegularReason(stat);
      if (problem === undefined) put(stats, i, stat);
    } catch (e) {
      problem = describeFsError(e);
    }
    if (problem !== undefined) {
      stats.fill(Number.NaN, i * FIELDS, i * FIELDS + FIELDS);
      errors.set(i, problem);
    }
  }
  return { stats, errors };
}
