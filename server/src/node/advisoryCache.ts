/**
 * The on-disk advisory cache: one file per set of sources and limits, holding the parsed, compact
 * index so a later process (the next editor start, the next CLI run) loads it instead of reading
 * every record. A file is
 *
 *   header (one line of JSON: magic, format, tool version, key, section sizes, CRC-32s)
 *   fingerprint | index JSON (advisoryCacheIndex.ts) | record bodies, back to back | per-file JSON (advisoryCacheItems.ts)
 *
 * It is trusted only when the format, the tool version and the key are equal, its size is the
 * header's and the checksums hold; a file that fails any check is ignored and rewritten. When the
 * sources' fingerprint is equal too, the index is used as it is. When it is not (a file added or
 * edited since), the per-file section gives back what every file of that load gave, and the files
 * whose stat did not change are not parsed again. Record bodies are read on lookup, each checked
 * again (recordBody.ts). Writes go to a temporary file renamed into place, so a reader never sees
 * half a file. Any error (no such folder, read-only, disk full, a folder under /proc or someone
 * else's) just means no cache.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { PreparedIndex } from '../core/advisories/advisoryIndex.js';
import { decodeRecordBody } from '../core/advisories/recordBody.js';
import { oneLine } from '../core/util/oneLine.js';
import { prepareCacheDir } from './advisoryCacheDir.js';
import { indexJson, readIndexJson, type CachedLoad } from './advisoryCacheIndex.js';
import { itemsJson, readItemsJson, type RememberedSource } from './advisoryCacheItems.js';
import type { BodyBytes } from './advisoryParse.js';
import type { SourceMemory } from './advisoryPlan.js';
import { sourcesOfFingerprint, type SourceRef } from './advisoryScan.js';
import { readFileBounded } from './readFile.js';
import { isAbandonedTemporary, writeFileAtomically } from './writeFile.js';

declare const PLAYBOOK_VERSION: string | undefined;
export const TOOL_VERSION = typeof PLAYBOOK_VERSION === 'string' ? PLAYBOOK_VERSION : '0.0.0-dev';
const MAGIC = 'incident-playbook advisory cache';
/** Bump when what is cached (a prepared record, a message) or how it is written changes. */
export const CACHE_FORMAT = 3;
/** Cache files not rewritten for this long are removed when another is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;
/** A header is one line; its key lists every source, so it may be long, but not this long. */
const HEADER_MAX = 1024 * 1024;

interface Header {
  magic: string;
  format: number;
  tool: string;
  key: string;
  /** Bytes of the fingerprint, the index JSON, the bodies and the per-file JSON. */
  sizes: [number, number, number, number];
  /** Of the first three sections (all an unchanged load reads), and of the per-file JSON. */
  crc: number;
  itemsCrc: number;
}

export interface CacheHit extends CachedLoad {
  index: PreparedIndex;
}

/** What a load remembers, to write with it: each source's files, and each record's body number (-1: none), in the order met. */
export interface CacheMemory {
  sources: (RememberedSource | null)[];
  bodyNumbers: Int32Array;
}

/**
 * A cache file whose header and size hold: its index for an equal fingerprint, or what each file
 * gave. Each checksum is checked before what it covers is first used, so a file made from other
 * files is turned away by its fingerprint without summing 40 MB, and an unchanged load never
 * sums the per-file section.
 */
export class CacheFile {
  private mainIntact: boolean | undefined;
  private itemsIntact: boolean | undefined;

  constructor(
    private readonly header: Header,
    readonly fingerprint: Buffer,
    private readonly indexBytes: Buffer,
    private readonly blob: Buffer,
    private readonly itemsBytes: Buffer,
  ) {}

  /** The cached load, when it was made from exactly these sources' files. */
  hit(fingerprint: Buffer, refs: readonly SourceRef[]): CacheHit | undefined {
    if (!this.fingerprint.equals(fingerprint) || !this.intact()) return undefined;
    const read = readIndexJson(this.indexBytes.toString('utf8'), refs, this.blob.length);
    if (!read) return undefined;
    const { offsets, load } = read;
    const records = load.table.counts.records;
    const body = (record: number) => (record < records ? decodeRecordBody(this.blob.toString('utf8', offsets[record], offsets[record + 1])) : undefined);
    return { ...load, index: { table: load.table, body } };
  }

  /** Per source of `refs`, what the cached load gave of each of its files, with the stats they had then; null when not kept. */
  remembered(refs: readonly SourceRef[]): (SourceMemory | null)[] | undefined {
    if (this.itemsBytes.length === 0 || !this.intact()) return undefined;
    this.itemsIntact ??= crc32(this.itemsBytes) === this.header.itemsCrc;
    const scanned = this.itemsIntact ? sourcesOfFingerprint(this.fingerprint) : undefined;
    if (!scanned || scanned.length !== refs.length || scanned.some((s, i) => s.ref.entry !== refs[i]!.entry || s.ref.path !== refs[i]!.path)) return undefined;
    return readItemsJson(this.itemsBytes.toString('utf8'), scanned, this.blob);
  }

  private intact(): boolean {
    this.mainIntact ??= crc32(this.blob, crc32(this.indexBytes, crc32(this.fingerprint))) === this.header.crc;
    return this.mainIntact;
  }
}

/** Cache folders already said to be unusable in this thread: one line each, not one per load. */
const reported = new Set<string>();

export class AdvisoryCache {
  private problem: string | undefined | null = null;

  constructor(readonly dir: string) {}

  /** Whether the folder may hold a cache (checked, and created, once); when not, one line says why and there is no cache. */
  private usable(): boolean {
    if (this.problem === null) {
      this.problem = prepareCacheDir(this.dir);
      if (this.problem !== undefined && !reported.has(this.dir)) {
        reported.add(this.dir);
        console.error(`playbook: advisories are not cached: ${oneLine(this.problem)}`);
      }
    }
    return this.problem === undefined;
  }

  /** The file a key is kept in. */
  fileFor(key: string): string {
    return path.join(this.dir, `advisories-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.cache`);
  }

  /** The load cached for exactly these sources' files. */
  read(key: string, fingerprint: Buffer, refs: readonly SourceRef[]): CacheHit | undefined {
    return this.open(key)?.hit(fingerprint, refs);
  }

  /** The file kept for `key`, when its header and size hold (its checksums are checked as it is used). */
  open(key: string): CacheFile | undefined {
    if (!this.usable()) return undefined;
    const bytes = readOwnFile(this.fileFor(key));
    if (!bytes) return undefined;
    const newline = bytes.subarray(0, HEADER_MAX).indexOf(10);
    const header = newline > 0 ? readHeader(bytes.toString('utf8', 0, newline)) : undefined;
    if (!header || header.key !== key) return undefined;
    let end = newline + 1;
    const [fingerprintEnd, indexEnd, blobEnd, itemsEnd] = header.sizes.map((size) => (end += size)) as Header['sizes'];
    if (itemsEnd !== bytes.length) return undefined;
    return new CacheFile(header, bytes.subarray(newline + 1, fingerprintEnd), bytes.subarray(fingerprintEnd, indexEnd), bytes.subarray(indexEnd, blobEnd), bytes.subarray(blobEnd, itemsEnd));
  }

  /**
   * Writes the load with its record bodies (the indexed records' first, in record order, then
   * those of records a newer copy replaced) and, when given, what each file gave; false when it could not.
   */
  write(key: string, fingerprint: Buffer, load: CachedLoad, bodies: readonly BodyBytes[], memory?: CacheMemory): boolean {
    const file = this.fileFor(key);
    if (!this.usable()) return false;
    try {
      const offsets = bodyOffsets(bodies);
      const items = memory ? (itemsJson(memory.sources, memory.bodyNumbers, offsets) ?? '') : '';
      const sections = [[fingerprint], [Buffer.from(indexJson(load, offsets))], contiguousRuns(bodies), [Buffer.from(items)]];
      const crc = sections.slice(0, 3).flat().reduce((sum, chunk) => crc32(chunk, sum), 0);
      const sizes = sections.map((chunks) => chunks.reduce((sum, chunk) => sum + chunk.length, 0)) as Header['sizes'];
      const header: Header = { magic: MAGIC, format: CACHE_FORMAT, tool: TOOL_VERSION, key, sizes, crc, itemsCrc: crc32(sections[3]![0]!) };
      writeFileAtomically(file, [`${JSON.stringify(header)}\n`, ...sections.flat()], 0o600);
    } catch {
      return false;
    }
    this.removeStale(file);
    return true;
  }

  /** Old cache files (sources no longer used) and temporary files left by a process that died (writeFile.ts). */
  private removeStale(kept: string): void {
    try {
      const now = Date.now();
      for (const name of readdirSync(this.dir)) {
        const full = path.join(this.dir, name);
        if (full === kept || !name.startsWith('advisories-')) continue;
        const stat = lstatSync(full);
        if (!stat.isFile()) continue;
        if (isAbandonedTemporary(name, stat, now) || (name.endsWith('.cache') && now - stat.mtimeMs > STALE_MS)) removeQuietly(full);
      }
    } catch {
      // Tidying up is a courtesy.
    }
  }
}

/**
 * Bodies as a cache file holds them: the indexed records' first, by record number (`kept[n]`: the
 * body of record n), then those of records a newer copy replaced (one may be needed again), with
 * each body's number in that order (-1: none).
 */
export function bodiesInCacheOrder(bodies: readonly (BodyBytes | undefined)[], kept: readonly number[]): { ordered: BodyBytes[]; bodyNumbers: Int32Array } {
  const bodyNumbers = new Int32Array(bodies.length).fill(-1);
  const ordered: BodyBytes[] = [];
  for (const at of kept) bodyNumbers[at] = ordered.push(bodies[at]!) - 1;
  bodies.forEach((body, at) => {
    if (body && bodyNumbers[at] === -1) bodyNumbers[at] = ordered.push(body) - 1;
  });
  return { ordered, bodyNumbers };
}

/** Where each body starts when they are written back to back, and where the last ends. */
export function bodyOffsets(bodies: readonly BodyBytes[]): number[] {
  const offsets = [0];
  let end = 0;
  for (const body of bodies) offsets.push((end += body.end - body.start));
  return offsets;
}

/**
 * The bodies' bytes as few slices as possible: bodies that lie back to back in one buffer (those
 * a load took from the previous cache file, those one worker parsed) are written as one slice.
 */
export function contiguousRuns(bodies: readonly BodyBytes[]): Uint8Array[] {
  const runs: Uint8Array[] = [];
  for (let i = 0; i < bodies.length; ) {
    const { bytes, start } = bodies[i]!;
    let end = bodies[i]!.end;
    for (i++; i < bodies.length && bodies[i]!.bytes === bytes && bodies[i]!.start === end; i++) end = bodies[i]!.end;
    runs.push(bytes.subarray(start, end));
  }
  return runs;
}

/**
 * The file's bytes, or undefined when it cannot be read or belongs to another user: in a shared
 * folder (`PLAYBOOK_CACHE_DIR=/tmp/...`), someone else's file is not ours to believe.
 */
function readOwnFile(file: string): Buffer | undefined {
  return readFileBounded(file, Number.MAX_SAFE_INTEGER, (stat) => typeof process.getuid !== 'function' || stat.uid === process.getuid());
}

function readHeader(line: string): Header | undefined {
  let value: Partial<Header>;
  try {
    value = JSON.parse(line) as Partial<Header>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || value.magic !== MAGIC || value.format !== CACHE_FORMAT || value.tool !== TOOL_VERSION) return undefined;
  const sizes = value.sizes;
  if (typeof value.key !== 'string' || !Number.isSafeInteger(value.crc) || !Number.isSafeInteger(value.itemsCrc) || !Array.isArray(sizes) || sizes.length !== 4) return undefined;
  return sizes.every((n) => Number.isSafeInteger(n) && n >= 0) ? (value as Header) : undefined;
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or not ours to remove.
  }
}

let table: Int32Array | undefined;

/** zlib's CRC-32 (Node 20.15 and later), else the same sum computed here. */
export function crc32(data: Uint8Array, previous = 0): number {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(data, previous);
  table ??= Int32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  let crc = ~previous;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
