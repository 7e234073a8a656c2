/**
 * Reads the `*.json` entries of a zip (OSV's `all.zip` layout) without trusting it. Entries are
 * chosen from the central directory before anything inflates: one declaring more than the limit
 * is skipped unread. An entry's data is then exactly its declared size or nothing: a stored entry
 * whose sizes disagree, or a deflated one that inflates to more (the platform's zlib stops at the
 * declared size) or fewer bytes than it declares, is a problem for that entry, so neither a
 * header that lies nor a stored entry can bring more than the limit allowed.
 *
 * The directory is read by hand (zip64 included) because only the end of the file is read at
 * first (a load that takes the zip from its published index reads no record); zlib inflates, so no
 * zip library is needed at run time.
 */
import type { promises as fs } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { openRegularFile } from './readFile.js';

export interface ZipLimits {
  maxEntryBytes: number;
  maxEntries: number;
  maxZipBytes: number;
}

/** Where one entry's data lies, and its content identity as the central directory declares it (name, CRC-32, size). */
export interface ZipEntryRef {
  name: string;
  method: number;
  /** Offset of the local header. */
  local: number;
  compressedSize: number;
  size: number;
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

/** A zip in memory that worker threads share; `bytes[0, unreadBefore)` is not read yet (readZipData reads it). */
export interface ZipBytes {
  file: string;
  bytes: Uint8Array;
  unreadBefore: number;
}

class InvalidZip extends Error {
  constructor() {
    super('invalid zip data');
  }
}

/** Where a zip's directory ends are looked for first: the end record with the longest comment, and much of a directory. */
const TAIL_BYTES = 1024 * 1024;
const MB = 1024 * 1024;

/** The zip's directory, or why it is not read. */
export async function readZipBytes(file: string, limits: ZipLimits): Promise<ZipBytes | { problem: string }> {
  const opened = await openRegularFile(file);
  if ('error' in opened) return { problem: `cannot be read (${opened.error})` };
  const { handle, stat } = opened;
  try {
    if (stat.size > limits.maxZipBytes) return { problem: `it is ${(stat.size / MB).toFixed(1)} MB, over the ${(limits.maxZipBytes / MB).toFixed(0)} MB limit for one zip (maxZipBytes); split it by ecosystem` };
    const zip: ZipBytes = { file, bytes: new Uint8Array(new SharedArrayBuffer(stat.size)), unreadBefore: stat.size };
    await readRange(handle, zip, Math.max(0, stat.size - TAIL_BYTES));
    // A directory that starts before the tail (or none found): from its start, or the whole file.
    let start = 0;
    try {
      const end = endRecord(zip.bytes, zip.unreadBefore);
      // A zip64 record before what was read cannot have been seen: read everything.
      start = end.locator && end.record < zip.unreadBefore ? 0 : end.zip64 ? Math.min(end.at, end.record) : end.at;
    } catch {
      // No end record in the tail: the whole file.
    }
    await readRange(handle, zip, Math.min(start, zip.unreadBefore));
    return zip;
  } finally {
    await handle.close();
  }
}

/** Reads what `readZipBytes` left unread, so entries can be inflated. A zip gone or replaced since leaves zeros, which fail to inflate. */
export async function readZipData(zip: ZipBytes): Promise<void> {
  if (zip.unreadBefore === 0) return;
  const opened = await openRegularFile(zip.file);
  if ('error' in opened) return;
  try {
    await readRange(opened.handle, zip, 0);
  } finally {
    await opened.handle.close();
  }
}

/** Reads `bytes[from, unreadBefore)`; a file that shrank since leaves zeros. */
async function readRange(handle: fs.FileHandle, zip: ZipBytes, from: number): Promise<void> {
  for (let at = from, read = -1; at < zip.unreadBefore && read !== 0; at += read) read = (await handle.read(zip.bytes, at, zip.unreadBefore - at, at)).bytesRead;
  zip.unreadBefore = Math.min(zip.unreadBefore, from);
}

/** The JSON entries to read, under the limits on count and declared size. */
export function listZipJsonEntries(bytes: Uint8Array, limits: ZipLimits): ZipDirectory {
  const out: ZipDirectory = { entries: [], oversized: [] };
  try {
    const position = new Map<string, number>();
    let seen = 0;
    for (const ref of centralDirectory(bytes)) {
      if (!ref.name.toLowerCase().endsWith('.json')) continue;
      if (++seen > limits.maxEntries) {
        out.problem = `it holds more than ${limits.maxEntries} JSON entries (the limit maxZipEntries); the rest were not read`;
        break;
      }
      if (ref.size > limits.maxEntryBytes) out.oversized.push({ name: ref.name, problem: `is ${(ref.size / MB).toFixed(1)} MB, over the ${(limits.maxEntryBytes / MB).toFixed(0)} MB limit for one record (maxRecordBytes)` });
      else if (position.has(ref.name)) out.entries[position.get(ref.name)!] = ref;
      else position.set(ref.name, out.entries.push(ref) - 1);
    }
  } catch (e) {
    return { entries: [], oversized: out.oversized, problem: `it cannot be read as a zip (${e instanceof Error ? e.message : String(e)})` };
  }
  return out;
}

const byteCount = (count: number): string => `${count} byte${count === 1 ? '' : 's'}`;

/**
 * The entry's bytes, exactly as many as it declares, or a problem for that entry when its data
 * says otherwise. Throws when it cannot be inflated at all (an unknown method, damaged data):
 * that makes the whole zip unreadable.
 */
export function readZipEntry(bytes: Uint8Array, ref: ZipEntryRef): { data: Uint8Array } | { problem: string } {
  const start = ref.local + 30 + u16(bytes, ref.local + 26) + u16(bytes, ref.local + 28);
  const data = bytes.subarray(start, start + ref.compressedSize);
  if (ref.method === 0) {
    // Stored data is its own size: trusting `compressedSize` here would read past the declared size.
    if (ref.compressedSize !== ref.size || data.length !== ref.size) return { problem: `declares ${byteCount(ref.size)} but stores ${byteCount(Math.min(ref.compressedSize, data.length))}` };
    return { data: data.slice() };
  }
  if (ref.method !== 8) throw new Error(`unknown compression type ${ref.method}`);
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

/** The end of central directory record, searched from the end down to `readFrom`: where the directory starts and how many entries it has. */
function endRecord(bytes: Uint8Array, readFrom = 0): { at: number; count: number; zip64: boolean; record: number; locator: boolean } {
  let end = bytes.length - 22;
  while (end >= readFrom && u32(bytes, end) !== 0x06054b50) {
    if (end === 0 || bytes.length - end > 65558) throw new InvalidZip();
    end--;
  }
  if (end < readFrom) throw new InvalidZip();
  const locator = end >= 20 && u32(bytes, end - 20) === 0x07064b50;
  const record = locator ? u32(bytes, end - 12) : 0;
  const zip64 = locator && u32(bytes, record) === 0x06064b50;
  const count = u16(bytes, end + 8) === 0 ? 0 : zip64 ? u32(bytes, record + 32) : u16(bytes, end + 8);
  return { at: zip64 ? u32(bytes, record + 48) : u32(bytes, end + 16), count, zip64, record, locator };
}

function* centralDirectory(bytes: Uint8Array): Generator<ZipEntryRef> {
  const { count, zip64, at: start } = endRecord(bytes);
  // One view for every name: a Buffer per entry costs more than reading the entry.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0, at = start; i < count; i++) {
    const [nameLength, extraLength] = [u16(bytes, at + 28), u16(bytes, at + 30)];
    const nameStart = at + 46;
    if (nameStart + nameLength > bytes.length) throw new InvalidZip();
    const name = text.toString(u16(bytes, at + 8) & 0x800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLength);
    let [compressedSize, size, local] = [u32(bytes, at + 20), u32(bytes, at + 24), u32(bytes, at + 42)];
    // Sizes and offset set to 0xFFFFFFFF are in the zip64 extra field, in this order.
    if (zip64 && [compressedSize, size, local].includes(0xffffffff)) {
      let field = -1;
      for (let e = nameStart + nameLength; e + 4 < nameStart + nameLength + extraLength && field < 0; e += 4 + u16(bytes, e + 2)) if (u16(bytes, e) === 1) field = e + 4;
      if (field < 0) throw new InvalidZip();
      const next = (): number => ((field += 8), u32(bytes, field - 8) + u32(bytes, field - 4) * 2 ** 32);
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (local === 0xffffffff) local = next();
    }
    yield { name, method: u16(bytes, at + 10), local, compressedSize, size, crc: u32(bytes, at + 16) };
    at += 46 + nameLength + extraLength + u16(bytes, at + 32);
  }
}

function u16(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 2 > bytes.length) throw new InvalidZip();
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > bytes.length) throw new InvalidZip();
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}
