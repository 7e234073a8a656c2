/**
 * The record of an incident run (spec section 10; docs/design/incident-runs.md): one JSON event a
 * line, each carrying `seq` (its place) and `prev` (the SHA-256 of the previous line's bytes; the
 * first line: of the empty string). Written append-only, one write and one fsync a line, so what
 * was written survives a crash and the record is the run's state. Verified by recomputing the
 * chain: an edited line breaks the next one's `prev`, a removed or moved one breaks `seq` too.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { isInside } from './pathInside.js';
import type { RecordedEvent, RunEvent } from '../core/index.js';
import { readFileSafely } from './readFile.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The record's file name: `<UTC time>-<playbook id>.jsonl`, the time as `20261206T051000Z`. */
export function recordFileName(startedAt: Date, playbookId: string): string {
  const time = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const id = playbookId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 80) || 'playbook';
  return `${time}-${id}.jsonl`;
}

/**
 * Where a run's record goes unless told otherwise: `runs/` beside the policy (`.playbooks/runs/`; in
 * `root`'s `.playbooks/` without a policy file), and the folder the record names the playbook from.
 */
export function recordPlace(policyFile: string | undefined, root: string): { dir: string; workspace: string } {
  const policyDir = policyFile ? path.dirname(policyFile) : path.join(root, '.playbooks');
  return { dir: path.join(policyDir, 'runs'), workspace: path.dirname(policyDir) };
}

/**
 * Where the playbook a record names (`run-started`'s `playbook.file`) may be: relative to the
 * folder the record was written for (the one above its `.playbooks/runs/`), then to `rootDir`.
 * A name that leads out of its folder (`..`, an absolute path) is none: a record is data.
 */
export function recordedPlaybookPaths(recordFile: string, named: string, rootDir: string): string[] {
  const bases = [path.dirname(path.dirname(path.dirname(path.resolve(recordFile)))), path.resolve(rootDir)];
  return bases.map((base) => ({ base, file: path.resolve(base, named) })).filter(({ base, file }) => isInside(file, base) && file !== base).map(({ file }) => file);
}

export class RunRecordWriter {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
    private seq: number,
    private last: string,
  ) {}

  /**
   * A new record in `dir` (created if needed); never replaces a file. A second run of the playbook
   * started in the same second gets `-2` (then `-3`, …) before `.jsonl`.
   */
  static create(dir: string, name: string): RunRecordWriter {
    mkdirSync(dir, { recursive: true });
    for (let n = 1; ; n++) {
      const file = path.join(dir, n === 1 ? name : name.replace(/\.jsonl$/, `-${n}.jsonl`));
      try {
        const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND, 0o644);
        return new RunRecordWriter(file, fd, 0, '');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
      }
    }
  }

  /** Goes on writing a record read back whole and verified (a resumed run). */
  static resume(file: string, verified: VerifiedRecord): RunRecordWriter {
    const fd = openSync(file, constants.O_WRONLY | constants.O_APPEND);
    return new RunRecordWriter(file, fd, verified.events.length, verified.lastLine);
  }

  /** Appends the event with its place and chain link, and waits until it is on disk. */
  append(event: RunEvent): RecordedEvent {
    if (this.fd === undefined) throw new Error('the record is closed');
    const recorded = { seq: this.seq, ...event, prev: sha256(this.last) };
    const line = JSON.stringify(recorded);
    writeSync(this.fd, `${line}\n`);
    fsyncSync(this.fd);
    this.seq++;
    this.last = line;
    return recorded;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface VerifiedRecord {
  events: RecordedEvent[];
  /** The last line's text, which the next line's `prev` hashes. */
  lastLine: string;
  /** The last event is not `run-ended`: the run is unfinished, or its end was cut off. */
  unfinished: boolean;
}

/** Records are bounded like playbooks: a run writes a few hundred lines. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** A record that does not verify: the first line that breaks its chain (1-based) and why; `readable`, when its text could be read at all, every line of it that is JSON (what a report can still show). */
export interface BrokenRecord {
  line?: number;
  problem: string;
  readable?: unknown[];
}

/** The record's events when its chain holds, else where and why it breaks. */
export async function readRunRecord(file: string): Promise<VerifiedRecord | BrokenRecord> {
  const read = await readFileSafely(file, MAX_RECORD_BYTES);
  if ('error' in read) return { problem: `cannot be read (${read.error})` };
  if (read.size > MAX_RECORD_BYTES) return { problem: `is over ${MAX_RECORD_BYTES / 1024 / 1024} MB, more than any run writes` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    return { problem: 'is not UTF-8 text' };
  }
  const verified = verifyRecordText(text);
  return 'problem' in verified ? { ...verified, readable: jsonLines(text) } : verified;
}

function jsonLines(text: string): unknown[] {
  return text.split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as unknown] : [];
    } catch {
      return [];
    }
  });
}

function verifyRecordText(text: string): VerifiedRecord | { line?: number; problem: string } {
  if (text === '') return { problem: 'is empty: a record starts with run-started' };
  if (!text.endsWith('\n')) return { line: text.split('\n').length, problem: 'the last line is cut short (no line end): the record was not written whole' };
  const lines = text.slice(0, -1).split('\n');
  const events: RecordedEvent[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const at = { line: i + 1 };
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return { ...at, problem: 'is not JSON' };
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return { ...at, problem: 'is not an event' };
    const { seq, prev, type } = event as Record<string, unknown>;
    if (prev !== sha256(previous)) return { ...at, problem: i === 0 ? 'does not start the chain (its prev is not the hash of the empty string): lines before it were removed' : `its prev is not the hash of line ${i}: line ${i} was edited, or lines were removed or reordered` };
    if (seq !== i) return { ...at, problem: `its seq is ${JSON.stringify(seq)}, not ${i}: lines were removed or reordered` };
    if (typeof type !== 'string') return { ...at, problem: 'has no type' };
    if (i === 0 && type !== 'run-started') return { ...at, problem: `a record starts with run-started, not ${type}` };
    events.push(event as RecordedEvent);
    previous = line;
  }
  return { events, lastLine: previous, unfinished: events[events.length - 1]!.type !== 'run-ended' };
}
