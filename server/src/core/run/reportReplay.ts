/**
 * Whether a record says only what the playbook's flow allowed: its events replayed through the run
 * engine (runState.ts), as Resume replays them. The engine refuses a result for another step than
 * the one to do, a rollback marked done before its release was checked, a checkpoint skipped, an
 * event after the end; the first refusal is where the record stops following the playbook.
 */
import type { RecordedEvent } from './events.js';
import { applyEvent, startRun, type RunPlaybook } from './runState.js';

export interface FlowBreak {
  seq: number;
  /** The engine's words: "the step to do now is 'security-review', not 'roll-back'". */
  problem: string;
}

export function replayBreak(events: readonly RecordedEvent[], flow: RunPlaybook): FlowBreak | undefined {
  let state = startRun(flow);
  for (const event of events) {
    const next = applyEvent(flow, state, event);
    if ('problem' in next) return { seq: event.seq, problem: next.problem };
    state = next;
  }
  return undefined;
}
