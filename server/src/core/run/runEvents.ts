/**
 * What a run says and sends, built from the checked playbook: the release check of a rollback or
 * deploy (its target against the advisories, SBOMs and VEX of the analysis the adapter made just
 * now), a notify step's message and where it goes, and the message `auto-notify-security` posts
 * after a risky change. Every string passes the playbook's redaction before it leaves the core.
 */
import type { CheckResult } from '../check.js';
import { declaredChannel, SECURITY_CHANNEL, stepField } from '../graph/securitySteps.js';
import type { StepModel } from '../parse/model.js';
import { NO_RELEASE_DATA, releaseStatus, type StandingMatch } from '../releases/releaseStatus.js';
import { versionTargets } from '../rules/versionTargets.js';
import { redactDeep, redactorFor } from '../security/redact.js';
import type { AdvisoryStanding, RunEvent } from './events.js';

type ReleaseCheck = Extract<RunEvent, { type: 'release-check' }>;

/** The event as it may be written or sent: every string redacted. */
export function redactEvent<T extends RunEvent>(analysis: CheckResult, event: T): T {
  return redactDeep(event, redactorFor(analysis.parsed));
}

/** The release a rollback or deploy step changes to, when the step names a known service and a version. */
export function releaseTarget(analysis: CheckResult, step: StepModel): { service: string; from?: string; version: string } | undefined {
  const target = versionTargets(analysis.parsed).find((t) => t.step.index === step.index);
  return target && { service: target.service.name, ...(target.service.current !== undefined ? { from: target.service.current } : {}), version: target.version };
}

/** The step's target checked now; `acknowledged`: the person saw the standing advisories and goes on. */
export function releaseCheck(analysis: CheckResult, step: StepModel, stepName: string, acknowledged: boolean, base: { at: string; by: string }): ReleaseCheck {
  const target = versionTargets(analysis.parsed).find((t) => t.step.index === step.index);
  const status = target && analysis.advisories ? releaseStatus(target.service, target.version, analysis.releases ?? NO_RELEASE_DATA, analysis.advisories.index) : undefined;
  const event: ReleaseCheck = {
    type: 'release-check',
    ...base,
    step: stepName,
    service: target?.service.name ?? '',
    version: target?.version ?? '',
    standing: (status?.standing ?? []).map(standingOf),
    decided: (status?.decided ?? []).map(standingOf),
    acknowledged,
  };
  // Redacted with every other event when it is written: the engine compares the step's own name.
  return event;
}

function standingOf({ match, component, decision }: StandingMatch): AdvisoryStanding {
  return {
    id: match.id,
    aliases: [...match.aliases],
    severity: match.severity ?? null,
    ...(component ? { component: { name: component.name, version: component.version ?? null, purl: component.purl ?? null } } : {}),
    ...(decision ? { decidedBy: { file: decision.file, status: decision.statement.status, ...(decision.statement.justification ? { justification: decision.statement.justification } : {}) } } : {}),
  };
}

/** A notify step's message and where it goes (`target`: the `channels` value), redacted. */
export function notifyMessage(analysis: CheckResult, step: StepModel): { channel: string; target?: string; message: string } {
  const channel = stepField(step, 'channel')?.value ?? '';
  const declared = declaredChannel(analysis.parsed, channel);
  const redact = redactorFor(analysis.parsed);
  return { channel, ...(declared.declared ? { target: redact(declared.target) } : {}), message: redact(stepField(step, 'message')?.value ?? '') };
}

/**
 * What `auto-notify-security` posts when a risky change is marked done: who changed what from and
 * to which version, and what stands against the target (from the step's release check).
 */
export function autoNotifyMessage(analysis: CheckResult, step: StepModel, stepName: string, by: string, check: ReleaseCheck | undefined): { channel: string; target?: string; message: string } {
  const declared = declaredChannel(analysis.parsed, SECURITY_CHANNEL);
  const playbook = analysis.parsed.model.id ?? 'a playbook';
  const target = releaseTarget(analysis, step);
  const what = target ? `${step.action} of ${target.service}${target.from !== undefined ? ` from ${target.from}` : ''} to ${target.version}` : `${step.action ?? 'change'} (step '${stepName}')`;
  const standing = check?.standing ?? [];
  const status = !check ? '' : standing.length === 0 ? '; no advisory stands against the target' : `; ${standing.length} standing advisor${standing.length === 1 ? 'y' : 'ies'} on the target (${standing.slice(0, 3).map((s) => `${s.id} ${s.severity ?? 'unknown'}`).join(', ')}${standing.length > 3 ? ', …' : ''}), acknowledged by ${by}`;
  const redact = redactorFor(analysis.parsed);
  return { channel: SECURITY_CHANNEL, ...(declared.declared ? { target: redact(declared.target) } : {}), message: redact(`${by} marked done the ${what}, step '${stepName}' of ${playbook}${status}`) };
}
