/**
 * Entry of a check worker thread (`dist/checkWorker.js`): checks the files the pool sends, one at a
 * time and in the order sent, and answers each with plain data. Its own TaskRunner loads each
 * environment once for all the files it checks.
 */
import { parentPort } from 'node:worker_threads';
import { checkFailure } from './checkFile.js';
import { TaskRunner, type CheckTask, type TaskResult } from './checkTask.js';
import type { PoolRequest, PoolResponse } from './checkPoolMessages.js';

const port = parentPort;
if (!port) throw new Error('checkWorker.js runs as a worker thread of the playbook CLI or server');

const runner = new TaskRunner();
let chain: Promise<void> = Promise.resolve();

port.on('message', (request: PoolRequest) => {
  chain = chain.then(async () => send({ id: request.id, result: await runner.run(request.task) }, request.task));
});
send({ ready: true });

function send(response: PoolResponse, task?: CheckTask): void {
  try {
    port!.postMessage(response);
  } catch (error) {
    // A result that cannot be copied to the main thread is a bug: report it on the file instead of dying.
    if (!task || !('id' in response)) throw error;
    const failed: TaskResult = { check: { file: task.file, error: checkFailure(error) } };
    port!.postMessage({ id: response.id, result: failed } satisfies PoolResponse);
  }
}
