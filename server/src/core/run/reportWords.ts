/**
 * Phrases the run report says in more than one place (the timeline, the notification and release
 * tables, the SOC 2 evidence, the Markdown), written once so that every part says a delivery, a
 * channel or an advisory the same way.
 */
import type { Delivery } from './events.js';
import type { AdvisoryEntry, DeliveryAttempt } from './reportTypes.js';

/** "security (#sec-incidents)", or the channel alone when it names nowhere. */
export function channelWords(channel: string, target: string | null): string {
  return target ? `${channel} (${target})` : channel;
}

const STATUS_WORDS: Readonly<Record<Delivery['status'], string>> = {
  'delivered': 'delivered',
  'queued': 'queued (not delivered yet)',
  'failed': 'failed for good',
  'given-up': 'given up',
  'not-configured': 'not sent: the policy binds no webhook to the channel',
};

/** A final state in two words or so: "given up", "still queued". */
export function statusWords(status: Delivery['status']): string {
  return status === 'queued' ? 'still queued' : status === 'not-configured' ? 'no webhook configured' : STATUS_WORDS[status];
}

/** One delivery result: "delivered after 2 attempts (HTTP 200)", "queued (not delivered yet) after 4 attempts (HTTP 503; timed out)". */
export function deliveryWords(d: Pick<DeliveryAttempt, 'status' | 'attempts' | 'httpStatus' | 'error'>): string {
  // `not-configured` says it all already: its error repeats it.
  const details = [d.httpStatus === null ? '' : `HTTP ${d.httpStatus}`, d.status === 'not-configured' ? '' : d.error ?? ''].filter(Boolean).join('; ');
  return `${deliveryOutcome(d)}${details ? ` (${details})` : ''}`;
}

/**
 * The same without why: "queued (not delivered yet) after 4 attempts". Summaries (the warnings, the
 * SOC 2 judgement) say this much and leave the errors to the notifications' own section.
 */
export function deliveryOutcome(d: Pick<DeliveryAttempt, 'status' | 'attempts'>): string {
  const tries = d.status === 'not-configured' || d.status === 'given-up' || d.attempts <= 0 ? '' : ` after ${plural(d.attempts, 'attempt')}`;
  return `${STATUS_WORDS[d.status]}${tries}`;
}

/** "GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL, on log4j-core 2.14.1". */
export function advisoryWords(a: AdvisoryEntry): string {
  const names = a.aliases.length ? `${a.id} (${a.aliases.join(', ')})` : a.id;
  const on = a.component ? `, on ${[a.component.name, a.component.version].filter(Boolean).join(' ')}` : '';
  return `${names}, ${a.severity ?? 'severity unknown'}${on}`;
}

/** "1 h 12 min 5 s", "42 s", "0 s". */
export function durationWords(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const parts = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor(seconds / 3600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'min'],
    [seconds % 60, 's'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`);
  return shown.length ? shown.join(' ') : '0 s';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "a, b and c". */
export function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
