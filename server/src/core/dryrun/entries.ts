/** One line of the trace: the step, what it would do, and its gate, notification, advisories and findings. */
import type { AdvisorySnapshot } from '../advisories/snapshot.js';
import { isSecurityCheckpoint, stepField, tellsSecurity, type DeclaredChannel, type SecurityChannel } from '../graph/securitySteps.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Policy } from '../policy/policy.js';
import type { Redact } from '../security/redact.js';
import type { Finding } from '../types.js';
import { replayAdvisories } from './advisories.js';
import type { ReleaseData } from '../releases/releaseStatus.js';
import { approversOf, describeStep } from './describe.js';
import { findingRef, type LineOf } from './findingRefs.js';
import type { StandingSource } from './standingErrors.js';
import { ABORT, END, type FindingRef, type Gate, type StepStatus, type TraceEntry } from './types.js';
import type { Visit } from './walk.js';

export interface EntryContext {
  model: PlaybookModel;
  policy: Policy;
  advisories: AdvisorySnapshot | undefined;
  /** The SBOMs and VEX documents the check had (spec sections 8 and 9). */
  releases: ReleaseData | undefined;
  asOf: number | undefined;
  owners: ReadonlyMap<string, string>;
  /** Whether `channels` declares `security`: a notification to it tells security only then. */
  securityChannel: SecurityChannel;
  /** Whether `channels` declares a channel (with somewhere to send to). */
  channel(name: string): DeclaredChannel;
  /** The secret redaction (security/redact.ts). */
  redact: Redact;
  /** The check's findings per step index. */
  findingsByStep: ReadonlyMap<number, Finding[]>;
  lineOf: LineOf;
  /** Collects ids of advisories set aside by the as-of date. */
  notYetPublished: Set<string>;
  /** Collects the check's finding behind each finding shown, for the words of what stands against the run. */
  sources: Map<FindingRef, StandingSource>;
}

export function traceEntry(step: StepModel, visit: Visit | undefined, ctx: EntryContext): TraceEntry {
  const status: StepStatus = visit?.status ?? 'skipped';
  const range = nodeRange(step.idNode ?? step.node);
  const entry: TraceEntry = {
    step: step.id ?? '',
    index: step.index,
    line: ctx.lineOf(range.start),
    range,
    action: step.action ?? '',
    status,
    ...describeStep(step, ctx),
  };
  if (visit?.blockedBy) entry.blockedBy = visit.blockedBy.map((i) => ctx.model.steps[i]!.id ?? '');
  const gate = status === 'skipped' || status === 'blocked' ? undefined : gateOf(step, status, ctx);
  if (gate) entry.gate = gate;
  if (status === 'ran' && step.action === 'notify') {
    const channel = stepField(step, 'channel')?.value ?? '';
    const declared = ctx.channel(channel);
    const message = stepField(step, 'message')?.value;
    entry.notification = {
      channel,
      ...(declared.declared ? { target: declared.target } : {}),
      ...(message === undefined ? {} : { message }),
      security: tellsSecurity(step, ctx.securityChannel),
      ...(declared.declared ? {} : { undeclared: declared.why }),
    };
  }
  const replay = replayAdvisories(step, ctx.model, ctx.advisories, ctx.asOf, ctx.releases);
  if (replay && status !== 'skipped') {
    replay.notYetPublished.forEach((id) => ctx.notYetPublished.add(id));
    if (replay.known.length) entry.advisories = replay.known;
  }
  const knownAdvisories = new Set(replay?.known.map((a) => a.id));
  // PB101 findings stand only for advisories known at the as-of date (all of them without one).
  const findings = (ctx.findingsByStep.get(step.index) ?? []).filter((f) => f.ruleId !== 'PB101' || ctx.asOf === undefined || knownAdvisories.has(String(f.data?.['advisory'])));
  if (findings.length) {
    entry.findings = findings.map((f) => {
      const ref = findingRef(f, ctx.lineOf);
      ctx.sources.set(ref, { finding: f, step: step.id ?? step.label });
      return ref;
    });
  }
  if (visit?.next !== undefined) entry.next = visit.ends === 'abort' ? ABORT : visit.ends === 'end' ? END : ctx.model.steps[visit.next]!.id ?? '';
  return entry;
}

function gateOf(step: StepModel, status: StepStatus, ctx: EntryContext): Gate | undefined {
  if (step.action !== 'checkpoint') return undefined;
  return {
    kind: stepField(step, 'kind')?.value ?? '',
    approvers: approversOf(step, ctx.owners),
    decision: status === 'ran' ? 'approved' : status === 'denied' ? 'denied' : 'failed',
    security: isSecurityCheckpoint(step, ctx.policy),
  };
}
