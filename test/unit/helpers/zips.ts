/**
 * Zips for the advisory store's tests: OSV's all.zip layout, zips whose local headers carry no
 * sizes (data descriptors, as streaming zippers write them), a zip bomb of zeros that never sits
 * in memory whole, and a header that lies about an entry's size.
 */
import { once } from 'node:events';
import * as zlib from 'node:zlib';
import { strToU8, Zip, ZipDeflate, zipSync, type ZipInputFile } from 'fflate';

export type ZipContent = Record<string, string | Uint8Array>;

const bytesOf = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? strToU8(data) : data);

/** Sizes and CRC in every local header (fflate's `zipSync`). */
export function declaredZip(files: ZipContent, level: 0 | 1 | 6 = 6): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, bytesOf(data)])), { level });
}

/** No sizes in the local headers, a data descriptor after each entry (fflate's streaming `Zip`). */
export function streamedZip(files: ZipContent): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  for (const [name, data] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 1 });
    zip.add(entry);
    entry.push(bytesOf(data), true);
  }
  zip.end();
  return concat(parts);
}

/**
 * `before`, then `bombName` holding `bytes` zeros, then `after`. The zeros go through the
 * platform's deflate in 16 MB pieces (fflate's own deflate takes ~10 s for 1 GB), so the bomb
 * never sits in memory: 1 GB compresses to under 5 MB. `declareSizes` puts the real sizes in
 * the local header; otherwise only the data descriptor after the data carries them.
 */
export async function zeroBombZip(options: { bombName: string; bytes: number; before?: ZipContent; after?: ZipContent; declareSizes: boolean }): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const addAll = (files: ZipContent = {}): void => {
    for (const [name, data] of Object.entries(files)) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(bytesOf(data), true);
    }
  };
  addAll(options.before);
  const bomb: ZipInputFile = { filename: options.bombName, size: 0, crc: 0, compression: 8 };
  zip.add(bomb);
  const { chunks, crc } = await deflatedZeros(options.bytes);
  for (const chunk of chunks) bomb.ondata!(null, chunk, false);
  bomb.size = options.bytes;
  bomb.crc = crc;
  bomb.ondata!(null, new Uint8Array(0), true);
  addAll(options.after);
  zip.end();
  const out = concat(parts);
  return options.declareSizes ? declareSizes(out) : out;
}

/** Deflated zeros of each size asked for, made once per process (a gigabyte takes a second to deflate). */
const zerosBySize = new Map<number, Promise<{ chunks: Uint8Array<ArrayBuffer>[]; crc: number }>>();

function deflatedZeros(bytes: number): Promise<{ chunks: Uint8Array<ArrayBuffer>[]; crc: number }> {
  let made = zerosBySize.get(bytes);
  if (!made) {
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    zerosBySize.set(bytes, (made = deflateZeros(bytes, (chunk) => chunks.push(chunk)).then((crc) => ({ chunks, crc }))));
  }
  return made;
}

async function deflateZeros(bytes: number, onChunk: (chunk: Uint8Array<ArrayBuffer>) => void): Promise<number> {
  const zeros = Buffer.alloc(Math.min(bytes, 16 << 20));
  const deflate = zlib.createDeflateRaw({ level: 1 });
  deflate.on('data', (chunk: Buffer) => onChunk(new Uint8Array(chunk)));
  const ended = once(deflate, 'end');
  let crc = 0;
  for (let left = bytes; left > 0; left -= zeros.length) {
    const piece = left >= zeros.length ? zeros : zeros.subarray(0, left);
    // zlib.crc32 is Node >= 20.15; the store never checks CRCs, so 0 keeps older Nodes working.
    crc = typeof zlib.crc32 === 'function' ? zlib.crc32(piece, crc) : 0;
    if (!deflate.write(piece)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  return crc;
}

interface CentralEntry {
  name: string;
  /** Offset of the central directory record. */
  central: number;
  /** Offset of the local header. */
  local: number;
}

function centralEntries(zip: Uint8Array): { view: DataView; entries: CentralEntry[] } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.byteLength - 22; // no archive comment: the end record is the last 22 bytes
  if (view.getUint32(end, true) !== 0x06054b50) throw new Error('no end of central directory record at the end of the zip');
  const entries: CentralEntry[] = [];
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const nameLength = view.getUint16(at + 28, true);
    const name = Buffer.from(zip.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    entries.push({ name, central: at, local: view.getUint32(at + 42, true) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { view, entries };
}

/** Copies CRC and sizes from the central directory into each local header and clears the data-descriptor flag. */
function declareSizes(zip: Uint8Array): Uint8Array {
  const { view, entries } = centralEntries(zip);
  for (const { central, local } of entries) {
    view.setUint16(local + 6, view.getUint16(local + 6, true) & ~8, true);
    for (const [from, to] of [[16, 14], [20, 18], [24, 22]] as const) view.setUint32(local + to, view.getUint32(central + from, true), true);
  }
  return zip;
}

/** Makes the local header and the central directory declare `size` uncompressed bytes for `name` (the data is unchanged). */
export function lieAboutSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const { view, entries } = centralEntries(zip);
  const entry = entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no entry ${name}`);
  view.setUint32(entry.central + 24, size, true);
  view.setUint32(entry.local + 22, size, true);
  return zip;
}

/** Deterministic bytes that do not compress (xorshift32). */
export function noise(bytes: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed >>> 0;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
