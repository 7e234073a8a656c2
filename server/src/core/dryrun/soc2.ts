/**
 * Which SOC 2 points (2017 Trust Services Criteria) a run gives evidence for, and why or why not.
 * The mapping is documented in docs/dry-run.md; each point names the steps that are its evidence.
 */
import type { ChangeMade, FindingRef, Outcome, Soc2Point, TraceEntry } from './types.js';

export interface Soc2Input {
  trace: readonly TraceEntry[];
  outcome: Outcome;
  changes: readonly ChangeMade[];
  /** The summary's standing findings (the same objects as in the trace). */
  standing: readonly FindingRef[];
  /** The playbook's `compliance` tags. */
  compliance: readonly string[];
}

/** Each criterion by its name in the Trust Services Criteria; the run report judges the same four. */
export const NAMES = {
  'CC2.2': 'Internal communication of information needed for internal control',
  'CC7.3': 'Evaluation of security events',
  'CC7.4': 'Response to security incidents',
  'CC7.5': 'Recovery from security incidents',
} as const;

type Criterion = keyof typeof NAMES;
type Verdict = { evidenced: boolean; evidence: string };

/** The facts of a run the criteria are judged on. */
interface RunFacts {
  ran: readonly TraceEntry[];
  outcome: Outcome;
  changes: readonly ChangeMade[];
  /** Changes security should have heard of and did not. */
  unnotified: string[];
  /** Risky changes with no approved security checkpoint before them. */
  ungated: string[];
  /** Steps that ran with an error-level security or advisory finding standing (a rollback to a vulnerable release). */
  spoiled: string[];
  /** Rules with an error-level finding standing on the playbook as a whole (a secret above the steps, no security owner). */
  playbookErrors: string[];
}

const CRITERIA: ReadonlyArray<[Criterion, (facts: RunFacts) => Verdict]> = [
  ['CC2.2', communication],
  ['CC7.3', evaluation],
  ['CC7.4', response],
  ['CC7.5', recovery],
];

export function soc2Points(input: Soc2Input): Soc2Point[] {
  const ran = input.trace.filter((e) => e.status === 'ran');
  const standing = new Set(input.standing);
  const onSteps = new Set(input.trace.flatMap((e) => e.findings ?? []));
  const facts: RunFacts = {
    ran,
    outcome: input.outcome,
    changes: input.changes,
    unnotified: input.changes.filter((c) => c.notifyRequired && c.notifiedBy === undefined).map((c) => c.step),
    ungated: input.changes.filter((c) => c.risky && c.gatedBy === undefined).map((c) => c.step),
    spoiled: ran.filter((e) => e.findings?.some((f) => f.severity === 'error' && standing.has(f))).map((e) => e.step),
    playbookErrors: [...new Set(input.standing.filter((f) => f.severity === 'error' && !onSteps.has(f)).map((f) => f.ruleId))],
  };
  const claimed = new Set(input.compliance.map((tag) => tag.trim().toUpperCase()));
  return CRITERIA.map(([criterion, judge]) => ({ criterion, name: NAMES[criterion], ...judge(facts), claimed: claimed.has(`SOC2:${criterion}`) }));
}

function communication({ ran, unnotified }: RunFacts): Verdict {
  // A message to a channel `channels` does not declare reaches no one: it communicates nothing.
  const notifications = ran.filter((e) => e.notification && e.notification.undeclared === undefined);
  if (!notifications.length) {
    const lost = ran.filter((e) => e.notification?.undeclared !== undefined);
    return no(lost.length ? `no notification reached anyone on this path (${ids(lost)} named channels that are not declared)` : 'no notification was sent on this path');
  }
  if (unnotified.length) return no(`security was not told of ${unnotified.join(', ')}`);
  return yes(`information was communicated: ${byChannel(notifications)}`);
}

function evaluation({ ran }: RunFacts): Verdict {
  const evaluated = ran.filter((e) => e.action === 'diagnose' || (e.gate?.kind === 'evidence-capture' && e.gate.decision === 'approved'));
  return evaluated.length ? yes(`the event was evaluated by ${ids(evaluated)}`) : no('no diagnose step or evidence capture ran on this path');
}

function response({ ran, outcome, changes, unnotified, ungated, spoiled, playbookErrors }: RunFacts): Verdict {
  if (outcome !== 'resolved') return no(`the run did not reach the end of the playbook (${outcome})`);
  const changed = new Set(changes.map((c) => c.step));
  const responses = ran.filter((e) => changed.has(e.step) || e.action === 'escalate');
  if (!responses.length) return no('no change or escalation ran on this path');
  const gaps = [
    ungated.length ? `${ungated.join(', ')} ran with no approved security checkpoint before it` : '',
    unnotified.length ? `security was not told of ${unnotified.join(', ')}` : '',
    spoiled.length ? `error-level findings stand on ${spoiled.join(', ')}` : '',
    playbookErrors.length ? `error-level findings stand on the playbook itself (${playbookErrors.join(', ')})` : '',
  ].filter(Boolean);
  if (gaps.length) return no(gaps.join('; '));
  return yes(changes.length
    ? `the response ran: ${ids(responses)}; every risky change came after an approved security checkpoint, and security was told as the policy requires`
    : `the response ran: ${ids(responses)} (no change was made)`);
}

function recovery({ ran, outcome }: RunFacts): Verdict {
  if (outcome !== 'resolved') return no(`the run did not reach the end of the playbook (${outcome})`);
  const postmortem = ran.find((e) => e.action === 'postmortem');
  if (!postmortem) return no('the recovery plan was rehearsed to its end, but no postmortem step was reached');
  return yes(`the recovery plan was rehearsed to its end without executing anything, and the postmortem ${postmortem.step} was reached`);
}

function yes(evidence: string): Verdict {
  return { evidenced: true, evidence };
}

function no(evidence: string): Verdict {
  return { evidenced: false, evidence };
}

function ids(entries: readonly TraceEntry[]): string {
  return entries.map((e) => e.step).join(', ');
}

/** "incident by open-incident, all-clear; security by tell-security", in order of first use. */
function byChannel(notifications: readonly TraceEntry[]): string {
  const steps = new Map<string, string[]>();
  for (const e of notifications) steps.set(e.notification!.channel, [...(steps.get(e.notification!.channel) ?? []), e.step]);
  return [...steps].map(([channel, names]) => `${channel} by ${names.join(', ')}`).join('; ');
}
