/**
 * Runs the slices of an advisory load on worker threads (`advisoryWorker.js`, next to the running
 * bundle), one per core, or in this thread when workers would not pay (a small load, one core, or
 * already inside a worker) or cannot start. A worker that fails makes the whole load run again
 * in this thread: the answer never depends on where it was computed.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import { runJob, type AdvisoryJob, type ParsedItem } from './advisoryParse.js';
import type { WorkerRequest, WorkerResponse } from './advisoryWorker.js';
import { workerEntry, type WorkerEntry } from './workerEntry.js';


export interface ParallelOptions {
  /** Worker threads to use (0: this thread); default one per core (at most 4) for loads of `MIN_ITEMS_FOR_WORKERS` or more. */
  workers?: number;
  /** The worker script (tests); default `advisoryWorker.js` beside the bundle, or the TypeScript source under tsx. */
  entry?: WorkerEntry;
}

/** Below this many files or zip entries, starting workers (~100 ms to load the bundle) costs more than it saves. */
export const MIN_ITEMS_FOR_WORKERS = 5000;
/** Jobs each worker holds: the one it parses and the next, so it never waits for the main thread. */
const IN_FLIGHT = 2;

/** Each job's items, in job order, and how many workers computed them. */
export async function runJobs(jobs: readonly AdvisoryJob[], items: number, options: ParallelOptions = {}): Promise<{ results: ParsedItem[][]; workers: number }> {
  const workers = Math.min(jobs.length, options.workers ?? defaultWorkers(items));
  const entry = workers > 0 ? (options.entry ?? advisoryWorkerEntry()) : undefined;
  if (entry) {
    try {
      return { results: await inWorkers(jobs, workers, entry), workers };
    } catch {
      // A worker that cannot start or dies: the same work, here.
    }
  }
  return { results: await inThisThread(jobs), workers: 0 };
}

/** One per core (at most 4) for a large load in the main thread; a worker's own loads stay in it. */
function defaultWorkers(items: number): number {
  const cores = availableParallelism();
  return isMainThread && items >= MIN_ITEMS_FOR_WORKERS && cores > 1 ? Math.min(cores, 4) : 0;
}

async function inThisThread(jobs: readonly AdvisoryJob[]): Promise<ParsedItem[][]> {
  const out: ParsedItem[][] = [];
  for (const job of jobs) {
    out.push(runJob(job).items);
    // Let the server answer requests between slices of a large load.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Workers take jobs from one queue as they finish, each holding `IN_FLIGHT`. */
function inWorkers(jobs: readonly AdvisoryJob[], count: number, entry: WorkerEntry): Promise<ParsedItem[][]> {
  const results: ParsedItem[][] = new Array(jobs.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  return new Promise<ParsedItem[][]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      const end = (): void => (error ? reject(error) : resolve(results));
      void Promise.all(workers.map((w) => w.terminate())).then(end, end);
    };
    const feed = (worker: Worker): void => {
      if (next < jobs.length) worker.postMessage({ id: next, job: jobs[next++]! } satisfies WorkerRequest);
    };
    const store = (id: number, items: ParsedItem[]): void => {
      results[id] = items;
      if (++done === jobs.length) finish();
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(entry.code, { eval: entry.eval });
      workers.push(worker);
      worker.on('message', (response: WorkerResponse) => {
        if ('ready' in response) {
          for (let k = 0; k < IN_FLIGHT; k++) feed(worker);
        } else if ('error' in response) {
          finish(new Error(response.error));
        } else {
          store(response.id, response.items);
          feed(worker);
        }
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => finish(new Error(`an advisory worker stopped (exit code ${code})`)));
    }
  });
}

/** The advisory worker's script (see workerEntry.ts). */
export function advisoryWorkerEntry(): WorkerEntry | undefined {
  return workerEntry('advisoryWorker');
}
