/** The messages between the check pool and its workers (structured-clone copies, no shared state). */
import type { CheckTask, TaskResult } from './checkTask.js';

export interface PoolRequest {
  id: number;
  task: CheckTask;
}

export type PoolResponse = { ready: true } | { id: number; result: TaskResult };
