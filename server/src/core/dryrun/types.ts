/**
 * The dry-run's data, shared by the CLI and the editor: the same JSON in both (docs/dry-run.md).
 * Field order here is the order in the JSON output; keep it stable.
 */
import type { FlowDiagram } from '../graph/flowDiagram.js';
import type { OffsetRange, Severity } from '../types.js';

/** What goes wrong in the rehearsal; by default everything succeeds. */
export interface Scenario {
  /** Step ids that fail (their `on-failure` is followed). */
  fail: string[];
  /** Checkpoint ids whose approvers say no (their `on-failure` is followed). */
  deny: string[];
}

export interface SimulateOptions {
  /** Replay the advisories known on this day: an ISO date (`2021-12-09`, the whole day) or date-time. */
  advisoriesAsOf?: string;
  /** The caller's clock, written into the result as `generatedAt`; the core has none. Absent: no timestamp. */
  generatedAt?: string;
}

export type Outcome = 'resolved' | 'aborted' | 'blocked' | 'invalid';
export type StepStatus = 'ran' | 'failed' | 'denied' | 'blocked' | 'skipped';

/** Where the flow goes after a step: a step id, or one of these ends. */
export const END = '(end)';
export const ABORT = '(abort)';

/** A finding of the check, as the dry-run shows it: linked back to its line. */
export interface FindingRef {
  ruleId: string;
  severity: Severity;
  message: string;
  /** 1-based line of the range start. */
  line: number;
  range: OffsetRange;
}

export interface Approver {
  /** As written in `approvers` (an `owners` role, usually). */
  name: string;
  /** The `owners` entry of that name, e.g. `@secops-oncall`. */
  contact?: string;
}

export interface Gate {
  kind: string;
  approvers: Approver[];
  /** `failed`: the checkpoint itself failed (`--fail`), so nobody decided. */
  decision: 'approved' | 'denied' | 'failed';
  /** The policy counts this kind as a security checkpoint. */
  security: boolean;
}

interface Notification {
  channel: string;
  /** The channel's value under `channels`, e.g. `#sec-incidents`. */
  target?: string;
  message?: string;
  /** To the `security` channel, which `channels` declares: this notification tells security. */
  security: boolean;
  /** Why the message reaches no one, when `channels` does not declare the channel (or gives it nothing to send to). */
  undeclared?: string;
}

export interface AdvisoryNote {
  id: string;
  aliases: string[];
  severity: string | null;
  summary: string | null;
  /** Fixed versions the record gives, oldest first. */
  fixed: string[];
  /** The version of the step it affects. */
  version: string;
  /** The component of that release it was found on (from its SBOM); absent for the service's own package. */
  component?: { name: string; version: string | null; purl: string | null };
}

/**
 * What a step quotes from the playbook, whole: `wouldDo` cuts it to one line, and the reports that
 * have room show it on lines of its own (a command is never broken where that would change it).
 */
export interface Quote {
  /** `wouldDo` without the quoted text: "would diagnose by running", "would notify security (#sec-incidents)". */
  lead: string;
  /** `command`: shell (`run`, `command`); `query`; `rule` (block-traffic); `change` (config-change); `message`: prose (notify). */
  kind: 'command' | 'query' | 'rule' | 'change' | 'message';
  /** As written (redacted, trailing blanks removed); a message with its blanks made single spaces. */
  text: string;
}

export interface TraceEntry {
  step: string;
  /** 0-based position of the step in `steps`. */
  index: number;
  /** 1-based line of the step's `id`. */
  line: number;
  /** The step's `id` value, to link back to the source. */
  range: OffsetRange;
  action: string;
  status: StepStatus;
  wouldDo: string;
  /** The command, query, rule, change or message `wouldDo` quotes, whole. */
  quote?: Quote;
  /** Unmet `requires` of a blocked step. */
  blockedBy?: string[];
  gate?: Gate;
  notification?: Notification;
  advisories?: AdvisoryNote[];
  findings?: FindingRef[];
  /** Where the flow goes next: a step id, `(end)` or `(abort)`. Absent for blocked and skipped steps. */
  next?: string;
}

export interface ChangeMade {
  step: string;
  action: string;
  /** The policy's `risky-actions` names this action (it needs a security checkpoint before it). */
  risky: boolean;
  /** The last approved security checkpoint before it in this run. */
  gatedBy?: string;
  /** The policy's `notify-security-after` names this action. */
  notifyRequired: boolean;
  /** The first notify-security step that ran after it. */
  notifiedBy?: string;
}

export interface Soc2Point {
  criterion: string;
  name: string;
  evidenced: boolean;
  /** What in this run is (or is missing as) evidence. */
  evidence: string;
  /** The playbook's `compliance` tags list it (`SOC2:CC7.4`). */
  claimed: boolean;
}

export interface Summary {
  /** Security heard of every change the policy's `notify-security-after` names (true when no such change was made). */
  securityNotified: boolean;
  /** Every change made that the policy calls risky or wants security told of, in run order. */
  changes: ChangeMade[];
  /** Checkpoint ids by their gate's decision: the same words as `Gate.decision`, in every report. */
  checkpoints: { approved: string[]; denied: string[]; failed: string[] };
  /** Security and advisory findings about the whole playbook and on steps that ran (PB101: advisories known at `advisoriesAsOf`). */
  standingFindings: FindingRef[];
  /**
   * The error-level standing findings in a few words each, what stands against the run:
   * "roll-back-search brings back a vulnerable release: 2.14.1 has GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL (PB101)".
   * A run is not clean while any stands.
   */
  standingErrors: string[];
  soc2: Soc2Point[];
}

export interface Refusal {
  message: string;
  findings: FindingRef[];
}

export interface DryRun {
  playbook: { id: string | null; title: string | null; severity: string | null };
  scenario: Scenario & { advisoriesAsOf: string | null };
  /** Records in the loaded advisory data; 0 means no advisory was checked. */
  advisories: { records: number; ignoredAsNotYetPublished: string[] };
  outcome: Outcome;
  /** The outcome in one line with what stands against the run: `resolved`, or "resolved, but brings back a vulnerable release". */
  verdict: string;
  /** Why the playbook could not be walked (outcome `invalid`). */
  refusal?: Refusal;
  trace: TraceEntry[];
  summary: Summary;
  /** The playbook's flow as a diagram, and the path this run took through it (node keys, the end last). */
  flow?: { diagram: FlowDiagram; path: string[] };
  generatedAt?: string;
}
