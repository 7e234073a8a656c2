/**
 * Run by worker-heap.test.ts in a child started with the server's Node flags: prints, as JSON, the
 * size the young generation of this thread and of a worker thread started afterwards grow to
 * under the same allocations, with or without the server's start-up step that gives workers V8's
 * default (`--give-workers-the-default`).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { giveWorkersTheDefaultYoungGeneration } from '../../server/src/node/workerHeap.js';

/** Short-lived allocations, enough for V8 to grow the young generation to its largest. */
function grownYoungGeneration(stats: typeof getHeapSpaceStatistics): number {
  let kept: object[] = [];
  for (let i = 0; i < 3e6; i++) {
    kept.push({ i });
    if (kept.length > 2e5) kept = [];
  }
  return stats().find((s) => s.space_name === 'new_space')!.space_size;
}

if (process.argv.includes('--give-workers-the-default')) giveWorkersTheDefaultYoungGeneration(process.execArgv);
const worker = new Worker(
  `require('node:worker_threads').parentPort.postMessage((${grownYoungGeneration.toString()})(require('node:v8').getHeapSpaceStatistics));`,
  { eval: true },
);
worker.once('message', (workerBytes: number) => {
  console.log(JSON.stringify({ mainBytes: grownYoungGeneration(getHeapSpaceStatistics), workerBytes }));
  void worker.terminate();
});
