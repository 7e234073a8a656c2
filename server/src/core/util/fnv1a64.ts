/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of a text, as 16 hexadecimal digits: a short name for a
 * text that is the same on every machine and in every release. The core has no `node:crypto`, and
 * what it names here is not secret (baseline fingerprints hash redacted text), so a fast
 * non-cryptographic hash is enough: two of the few thousand fingerprints of a repository meet by
 * chance about once in 10^12 repositories.
 */
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

const encoder = new TextEncoder();

export function fnv1a64(text: string): string {
  let hash = OFFSET_BASIS;
  for (const byte of encoder.encode(text)) hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  return hash.toString(16).padStart(16, '0');
}
