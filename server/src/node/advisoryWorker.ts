/**
 * Entry of an advisory worker thread (`dist/advisoryWorker.js`): parses the slices of a load the
 * main thread sends (files, or entries of a zip held in shared memory) and answers each with plain
 * data (advisoryParse.ts), in the order sent.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type AdvisoryJob, type ParsedItem } from './advisoryParse.js';

export interface WorkerRequest {
  id: number;
  job: AdvisoryJob;
}

export type WorkerResponse = { ready: true } | { id: number; items: ParsedItem[] } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('advisoryWorker.js runs as a worker thread of the playbook CLI or server');

port.on('message', (request: WorkerRequest) => {
  let output: ReturnType<typeof runJob>;
  try {
    output = runJob(request.job);
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerResponse);
    return;
  }
  // The bodies' buffer moves to the main thread instead of being copied.
  port.postMessage({ id: request.id, items: output.items } satisfies WorkerResponse, [output.bodies.buffer as ArrayBuffer]);
});
port.postMessage({ ready: true } satisfies WorkerResponse);
