/**
 * Reads the `*.json` entries of a zip (OSV's `all.zip` layout) without trusting it. Entries are
 * chosen from the central directory before anything inflates: one declaring more than the limit
 * is skipped unread. An entry's data is then exactly its declared size or nothing: a stored entry
 * whose sizes disagree, or a deflated one that inflates to more (the platform's zlib stops at the
 * declared size) or fewer bytes than it declares, is a problem for that entry, so neither a
 * header that lies nor a stored entry can bring more than the limit allowed.
 *
 * The directory is read by hand (zip64 included) because only the end of the file is read at
 * first; zlib does the inflating, so no zip library is needed at run time.
 */
import type { promises as fs } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { openRegularFile } from './readFile.js';

export interface ZipLimits {
  maxEntryBytes: number;
  maxEntries: number;
  maxZipBytes: number;
}

/** Where one entry's data lies in the zip. */
export interface ZipEntryRef {
  name: string;
  method: number;
  /** Offset of the local header. */
  local: number;
  compressedSize: number;
  /** As the central directory declares it. */
  size: number;
  /** CRC-32 of the inflated data, as the central directory declares it (an entry's content identity, with its name and size). */
  crc: number;
}

export interface ZipDirectory {
  /** The entries to read, in directory order (a repeated name keeps its first place and its last data). */
  entries: ZipEntryRef[];
  /** Entries skipped by their declared size, with why. */
  oversized: { name: string; problem: string }[];
  /** Why the zip (or the rest of it) is not read. */
  problem?: string;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const UINT32_MAX = 0xffffffff;

class InvalidZip extends Error {
  constructor() {
    super('invalid zip data');
  }
}

/**
 * A zip in memory that worker threads can share. Only its end (the central directory) is read at
 * first: `readZipData` reads the rest when an entry is to be inflated, so a load that takes every
 * entry from a published index never reads the records.
 */
export interface ZipBytes {
  file: string;
  bytes: Uint8Array;
  /** `bytes[0, unreadBefore)` is not read yet. */
  unreadBefore: number;
}

/** Where a zip's directory ends are looked for first: the end record with the longest comment, and much of a directory. */
const TAIL_BYTES = 1024 * 1024;

/** The zip's directory, or why it is not read. */
export async function readZipBytes(file: string, limits: ZipLimits): Promise<ZipBytes | { problem: string }> {
  const opened = await openRegularFile(file);
  if ('error' in opened) return { problem: `cannot be read (${opened.error})` };
  const { handle } = opened;
  try {
    const { size } = opened.stat;
    if (size > limits.maxZipBytes) return { problem: `it is ${mb(size)} MB, over the ${limitMb(limits.maxZipBytes)} MB limit for one zip (maxZipBytes); split it by ecosystem` };
    const zip: ZipBytes = { file, bytes: new Uint8Array(new SharedArrayBuffer(size)), unreadBefore: size };
    await readRange(handle, zip, Math.max(0, size - TAIL_BYTES));
    // A directory that starts before the tail (or none found): from its start, or the whole file.
    await readRange(handle, zip, Math.min(directoryStart(zip.bytes, zip.unreadBefore), zip.unreadBefore));
    return zip;
  } finally {
    await handle.close();
  }
}

/** Reads what `readZipBytes` left unread; entries can then be inflated. */
export async function readZipData(zip: ZipBytes): Promise<void> {
  if (zip.unreadBefore === 0) return;
  const opened = await openRegularFile(zip.file);
  if ('error' in opened) return; // gone or replaced since its directory was read: the unread part stays zeros and fails to inflate
  const { handle } = opened;
  try {
    await readRange(handle, zip, 0);
  } finally {
    await handle.close();
  }
}

/** Reads `bytes[from, unreadBefore)`; a file that shrank since leaves zeros (its data then fails to inflate). */
async function readRange(handle: fs.FileHandle, zip: ZipBytes, from: number): Promise<void> {
  for (let at = from; at < zip.unreadBefore; ) {
    const { bytesRead } = await handle.read(zip.bytes, at, zip.unreadBefore - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  zip.unreadBefore = Math.min(zip.unreadBefore, from);
}

/** Where the central directory starts, as far as the bytes from `readFrom` on tell (0 when they do not). */
function directoryStart(bytes: Uint8Array, readFrom: number): number {
  try {
    const end = endRecord(bytes, readFrom);
    // A zip64 record before what was read cannot have been seen: read everything.
    if (end.locator && end.record < readFrom) return 0;
    return end.zip64 ? Math.min(end.at, end.record) : end.at;
  } catch {
    return 0;
  }
}

/** The JSON entries to read, under the limits on count and declared size. */
export function listZipJsonEntries(bytes: Uint8Array, limits: ZipLimits): ZipDirectory {
  const out: ZipDirectory = { entries: [], oversized: [] };
  try {
    const position = new Map<string, number>();
    let seen = 0;
    for (const ref of centralDirectory(bytes)) {
      if (!ref.name.toLowerCase().endsWith('.json') || out.problem) continue;
      if (++seen > limits.maxEntries) {
        out.problem = `it holds more than ${limits.maxEntries} JSON entries (the limit maxZipEntries); the rest were not read`;
        continue;
      }
      if (ref.size > limits.maxEntryBytes) {
        out.oversized.push({ name: ref.name, problem: `is ${mb(ref.size)} MB, over the ${limitMb(limits.maxEntryBytes)} MB limit for one record (maxRecordBytes)` });
        continue;
      }
      const at = position.get(ref.name);
      if (at === undefined) position.set(ref.name, out.entries.push(ref) - 1);
      else out.entries[at] = ref;
    }
  } catch (e) {
    return { entries: [], oversized: out.oversized, problem: `it cannot be read as a zip (${e instanceof Error ? e.message : String(e)})` };
  }
  return out;
}

/** An entry's data, or why that entry is skipped. */
export type ZipEntryData = { data: Uint8Array } | { problem: string };

const STORED = 0;
const DEFLATED = 8;

/**
 * The entry's bytes, exactly as many as it declares, or a problem for that entry when its data
 * says otherwise. Throws when it cannot be inflated at all (an unknown method, damaged data):
 * that makes the whole zip unreadable.
 */
export function readZipEntry(bytes: Uint8Array, ref: ZipEntryRef): ZipEntryData {
  const start = ref.local + 30 + u16(bytes, ref.local + 26) + u16(bytes, ref.local + 28);
  const data = bytes.subarray(start, start + ref.compressedSize);
  if (ref.method === STORED) {
    // Stored data is its own size: trusting `compressedSize` here would read past the declared size.
    if (ref.compressedSize !== ref.size || data.length !== ref.size) return { problem: `declares ${byteCount(ref.size)} but stores ${byteCount(Math.min(ref.compressedSize, data.length))}` };
    return { data: data.slice() };
  }
  if (ref.method !== DEFLATED) throw new Error(`unknown compression type ${ref.method}`);
  if (ref.size === 0 && data.length === 0) return { data: new Uint8Array(0) };
  let out: Buffer;
  try {
    // One byte past the declared size is enough to know it lies; zlib never makes more.
    out = inflateRawSync(data, { maxOutputLength: ref.size + 1 });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { problem: `inflates to more than the ${byteCount(ref.size)} it declares` };
    throw e;
  }
  if (out.length !== ref.size) return { problem: `inflates to ${out.length > ref.size ? 'more than' : `${byteCount(out.length)}, not`} the ${byteCount(ref.size)} it declares` };
  return { data: out };
}

/** The entry's bytes; throws when they are not what it declares too (for callers that treat every fault alike, such as the bench). */
export function inflateZipEntry(bytes: Uint8Array, ref: ZipEntryRef): Uint8Array {
  const read = readZipEntry(bytes, ref);
  if ('problem' in read) throw new Error(read.problem);
  return read.data;
}

function byteCount(count: number): string {
  return `${count} byte${count === 1 ? '' : 's'}`;
}

/** The end of central directory record: where the directory starts and how many entries it has (zip64 when it says so). */
function endRecord(bytes: Uint8Array, readFrom = 0): { at: number; count: number; zip64: boolean; record: number; locator: boolean } {
  let end = bytes.length - 22;
  while (end >= readFrom && u32(bytes, end) !== EOCD) {
    if (end === 0 || bytes.length - end > 65558) throw new InvalidZip();
    end--;
  }
  if (end < readFrom) throw new InvalidZip();
  let count = u16(bytes, end + 8);
  let at = u32(bytes, end + 16);
  const locator = end >= 20 && u32(bytes, end - 20) === ZIP64_LOCATOR;
  let zip64 = locator;
  let record = 0;
  if (zip64) {
    record = u32(bytes, end - 12);
    zip64 = u32(bytes, record) === ZIP64_EOCD;
    if (zip64) {
      count = u32(bytes, record + 32);
      at = u32(bytes, record + 48);
    }
  }
  return { at, count: u16(bytes, end + 8) === 0 ? 0 : count, zip64, record, locator };
}

function* centralDirectory(bytes: Uint8Array): Generator<ZipEntryRef> {
  const { count, zip64, at: start } = endRecord(bytes);
  let at = start;
  // One view for every name: a Buffer per entry costs more than reading the entry.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < count; i++) {
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const nameStart = at + 46;
    if (nameStart + nameLength > bytes.length) throw new InvalidZip();
    const name = text.toString(u16(bytes, at + 8) & 0x800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLength);
    const [compressed, size, local] = [u32(bytes, at + 20), u32(bytes, at + 24), u32(bytes, at + 42)];
    const sizes = zip64 && (compressed === UINT32_MAX || size === UINT32_MAX || local === UINT32_MAX) ? zip64Sizes(bytes, nameStart + nameLength, extraLength, compressed, size, local) : { compressed, size, local };
    yield { name, method: u16(bytes, at + 10), local: sizes.local, compressedSize: sizes.compressed, size: sizes.size, crc: u32(bytes, at + 16) };
    at += 46 + nameLength + extraLength + u16(bytes, at + 32);
  }
}

/** Sizes and offset set to 0xFFFFFFFF are in the zip64 extra field. */
function zip64Sizes(bytes: Uint8Array, extra: number, length: number, compressed: number, size: number, local: number): { compressed: number; size: number; local: number } {
  const [bigCompressed, bigSize, bigLocal] = [compressed === UINT32_MAX, size === UINT32_MAX, local === UINT32_MAX];
  for (let at = extra; at + 4 < extra + length; at += 4 + u16(bytes, at + 2)) {
    if (u16(bytes, at) !== 1) continue;
    const field = (n: number): number => u64(bytes, at + 4 + 8 * n);
    return {
      size: bigSize ? field(0) : size,
      compressed: bigCompressed ? field(+bigSize) : compressed,
      local: bigLocal ? field(+bigSize + +bigCompressed) : local,
    };
  }
  throw new InvalidZip();
}

function u16(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 2 > bytes.length) throw new InvalidZip();
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > bytes.length) throw new InvalidZip();
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function u64(bytes: Uint8Array, at: number): number {
  return u32(bytes, at) + u32(bytes, at + 4) * 2 ** 32;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function limitMb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
