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
  /** The first notification to security sent after the change, delivered or not. */
  triedBy: NotificationEntry | null;
}

/** One pass over the record (and one back over its notifications): a long record costs no more per change. */
export function changesOf(events: readonly RecordedEvent[], notifications: readonly NotificationEntry[], steps: StepKnowledge): RunChange[] {
  const toSecurity = new Map(notifications.filter((n) => n.channel === 'security').map((n) => [n.id, n]));
  // A notification is where it was first sent (the report keeps the first of two with one id).
  const sentAt = new Map<number, number>();
  events.forEach((e, i) => {
    if (e.type === 'notification' && !sentAt.has(e.id)) sentAt.set(e.id, i);
  });
  const sentHere = (e: RecordedEvent, i: number) => (e.type === 'notification' && sentAt.get(e.id) === i ? toSecurity.get(e.id) : undefined);
  // For each place in the record, the first security notification sent after it, and the first delivered.
  const triedAfter = new Array<NotificationEntry | null>(events.length + 1).fill(null);
  const toldAfter = new Array<NotificationEntry | null>(events.length + 1).fill(null);
  for (let i = events.length - 1; i >= 0; i--) {
    const n = sentHere(events[i]!, i);
    triedAfter[i] = n ?? triedAfter[i + 1]!;
    toldAfter[i] = n?.status === 'delivered' ? n : toldAfter[i + 1]!;
  }
  const changes: RunChange[] = [];
  let grant: Of<'approval'> | null = null;
  const gateAtStart = new Map<string, Of<'approval'> | null>();
  events.forEach((e, i) => {
    if (e.type === 'approval' && e.decision === 'granted' && named(e.approver) && steps.of(e.step).securityCheckpoint) grant = e;
    if (e.type === 'step-started') gateAtStart.set(e.step, grant);
    if (e.type !== 'step-done') return;
    const facts = steps.of(e.step);
    if (!facts.risky && !facts.notifySecurityAfter) return;
    changes.push({
      step: e.step,
      seq: e.seq,
      risky: facts.risky,
      notifySecurityAfter: facts.notifySecurityAfter,
      // Gated before it started; a step done with no start recorded, before it was done.
      gatedBy: gateAtStart.has(e.step) ? gateAtStart.get(e.step)! : grant,
      toldBy: toldAfter[i + 1]!,
      triedBy: triedAfter[i + 1]!,
    });
  });
  return changes;
}

/** A person or role the record names: not absent, not blank. */
export function named(who: string | undefined | null): boolean {
  return who !== undefined && who !== null && who.trim() !== '';
}
