/**
 * The one way the node layer reads a file: only a regular file, its type checked before it is
 * opened, opened without blocking, checked again once open, and never more than the limit read.
 * Never throws: the result says what went wrong in words.
 */
import { closeSync, constants, fstatSync, openSync, promises as fs, readSync, type Stats } from 'node:fs';
import { describeFsError, notRegularReason, pathKind, pathKindSync, sameFile, type RegularFile } from './fileKind.js';

export { describeFsError } from './fileKind.js';

/** `size` is the file's real size, also when only the first `maxBytes + 1` bytes were read. */
export type ReadResult = { bytes: Uint8Array; size: number } | { error: string };
/** A read with the stat of the file it read (once opened): what the bytes are the content of. */
export type StatResult = { bytes: Uint8Array; size: number; stat: Stats } | { error: string };

/**
 * O_NONBLOCK: should the path become a FIFO between the check and the open, the open returns at
 * once instead of waiting for a writer (the check after opening then refuses it). O_NOFOLLOW: a
 * path that was not a symbolic link when checked must not have become one. Both are 0 on Windows.
 */
function openFlags(checked: RegularFile): number {
  return constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (checked.viaLink ? 0 : (constants.O_NOFOLLOW ?? 0));
}

/** Why what was opened is not the regular file that was checked; undefined when it is. */
function openedMismatch(checked: RegularFile, opened: Stats): string | undefined {
  return notRegularReason(opened) ?? (sameFile(checked.stat, opened) ? undefined : 'was replaced while it was being opened; not read');
}

/** An open regular file, checked before and after opening. Close `fd` when done. */
export function openRegularFileSync(file: string): { fd: number; stat: Stats } | { error: string } {
  const checked = pathKindSync(file);
  if ('error' in checked) return checked;
  let fd: number;
  try {
    fd = openSync(file, openFlags(checked));
  } catch (e) {
    return { error: describeFsError(e) };
  }
  try {
    const stat = fstatSync(fd);
    const mismatch = openedMismatch(checked, stat);
    if (mismatch === undefined) return { fd, stat };
    closeSync(fd);
    return { error: mismatch };
  } catch (e) {
    closeSync(fd);
    return { error: describeFsError(e) };
  }
}

/** First allocation for a file of `size` bytes read up to `maxBytes + 1`: room for it all plus one byte, so growth shows. */
function firstCapacity(size: number, maxBytes: number): number {
  return Math.min(size, maxBytes) + 1;
}

/** Doubles a buffer, up to `cap` bytes, keeping its first `filled`. */
function grown(buffer: Buffer, filled: number, cap: number): Buffer {
  const next = Buffer.allocUnsafe(Math.min(buffer.length * 2, cap));
  buffer.copy(next, 0, 0, filled);
  return next;
}

/**
 * Reads at most `maxBytes + 1` bytes (one past the limit, so the caller can report the size
 * without loading a huge file). A short read is the end of a regular file.
 */
function readBoundedSync(fd: number, stat: Stats, maxBytes: number): ReadResult {
  const cap = maxBytes + 1;
  let buffer: Buffer = Buffer.allocUnsafe(firstCapacity(stat.size, maxBytes));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      if (buffer.length >= cap) break;
      buffer = grown(buffer, filled, cap);
    }
    const wanted = buffer.length - filled;
    const n = readSync(fd, buffer, filled, wanted, filled);
    filled += n;
    if (n < wanted) break;
  }
  return { bytes: buffer.subarray(0, filled), size: Math.max(stat.size, filled) };
}

/** `readFileSafely` without giving way to the event loop (same results, same words for errors). */
export function readFileSafelySync(file: string, maxBytes: number): ReadResult {
  const opened = openRegularFileSync(file);
  if ('error' in opened) return opened;
  try {
    return readBoundedSync(opened.fd, opened.stat, maxBytes);
  } catch (e) {
    return { error: describeFsError(e) };
  } finally {
    closeSync(opened.fd);
  }
}

/** `openRegularFileSync` giving way to the event loop. Close `handle` when done. */
export async function openRegularFile(file: string): Promise<{ handle: fs.FileHandle; stat: Stats } | { error: string }> {
  const checked = await pathKind(file);
  if ('error' in checked) return checked;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, openFlags(checked));
  } catch (e) {
    return { error: describeFsError(e) };
  }
  try {
    const stat = await handle.stat();
    const mismatch = openedMismatch(checked, stat);
    if (mismatch === undefined) return { handle, stat };
    await handle.close().catch(() => undefined);
    return { error: mismatch };
  } catch (e) {
    await handle.close().catch(() => undefined);
    return { error: describeFsError(e) };
  }
}

export async function readFileSafely(file: string, maxBytes: number): Promise<StatResult> {
  const opened = await openRegularFile(file);
  if ('error' in opened) return opened;
  const { handle, stat } = opened;
  try {
    const cap = maxBytes + 1;
    let buffer: Buffer = Buffer.allocUnsafe(firstCapacity(stat.size, maxBytes));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (buffer.length >= cap) break;
        buffer = grown(buffer, filled, cap);
      }
      const wanted = buffer.length - filled;
      const { bytesRead } = await handle.read(buffer, filled, wanted, filled);
      filled += bytesRead;
      if (bytesRead < wanted) break;
    }
    return { bytes: buffer.subarray(0, filled), size: Math.max(stat.size, filled), stat };
  } catch (e) {
    return { error: describeFsError(e) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * A regular file's bytes when it has at most `maxBytes` and `accept` (given its stat once open)
 * agrees; undefined otherwise, or when it cannot be read (for files whose absence is no error:
 * caches, indexes). A FIFO or a device at the path is never opened.
 */
export function readFileBounded(file: string, maxBytes: number, accept: (stat: Stats) => boolean = () => true): Buffer | undefined {
  const opened = openRegularFileSync(file);
  if ('error' in opened) return undefined;
  try {
    if (opened.stat.size > maxBytes || !accept(opened.stat)) return undefined;
    const read = readBoundedSync(opened.fd, opened.stat, maxBytes);
    if ('error' in read || read.bytes.length > maxBytes || read.bytes.length !== opened.stat.size) return undefined;
    return Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.length);
  } catch {
    return undefined;
  } finally {
    closeSync(opened.fd);
  }
}
