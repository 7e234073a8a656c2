/**
 * What the report needs to know of each step that the record does not say: its action, and what
 * the policy makes of it (risky, security must be told after it, a security checkpoint). The
 * record names steps only by id, so without this the SOC 2 judgement sees changes only where a
 * release was checked. Read from the playbook the run followed, and used only when its SHA-256 is
 * the one the run recorded: a run is never judged by a playbook edited since.
 */
import type { CheckResult } from '../check.js';
import { playbookFacts } from '../dryrun/playbookFacts.js';
import { isSecurityCheckpoint, stepField } from '../graph/securitySteps.js';
import type { RecordedEvent } from './events.js';

interface RunStepFacts {
  id: string;
  action: string;
  /** A checkpoint's `kind`; `null` for other steps. */
  kind: string | null;
  /** The policy's `risky-actions` names the action: an approved security checkpoint must come before it. */
  risky: boolean;
  /** The policy's `notify-security-after` names the action: security must be told after it. */
  notifySecurityAfter: boolean;
  /** A checkpoint whose kind the policy counts as a security checkpoint. */
  securityCheckpoint: boolean;
}

export interface ReportPlaybook {
  /** SHA-256 (hex) of the text these facts were read from; compared with the run's. */
  sha256: string;
  steps: RunStepFacts[];
  /** The playbook's `compliance` tags (`SOC2:CC7.4`): which points it claims. */
  compliance: string[];
  /** The checked playbook, to replay the record through the run engine (replay.ts). */
  analysis: CheckResult;
}

/** The facts of a checked playbook under its policy; `sha256` is of the text checked (the core has no hash of its own). */
export function reportPlaybook(analysis: CheckResult, sha256: string): ReportPlaybook {
  const { parsed, policy } = analysis;
  const steps: RunStepFacts[] = [];
  for (const step of parsed.model.steps) {
    if (step.id === undefined || step.action === undefined) continue;
    steps.push({
      id: step.id,
      action: step.action,
      kind: step.action === 'checkpoint' ? stepField(step, 'kind')?.value ?? null : null,
      risky: policy.riskyActions.has(step.action),
      notifySecurityAfter: policy.notifySecurityAfter.has(step.action),
      securityCheckpoint: isSecurityCheckpoint(step, policy),
    });
  }
  return { sha256, steps, compliance: playbookFacts(parsed).compliance, analysis };
}

/** What the SOC 2 judgement knows of one step. */
type StepFacts = Omit<RunStepFacts, 'id' | 'action'> & { action: string | null };

export interface StepKnowledge {
  /** The playbook the run followed, when the facts come from it (else from the record alone). */
  playbook: ReportPlaybook | undefined;
  /** Where they come from, in words, for the report. */
  basis: string;
  of(step: string): StepFacts;
  compliance: string[];
}

const NOTHING: StepFacts = { action: null, kind: null, risky: false, notifySecurityAfter: false, securityCheckpoint: false };

/**
 * The playbook's facts when they are of the text the run followed; else what the record shows: a
 * step whose release was checked is a rollback or a deploy (the only steps checked), taken as a
 * change that is risky and that security must hear of (as the default policy has them), and every
 * checkpoint someone decided is taken as a security checkpoint.
 */
export function stepKnowledge(events: readonly RecordedEvent[], playbook: ReportPlaybook | undefined): StepKnowledge {
  const recorded = events.find((e) => e.type === 'run-started')?.playbook.sha256;
  if (playbook && recorded !== undefined && playbook.sha256.toLowerCase() === recorded.toLowerCase()) {
    const byId = new Map(playbook.steps.map((s) => [s.id, s]));
    return {
      playbook,
      basis: "each step's action from the playbook the run followed (its SHA-256 is the one recorded), under the policy in force",
      of: (step) => byId.get(step) ?? NOTHING,
      compliance: playbook.compliance,
    };
  }
  const checked = new Set(events.flatMap((e) => (e.type === 'release-check' ? [e.step] : [])));
  const decided = new Set(events.flatMap((e) => (e.type === 'approval' ? [e.step] : [])));
  const why = playbook ? `the playbook given is not the one the run followed (its SHA-256 is ${playbook.sha256}, the run's ${recorded ?? 'not recorded'})` : 'the playbook was not given';
  return {
    playbook: undefined,
    basis: `the record alone, as ${why}: a step whose release was checked counts as a risky change security must hear of, every checkpoint as a security checkpoint, and no other step is known to change anything`,
    of: (step) => ({ ...NOTHING, risky: checked.has(step), notifySecurityAfter: checked.has(step), securityCheckpoint: decided.has(step) }),
    compliance: [],
  };
}
