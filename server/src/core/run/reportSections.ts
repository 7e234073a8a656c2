/**
 * The report's lists that are each one kind of event, as an auditor reads them: the approvals at
 * checkpoints, the releases checked with the advisories standing at that moment, and the
 * deviations from the playbook's flow with their reasons.
 */
import type { AdvisoryStanding, RecordedEvent } from './events.js';
import type { AdvisoryEntry, ApprovalEntry, DeviationEntry, ReleaseCheckEntry } from './reportTypes.js';

export function approvalsOf(events: readonly RecordedEvent[]): ApprovalEntry[] {
  return events.flatMap((e) => (e.type === 'approval'
    ? [{ step: e.step, approver: e.approver ?? null, decision: e.decision, at: e.at, by: e.by, note: e.note ?? null }]
    : []));
}

export function releaseChecksOf(events: readonly RecordedEvent[]): ReleaseCheckEntry[] {
  return events.flatMap((e) => (e.type === 'release-check'
    ? [{
      step: e.step,
      service: e.service,
      version: e.version,
      at: e.at,
      by: e.by,
      standing: e.standing.map(advisoryEntry),
      decided: e.decided.map(advisoryEntry),
      acknowledged: e.acknowledged,
      acknowledgedBy: e.acknowledged && e.standing.length ? e.by : null,
    }]
    : []));
}

export function deviationsOf(events: readonly RecordedEvent[]): DeviationEntry[] {
  return events.flatMap((e) => (e.type === 'deviation' ? [{ step: e.step, kind: e.kind, reason: e.reason, at: e.at, by: e.by }] : []));
}

/** An advisory as the record holds it, with `null` for what it leaves out. */
export function advisoryEntry(a: AdvisoryStanding): AdvisoryEntry {
  return {
    id: a.id,
    aliases: a.aliases,
    severity: a.severity,
    component: a.component ? { name: a.component.name, version: a.component.version, purl: a.component.purl } : null,
    decidedBy: a.decidedBy ? { file: a.decidedBy.file, status: a.decidedBy.status, justification: a.decidedBy.justification ?? null } : null,
  };
}
