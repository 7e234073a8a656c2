/**
 * The record as a whole: whether it can be trusted, whether it is finished, how the run ended and
 * how long it took, and what in it does not add up. The warnings are written here once, so the
 * JSON and every rendering put the same words first.
 */
import type { RecordedEvent, RunOutcome } from './events.js';
import type { NotificationEntry, RecordStatus, RecordVerification } from './reportTypes.js';
import { channelWords, deliveryOutcome, durationWords, plural } from './reportWords.js';

type Of<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;

export interface RunShape {
  started: Of<'run-started'> | undefined;
  ended: Of<'run-ended'> | undefined;
  finished: boolean;
  outcome: RunOutcome | 'unfinished';
  path: string[];
  durationMs: number | null;
  duration: string | null;
  problems: string[];
}

export function runShape(events: readonly RecordedEvent[], verification: RecordVerification): RunShape {
  const started = events.find((e): e is Of<'run-started'> => e.type === 'run-started');
  const endAt = events.findIndex((e) => e.type === 'run-ended');
  const ended = endAt < 0 ? undefined : events[endAt] as Of<'run-ended'>;
  const finished = ended !== undefined && endAt === events.length - 1 && verification.unfinished !== true;
  const problems = [
    started === undefined ? 'the record has no run-started event: which playbook ran, and who started it, is not recorded' : '',
    started !== undefined && events[0] !== started ? `the record does not begin with run-started (event ${started.seq} is)` : '',
    events.filter((e) => e.type === 'run-started').length > 1 ? 'the record holds more than one run-started event; the first is reported' : '',
    ended !== undefined && endAt < events.length - 1 ? `${plural(events.length - 1 - endAt, 'event')} come${endAt === events.length - 2 ? 's' : ''} after run-ended (from event ${events[endAt + 1]!.seq})` : '',
  ].filter(Boolean);
  const last = finished ? ended : events[events.length - 1];
  const span = started && last ? Date.parse(last.at) - Date.parse(started.at) : NaN;
  if (span < 0) problems.push(`the run ends (${last!.at}) before it starts (${started!.at})`);
  const durationMs = Number.isFinite(span) && span >= 0 ? span : null;
  return {
    started,
    ended,
    finished,
    outcome: finished ? ended.outcome : 'unfinished',
    path: finished ? ended.path : events.flatMap((e) => (e.type === 'step-started' ? [e.step] : [])),
    durationMs,
    duration: durationMs === null ? null : `${durationWords(durationMs)}${finished ? '' : ' so far'}`,
    problems,
  };
}

export function recordStatus(shape: RunShape, verification: RecordVerification, events: number, notifications: readonly NotificationEntry[], problems: readonly string[]): RecordStatus {
  const undelivered = notifications.filter((n) => n.status !== 'delivered');
  const warnings = [
    verification.ok ? '' : `Evidence that cannot be trusted: the record's hash chain does not verify (${verification.problem ?? 'no reason given'}). It was changed after it was written, or is damaged; nothing below can be relied on.`,
    shape.finished ? '' : 'The record ends before the run did (its last event is not run-ended): the run is unfinished, or its end was cut off.',
    undelivered.length ? `${undelivered.length === 1 ? 'One notification' : `${undelivered.length} notifications`} never reached anyone: ${undelivered.map(undeliveredWords).join('; ')}.` : '',
    problems.length ? `The record does not add up in ${plural(problems.length, 'place')} (listed under problems).` : '',
  ].filter(Boolean);
  return { verified: verification.ok, problem: verification.ok ? null : verification.problem ?? null, finished: shape.finished, events, warnings };
}

/** "notification 2 to security (#sec-incidents) from tell-security: given up". */
function undeliveredWords(n: NotificationEntry): string {
  const from = n.auto ? 'sent automatically' : n.step ? `from ${n.step}` : 'outside any step';
  return `notification ${n.id} to ${channelWords(n.channel, n.target)} ${from}: ${deliveryOutcome(n.deliveries[n.deliveries.length - 1]!)}`;
}
