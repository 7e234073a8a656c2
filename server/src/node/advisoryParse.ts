/**
 * The work of loading advisories, one slice of files or zip entries at a time: read, parse,
 * validate, prepare for the index. Runs on advisory workers (advisoryWorker.ts) or, for small
 * loads, in this thread; the results are plain data, so both give the same answer.
 */
import { closeSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { parseOsvRecord, prepareRecord, type RecordMeta, encodeRecordBody, type AdvisoryProblem } from '../core/index.js';
import { describeFsError, openRegularFileSync } from './readFile.js';
import { readZipEntry, type ZipEntryRef } from './zipEntries.js';

/** A record ready for the index: its facts, and its compact body's UTF-8 (read on lookup; none for a withdrawn record). */
export interface ParsedRecord {
  meta: RecordMeta;
  body?: Uint8Array;
}

export interface ParsedItem {
  records: ParsedRecord[];
  problems: AdvisoryProblem[];
  /** The file could not be read (not a fault of its content): such a load is not cached. */
  ioError?: true;
  /** A zip entry that cannot be inflated makes the whole zip unreadable (as fflate's unzip does). */
  zipError?: string;
}

/** A slice of a load, small enough to hand to one worker at a time: files of one source, or entries of one zip (its bytes shared). */
export type AdvisoryJob =
  | { entry: string; maxRecordBytes: number; files: { path: string; size: number }[] }
  | { entry: string; zipPath: string; bytes: Uint8Array; entries: ZipEntryRef[] };

/** Records whose body is waiting to be packed, with its text. */
type Bodies = [ParsedRecord, string][];

export function runJob(job: AdvisoryJob): ParsedItem[] {
  const bodies: Bodies = [];
  const items = 'files' in job ? job.files.map((f) => readAdvisoryFile(f.path, f.size, job.entry, job.maxRecordBytes, bodies)) : zipItems(job, bodies);
  // The job's bodies in one buffer, each record's a view of it: one copy to the main thread, and no UTF-8 encoding there.
  const bytes = Buffer.from(bodies.map(([, text]) => text).join(''));
  let at = 0;
  for (const [record, text] of bodies) record.body = bytes.subarray(at, (at += Buffer.byteLength(text)));
  return items;
}

function zipItems(job: Extract<AdvisoryJob, { zipPath: string }>, bodies: Bodies): ParsedItem[] {
  const decoder = new TextDecoder();
  return job.entries.map((ref): ParsedItem => {
    let read: ReturnType<typeof readZipEntry>;
    try {
      read = readZipEntry(job.bytes, ref);
    } catch (e) {
      return { records: [], problems: [], zipError: e instanceof Error ? e.message : String(e) };
    }
    const file = `${job.zipPath}!${ref.name}`;
    // Data that is not the size its entry declares is that entry's problem, not the zip's.
    if ('problem' in read) return { records: [], problems: [{ entry: job.entry, file, message: `${read.problem}; skipped`, severity: 'warning' }] };
    return parseAdvisoryText(decoder.decode(read.data), file, job.entry, bodies);
  });
}

let buffer: Buffer = Buffer.allocUnsafe(64 * 1024);

/** One `*.json` file whose size the scan has just read from the disk; never more than the limit is read. */
function readAdvisoryFile(file: string, size: number, entry: string, maxRecordBytes: number, bodies: Bodies): ParsedItem {
  const unreadable = (why: string): ParsedItem => ({ records: [], problems: [{ entry, file, message: `cannot be read (${why})`, severity: 'warning' }], ioError: true });
  if (size > maxRecordBytes) return { records: [], problems: [overLimit(file, entry, size, maxRecordBytes)] };
  // Checked before and after opening, never blocking: a file swapped for a FIFO or a device since the scan is refused, not read.
  const opened = openRegularFileSync(file);
  if ('error' in opened) return unreadable(opened.error);
  const { fd, stat } = opened;
  let length = 0;
  try {
    // Room for one byte past the limit, so a file that grew past it since the scan shows.
    if (buffer.length <= Math.min(stat.size, maxRecordBytes)) buffer = Buffer.allocUnsafe(Math.min(maxRecordBytes, Math.max(stat.size, 2 * buffer.length)) + 1);
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, length);
  } catch (e) {
    return unreadable(describeFsError(e));
  } finally {
    closeSync(fd);
  }
  if (length > maxRecordBytes) return { records: [], problems: [overLimit(file, entry, Math.max(length, stat.size), maxRecordBytes)] };
  if (length === buffer.length) return unreadable('it grew while it was read');
  return parseAdvisoryText(buffer.toString('utf8', 0, length), file, entry, bodies);
}

function overLimit(file: string, entry: string, size: number, maxRecordBytes: number): AdvisoryProblem {
  const message = `is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(maxRecordBytes / 1024 / 1024).toFixed(0)} MB limit for one record (maxRecordBytes); skipped`;
  return { entry, file, message, severity: 'warning' };
}

/** One record's text: its problems name the file once, with its full path. */
function parseAdvisoryText(text: string, file: string, entry: string, bodies: Bodies): ParsedItem {
  const name = path.basename(file);
  const parsed = parseOsvRecord(text, name);
  const withoutName = (message: string): string => (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
  if ('problem' in parsed) return { records: [], problems: [{ entry, file, message: `${withoutName(parsed.problem)}; skipped`, severity: 'warning' }] };
  const problems: AdvisoryProblem[] = [];
  for (const message of parsed.problems) problems.push({ entry, file, message: withoutName(message), severity: 'warning' });
  for (const message of parsed.notes) problems.push({ entry, file, message: withoutName(message), severity: 'info' });
  const { meta, body } = prepareRecord(parsed.record, file, { compact: true, text });
  const record: ParsedRecord = { meta };
  if (!meta.withdrawn) bodies.push([record, encodeRecordBody(body)]);
  return { records: [record], problems };
}
