/**
 * Streams the `*.json` entries of a zip (OSV's `all.zip` layout) without trusting its headers:
 * an entry over the size limit is skipped before or while it inflates, so a zip bomb costs
 * at most `maxEntryBytes` of memory per entry.
 */
import { createReadStream } from 'node:fs';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';

export interface ZipLimits {
  maxEntryBytes: number;
  maxEntries: number;
}

export interface ZipEntryResult {
  name: string;
  text?: string;
  problem?: string;
}

export async function readZipJsonEntries(file: string, limits: ZipLimits): Promise<{ entries: ZipEntryResult[]; problem?: string }> {
  const entries: ZipEntryResult[] = [];
  let seen = 0;
  let stopped: string | undefined;
  const unzip = new Unzip((entry: UnzipFile) => {
    if (stopped || !entry.name.toLowerCase().endsWith('.json')) return;
    if (++seen > limits.maxEntries) {
      stopped = `it holds more than ${limits.maxEntries} JSON entries (the limit maxZipEntries); the rest were not read`;
      return;
    }
    const declared = entry.originalSize;
    if (declared !== undefined && declared > limits.maxEntryBytes) {
      entries.push({ name: entry.name, problem: tooLarge(declared, limits.maxEntryBytes) });
      return;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    entry.ondata = (error, data, final) => {
      if (error) {
        entries.push({ name: entry.name, problem: `cannot be inflated (${error.message})` });
        return;
      }
      total += data.length;
      if (total > limits.maxEntryBytes) {
        entry.terminate();
        entries.push({ name: entry.name, problem: tooLarge(total, limits.maxEntryBytes, 'inflates to more than') });
        return;
      }
      chunks.push(data);
      if (final) entries.push({ name: entry.name, text: Buffer.concat(chunks).toString('utf8') });
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      unzip.push(chunk as Uint8Array);
      if (stopped) break;
    }
    if (!stopped) unzip.push(new Uint8Array(0), true);
  } catch (e) {
    return { entries, problem: `it cannot be read as a zip (${e instanceof Error ? e.message : String(e)})` };
  }
  return { entries, problem: stopped };
}

function tooLarge(bytes: number, max: number, verb = 'is'): string {
  return `${verb} ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${(max / 1024 / 1024).toFixed(0)} MB limit for one record (maxRecordBytes)`;
}
