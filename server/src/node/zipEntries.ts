/**
 * Reads the `*.json` entries of a zip (OSV's `all.zip` layout) without trusting it. Entries are
 * chosen from the central directory before anything inflates: one declaring more than the limit
 * is skipped unread, and every entry inflates into a buffer of its declared size, so a header
 * that lies cannot make it grow (the truncated text then fails as JSON and is reported).
 * Inflating happens off the main thread.
 */
import { promises as fs } from 'node:fs';
import { unzip, type UnzipOptions, type Unzipped } from 'fflate';

export interface ZipLimits {
  maxEntryBytes: number;
  maxEntries: number;
  maxZipBytes: number;
}

export interface ZipEntryResult {
  name: string;
  text?: string;
  problem?: string;
}

export async function readZipJsonEntries(file: string, limits: ZipLimits): Promise<{ entries: ZipEntryResult[]; problem?: string }> {
  const stat = await fs.stat(file);
  if (stat.size > limits.maxZipBytes) {
    return { entries: [], problem: `it is ${mb(stat.size)} MB, over the ${limitMb(limits.maxZipBytes)} MB limit for one zip (maxZipBytes); split it by ecosystem` };
  }
  const bytes = await fs.readFile(file);
  const entries: ZipEntryResult[] = [];
  let seen = 0;
  let problem: string | undefined;
  let files: Unzipped;
  try {
    files = await unzipOffThread(bytes, {
      filter: (entry) => {
        if (!entry.name.toLowerCase().endsWith('.json') || problem) return false;
        if (++seen > limits.maxEntries) {
          problem = `it holds more than ${limits.maxEntries} JSON entries (the limit maxZipEntries); the rest were not read`;
          return false;
        }
        if (entry.originalSize > limits.maxEntryBytes) {
          entries.push({ name: entry.name, problem: `is ${mb(entry.originalSize)} MB, over the ${limitMb(limits.maxEntryBytes)} MB limit for one record (maxRecordBytes)` });
          return false;
        }
        return true;
      },
    });
  } catch (e) {
    return { entries, problem: `it cannot be read as a zip (${e instanceof Error ? e.message : String(e)})` };
  }
  const decoder = new TextDecoder();
  for (const [name, data] of Object.entries(files)) entries.push({ name, text: decoder.decode(data) });
  return { entries, problem };
}

/** fflate's asynchronous unzip inflates in worker threads, so a large zip never blocks the editor's server. */
function unzipOffThread(bytes: Uint8Array, options: UnzipOptions): Promise<Unzipped> {
  return new Promise((resolve, reject) => unzip(bytes, options, (error, files) => (error ? reject(error) : resolve(files))));
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function limitMb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
