/**
 * Each event of a run in words, for the report's timeline: who did what and when, in record order.
 * The words name what happened; the long texts (a notification's message, each advisory) are given
 * once in their own sections, so a timeline row stays one line.
 */
import type { RecordedEvent } from './events.js';
import { deliveryAttempt } from './reportNotifications.js';
import { advisoryEntry } from './reportSections.js';
import type { TimelineEntry } from './reportTypes.js';
import { advisoryWords, channelWords, deliveryWords, listWords, plural } from './reportWords.js';

export function timelineOf(events: readonly RecordedEvent[]): TimelineEntry[] {
  return events.map((e) => {
    const delivery = deliveryOf(e);
    const text = eventWords(e);
    return { seq: e.seq, at: e.at, by: e.by, event: e.type, step: 'step' in e ? e.step ?? null : null, text: delivery === null ? text : `${text}: ${delivery}`, delivery };
  });
}

/** How a notification or a retry went, in the tool's words; null for any other event. */
function deliveryOf(e: RecordedEvent): string | null {
  if (e.type === 'notification' || (e.type === 'delivery' && e.delivery.status !== 'given-up')) return deliveryWords(deliveryAttempt(e));
  return null;
}

function eventWords(e: RecordedEvent): string {
  switch (e.type) {
    case 'run-started': {
      const title = e.playbook.title ? ` (${e.playbook.title})` : '';
      const how = e.mode === 'editor' ? 'in the editor' : 'from an answers file';
      return `started a run of ${e.playbook.id}${title} from ${e.playbook.file}, SHA-256 ${e.playbook.sha256}, with ${e.tool.name} ${e.tool.version} ${how}`;
    }
    case 'step-started': return `started ${e.step}`;
    case 'step-done': return `marked ${e.step} done${note(e.note)}`;
    case 'step-failed': return `marked ${e.step} failed${note(e.note)}`;
    case 'approval':
      if (e.decision === 'failed') return `recorded that nobody could decide ${e.step}: the checkpoint failed${note(e.note)}`;
      return `${e.approver ?? 'an approver the record does not name'} ${e.decision} ${e.step}${note(e.note)}`;
    case 'notification': {
      const from = e.auto ? 'automatically, after a change' : e.step === undefined ? 'outside any step' : `from ${e.step}`;
      return `notified ${channelWords(e.channel, e.target ?? null)} ${from} (notification ${e.id})`;
    }
    case 'delivery':
      if (e.delivery.status === 'given-up') return `gave up delivering notification ${e.notification}`;
      return `retried notification ${e.notification}`;
    case 'release-check': {
      const standing = e.standing.length
        ? `${plural(e.standing.length, 'advisory')} standing (${e.standing.map((a) => advisoryWords(advisoryEntry(a))).join('; ')}), ${e.acknowledged ? 'acknowledged' : 'not acknowledged'}`
        : 'no advisory standing';
      const decided = e.decided.length ? `; set aside by VEX: ${listWords(e.decided.map((a) => a.id))}` : '';
      return `checked ${e.service} ${e.version} for ${e.step}: ${standing}${decided}`;
    }
    case 'deviation': return `skipped ${e.step}: ${e.reason}`;
    case 'run-ended': {
      const undelivered = e.undelivered.length ? `; undelivered: notification ${listWords(e.undelivered.map(String))}` : '';
      return `ended the run: ${e.outcome}${undelivered}`;
    }
  }
}

function note(text: string | undefined): string {
  return text ? `: ${text}` : '';
}
