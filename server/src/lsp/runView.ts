/** A run open in the server as the run panel shows it (shared/protocol.ts `RunView`): every string from the record or the playbook, redacted. */
import * as path from 'node:path';
import type { RunSession } from '../node/runSession.js';
import type { RunView } from '../shared/protocol.js';

export interface LiveRun {
  id: string;
  session: RunSession;
  /** The playbook's URI, and the workspace folder it lies in. */
  uri: string;
  root: string;
  /** The name of each channel's webhook (the policy's `notify`: `webhook-env`), which the panel offers to store. */
  webhookEnv: ReadonlyMap<string, string>;
  /** The last answer's refusal, shown until the next answer. */
  stopped?: string;
  /** The request this run is busy with (they are taken one at a time). */
  queue: Promise<unknown>;
}

const shown = (root: string, file: string): string => path.relative(root, file).split(path.sep).join('/');

export function runView(run: LiveRun): RunView {
  const { session } = run;
  const step = session.stepView;
  return {
    runId: run.id,
    record: session.recordFile,
    recordShown: shown(run.root, session.recordFile),
    playbook: { id: session.redact(session.playbookId), uri: run.uri, shown: session.redact(shown(run.root, session.playbookFile)) },
    who: session.who,
    ...(step ? { step: { ...step, started: session.stepStarted, autoNotifies: session.autoNotifies } } : {}),
    passed: session.passed,
    notifications: session.notificationsSent.map(({ id, step: at, channel, target, message, auto, delivery }) => {
      const webhookEnv = run.webhookEnv.get(channel);
      return { id, ...(at !== undefined ? { step: at } : {}), channel, ...(target !== undefined ? { target } : {}), message, auto, delivery, ...(webhookEnv !== undefined ? { webhookEnv } : {}) };
    }),
    ...(session.ended !== undefined ? { ended: session.ended } : {}),
    ...(run.stopped !== undefined ? { stopped: run.stopped } : {}),
  };
}
