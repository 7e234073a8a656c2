/**
 * Checks many playbooks on every core: a piscina pool of check workers (`checkWorker.js`, beside
 * the running bundle) fed in the order files are given, or the same work in this thread when
 * workers would not pay (few files, one core, `--jobs 1`) or cannot start. Each file's result is
 * a promise, so callers choose the order (the CLI prints in path order, the server as they come).
 * A worker that dies or throws fails only its file (the reason in words) and piscina replaces it;
 * after `MAX_CRASHES` such files the rest is checked in this thread.
 */
import type { Piscina } from 'piscina';
import { poolSize, type WorkerEntry } from './checkPoolSetup.js';
import { checkFailure } from './checkFile.js';
import { TaskRunner, type CheckTask, type TaskResult } from './checkTask.js';
import { workerPool, workerScript } from './workerPool.js';

export { MIN_FILES_PER_WORKER, poolSize, type WorkerEntry } from './checkPoolSetup.js';

export interface FileChecker {
  /** Worker threads started (0: every file is checked in this thread). */
  readonly workers: number;
  /** Where the files were checked, so a caller can tell when workers were asked for and none could run. */
  readonly stats: CheckStats;
  check(task: CheckTask): Promise<TaskResult>;
  /** Stops the workers; files not checked yet resolve with an error saying so. */
  close(): Promise<void>;
}

interface CheckStats {
  inWorkers: number;
  inThisThread: number;
}

type InProcessCheck = (task: CheckTask) => Promise<TaskResult>;

export interface CheckerOptions {
  /** How many files will be checked. */
  files: number;
  /** At most this many workers (`--jobs`); without it, one per core when there are enough files. */
  jobs?: number | undefined;
  /** Without `jobs`, never more workers than this (each holds its own copy of the bundle and environments). */
  maxWorkers?: number;
  /** How to check a file in this thread (default: a TaskRunner, which loads each environment once). */
  inProcess?: InProcessCheck;
  /** The worker script (tests); default: `checkWorker.js` beside the bundle, or the TypeScript source under tsx. */
  worker?: WorkerEntry | undefined;
}

/** Files whose worker died on them before the pool is given up: a file that kills every worker must not cost a new thread per file. */
const MAX_CRASHES = 8;

export function createFileChecker(options: CheckerOptions): FileChecker {
  const runner = options.inProcess ? undefined : new TaskRunner();
  const inProcess = options.inProcess ?? ((task: CheckTask) => runner!.run(task));
  const size = poolSize(options.files, options.jobs, options.maxWorkers);
  const script = size > 0 ? (options.worker ?? workerScript('checkWorker')) : undefined;
  return new Checker(inProcess, script === undefined ? undefined : workerPool(script, size), script === undefined ? 0 : size);
}

const notChecked = (task: CheckTask, why: string): TaskResult => ({ check: { file: task.file, error: `could not be checked: ${why}` } });
const STOPPED = 'the check was stopped';

class Checker implements FileChecker {
  readonly stats: CheckStats = { inWorkers: 0, inThisThread: 0 };
  /** Whether the workers start: a worker that cannot load its script answers no task, and then every file is checked here. */
  private readonly started: Promise<boolean>;
  private serial: Promise<unknown> = Promise.resolve();
  private crashes = 0;
  private closed = false;

  constructor(private readonly inProcess: InProcessCheck, private pool: Piscina | undefined, readonly workers: number) {
    this.started = pool ? pool.run(null).then(() => true, () => (void this.giveUp(), false)) : Promise.resolve(false);
  }

  async check(task: CheckTask): Promise<TaskResult> {
    const pool = (await this.started) ? this.pool : undefined;
    if (this.closed) return notChecked(task, STOPPED);
    if (!pool) return this.inThisThread(task);
    try {
      const result = (await pool.run(task)) as TaskResult;
      this.stats.inWorkers++;
      return result;
    } catch (error) {
      if (this.closed) return notChecked(task, STOPPED);
      // Given up while this file waited, or while a worker held it: it is checked here.
      if (this.pool !== pool) return this.inThisThread(task);
      if (++this.crashes >= MAX_CRASHES) void this.giveUp();
      return notChecked(task, `the worker thread checking it stopped (${crashReason(error)})`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.giveUp();
    await this.serial;
  }

  /** One file after another, in the order asked; a check that throws fails its own file only. */
  private inThisThread(task: CheckTask): Promise<TaskResult> {
    const result = this.serial.then(() => {
      if (this.closed) return notChecked(task, STOPPED);
      this.stats.inThisThread++;
      return this.inProcess(task).catch((error: unknown): TaskResult => ({ check: { file: task.file, error: checkFailure(error) } }));
    });
    this.serial = result;
    return result;
  }

  private giveUp(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    return pool ? pool.destroy() : Promise.resolve();
  }
}

/** Piscina's "worker exited with code: 3" as "exit code 3"; an error thrown in the worker by its first line. */
function crashReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const exit = /^worker exited with code: (-?\d+)$/.exec(message);
  return exit ? `exit code ${exit[1]}` : message.split('\n')[0]!;
}
