/** Writing files: a report with its folders, a cache or index file all at once. */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, promises as fs, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Writes a report file, creating its folder first (`--output reports/playbooks.sarif`). */
export async function writeFileCreatingFolders(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text, 'utf8');
}

/**
 * Writes `chunks` to `file` through `<file>.<pid>-<random>.tmp` renamed into place, so a reader
 * never sees half a file; the temporary file is removed when anything fails, and the error thrown.
 */
export function writeFileAtomically(file: string, chunks: readonly (string | Uint8Array)[], mode: number): void {
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
