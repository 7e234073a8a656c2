/**
 * The one file format of what the tool keeps between runs (the advisory cache, a zip's published
 * index, parsed SBOMs): a header line of JSON (magic, key, the size of each section, one CRC-32 of
 * them all), then the sections back to back. One writer, one reader, one checksum.
 *
 * The key is a hash of what made the content: the code (hashed at build time), the tool version and
 * the inputs, so other code or other inputs simply miss and nobody bumps a format number. A file is
 * untrusted input: a wrong magic, key, size or checksum and it is no file at all.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { crc32 } from 'node:zlib';
import { readFileBounded } from './readFile.js';

declare const PLAYBOOK_CODE_HASH: string | undefined;
declare const PLAYBOOK_VERSION: string | undefined;
/** The bundled sources' hash (scripts/build.mjs) and the version; run from source, this process's own, so no file outlives an edit. */
const CODE = [typeof PLAYBOOK_CODE_HASH === 'string' ? PLAYBOOK_CODE_HASH : randomUUID(), typeof PLAYBOOK_VERSION === 'string' ? PLAYBOOK_VERSION : 'dev'];

/** The key of content made by this code from `inputs`. */
export function contentKey(inputs: unknown[]): string {
  return createHash('sha256').update(JSON.stringify([CODE, inputs])).digest('hex');
}

/** The file's bytes: its header line, then the sections. */
export function encodeCacheFile(magic: string, key: string, sections: readonly Buffer[]): Buffer[] {
  const header = { magic, key, sizes: sections.map((s) => s.length), crc: sections.reduce((sum, s) => crc32(s, sum), 0) };
  return [Buffer.from(`${JSON.stringify(header)}\n`), ...sections];
}

/** The sections of the file at `path`, when it is a file of this magic and key with `count` sections, whole and unchanged. */
export function readCacheFile(path: string, magic: string, key: string, count: number, maxBytes: number, accept?: (stat: Stats) => boolean): Buffer[] | undefined {
  const bytes = readFileBounded(path, maxBytes, accept);
  const newline = bytes?.indexOf(10) ?? -1;
  if (newline <= 0) return undefined;
  const header = parseJson(bytes!.toString('utf8', 0, newline));
  if (!isHeader(header, magic, key, count)) return undefined;
  let at = newline + 1;
  const sections = header.sizes.map((size) => bytes!.subarray(at, (at += size)));
  if (at !== bytes!.length || crc32(bytes!.subarray(newline + 1)) !== header.crc) return undefined;
  return sections;
}

/** JSON text to a value, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isHeader(v: unknown, magic: string, key: string, count: number): v is { sizes: number[]; crc: number } {
  if (typeof v !== 'object' || v === null) return false;
  const { magic: m, key: k, sizes, crc } = v as Record<string, unknown>;
  return m === magic && k === key && Number.isSafeInteger(crc) && Array.isArray(sizes) && sizes.length === count && sizes.every((n) => Number.isSafeInteger(n) && n >= 0);
}
