/**
 * The SOC 2 evidence of an incident run, from its record (`playbook runs report`; docs/runs.md):
 * who did what and when, the approvals, the notifications and every delivery result, the releases
 * checked and the advisories standing then, the deviations, the outcome, whether the hash chain
 * verifies, and the SOC 2 points. Pure: the caller reads the record, verifies its chain and hands
 * both over. The events were redacted when written, but the report does not rely on it: every
 * string goes through PB104's shapes again, before anything is read and once the report is built.
 */
import { redactDeep, redactor, type Redact } from '../security/redact.js';
import { changesOf } from './reportChanges.js';
import { readRecord } from './reportInput.js';
import { notificationsOf } from './reportNotifications.js';
import { stepKnowledge, type ReportPlaybook } from './reportPlaybook.js';
import { recordStatus, runShape } from './reportRecord.js';
import { replayRun } from './replay.js';
import { approvalsOf, deviationsOf, releaseChecksOf } from './reportSections.js';
import { soc2RunPoints } from './reportSoc2.js';
import { timelineOf } from './reportTimeline.js';
import type { RecordVerification, RunReport } from './reportTypes.js';

export interface RunReportOptions {
  /**
   * The playbook the run followed, as `reportPlaybook` reads it under the policy in force: each
   * step's action for the SOC 2 judgement, and its flow to replay the record through. Used only
   * when its SHA-256 is the one the run recorded.
   */
  playbook?: ReportPlaybook;
  /**
   * The playbook's own redaction (`redactorFor(parsed)`), which also knows the secrets it holds
   * written bare, with no shape around them. PB104's shapes are applied after it all the same.
   */
  redact?: Redact;
}

/** `events` as the record holds them, in order (lines that are not JSON left out: the verification says so). */
export function runReport(events: readonly unknown[], verification: RecordVerification, options: RunReportOptions = {}): RunReport {
  const shapes = redactor([]);
  const known = options.redact;
  const redact: Redact = known ? (text) => shapes(known(text)) : shapes;
  const read = readRecord(events);
  const record = redactDeep(read.events, redact);
  const shape = runShape(record, verification);
  const sent = notificationsOf(record);
  const releaseChecks = releaseChecksOf(record);
  const deviations = deviationsOf(record);
  // Step ids are compared with the record's, so they are redacted alike (the engine's flow is not text).
  const given = options.playbook;
  const steps = stepKnowledge(record, given && { ...given, steps: redactDeep(given.steps, redact), compliance: redactDeep(given.compliance, redact) });
  // The engine replays the record as it was written, as Resume does.
  const replayed = given && steps.playbook ? replayRun(given.analysis, read.events) : undefined;
  const flowBreak = replayed && 'problem' in replayed ? { seq: read.events[replayed.index]!.seq, problem: replayed.problem } : undefined;
  const problems = [
    ...read.problems,
    ...shape.problems,
    ...sent.problems,
    ...(flowBreak ? [`event ${flowBreak.seq} is not what the playbook's flow allowed then: ${flowBreak.problem}`] : []),
  ];
  const started = shape.started;
  const report: RunReport = {
    record: recordStatus(shape, verification, events.length, sent.notifications, problems),
    playbook: started ? { id: started.playbook.id, title: started.playbook.title ?? null, file: started.playbook.file, sha256: started.playbook.sha256 } : null,
    tool: started ? { name: started.tool.name, version: started.tool.version } : null,
    mode: started?.mode ?? null,
    startedBy: started?.by ?? null,
    startedAt: started?.at ?? null,
    endedAt: shape.finished ? shape.ended!.at : null,
    durationMs: shape.durationMs,
    duration: shape.duration,
    outcome: shape.outcome,
    path: shape.path,
    timeline: timelineOf(record),
    approvals: approvalsOf(record),
    notifications: sent.notifications,
    undelivered: sent.undelivered,
    releaseChecks,
    deviations,
    soc2Basis: steps.basis,
    soc2: soc2RunPoints({
      events: record,
      verified: verification.ok,
      problem: verification.problem ?? null,
      outcome: shape.outcome,
      path: shape.path,
      changes: changesOf(record, sent.notifications, steps),
      notifications: sent.notifications,
      releaseChecks,
      deviations,
      steps,
      flowBreak,
    }),
    problems,
  };
  // Sentences join redacted parts; a secret could only be whole again across them, so they pass once more.
  return redactDeep(report, redact);
}
