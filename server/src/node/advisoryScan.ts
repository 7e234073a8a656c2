/**
 * What the advisory sources hold right now, without reading a record: each source's kind and its
 * record files (`*.json`) and zips, sorted, with a fingerprint of their names and stats (size,
 * modification and change times, inode). Equal fingerprints mean no file was added, removed,
 * replaced or written since: an edit moves the change time even when it keeps the size and restores
 * the modification time. Folders are walked as playbook folders are (folderWalk.ts); an entry that
 * is not a regular file is kept with why, to be reported, not opened. Fetch records
 * (`*.zip.fetch.json`) are no records and no part of the fingerprint: a load reads them anew.
 */
import { createHash } from 'node:crypto';
import { promises as fs, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { SourceStatus } from '../core/index.js';
import { FETCH_RECORD_SUFFIX } from './advisoryFetchRecord.js';
import { describeFsError, notRegularReason, pathKind } from './fileKind.js';
import { Seen, walkFolder } from './folderWalk.js';

/** A source as the policy wrote it, with the folder it is relative to. */
export interface SourceRef {
  /** As written in the policy (`.playbooks/advisories`), for messages and for locating the entry. */
  entry: string;
  /** Absolute path. */
  path: string;
}

interface ScannedFile {
  path: string;
  zip: boolean;
  size: number;
  /** Why it cannot be read (not a regular file, gone since the listing). */
  error?: string | undefined;
}

interface ScannedSource {
  ref: SourceRef;
  kind: SourceStatus['kind'];
  /** Why a `missing` source is not read. */
  problem?: string;
  /** A folder's record files and zips in the order of their paths; the source itself for a zip or a file. */
  files: ScannedFile[];
}

export interface SourceScan {
  sources: ScannedSource[];
  /** Of every source, file name and stat: compared whole, so two different states never match. */
  fingerprint: string;
}

/** Files stat'ed between two yields to the event loop. */
const STAT_BATCH = 8192;

export async function scanSources(refs: readonly SourceRef[]): Promise<SourceScan> {
  const hash = createHash('sha256');
  const sources: ScannedSource[] = [];
  for (const ref of refs) {
    const { source, names, stats } = await scanSource(ref);
    // File names cannot hold NUL, so NUL-separated names (below the source's own path) cannot pass for one another.
    hash.update(`${JSON.stringify([source.kind, ref.entry, ref.path, source.problem ?? '', source.files.length])}\0${names.join('\0')}\0`);
    for (const file of source.files) if (file.error !== undefined) hash.update(`${file.path}\0${file.error}\0`);
    sources.push(source);
    hash.update(stats);
  }
  return { sources, fingerprint: hash.digest('hex') };
}

const isRecordName = (name: string): boolean => /\.json$/i.test(name) && !name.toLowerCase().endsWith(FETCH_RECORD_SUFFIX);
const isZipName = (name: string): boolean => /\.zip$/i.test(name);

/** A file as scanned, its stat put in `stats` at file `at` (size, modification and change times, inode; NaN when it cannot be read); or why it cannot be read. */
function scanned(file: string, stat: Stats | string, zip: boolean, stats: Float64Array, at: number): ScannedFile {
  const error = typeof stat === 'string' ? stat : notRegularReason(stat);
  if (typeof stat === 'string' || error !== undefined) {
    stats.fill(NaN, at * 4, at * 4 + 4);
    return { path: file, zip, size: 0, error };
  }
  stats[at * 4] = stat.size;
  stats[at * 4 + 1] = stat.mtimeMs;
  stats[at * 4 + 2] = stat.ctimeMs;
  stats[at * 4 + 3] = stat.ino;
  return { path: file, zip, size: stat.size };
}

/** Synchronous on purpose: awaiting each small stat costs far more than the stat (yields come between batches). */
function statSafely(file: string): Stats | string {
  try {
    return statSync(file);
  } catch (e) {
    return describeFsError(e);
  }
}

/** What a source's fingerprint is made of besides its kind: its files' names below it, and their stats (four numbers a file: 50,000 files' worth of text would cost more). */
interface Scanned {
  source: ScannedSource;
  names: string[];
  stats: Float64Array;
}

async function scanSource(ref: SourceRef): Promise<Scanned> {
  const missing = (problem: string): Scanned => ({ source: { ref, kind: 'missing', problem, files: [] }, names: [], stats: new Float64Array(0) });
  let stat: Stats;
  try {
    stat = await fs.stat(ref.path);
  } catch {
    // Said as the reader would say it: a dangling link or a link loop, not "no such file".
    const kind = await pathKind(ref.path);
    return missing('error' in kind ? kind.error : 'cannot be read');
  }
  if (stat.isDirectory()) return scanFolder(ref);
  const zip = isZipName(ref.path);
  if (!zip && !/\.json$/i.test(ref.path)) return missing('is neither a folder, a .zip nor a .json file');
  // Decided before anything opens it: a FIFO would wait for a writer, a device never end.
  const notRegular = notRegularReason(stat);
  if (notRegular !== undefined) return missing(notRegular);
  const stats = new Float64Array(4);
  return { source: { ref, kind: zip ? 'zip' : 'file', files: [scanned(ref.path, stat, zip, stats, 0)] }, names: [''], stats };
}

/** A folder's record files and zips, and the entries that could not be read (kept with why). */
async function scanFolder(ref: SourceRef): Promise<Scanned> {
  const walk = await walkFolder(ref.path, { accept: (name) => isRecordName(name) || isZipName(name), maxDepth: Infinity, skipFolders: new Set(), within: [], seen: new Seen() });
  const root = path.resolve(ref.path);
  const atRoot = walk.problems.find((p) => p.path === root);
  if (atRoot) return { source: { ref, kind: 'missing', problem: atRoot.reason, files: [] }, names: [], stats: new Float64Array(0) };
  const base = path.join(root, '_').slice(0, -1);
  const unreadable = new Map(walk.problems.map((p) => [p.path.slice(base.length), p.reason]));
  const names = [...walk.files.map((file) => file.slice(base.length)), ...unreadable.keys()].sort();
  const files: ScannedFile[] = new Array<ScannedFile>(names.length);
  const stats = new Float64Array(names.length * 4);
  for (let i = 0; i < names.length; i++) {
    if (i % STAT_BATCH === STAT_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
    const name = names[i]!;
    const file = base + name;
    files[i] = scanned(file, unreadable.get(name) ?? statSafely(file), isZipName(name), stats, i);
  }
  return { source: { ref, kind: 'folder', files }, names, stats };
}
