/**
 * The changes a run made, each with what the policy asks around it: the security checkpoint a
 * named approver granted before it started, and the security notification after it that was
 * delivered. The SOC 2 judgement of a real run stands on these, as the dry-run's stands on its
 * `changes`; here the evidence is what people recorded and what the webhooks answered.
 */
import type { RecordedEvent } from './events.js';
import type { StepKnowledge } from './reportPlaybook.js';
import type { NotificationEntry } from './reportTypes.js';

type Of<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;

export interface RunChange {
  step: string;
  /** The `step-done` event. */
  seq: number;
  risky: boolean;
  notifySecurityAfter: boolean;
  /** The last approval granted by a named approver at a security checkpoint before the step started. */
  gatedBy: Of<'approval'> | null;
  /** The first notification to security sent after the change that was delivered. */
  toldBy: NotificationEntry | null;
  /** Security notifications sent after the change that never reached anyone. */
  toldUndelivered: NotificationEntry[];
}

export function changesOf(events: readonly RecordedEvent[], notifications: readonly NotificationEntry[], steps: StepKnowledge): RunChange[] {
  const sentAt = new Map<number, number>();
  for (const e of events) if (e.type === 'notification' && !sentAt.has(e.id)) sentAt.set(e.id, e.seq);
  const toSecurity = notifications.filter((n) => n.channel === 'security');
  const changes: RunChange[] = [];
  events.forEach((e, i) => {
    if (e.type !== 'step-done') return;
    const facts = steps.of(e.step);
    if (!facts.risky && !facts.notifySecurityAfter) return;
    const started = startOf(events, i, e.step);
    const after = toSecurity.filter((n) => (sentAt.get(n.id) ?? -1) > e.seq);
    changes.push({
      step: e.step,
      seq: e.seq,
      risky: facts.risky,
      notifySecurityAfter: facts.notifySecurityAfter,
      gatedBy: lastGrant(events.slice(0, started), steps),
      toldBy: after.find((n) => n.status === 'delivered') ?? null,
      toldUndelivered: after.filter((n) => n.status !== 'delivered'),
    });
  });
  return changes;
}

/** Where the step that ends at `done` began: its last `step-started` before it, else the end itself. */
function startOf(events: readonly RecordedEvent[], done: number, step: string): number {
  for (let i = done - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'step-started' && e.step === step) return i;
  }
  return done;
}

function lastGrant(before: readonly RecordedEvent[], steps: StepKnowledge): Of<'approval'> | null {
  for (let i = before.length - 1; i >= 0; i--) {
    const e = before[i]!;
    if (e.type === 'approval' && e.decision === 'granted' && named(e.approver) && steps.of(e.step).securityCheckpoint) return e;
  }
  return null;
}

/** A person or role the record names: not absent, not blank. */
export function named(who: string | undefined | null): boolean {
  return who !== undefined && who !== null && who.trim() !== '';
}
