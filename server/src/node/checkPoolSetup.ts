/** How many check workers to start, and which script they run. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';

/**
 * Below this many files per worker, starting workers costs more than it saves (each loads the
 * bundle, compiles the schema validators and warms up its own JIT), so the default stays in this
 * thread. Measured with 50-step playbooks on two cores: two workers break even at about 200 files.
 */
export const MIN_FILES_PER_WORKER = 100;
/** The most `--jobs` accepts. */
export const MAX_JOBS = 64;

/** What `new Worker` is given: a script path, or (from source) a small program that loads it. */
export interface WorkerEntry {
  code: string;
  eval: boolean;
}

/** Workers to start for `files` files (at most `limit` by default): 0 means check them in this thread. */
export function poolSize(files: number, jobs?: number, limit = Infinity): number {
  if (files < 2) return 0;
  const size = jobs !== undefined ? Math.min(jobs, files) : Math.min(availableParallelism(), Math.floor(files / MIN_FILES_PER_WORKER), limit);
  return size >= 2 ? size : 0;
}

/**
 * The bundle's worker is `checkWorker.js` beside it (`dist/cli.js` and `dist/server.js` both live in
 * `dist/`). Run from the TypeScript sources (tests under tsx), the worker is the `.ts` source loaded
 * through tsx; without tsx at hand, there is no worker and files are checked in this thread.
 */
export function defaultWorkerEntry(): WorkerEntry | undefined {
  if (!__filename.endsWith('.ts')) {
    const bundled = path.join(__dirname, 'checkWorker.js');
    return existsSync(bundled) ? { code: bundled, eval: false } : undefined;
  }
  try {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    const source = path.join(__dirname, 'checkWorker.ts');
    return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
  } catch {
    return undefined;
  }
}
