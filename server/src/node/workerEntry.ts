/** Which script a worker thread runs: the bundle's `<name>.js` beside it, or the `.ts` source through tsx. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** What `new Worker` is given: a script path, or (from source) a small program that loads it. */
export interface WorkerEntry {
  code: string;
  eval: boolean;
}

/**
 * The bundles (`dist/cli.js`, `dist/server.js`) find `dist/<name>.js` in their own folder. Run from
 * the TypeScript sources (tests and benchmarks under tsx), the worker is `<name>.ts` loaded through
 * tsx; without either there is no worker, and callers do the work in this thread.
 */
export function workerEntry(name: string): WorkerEntry | undefined {
  if (!__filename.endsWith('.ts')) {
    const bundled = path.join(__dirname, `${name}.js`);
    return existsSync(bundled) ? { code: bundled, eval: false } : undefined;
  }
  try {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    const source = path.join(__dirname, `${name}.ts`);
    return { code: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
  } catch {
    return undefined;
  }
}
