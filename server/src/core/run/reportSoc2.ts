/**
 * Which SOC 2 points (2017 Trust Services Criteria) a real run gives evidence for, and why or why
 * not: the dry-run's mapping (dryrun/soc2.ts) read on what people recorded rather than on a
 * rehearsal. Documented in docs/runs.md. A record whose chain does not verify evidences nothing.
 */
import { NAMES } from '../dryrun/soc2.js';
import type { Soc2Point } from '../dryrun/types.js';
import type { RecordedEvent, RunOutcome } from './events.js';
import { named, type RunChange } from './reportChanges.js';
import type { StepKnowledge } from './reportPlaybook.js';
import type { DeviationEntry, NotificationEntry, ReleaseCheckEntry } from './reportTypes.js';
import { advisoryWords, channelWords, deliveryOutcome, listWords, statusWords } from './reportWords.js';

export interface Soc2RunFacts {
  events: readonly RecordedEvent[];
  verified: boolean;
  problem: string | null;
  outcome: RunOutcome | 'unfinished';
  path: readonly string[];
  changes: readonly RunChange[];
  notifications: readonly NotificationEntry[];
  releaseChecks: readonly ReleaseCheckEntry[];
  deviations: readonly DeviationEntry[];
  steps: StepKnowledge;
  /** Where the record stops following the playbook's flow, when it was replayed and does: the event and the engine's words. */
  flowBreak: { seq: number; problem: string } | undefined;
}

type Verdict = { evidenced: boolean; evidence: string };

const CRITERIA: ReadonlyArray<[keyof typeof NAMES, (facts: Soc2RunFacts) => Verdict]> = [
  ['CC2.2', communication],
  ['CC7.3', evaluation],
  ['CC7.4', response],
  ['CC7.5', recovery],
];

export function soc2RunPoints(facts: Soc2RunFacts): Soc2Point[] {
  const claimed = new Set(facts.steps.compliance.map((tag) => tag.trim().toUpperCase()));
  return CRITERIA.map(([criterion, judge]) => {
    const verdict = judge(facts);
    // An edited record could say anything: what it says is shown, but it evidences nothing.
    const trusted = facts.verified ? verdict : no(`the record's hash chain does not verify (${facts.problem ?? 'no reason given'}), so it is no evidence; unverified, it says: ${verdict.evidence}`);
    return { criterion, name: NAMES[criterion], ...trusted, claimed: claimed.has(`SOC2:${criterion}`) };
  });
}

function communication({ notifications, changes }: Soc2RunFacts): Verdict {
  if (!notifications.length) return no('no notification was sent during the run');
  const delivered = notifications.filter((n) => n.status === 'delivered');
  if (!delivered.length) return no(`no notification was delivered: ${notifications.map((n) => `notification ${n.id} to ${n.channel}: ${deliveryOutcome(n.deliveries[n.deliveries.length - 1]!)}`).join('; ')}`);
  const untold = changes.filter((c) => c.notifySecurityAfter && !c.toldBy);
  if (untold.length) {
    return no(untold.map((c) => (c.triedBy
      ? `security was to be told of ${c.step} by notification ${c.triedBy.id}, never delivered (${statusWords(c.triedBy.status)})`
      : `security was not told of ${c.step}`)).join('; '));
  }
  const told = changes.filter((c) => c.notifySecurityAfter).map((c) => `security was told of ${c.step} by notification ${c.toldBy!.id}, delivered at ${c.toldBy!.deliveredAt}`);
  const lost = notifications.length - delivered.length;
  return yes([
    `information was communicated: ${byChannel(delivered)}`,
    ...told,
    ...(lost ? [`${lost === 1 ? 'one other notification was' : `${lost} other notifications were`} not delivered`] : []),
  ].join('; '));
}

function evaluation({ events, releaseChecks, steps }: Soc2RunFacts): Verdict {
  const done = events.filter((e): e is Extract<RecordedEvent, { type: 'step-done' }> => e.type === 'step-done');
  const diagnosed = done.filter((e) => steps.of(e.step).action === 'diagnose').map((e) => e.step);
  const captured = events.flatMap((e) => (e.type === 'approval' && e.decision === 'granted' && steps.of(e.step).kind === 'evidence-capture' ? [e.step] : []));
  if (!releaseChecks.length && !diagnosed.length && !captured.length) {
    return no(steps.playbook ? 'nothing was evaluated: no release was checked, and no diagnose step or evidence capture was done' : 'no release was checked during the run');
  }
  const unacknowledged = releaseChecks.filter((c) => c.standing.length && (!c.acknowledged || !named(c.by)));
  // A rollback or deploy is checked before it is marked done (spec section 10); only the playbook says which steps those are.
  const checked = new Set<string>();
  const unchecked: string[] = [];
  for (const e of events) {
    if (e.type === 'release-check') checked.add(e.step);
    else if (e.type === 'step-done' && ['rollback', 'deploy'].includes(steps.of(e.step).action ?? '') && !checked.has(e.step)) unchecked.push(e.step);
  }
  const gaps = [
    ...unacknowledged.map((c) => `${listWords(c.standing.map(advisoryWords))} stood on ${c.service} ${c.version} at ${c.step} and nobody acknowledged it`),
    ...unchecked.map((step) => `${step} was marked done without its release being checked`),
  ];
  if (gaps.length) return no(gaps.join('; '));
  return yes([
    ...releaseChecks.map((c) => `${c.service} ${c.version} was checked for ${c.step} at ${c.at}: ${c.standing.length
      ? `${listWords(c.standing.map(advisoryWords))} standing, acknowledged by ${c.acknowledgedBy}`
      : 'no advisory standing'}`),
    ...(diagnosed.length ? [`the event was evaluated by ${listWords(diagnosed)}`] : []),
    ...(captured.length ? [`evidence was captured at ${listWords(captured)}`] : []),
  ].join('; '));
}

function response({ events, outcome, changes, deviations, steps, flowBreak }: Soc2RunFacts): Verdict {
  if (outcome === 'unfinished') return no('the record ends before the run did, so the response is not shown to its end');
  const escalated = events.flatMap((e) => (e.type === 'step-done' && steps.of(e.step).action === 'escalate' ? [e.step] : []));
  if (!changes.length && !escalated.length) return no('no change or escalation was made during the run');
  const ungated = changes.filter((c) => c.risky && !c.gatedBy);
  const unexplained = deviations.filter((d) => !d.reason.trim());
  const gaps = [
    ...(flowBreak ? [`the record does not follow the playbook's flow from event ${flowBreak.seq} (${flowBreak.problem})`] : []),
    ...ungated.map((c) => `${c.step} was done with no security checkpoint granted by a named approver before it`),
    ...unexplained.map((d) => `${d.step} was skipped without a reason`),
  ];
  if (gaps.length) return no(gaps.join('; '));
  // One phrase per grant: several changes usually follow one security review.
  const byGrant = new Map<Extract<RecordedEvent, { type: 'approval' }>, string[]>();
  for (const c of changes) if (c.gatedBy) byGrant.set(c.gatedBy, [...(byGrant.get(c.gatedBy) ?? []), c.step]);
  const gated = [...byGrant].map(([grant, stepIds]) => `${grant.step} was granted by ${grant.approver} at ${grant.at}, before ${listWords(stepIds)}`);
  return yes([
    `the response was made: ${listWords([...changes.map((c) => c.step), ...escalated])}`,
    ...gated,
    steps.playbook ? "the record replays through the playbook's flow" : "the record was not replayed through the playbook's flow (the playbook was not given)",
    deviations.length ? `every deviation has its reason: ${deviations.map((d) => `${d.step} skipped (${d.reason})`).join(', ')}` : 'no step was skipped',
  ].join('; '));
}

function recovery({ events, outcome, path, steps }: Soc2RunFacts): Verdict {
  if (outcome === 'unfinished') return no('the record ends before the run did: it has no outcome');
  if (outcome !== 'resolved') return no(`the run ended ${outcome}${path.length ? ` after ${path[path.length - 1]}` : ''}`);
  const postmortem = events.find((e) => e.type === 'step-done' && steps.of(e.step).action === 'postmortem');
  const last = path.length ? `, ending with ${path[path.length - 1]}` : '';
  return yes(`the run resolved${last}${postmortem && 'step' in postmortem ? `, and the postmortem ${postmortem.step} was done` : ''}`);
}

function yes(evidence: string): Verdict {
  return { evidenced: true, evidence };
}

function no(evidence: string): Verdict {
  return { evidenced: false, evidence };
}

/** "security by notification 2; incident by notification 1 and 3", in order of first use. */
function byChannel(notifications: readonly NotificationEntry[]): string {
  const ids = new Map<string, string[]>();
  for (const n of notifications) {
    const channel = channelWords(n.channel, n.target);
    const list = ids.get(channel) ?? [];
    list.push(String(n.id));
    ids.set(channel, list);
  }
  return [...ids].map(([channel, numbers]) => `${channel} by notification ${listWords(numbers)}`).join('; ');
}
