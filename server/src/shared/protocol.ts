/** Custom messages between the VS Code client and the language server, typed once for both. */
import { NotificationType, RequestType, RequestType0, type Range, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { AdvisoryStanding, Answer, DiagramEdge, DiagramNode, FlowFocus, FlowHighlight, FlowViewFinding, PassedStep, RunEvent, RunOutcome, RunStepView } from '../core/index.js';
import type { DryRun } from '../core/dryrun/index.js';

/** What the open playbooks are checked with: advisories (the status bar's figure), and the policies, SBOMs and VEX documents behind them. */
export interface AdvisoryStatus {
  /** Records in use across every policy the open playbooks fall under. */
  records: number;
  /** Sources with how they fared, as "path: 25 records" or "path: cannot be read". */
  sources: string[];
  problems: number;
  /** How old the oldest dated source is; absent when no source says (no fetch record, no record dates). */
  age?: AdvisoryAgeStatus;
  /** The policy files in use, as shown to the user; a folder without one uses the built-in defaults (`defaults`: how many such). */
  policies?: { files: string[]; defaults: number };
  /** SBOMs found in the policies' `sboms` folders (those a playbook names are read when it is checked). */
  sboms?: { files: number; unreadable: number; folders: string[] };
  /** Security's VEX documents in the policies' `vex` folders. */
  vex?: { documents: number; statements: number; folders: string[] };
}

export interface AdvisoryAgeStatus {
  /** "12 days", "30 hours". */
  text: string;
  /** Older than its policy's `advisories-max-age`, or dated in the future (an age nobody can tell). */
  stale: boolean;
  /** The source it is about, as shown to the user. */
  source: string;
  /** `fetched`: its last `playbook advisories --update`; `modified`: its newest record's date; `future`: a date ahead of now. */
  basis: 'fetched' | 'modified' | 'future';
  /** The policy's `advisories-max-age`, as written. */
  maxAge: string;
}

export const advisoryStatusNotification = new NotificationType<AdvisoryStatus>('playbook/advisoryStatus');

export interface CheckWorkspaceResult {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Entries named like playbooks that could not be read (a FIFO, a dangling link, a link loop), with the reason; not checked. */
  unreadable: Array<{ path: string; reason: string }>;
}

export const checkWorkspaceRequest = new RequestType0<CheckWorkspaceResult, void>('playbook/checkWorkspace');

interface EcosystemUpdateResult {
  /** The workspace folder it was done for. */
  folder: string;
  ecosystem: string;
  /** The zip, relative to the folder. */
  file: string;
  outcome: 'updated' | 'not-modified' | 'failed';
  problem?: string;
}

export interface UpdateAdvisoriesResult {
  ecosystems: EcosystemUpdateResult[];
  /** Folders where nothing was updated, and why ("nothing to update: …", a policy with errors, a playbook that could not be read). */
  problems: string[];
  cancelled: boolean;
}

/** A `workDoneToken` of the client's own shows the progress where the client wants it (the editor: a notification with Cancel). */
export type UpdateAdvisoriesParams = WorkDoneProgressParams;

/** "Playbook: Update Advisories": `playbook advisories --update` for each workspace folder, then open playbooks are checked again. Sent only from a trusted workspace. */
export const updateAdvisoriesRequest = new RequestType<UpdateAdvisoriesParams, UpdateAdvisoriesResult, void>('playbook/updateAdvisories');

/** Settings under `playbook.*` that the server reads. */
export interface PlaybookSettings {
  /** Extra folders or zips of OSV records, on top of the policy's (machine-scoped). */
  advisoryPaths: string[];
  /** Severity overrides per rule id, on top of the policy. */
  rules: Record<string, 'error' | 'warning' | 'info' | 'off'>;
  /** Where a rule's link leads: a URL with `{id}` in it; empty: the page shipped with the extension (SHOW_RULE_COMMAND). */
  ruleDocumentationUrl: string;
}

export const DEFAULT_SETTINGS: PlaybookSettings = { advisoryPaths: [], rules: {}, ruleDocumentationUrl: '' };

/** The client command that opens a rule's page shipped with the extension, by rule id (what rule links run by default). */
export const SHOW_RULE_COMMAND = 'playbook.showRule';

export interface DryRunParams {
  uri: string;
  /** Ids of steps that fail in this rehearsal. */
  fail: string[];
  /** Ids of checkpoints that are denied. */
  deny: string[];
  /** Replay the advisories known on this date (YYYY-MM-DD or an ISO date-time). */
  advisoriesAsOf?: string;
}

export interface DryRunResult {
  /** The same object `playbook dry-run --format json` prints. */
  run: DryRun;
  /** The report as `playbook dry-run --format markdown` writes it, for "Save report". */
  markdown: string;
}

export const dryRunRequest = new RequestType<DryRunParams, DryRunResult, void>('playbook/dryRun');

/** What a PB101 code action knows of the advisory a decision is about (the finding's data). */
export interface VexDecisionSubject {
  /** The playbook whose finding it is: the decision goes to its policy's first `vex` folder. */
  uri: string;
  vulnerability: string;
  aliases: string[];
  /** The release, as a VEX product (purl). */
  product: string;
  /** The component of the release the advisory is on; absent for the service's own package. */
  subcomponent?: string;
  /** The component as people name it (`h2 1.4.197`), for the prompts. */
  componentName?: string;
}

export interface RecordVexDecisionParams extends VexDecisionSubject {
  status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  justification?: string;
  impactStatement?: string;
  actionStatement?: string;
  author: string;
}

export type RecordVexDecisionResult = { file: string } | { problem: string };

/** "Record security's decision (VEX)": one OpenVEX statement added to `<vex folder>/decisions.openvex.json`, then playbooks are checked again. Sent only from a trusted workspace. */
export const recordVexDecisionRequest = new RequestType<RecordVexDecisionParams, RecordVexDecisionResult, void>('playbook/recordVexDecision');

/** The client command a PB101 code action runs: it asks for the decision, then sends recordVexDecisionRequest. */
export const RECORD_VEX_DECISION_COMMAND = 'playbook.recordVexDecision';

/** A node of the flow view, with where its step is in the text (none for the end). */
export interface FlowViewNode extends DiagramNode {
  range?: Range;
  /** The node's lines of text, as the CLI's diagrams write them: id, action, what it is for security. */
  caption: string[];
}

/** A PB100/PB102/PB106 finding in the flow view: what the view lists, without its paths (only the focused one's are sent, in `highlight`). */
interface FlowViewFindingData extends Omit<FlowViewFinding, 'range'> {
  range: Range;
}

export interface FlowViewParams {
  uri: string;
  /** The finding whose paths to light up: the one under the cursor, picked in the view, or a code lens's. */
  focus?: FlowFocus;
}

export interface FlowViewResult {
  /** The document version the view was made from. */
  version: number;
  /** The playbook's id (or title), for the panel's title. */
  name?: string;
  nodes: FlowViewNode[];
  edges: DiagramEdge[];
  findings: FlowViewFindingData[];
  /** The nodes and edges of every path that breaks the focused finding's rule; absent without a focus, or when the view does not list it. */
  highlight?: FlowHighlight;
  /** False when the playbook has more steps than the view draws (`maxDrawn`): the text view alone is shown. */
  drawn: boolean;
  maxDrawn: number;
}

/** "Playbook: Show Flow": the flow of an open playbook as the view draws it, with the focused finding's paths. */
export const flowViewRequest = new RequestType<FlowViewParams, FlowViewResult | null, void>('playbook/flowView');

/** The command that opens (or focuses) the flow view; code lenses pass the finding to light up. */
export const SHOW_FLOW_COMMAND = 'playbook.showFlow';

/** What a code lens passes to SHOW_FLOW_COMMAND, and what the flow view request asks to light up: a finding, by rule and flagged step. */
export type { FlowFocus };

/** A rule as the editor lists it (Playbook: Show Rules). */
export interface RuleRow {
  id: string;
  name: string;
  family: string;
  /** Plain text: code spans quoted. */
  summary: string;
  defaultSeverity: 'error' | 'warning' | 'info';
  /** In force for the file asked about: the policy's, then the user's settings; `off` when turned off. */
  severity: 'error' | 'warning' | 'info' | 'off';
}

export interface PolicyInfoParams {
  /** A playbook (or any file) whose policy is meant; default: the first workspace folder's. */
  uri?: string;
}

export interface PolicyInfoResult {
  /** The policy file that applies, when there is one. */
  file?: string;
  /** Where a new policy goes when there is none: `.playbooks/policy.yaml` in the workspace folder. */
  createAt?: string;
  /** The new policy's text: every setting commented out at its default. */
  defaultText: string;
  rules: RuleRow[];
}

/** What governs a file: its policy (or where one would go) and the rules in force. */
export const policyInfoRequest = new RequestType<PolicyInfoParams, PolicyInfoResult, void>('playbook/policyInfo');

/**
 * Incident runs in the editor (docs/design/incident-runs.md): the run lives in the language server,
 * which has the policy, advisories, SBOMs and VEX, and drives the same session as `playbook run`,
 * writing the same record. Sent only from a trusted workspace.
 */
type RunNotification = Extract<RunEvent, { type: 'notification' }>;

export interface RunView {
  runId: string;
  /** The record's file, and as shown to the user (relative to its workspace folder). */
  record: string;
  recordShown: string;
  playbook: { id: string; uri: string; shown: string };
  /** Who answers the steps (`by` in the record). */
  who: string;
  /** The step to do now; absent once the flow has ended. `started`: its `step-started` is written; `autoNotifies`: marking it done tells security at once. */
  step?: RunStepView & { started: boolean; autoNotifies: boolean };
  /** The steps gone through so far, in order. */
  passed: PassedStep[];
  /** Notifications sent so far, as recorded, with how their delivery went, and the name of their channel's webhook when the policy gives one (never its URL). */
  notifications: Array<Pick<RunNotification, 'id' | 'step' | 'channel' | 'target' | 'message' | 'auto' | 'delivery'> & { webhookEnv?: string }>;
  /** How the run ended (the flow's outcome, or `abandoned`); the server ends a run as soon as its flow ends. */
  ended?: RunOutcome;
  /** Why the last answer could not go on (a standing advisory not acknowledged). */
  stopped?: string;
}

export interface RunStartParams {
  /** The playbook, saved: the record names its file and hashes its text. */
  uri: string;
  who: string;
}

export interface RunResumeParams {
  /** The record's file (a path inside a workspace folder). */
  record: string;
  who: string;
}

export interface RunIdParams {
  runId: string;
}

export interface RunAnswerParams extends RunIdParams {
  /** The step the answer is about, as the view named it: an answer for a step the run has left is refused, never applied to the next one. */
  step: string;
  answer: Answer;
}

/** A rollback's or deploy's target checked now, before the person says it is done (nothing recorded). */
export interface ReleasePreview {
  step: string;
  service: string;
  version: string;
  standing: AdvisoryStanding[];
  decided: AdvisoryStanding[];
}

/** "Playbook: Start Incident Run": a new record, and the first step. */
export const runStartRequest = new RequestType<RunStartParams, RunView, void>('playbook/run/start');
/** The run as it stands. */
export const runStateRequest = new RequestType<RunIdParams, RunView, void>('playbook/run/state');
/** What happened to the current step: done (acknowledging standing advisories), failed, skipped with a reason, or a checkpoint's decision. */
export const runAnswerRequest = new RequestType<RunAnswerParams, RunView, void>('playbook/run/answer');
/** The standing advisories of the current rollback or deploy target now; null when the step changes no release. */
export const runPreviewReleaseRequest = new RequestType<RunIdParams, ReleasePreview | null, void>('playbook/run/preview-release');
/** Abandons the run before its flow ended (`run-ended`, outcome `abandoned`). */
export const runEndRequest = new RequestType<RunIdParams, RunView, void>('playbook/run/end');
/** "Playbook: Resume Run", and a run panel restored after a reload: the run goes on from its record. */
export const runResumeRequest = new RequestType<RunResumeParams, RunView, void>('playbook/run/resume');
/** The person gives up on delivering a queued notification: recorded as `given-up`, by who runs it. */
export const runGiveUpRequest = new RequestType<RunIdParams & { notification: number }, RunView, void>('playbook/run/give-up');
/** Try the queued notifications again now (a receiver back up, a webhook URL just stored), without waiting for the next answer. */
export const runRetryRequest = new RequestType<RunIdParams, RunView, void>('playbook/run/retry');

/** "Playbook: Open Run Report": a run record's SOC 2 evidence as Markdown (as `playbook runs report` writes it). */
export const runReportRequest = new RequestType<{ record: string }, { markdown: string }, void>('playbook/run/report');

/**
 * Server → client: the webhook URLs the editor keeps in its secret storage for these names (the
 * environment variable names the policy's `notify` section gives, `webhook-env`). The answer holds
 * only the names it has a URL for; a client without secret storage answers `{}`. A run asks before
 * each delivery, so a URL stored during a run is used from then on. The URLs go no further than the
 * delivery: never into the record, the run view or a log.
 */
export const webhookSecretsRequest = new RequestType<{ names: string[] }, Record<string, string>, void>('playbook/webhookSecrets');

/** The error code of a run request naming a run the server does not have open (it was restarted): the client resumes it from its record. */
export const RUN_NOT_OPEN = -32001;
