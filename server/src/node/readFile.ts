/** Reads a file for checking, without ever throwing: the result says what went wrong in words. */
import { closeSync, fstatSync, openSync, promises as fs, readSync, type Stats } from 'node:fs';

/** `size` is the file's real size, also when only the first `maxBytes + 1` bytes were read. */
export type ReadResult = { bytes: Uint8Array; size: number } | { error: string };

export async function readFileSafely(path: string, maxBytes: number): Promise<ReadResult> {
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) return { error: 'is a directory' };
    // Read one byte past the limit so the core can report the size without loading a huge file.
    if (stat.size > maxBytes) {
      const handle = await fs.open(path, 'r');
      try {
        const buffer = new Uint8Array(maxBytes + 1);
        await handle.read(buffer, 0, maxBytes + 1, 0);
        return { bytes: buffer, size: stat.size };
      } finally {
        await handle.close();
      }
    }
    const bytes = await fs.readFile(path);
    return { bytes, size: bytes.length };
  } catch (e) {
    return { error: describeFsError(e) };
  }
}

/**
 * `readFileSafely` without giving way to the event loop, for regular files (same results, same
 * words for errors); undefined for anything else (a pipe has no size up front), read the usual way.
 */
export function readFileSafelySync(file: string, maxBytes: number): ReadResult | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { error: 'is a directory' };
    if (!stat.isFile()) return undefined;
    // Read one byte past the limit so the core can report the size without loading a huge file.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes + 1));
    let filled = 0;
    for (let n = -1; n !== 0 && filled < buffer.length; filled += n) n = readSync(fd, buffer, filled, buffer.length - filled, filled);
    return { bytes: buffer.subarray(0, filled), size: Math.max(stat.size, filled) };
  } catch (e) {
    return { error: describeFsError(e) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many symbolic links';
    default: return e instanceof Error ? e.message : String(e);
  }
}

/**
 * A regular file's bytes when it has at most `maxBytes` and `accept` (given its stat) agrees;
 * undefined otherwise, or when it cannot be read (for files whose absence is no error: caches, indexes).
 */
export function readFileBounded(file: string, maxBytes: number, accept: (stat: Stats) => boolean = () => true): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes || !accept(stat)) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    for (let at = 0; at < bytes.length; ) {
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
