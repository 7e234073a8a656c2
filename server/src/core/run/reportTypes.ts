/**
 * The run report's data: the SOC 2 evidence of one incident run, read from its record
 * (docs/runs.md). The same JSON for every consumer (`playbook runs report --format json`, the
 * Markdown renderer, the editor). Field order here is the order in the JSON output; keep it
 * stable. Absent facts are `null`, never a missing key, so two reports compare field by field.
 */
import type { Soc2Point } from '../dryrun/types.js';
import type { Delivery, RunOutcome } from './events.js';

type DeliveryStatus = Delivery['status'];

/** What the chain check (`playbook runs verify`) found, as the caller hands it over. */
export interface RecordVerification {
  ok: boolean;
  /** Where and how the chain breaks (`ok: false`): "line 4: prev is not the hash of line 3". */
  problem?: string;
  /** The last event is not `run-ended`: the run is unfinished, or its end was cut off. */
  unfinished?: boolean;
}

export interface RecordStatus {
  /** The hash chain verifies: no line was edited, removed or moved. */
  verified: boolean;
  /** Why it does not, in the verifier's words. */
  problem: string | null;
  /** The record ends with `run-ended`. */
  finished: boolean;
  events: number;
  /**
   * What a reader must see before anything else, most serious first: an untrusted chain, an
   * unfinished record, notifications that never reached anyone. Empty for a clean record.
   */
  warnings: string[];
}

export interface TimelineEntry {
  seq: number;
  at: string;
  by: string;
  /** The event's `type`. */
  event: string;
  step: string | null;
  /** The event in words: "approved security-review (security)". */
  text: string;
  /** For a notification or a retry, how its delivery went, in the tool's words (`text` ends with it); otherwise null. */
  delivery: string | null;
}

export interface ApprovalEntry {
  step: string;
  /** Who decided, as the person running the run named them (`@bob`); `null` when nobody could decide. */
  approver: string | null;
  decision: 'granted' | 'denied' | 'failed';
  at: string;
  /** Who recorded the decision. */
  by: string;
  note: string | null;
}

export interface DeliveryAttempt {
  at: string;
  by: string;
  status: DeliveryStatus;
  /** HTTP requests made in this attempt (with their retries). */
  attempts: number;
  httpStatus: number | null;
  /** In words; any address in it is removed (a webhook URL is a credential). */
  error: string | null;
}

export interface NotificationEntry {
  /** Its number in the run. */
  id: number;
  /** The `notify` step that sent it; `null` for an automatic one. */
  step: string | null;
  /** Sent by the policy's `auto-notify-security` after a change. */
  auto: boolean;
  channel: string;
  /** The channel's value under `channels` (`#sec-incidents`); `null` when the playbook names none. */
  target: string | null;
  message: string;
  sentAt: string;
  sentBy: string;
  /** Every delivery result in record order: the first sent with the notification, then each retry. */
  deliveries: DeliveryAttempt[];
  /** The last delivery's status. */
  status: DeliveryStatus;
  deliveredAt: string | null;
}

export interface AdvisoryEntry {
  id: string;
  aliases: string[];
  severity: string | null;
  /** The SBOM component it was found on; `null` for the service's own package. */
  component: { name: string; version: string | null; purl: string | null } | null;
  /** The VEX statement that decided it (`decided` only). */
  decidedBy: { file: string; status: string; justification: string | null } | null;
}

export interface ReleaseCheckEntry {
  step: string;
  service: string;
  version: string;
  at: string;
  by: string;
  /** Advisories on the release at that moment that no VEX statement set aside. */
  standing: AdvisoryEntry[];
  /** Advisories security's VEX decisions set aside then. */
  decided: AdvisoryEntry[];
  acknowledged: boolean;
  /** Who acknowledged the standing advisories: the check's `by`; `null` when not acknowledged or none stood. */
  acknowledgedBy: string | null;
}

export interface DeviationEntry {
  step: string;
  kind: string;
  reason: string;
  at: string;
  by: string;
}

export interface RunReport {
  /** Whether the record can be trusted: first, so that no reader misses it. */
  record: RecordStatus;
  /** From `run-started`; `null` when the record has none. */
  playbook: { id: string; title: string | null; file: string; sha256: string } | null;
  tool: { name: string; version: string } | null;
  mode: 'editor' | 'answers' | null;
  startedBy: string | null;
  startedAt: string | null;
  /** When `run-ended` was recorded; `null` for an unfinished record. */
  endedAt: string | null;
  /** From the start to the end (an unfinished record: to its last event); `null` when the times do not tell. */
  durationMs: number | null;
  /** The same in words: "1 h 12 min 5 s". */
  duration: string | null;
  outcome: RunOutcome | 'unfinished';
  /** The steps the run went through, from `run-ended`; an unfinished record: the steps started so far. */
  path: string[];
  timeline: TimelineEntry[];
  approvals: ApprovalEntry[];
  notifications: NotificationEntry[];
  /** Notification ids whose last delivery is not `delivered`: the messages that reached no one. */
  undelivered: number[];
  releaseChecks: ReleaseCheckEntry[];
  deviations: DeviationEntry[];
  /** What the SOC 2 judgement knew of each step: the playbook the run followed, or the record alone. */
  soc2Basis: string;
  soc2: Soc2Point[];
  /** Things in the record that do not add up (a delivery for an unknown notification, events after the end). */
  problems: string[];
}
