/** What the run panel's page sends (pageHtml.ts's script), and the answer made of it for the step it showed. */
import type { Answer, RunStepView } from '../../../server/src/core/index.js';

export type FromRunPage =
  | { type: 'answer'; kind?: unknown; note?: unknown; by?: unknown; reason?: unknown; acknowledge?: unknown }
  | { type: 'give-up'; notification?: unknown }
  | { type: 'store-url'; name?: unknown }
  | { type: 'retry' }
  | { type: 'copy' | 'report' | 'reveal' | 'end' };

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The answer the page's fields make; the server checks it against the step again before recording anything. */
export function answerOf(message: Extract<FromRunPage, { type: 'answer' }>, step: RunStepView): Answer | undefined {
  const note = text(message.note);
  const withNote = note ? { note } : {};
  switch (message.kind) {
    case 'done': return { kind: 'done', acknowledgeAdvisories: message.acknowledge === true, ...withNote };
    case 'failed': return { kind: 'failed', ...withNote };
    case 'skipped': return text(message.reason) ? { kind: 'skipped', reason: text(message.reason) } : undefined;
    case 'approved':
    case 'denied': {
      const by = text(message.by);
      return step.checkpoint && by ? { kind: message.kind, by, ...withNote } : undefined;
    }
    case 'undecided': return { kind: 'undecided', ...withNote };
    default: return undefined;
  }
}
