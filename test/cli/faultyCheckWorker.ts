/** A check worker for the pool's tests: it dies on files named `exit-*`, throws on `throw-*`, and checks the rest for real. */
import * as path from 'node:path';
import type { CheckTask } from '../../server/src/node/checkTask.js';
import check from '../../server/src/node/checkWorker.js';

export default function faultyCheck(task: CheckTask | null): ReturnType<typeof check> {
  const name = task ? path.basename(task.file) : '';
  if (name.startsWith('exit-')) process.exit(3);
  if (name.startsWith('throw-')) throw new Error('boom in the worker');
  return check(task);
}
