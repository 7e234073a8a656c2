/**
 * Which SOC 2 points (2017 Trust Services Criteria) a run gives evidence for, and why or why not.
 * The mapping is documented in docs/dry-run.md; each point names the steps that are its evidence.
 */
import type { ChangeMade, Outcome, Soc2Point, TraceEntry } from './types.js';

export interface Soc2Input {
  trace: readonly TraceEntry[];
  outcome: Outcome;
  changes: readonly ChangeMade[];
  securityNotified: boolean;
  /** The playbook's `compliance` tags. */
  compliance: readonly string[];
}

const NAMES = {
  'CC2.2': 'Internal communication of information needed for internal control',
  'CC7.3': 'Evaluation of security events',
  'CC7.4': 'Response to security incidents',
  'CC7.5': 'Recovery from security incidents',
} as const;

type Criterion = keyof typeof NAMES;

export function soc2Points(input: Soc2Input): Soc2Point[] {
  const ran = input.trace.filter((e) => e.status === 'ran');
  const ids = (entries: readonly TraceEntry[]): string => entries.map((e) => e.step).join(', ');
  const claimed = new Set(input.compliance.map((tag) => tag.trim().toUpperCase()));
  const point = (criterion: Criterion, evidenced: boolean, evidence: string): Soc2Point => ({
    criterion,
    name: NAMES[criterion],
    evidenced,
    evidence,
    claimed: claimed.has(`SOC2:${criterion}`),
  });
  const unnotified = input.changes.filter((c) => c.notifyRequired && c.notifiedBy === undefined).map((c) => c.step);
  const ungated = input.changes.filter((c) => c.risky && c.gatedBy === undefined).map((c) => c.step);

  const notifications = ran.filter((e) => e.notification);
  const communication = notifications.length === 0
    ? point('CC2.2', false, 'no notification was sent on this path')
    : unnotified.length
      ? point('CC2.2', false, `security was not told of ${unnotified.join(', ')}`)
      : point('CC2.2', true, `people were told, by ${ids(notifications)} (${[...new Set(notifications.map((e) => e.notification!.channel))].join(', ')})`);

  const evaluation = ran.filter((e) => e.action === 'diagnose' || (e.gate?.kind === 'evidence-capture' && e.gate.decision === 'approved'));
  const evaluated = evaluation.length
    ? point('CC7.3', true, `the event was evaluated by ${ids(evaluation)}`)
    : point('CC7.3', false, 'no diagnose step or evidence capture ran on this path');

  const responses = ran.filter((e) => input.changes.some((c) => c.step === e.step) || e.action === 'escalate');
  const responded = input.outcome !== 'resolved'
    ? point('CC7.4', false, `the run did not reach the end of the playbook (${input.outcome})`)
    : responses.length === 0
      ? point('CC7.4', false, 'no change or escalation ran on this path')
      : ungated.length || unnotified.length
        ? point('CC7.4', false, [ungated.length ? `${ungated.join(', ')} ran with no approved security checkpoint before it` : '', unnotified.length ? `security was not told of ${unnotified.join(', ')}` : ''].filter(Boolean).join('; '))
        : point('CC7.4', true, `the response ran as planned: ${ids(responses)}, every risky change behind an approved security checkpoint and security told as the policy requires`);

  const postmortem = ran.find((e) => e.action === 'postmortem');
  const recovered = input.outcome !== 'resolved'
    ? point('CC7.5', false, `the run did not reach the end of the playbook (${input.outcome})`)
    : postmortem === undefined
      ? point('CC7.5', false, 'the recovery plan was rehearsed to its end, but no postmortem step was reached')
      : point('CC7.5', true, `the recovery plan was rehearsed to its end without executing anything, and the postmortem ${postmortem.step} was reached`);

  return [communication, evaluated, responded, recovered];
}
