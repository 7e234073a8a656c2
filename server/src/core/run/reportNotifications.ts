/**
 * Each notification of a run with every delivery result it had: the one recorded when it was sent,
 * then each later attempt on it (`delivery` events, by the notification's id). A message that was
 * queued and never delivered is the evidence an auditor most needs to see, so the undelivered ones
 * are listed on their own, and a record whose `run-ended` disagrees with its deliveries says so.
 */
import type { Delivery, RecordedEvent } from './events.js';
import type { DeliveryAttempt, NotificationEntry } from './reportTypes.js';
import { listWords } from './reportWords.js';

type Of<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;

export interface Notifications {
  notifications: NotificationEntry[];
  undelivered: number[];
  problems: string[];
}

/** A webhook address is a credential: no delivery error shows one, whatever wrote it. */
const ADDRESS = /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s"'<>()]+/gi;

/** A delivery result as the report gives it. */
export function deliveryAttempt(event: Pick<RecordedEvent, 'at' | 'by'> & { delivery: Delivery }): DeliveryAttempt {
  const d = event.delivery;
  return {
    at: event.at,
    by: event.by,
    status: d.status,
    attempts: d.attempts,
    httpStatus: d.httpStatus ?? null,
    error: d.error === undefined ? null : d.error.replace(ADDRESS, '(an address)'),
  };
}

export function notificationsOf(events: readonly RecordedEvent[]): Notifications {
  const byId = new Map<number, NotificationEntry>();
  const problems: string[] = [];
  for (const event of events) {
    if (event.type === 'run-ended') problems.push(...endDisagreements(event, [...byId.values()]));
    if (event.type === 'notification') {
      if (byId.has(event.id)) {
        problems.push(`event ${event.seq} sends notification ${event.id} again; the first one is reported`);
        continue;
      }
      const first = deliveryAttempt(event);
      byId.set(event.id, {
        id: event.id,
        step: event.step ?? null,
        auto: event.auto,
        channel: event.channel,
        target: event.target ?? null,
        message: event.message,
        sentAt: event.at,
        sentBy: event.by,
        deliveries: [first],
        status: first.status,
        deliveredAt: first.status === 'delivered' ? first.at : null,
      });
    } else if (event.type === 'delivery') {
      const entry = byId.get(event.notification);
      if (!entry) {
        problems.push(`event ${event.seq} is a delivery of notification ${event.notification}, which the record never sent`);
        continue;
      }
      const next = deliveryAttempt(event);
      entry.deliveries.push(next);
      entry.status = next.status;
      if (next.status === 'delivered' && entry.deliveredAt === null) entry.deliveredAt = next.at;
    }
  }
  const notifications = [...byId.values()];
  const undelivered = notifications.filter((n) => n.status !== 'delivered').map((n) => n.id);
  return { notifications, undelivered, problems };
}

/**
 * `run-ended` lists the notifications still queued when the run ended (waiting for a delivery that
 * never came); the deliveries recorded before it say the same, or the record does not add up.
 */
function endDisagreements(ended: Of<'run-ended'>, sent: readonly NotificationEntry[]): string[] {
  const said = new Set(ended.undelivered);
  const queued = new Set(sent.filter((n) => n.status === 'queued').map((n) => n.id));
  const notSaid = [...queued].filter((id) => !said.has(id));
  const wrong = ended.undelivered.filter((id) => !queued.has(id));
  return [
    notSaid.length ? `run-ended does not list notification ${listWords(notSaid.map(String))} as undelivered, but ${notSaid.length === 1 ? 'it was' : 'they were'} still queued` : '',
    wrong.length ? `run-ended lists notification ${listWords(wrong.map(String))} as undelivered, but ${wrong.length === 1 ? 'it was' : 'they were'} not queued then (delivered, failed, given up, or never sent)` : '',
  ].filter(Boolean);
}
