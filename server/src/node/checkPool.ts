/**
 * Checks many playbooks on every core: a pool of worker threads (`checkWorker.js`, next to the
 * running bundle) fed from one queue in the order files are given, or the same work in this thread
 * when workers would not pay (few files, one core, `--jobs 1`) or cannot start. Each file's result
 * is a promise, so callers choose the order: the CLI prints in path order as soon as a file and
 * every file before it are done; the server publishes each file as it comes.
 *
 * A worker that dies fails only the file it was checking (with the reason in words) and is
 * replaced, within a budget; when no worker is left, the rest is checked in this thread.
 */
import { Worker } from 'node:worker_threads';
import type { PoolRequest, PoolResponse } from './checkPoolMessages.js';
import { defaultWorkerEntry, poolSize, type WorkerEntry } from './checkPoolSetup.js';
import { checkFailure } from './checkFile.js';
import { TaskRunner, type CheckTask, type TaskResult } from './checkTask.js';

export { MIN_FILES_PER_WORKER, MAX_JOBS, poolSize, type WorkerEntry } from './checkPoolSetup.js';

export interface FileChecker {
  /** Worker threads started (0: every file is checked in this thread). */
  readonly workers: number;
  /** Where the files were checked, so a caller can tell when workers were asked for and none could run. */
  readonly stats: CheckStats;
  check(task: CheckTask): Promise<TaskResult>;
  /** Stops the workers; files not checked yet resolve with an error saying so. */
  close(): Promise<void>;
}

export interface CheckStats {
  inWorkers: number;
  inThisThread: number;
}

export type InProcessCheck = (task: CheckTask) => Promise<TaskResult>;

export interface CheckerOptions {
  /** How many files will be checked. */
  files: number;
  /** At most this many workers (`--jobs`); without it, one per core when there are enough files. */
  jobs?: number;
  /** Without `jobs`, never more workers than this (each holds its own copy of the bundle and environments). */
  maxWorkers?: number;
  /** How to check a file in this thread (default: a TaskRunner, which loads each environment once). */
  inProcess?: InProcessCheck;
  /** The worker script (tests); default: the bundled `checkWorker.js`, or the TypeScript source under tsx. */
  worker?: WorkerEntry;
}

/** Files each worker may hold: the one it checks and the next, so it never waits for the main thread. */
const IN_FLIGHT = 2;
/** Workers that crashed on a file are replaced this many times per pool, then the others carry on. */
const MAX_RESTARTS = 8;

export function createFileChecker(options: CheckerOptions): FileChecker {
  const inProcess = options.inProcess ?? runnerCheck(new TaskRunner());
  const size = poolSize(options.files, options.jobs, options.maxWorkers);
  const entry = size > 0 ? (options.worker ?? defaultWorkerEntry()) : undefined;
  return entry ? new CheckPool(entry, size, inProcess) : new SerialChecker(inProcess);
}

function runnerCheck(runner: TaskRunner): InProcessCheck {
  return (task) => runner.run(task);
}

function notChecked(task: CheckTask, why: string): TaskResult {
  return { check: { file: task.file, error: `could not be checked: ${why}` } };
}

/** One file after another in this thread, in the order asked. */
class SerialChecker implements FileChecker {
  readonly workers = 0;
  readonly stats: CheckStats = { inWorkers: 0, inThisThread: 0 };
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly inProcess: InProcessCheck) {}

  check(task: CheckTask): Promise<TaskResult> {
    const result = this.chain.then(() => {
      if (this.closed) return notChecked(task, 'the check was stopped');
      this.stats.inThisThread++;
      // A check that throws fails its own file only: the files after it are still checked.
      return this.inProcess(task).catch((error: unknown): TaskResult => ({ check: { file: task.file, error: checkFailure(error) } }));
    });
    this.chain = result;
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

interface Pending {
  id: number;
  task: CheckTask;
  resolve(result: TaskResult): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Sent and not answered, oldest first: the first is the one being checked. */
  inFlight: Pending[];
  failure?: string;
}

class CheckPool implements FileChecker {
  private readonly counted: CheckStats = { inWorkers: 0, inThisThread: 0 };
  private readonly queue = new Fifo<Pending>();
  private readonly slots = new Set<Slot>();
  private serial: SerialChecker | undefined;
  private nextId = 0;
  private restarts = 0;
  private closed = false;

  constructor(private readonly entry: WorkerEntry, readonly workers: number, private readonly inProcess: InProcessCheck) {
    for (let i = 0; i < workers; i++) this.start();
  }

  get stats(): CheckStats {
    return { inWorkers: this.counted.inWorkers, inThisThread: this.counted.inThisThread + (this.serial?.stats.inThisThread ?? 0) };
  }

  check(task: CheckTask): Promise<TaskResult> {
    if (this.closed) return Promise.resolve(notChecked(task, 'the check was stopped'));
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = [...this.queue.drain(), ...[...this.slots].flatMap((s) => s.inFlight.splice(0))];
    for (const p of stopped) p.resolve(notChecked(p.task, 'the check was stopped'));
    await Promise.all([...this.slots].map((s) => s.worker.terminate()));
    this.slots.clear();
    await this.serial?.close();
  }

  private start(): void {
    let worker: Worker;
    try {
      // Workers print nothing of their own: their output would land in the middle of the report.
      worker = new Worker(this.entry.code, { eval: this.entry.eval, stdout: true, stderr: true });
    } catch {
      this.dispatch();
      return;
    }
    worker.stdout.resume();
    worker.stderr.resume();
    const slot: Slot = { worker, ready: false, inFlight: [] };
    worker.on('message', (message: PoolResponse) => this.received(slot, message));
    worker.on('error', (error) => {
      slot.failure ??= error instanceof Error ? error.message.split('\n')[0] : String(error);
    });
    worker.on('exit', (code) => this.exited(slot, code));
    this.slots.add(slot);
  }

  private received(slot: Slot, message: PoolResponse): void {
    if ('ready' in message) {
      slot.ready = true;
    } else {
      const index = slot.inFlight.findIndex((p) => p.id === message.id);
      if (index >= 0) {
        this.counted.inWorkers++;
        slot.inFlight.splice(index, 1)[0]!.resolve(message.result);
      }
    }
    this.dispatch();
  }

  private exited(slot: Slot, code: number): void {
    if (!this.slots.delete(slot) || this.closed) return;
    const [culprit, ...notStarted] = slot.inFlight;
    const reason = slot.failure ?? `exit code ${code}`;
    culprit?.resolve(notChecked(culprit.task, `the worker thread checking it stopped (${reason})`));
    this.queue.putBack(notStarted);
    // A worker that never started (no bundle, no loader) is not tried again; one that died on a file is, within the budget.
    if (slot.ready && this.restarts < MAX_RESTARTS) {
      this.restarts++;
      this.start();
    }
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      while (slot.ready && slot.inFlight.length < IN_FLIGHT && this.queue.size) {
        const pending = this.queue.take()!;
        slot.inFlight.push(pending);
        slot.worker.postMessage({ id: pending.id, task: pending.task } satisfies PoolRequest);
      }
    }
    if (this.slots.size === 0 && this.queue.size) {
      // No worker left: the rest is checked here, in order.
      const serial = (this.serial ??= new SerialChecker(this.inProcess));
      for (const pending of this.queue.drain()) void serial.check(pending.task).then(pending.resolve);
    }
  }
}

/** First in, first out in constant time per item (`Array#shift` is linear: 100,000 files would take minutes). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Items taken but not done (a worker died holding them) go back to the front, in their order. */
  putBack(items: T[]): void {
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}
