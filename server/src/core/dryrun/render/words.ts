/** Phrases both reports share, so the terminal and the ticket say the same thing. */
import { ABORT, END, type DryRun, type TraceEntry } from '../types.js';

export const NOTHING_EXECUTED = 'Nothing was executed: no command ran, no message was sent, no access or configuration changed, and no file was written except a report asked for.';

export function scenarioText(run: DryRun): string {
  const { fail, deny, advisoriesAsOf } = run.scenario;
  const parts = [
    fail.length ? `fail ${fail.join(', ')}` : '',
    deny.length ? `deny ${deny.join(', ')}` : '',
  ].filter(Boolean);
  const what = parts.length ? `${parts.join('; ')}; every other step succeeds` : 'every step succeeds';
  return advisoriesAsOf === null ? what : `${what}; advisories as known on ${advisoriesAsOf}`;
}

/**
 * The outcome in words: the verdict ("resolved", "resolved, but brings back a vulnerable release"),
 * how the walk ended, and each error-level finding that stands against the run.
 */
export function outcomeText(run: DryRun): string {
  const errors = run.outcome === 'invalid' ? [] : run.summary.standingErrors;
  const how = `${run.verdict}: ${walkText(run)}`;
  return errors.length ? `${how}; error-level findings stand against it: ${errors.join('; ')}` : how;
}

function walkText(run: DryRun): string {
  switch (run.outcome) {
    case 'resolved': {
      const handled = run.trace.filter((e) => e.status === 'failed' || e.status === 'denied').map((e) => `${e.step} ${e.status}`);
      return `the run reached the end of the playbook${handled.length ? ` through its \`on-failure\` handling (${handled.join(', ')})` : ''}`;
    }
    case 'aborted': {
      const last = run.trace.find((e) => e.next === ABORT);
      return last ? `${last.step} ${last.status} and its \`on-failure\` ends the run` : 'the run stopped';
    }
    case 'blocked': {
      const blocked = run.trace.find((e) => e.status === 'blocked');
      return blocked ? `${blocked.step} requires ${(blocked.blockedBy ?? []).join(', ')}, which did not complete on this path` : 'a step could not run';
    }
    case 'invalid': return 'the playbook could not be rehearsed';
  }
}

export function notifiedText(run: DryRun): string {
  const unnotified = run.summary.changes.filter((c) => c.notifyRequired && c.notifiedBy === undefined).map((c) => c.step);
  if (run.outcome === 'invalid') return 'not known (no run)';
  if (unnotified.length) return `no: security was not told of ${unnotified.join(', ')}`;
  return run.summary.changes.some((c) => c.notifyRequired) ? 'yes' : 'yes (no change that needs it was made)';
}

/** The status as a reader says it: a checkpoint that ran was approved. */
export function statusLabel(entry: TraceEntry): string {
  return entry.gate ? entry.gate.decision : entry.status;
}

/** Where the flow went: "error-ratio", "escalate (on-failure)", "(end)", "blocked by security-gate". */
export function thenText(entry: TraceEntry): string {
  if (entry.status === 'blocked') return `stopped: requires ${(entry.blockedBy ?? []).join(', ')}`;
  if (entry.next === undefined) return '';
  const failed = entry.status === 'failed' || entry.status === 'denied';
  if (entry.next === ABORT) return '(abort)';
  if (entry.next === END) return '(end)';
  return failed ? `${entry.next} (on-failure)` : entry.next;
}

export function advisoriesText(run: DryRun): string {
  if (run.advisories.records === 0) return 'none loaded, so no version was checked against advisories';
  const asOf = run.scenario.advisoriesAsOf === null ? '' : `, as known on ${run.scenario.advisoriesAsOf}`;
  const ignored = run.advisories.ignoredAsNotYetPublished;
  return `${run.advisories.records} record${run.advisories.records === 1 ? '' : 's'} loaded${asOf}${ignored.length ? `; not yet published then: ${ignored.join(', ')}` : ''}`;
}
