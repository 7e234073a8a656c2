/**
 * The on-disk advisory cache: one file per set of sources and limits, holding the parsed, compact
 * index so a later process (the next editor start, the next CLI run) loads it instead of reading
 * every record. A file is
 *
 *   header (one line of JSON: magic, format, tool version, key, section sizes, CRC-32)
 *   fingerprint | index JSON (advisoryCacheIndex.ts) | record bodies, back to back
 *
 * It is used only when the format, the tool version, the key and the sources' fingerprint are all
 * equal, its size is the header's and the checksum holds; a file that fails any check is ignored
 * and rewritten. Record bodies are read on lookup, each checked again (recordBody.ts). Writes go
 * to a temporary file renamed into place, so a reader never sees half a file. Any error (no such
 * folder, read-only, disk full) just means no cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { PreparedIndex } from '../core/advisories/advisoryIndex.js';
import { decodeRecordBody } from '../core/advisories/recordBody.js';
import { indexJson, readIndexJson, type CachedLoad } from './advisoryCacheIndex.js';
import type { BodyBytes } from './advisoryParse.js';
import type { SourceRef } from './advisoryScan.js';

declare const PLAYBOOK_VERSION: string | undefined;
const TOOL_VERSION = typeof PLAYBOOK_VERSION === 'string' ? PLAYBOOK_VERSION : '0.0.0-dev';
const MAGIC = 'incident-playbook advisory cache';
/** Bump when what is cached (a prepared record, a message) or how it is written changes. */
export const CACHE_FORMAT = 1;
/** Cache files not rewritten for this long are removed when another is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;
/** A header is one line; its key lists every source, so it may be long, but not this long. */
const HEADER_MAX = 1024 * 1024;

interface Header {
  magic: string;
  format: number;
  tool: string;
  key: string;
  /** Bytes of the fingerprint, the index JSON and the bodies. */
  sizes: [number, number, number];
  crc: number;
}

export interface CacheHit extends CachedLoad {
  index: PreparedIndex;
}

export class AdvisoryCache {
  constructor(readonly dir: string) {}

  /** The file a key is kept in. */
  fileFor(key: string): string {
    return path.join(this.dir, `advisories-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.cache`);
  }

  read(key: string, fingerprint: Buffer, refs: readonly SourceRef[]): CacheHit | undefined {
    const bytes = readOwnFile(this.fileFor(key));
    if (!bytes) return undefined;
    const newline = bytes.subarray(0, HEADER_MAX).indexOf(10);
    const header = newline > 0 ? readHeader(bytes.toString('utf8', 0, newline)) : undefined;
    if (!header || header.key !== key) return undefined;
    const [fingerprintBytes, indexBytes, blobBytes] = header.sizes;
    const start = newline + 1;
    if (start + fingerprintBytes + indexBytes + blobBytes !== bytes.length) return undefined;
    if (!bytes.subarray(start, start + fingerprintBytes).equals(fingerprint)) return undefined;
    if (crc32(bytes.subarray(start)) !== header.crc) return undefined;
    const indexStart = start + fingerprintBytes;
    const read = readIndexJson(bytes.toString('utf8', indexStart, indexStart + indexBytes), refs, blobBytes);
    if (!read) return undefined;
    const blob = bytes.subarray(indexStart + indexBytes);
    const { offsets, load } = read;
    const body = (record: number) => (record < offsets.length - 1 ? decodeRecordBody(blob.toString('utf8', offsets[record], offsets[record + 1])) : undefined);
    return { ...load, index: { table: load.table, body } };
  }

  /** Writes the load with the bodies of its indexed records, in record order; false when it could not. */
  write(key: string, fingerprint: Buffer, load: CachedLoad, bodies: readonly BodyBytes[]): boolean {
    const file = this.fileFor(key);
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const offsets = [0];
      let end = 0;
      for (const body of bodies) offsets.push((end += body.end - body.start));
      const blob = Buffer.concat(bodies.map((body) => body.bytes.subarray(body.start, body.end)), end);
      const sections = [fingerprint, Buffer.from(indexJson(load, offsets)), blob] as const;
      const crc = sections.reduce((sum, section) => crc32(section, sum), 0);
      const header: Header = { magic: MAGIC, format: CACHE_FORMAT, tool: TOOL_VERSION, key, sizes: [sections[0].length, sections[1].length, sections[2].length], crc };
      const fd = openSync(temp, 'wx', 0o600);
      try {
        writeFileSync(fd, `${JSON.stringify(header)}\n`);
        for (const section of sections) writeFileSync(fd, section);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    } catch {
      removeQuietly(temp);
      return false;
    }
    this.removeStale(file);
    return true;
  }

  /** Old cache files (sources no longer used) and temporary files left by a process that died. */
  private removeStale(kept: string): void {
    try {
      const now = Date.now();
      for (const name of readdirSync(this.dir)) {
        const full = path.join(this.dir, name);
        if (full === kept || !name.startsWith('advisories-')) continue;
        const age = now - statSync(full).mtimeMs;
        if ((name.endsWith('.tmp') && age > 3600 * 1000) || (name.endsWith('.cache') && age > STALE_MS)) removeQuietly(full);
      }
    } catch {
      // Tidying up is a courtesy.
    }
  }
}

/**
 * The file's bytes, or undefined when it cannot be read or belongs to another user: in a shared
 * folder (`PLAYBOOK_CACHE_DIR=/tmp/...`), someone else's file is not ours to believe.
 */
function readOwnFile(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const read = readSync(fd, bytes, at, bytes.length - at, at);
      if (read === 0) return undefined;
      at += read;
    }
    return bytes;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
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
  if (typeof value.key !== 'string' || !Number.isSafeInteger(value.crc) || !Array.isArray(sizes) || sizes.length !== 3) return undefined;
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
