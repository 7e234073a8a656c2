/** How many check workers to start, and which script they run. */
import { availableParallelism } from 'node:os';

/**
 * Below this many files per worker, starting workers costs more than it saves (each loads the
 * bundle, compiles the schema validators and warms up its own JIT), so the default stays in this
 * thread. Measured with 50-step playbooks on two cores: two workers break even at about 200 files.
 */
export const MIN_FILES_PER_WORKER = 100;
/** The most `--jobs` accepts. */
export const MAX_JOBS = 64;

/** The path of a check worker script: one whose default export checks a `CheckTask` (checkWorker.ts). */
export type WorkerEntry = string;

/** Workers to start for `files` files (at most `limit` by default): 0 means check them in this thread. */
export function poolSize(files: number, jobs?: number, limit = Infinity): number {
  if (files < 2) return 0;
  const size = jobs !== undefined ? Math.min(jobs, files) : Math.min(availableParallelism(), Math.floor(files / MIN_FILES_PER_WORKER), limit);
  return size >= 2 ? size : 0;
}
