/**
 * The work of loading advisories, one file or zip entry at a time: read, parse, validate, prepare
 * for the index. Runs in worker threads (advisoryWorker.ts) or, for small loads, in this thread;
 * the results are plain data, so both give the same answer.
 */
import { readSync, closeSync, fstatSync } from 'node:fs';
import * as path from 'node:path';
import { parseOsvRecord } from '../core/advisories/osvRecord.js';
import { prepareRecord, type RecordMeta } from '../core/advisories/preparedRecord.js';
import { encodeRecordBody } from '../core/advisories/recordBody.js';
import type { AdvisoryProblem } from '../core/advisories/snapshot.js';
import { describeFsError, openRegularFileSync } from './readFile.js';
import { readZipEntry, type ZipEntryRef } from './zipEntries.js';

/** A record body's UTF-8 bytes: `bytes[start, end)`, in a buffer the records of one job share (one transfer per job). */
export interface BodyBytes {
  bytes: Uint8Array;
  start: number;
  end: number;
}

/** A record ready for the index: its facts, and its body (read on lookup; none for a withdrawn record). */
export interface ParsedRecord {
  meta: RecordMeta;
  body?: BodyBytes;
}

export interface ParsedItem {
  records: ParsedRecord[];
  problems: AdvisoryProblem[];
  /** The file could not be read (not a fault of its content): such a load is not cached. */
  ioError?: boolean;
  /** A zip entry that cannot be inflated makes the whole zip unreadable (as fflate's unzip does). */
  zipError?: string;
  /** Taken from a published index written elsewhere: its bodies name the writer's paths (advisoryPublishedIndex.ts). */
  foreignBodies?: boolean;
}

/** A slice of a load, small enough to hand to one worker at a time. */
export type AdvisoryJob =
  | { kind: 'files'; entry: string; maxRecordBytes: number; files: { path: string; size: number }[] }
  | { kind: 'zip'; entry: string; zipPath: string; bytes: Uint8Array; entries: ZipEntryRef[] };

/** The job's items, and the buffer their record bodies are in. */
export function runJob(job: AdvisoryJob): { items: ParsedItem[]; bodies: Uint8Array } {
  const writer = new BodyWriter();
  let items: ParsedItem[];
  if (job.kind === 'files') {
    items = job.files.map((f) => readAdvisoryFile(f.path, f.size, job.entry, job.maxRecordBytes, writer));
  } else {
    const decoder = new TextDecoder();
    items = job.entries.map((ref) => {
      let read: ReturnType<typeof readZipEntry>;
      try {
        read = readZipEntry(job.bytes, ref);
      } catch (e) {
        return { records: [], problems: [], zipError: e instanceof Error ? e.message : String(e) };
      }
      const file = `${job.zipPath}!${ref.name}`;
      // Data that is not the size its entry declares is that entry's problem, not the zip's.
      if ('problem' in read) return { records: [], problems: [{ entry: job.entry, file, message: `${read.problem}; skipped`, severity: 'warning' }] };
      return parseAdvisoryText(decoder.decode(read.data), file, job.entry, writer);
    });
  }
  return { items, bodies: writer.finish() };
}

/** Record bodies, encoded back to back into one growing buffer. */
export class BodyWriter {
  private buffer = Buffer.allocUnsafeSlow(256 * 1024);
  private length = 0;
  private readonly bodies: BodyBytes[] = [];

  add(text: string): BodyBytes {
    const size = Buffer.byteLength(text);
    if (this.length + size > this.buffer.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + size));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.buffer.write(text, this.length);
    const body = { bytes: this.buffer, start: this.length, end: (this.length += size) };
    this.bodies.push(body);
    return body;
  }

  /** The bytes, in a buffer of their own (transferable), which every body handed out now points to. */
  finish(): Uint8Array {
    const bytes = new Uint8Array(this.length);
    bytes.set(this.buffer.subarray(0, this.length));
    for (const body of this.bodies) body.bytes = bytes;
    return bytes;
  }
}

/** A body's text. */
export function bodyText(body: BodyBytes): string {
  return Buffer.from(body.bytes.buffer, body.bytes.byteOffset + body.start, body.end - body.start).toString('utf8');
}

let buffer: Buffer = Buffer.allocUnsafe(64 * 1024);

/** One `*.json` file whose size the caller has just read from the disk. */
export function readAdvisoryFile(file: string, size: number, entry: string, maxRecordBytes: number, writer: BodyWriter): ParsedItem {
  if (size > maxRecordBytes) return { records: [], problems: [overLimit(file, entry, size, maxRecordBytes)] };
  let length = 0;
  try {
    // Checked before and after opening, never blocking: a file swapped for a FIFO or a device since the scan is refused, not read.
    const opened = openRegularFileSync(file);
    if ('error' in opened) return { records: [], problems: [{ entry, file, message: `cannot be read (${opened.error})`, severity: 'warning' }], ioError: true };
    const { fd } = opened;
    try {
      if (buffer.length <= size) buffer = Buffer.allocUnsafe(Math.min(Math.max(size + 1, buffer.length * 2), maxRecordBytes + 1));
      // A short read is the end of the file: one read does it, unless the file grew since it was listed.
      for (;;) {
        if (length === buffer.length) {
          if (length > maxRecordBytes) break;
          buffer = grow(buffer, Math.min(buffer.length * 2, maxRecordBytes + 1));
        }
        const wanted = buffer.length - length;
        const read = readSync(fd, buffer, length, wanted, length);
        length += read;
        if (read < wanted || length > maxRecordBytes) break;
      }
      if (length > maxRecordBytes) return { records: [], problems: [overLimit(file, entry, fstatSync(fd).size, maxRecordBytes)] };
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { records: [], problems: [{ entry, file, message: `cannot be read (${describeFsError(e)})`, severity: 'warning' }], ioError: true };
  }
  return parseAdvisoryText(buffer.toString('utf8', 0, length), file, entry, writer);
}

function grow(old: Buffer, size: number): Buffer {
  const next = Buffer.allocUnsafe(size);
  old.copy(next);
  return next;
}

function overLimit(file: string, entry: string, size: number, maxRecordBytes: number): AdvisoryProblem {
  const message = `is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(maxRecordBytes / 1024 / 1024).toFixed(0)} MB limit for one record (maxRecordBytes); skipped`;
  return { entry, file, message, severity: 'warning' };
}

/** One record's text: its problems name the file once, with its full path. */
export function parseAdvisoryText(text: string, file: string, entry: string, writer: BodyWriter): ParsedItem {
  const name = path.basename(file);
  const parsed = parseOsvRecord(text, name);
  // The problem already names the file; the finding names it once, with its full path.
  const withoutName = (message: string): string => (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
  if ('problem' in parsed) return { records: [], problems: [{ entry, file, message: `${withoutName(parsed.problem)}; skipped`, severity: 'warning' }] };
  const problems: AdvisoryProblem[] = [];
  for (const message of parsed.problems) problems.push({ entry, file, message: withoutName(message), severity: 'warning' });
  for (const message of parsed.notes) problems.push({ entry, file, message: withoutName(message), severity: 'info' });
  const { meta, body } = prepareRecord(parsed.record, file, { compact: true });
  return { records: [meta.withdrawn ? { meta } : { meta, body: writer.add(encodeRecordBody(body)) }], problems };
}
