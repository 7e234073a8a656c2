/**
 * A check worker thread (`dist/checkWorker.js`, run by the check pool's piscina): checks one file
 * per task and answers with plain data. Its TaskRunner loads each environment once for all the
 * files this thread checks.
 */
import { TaskRunner, type CheckTask, type TaskResult } from './checkTask.js';

const runner = new TaskRunner();

/** `null` is the pool asking whether the worker starts at all. */
export default function check(task: CheckTask | null): Promise<TaskResult> | null {
  return task && runner.run(task);
}
