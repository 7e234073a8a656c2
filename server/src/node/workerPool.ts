/** The worker threads of this bundle: a script beside the running one (`dist/<name>.js`, or `<name>.ts` under tsx) run by a piscina pool. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Piscina } from 'piscina';

/** The script of worker `name` beside this module, if there is one (there is none when only one bundle was copied). */
export function workerScript(name: string): string | undefined {
  const file = path.join(__dirname, name + path.extname(__filename));
  return existsSync(file) ? file : undefined;
}

/** A pool of `threads` workers, all started now. Its errors reach the tasks; a worker that fails with none pending is not an error of the process. */
export function workerPool(script: string, threads: number): Piscina {
  const pool = new Piscina({ filename: script, minThreads: threads, maxThreads: threads });
  pool.on('error', () => undefined);
  return pool;
}
