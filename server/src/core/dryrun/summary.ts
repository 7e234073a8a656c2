/**
 * The summary of a run, read off the trace alone: what changed and whether security heard of it,
 * which gates opened, and which findings stand because the steps they are about actually ran.
 */
import type { Policy } from '../policy/policy.js';
import { RULES_BY_ID } from '../rules/index.js';
import type { ChangeMade, FindingRef, Summary, TraceEntry } from './types.js';

export function changesMade(trace: readonly TraceEntry[], policy: Policy): ChangeMade[] {
  // The first notify-security step that ran after each position, found in one backward pass.
  const notifierAfter = new Array<string | undefined>(trace.length);
  let notifier: string | undefined;
  for (let i = trace.length - 1; i >= 0; i--) {
    notifierAfter[i] = notifier;
    if (trace[i]!.status === 'ran' && trace[i]!.notification?.security) notifier = trace[i]!.step;
  }
  const changes: ChangeMade[] = [];
  let gate: string | undefined;
  trace.forEach((entry, position) => {
    if (entry.status !== 'ran') return;
    if (entry.gate?.security && entry.gate.decision === 'approved') gate = entry.step;
    const risky = policy.riskyActions.has(entry.action);
    const notifyRequired = policy.notifySecurityAfter.has(entry.action);
    if (!risky && !notifyRequired) return;
    const notifiedBy = notifierAfter[position];
    changes.push({
      step: entry.step,
      action: entry.action,
      risky,
      ...(gate === undefined ? {} : { gatedBy: gate }),
      notifyRequired,
      ...(notifiedBy === undefined ? {} : { notifiedBy }),
    });
  });
  return changes;
}

export function checkpointsOf(trace: readonly TraceEntry[]): Summary['checkpoints'] {
  const checkpoints: Summary['checkpoints'] = { approved: [], denied: [], failed: [] };
  for (const { step, gate } of trace) {
    if (gate?.decision === 'approved') checkpoints.approved.push(step);
    else if (gate?.decision === 'denied') checkpoints.denied.push(step);
    else if (gate?.decision === 'failed') checkpoints.failed.push(step);
  }
  return checkpoints;
}

/**
 * Security and advisory findings (not structure) that stand against the run: those about the
 * playbook as a whole (on no step: a secret in a comment above the steps, no security owner), which
 * stand whatever the path, then those on the steps that ran, in run order.
 */
export function standingFindings(trace: readonly TraceEntry[], playbookWide: readonly FindingRef[]): FindingRef[] {
  const onSteps = trace.filter((entry) => entry.status === 'ran').flatMap((entry) => entry.findings ?? []);
  return [...playbookWide, ...onSteps].filter((f) => RULES_BY_ID.get(f.ruleId)?.family !== 'structure');
}

/** Security heard of every change that the policy says it must (vacuously true when none was made). */
export function securityNotified(changes: readonly ChangeMade[]): boolean {
  return changes.every((change) => !change.notifyRequired || change.notifiedBy !== undefined);
}
