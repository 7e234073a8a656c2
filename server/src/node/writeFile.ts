/** Writing files: a report with its folders, a cache or index file all at once (and what a killed writer left). */
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, promises as fs, readdirSync, renameSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a report file (`--output reports/playbooks.sarif`), creating its folder first, all at once:
 * a reader (a CI step, an editor) never sees half a report, and a run that fails leaves the previous
 * one. A link is written through to where it leads, and an existing file keeps its permissions. A
 * FIFO or device (`--output /dev/stdout`) cannot be replaced, so it is written to as it is.
 */
export async function writeFileCreatingFolders(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const existing = await fs.realpath(file).then(async (real) => ({ real, stat: await fs.stat(real) }), () => undefined);
  if (existing && !existing.stat.isFile()) {
    await fs.writeFile(file, text, 'utf8');
    return;
  }
  writeFileAtomically(existing?.real ?? file, [text], existing ? existing.stat.mode & 0o777 : 0o666);
}

/** A temporary file's name ends in `.<pid of its writer>-<8 hex digits>.tmp`. */
const TEMPORARY = /\.(\d+)-[0-9a-f]{8}\.tmp$/;
/** A write takes well under a second: a temporary file untouched for this long has no writer any more. */
const ABANDONED_AFTER_MS = 60 * 1000;

/**
 * Writes `chunks` to `file` through `<file>.<pid>-<random>.tmp` renamed into place, so a reader
 * never sees half a file; the temporary file is removed when anything fails, and the error thrown.
 * Temporary files of the same file that a killed process left behind are removed first.
 */
export function writeFileAtomically(file: string, chunks: readonly (string | Uint8Array)[], mode: number): void {
  removeAbandonedTemporaries(file);
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      for (const chunk of chunks) writeFileSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw e;
  }
}

/** Whether `name` is a temporary file of `writeFileAtomically` whose writer is gone (or that has not been written for a minute). */
export function isAbandonedTemporary(name: string, stat: Stats, now = Date.now()): boolean {
  const match = TEMPORARY.exec(name);
  if (!match) return false;
  return now - stat.mtimeMs > ABANDONED_AFTER_MS || !processExists(Number(match[1]));
}

function processExists(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as another user's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files of `file` that a killed writer left behind (also before a download streams to one). */
export function removeAbandonedTemporaries(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  try {
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || !TEMPORARY.test(name)) continue;
      const full = path.join(dir, name);
      const stat = lstatSync(full);
      if (stat.isFile() && isAbandonedTemporary(name, stat, now)) unlinkSync(full);
    }
  } catch {
    // Tidying up is a courtesy: the write goes on.
  }
}
