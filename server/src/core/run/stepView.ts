/**
 * The step a run is at, as the editor's run panel shows it: what to do (the dry-run's words, without
 * "would"), the command, query, rule or change quoted whole to copy (nothing is run), a checkpoint's
 * approvers to pick from, a notify step's message and where it goes, and the release a rollback or
 * deploy changes to (checked when it is marked done). Every string passes the playbook's redaction.
 */
import type { CheckResult } from '../check.js';
import { approversOf, describeStep } from '../dryrun/describe.js';
import { lineLocator } from '../dryrun/findingRefs.js';
import { playbookFacts } from '../dryrun/playbookFacts.js';
import type { Approver, Quote } from '../dryrun/types.js';
import { declaredChannel, isSecurityCheckpoint, stepField } from '../graph/securitySteps.js';
import type { StepModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import { redactDeep, redactorFor } from '../security/redact.js';
import { releaseTarget } from './runEvents.js';
import { stepName } from './runState.js';

export interface RunStepView {
  /** As the record names it: the id, else `#3`. */
  name: string;
  index: number;
  action: string;
  title?: string;
  /** 1-based line of the step in the playbook. */
  line: number;
  /** What to do, in words: "roll back search-api from 2.17.1 to 2.14.1". */
  does: string;
  /** The command, query, rule, change or message, whole. */
  quote?: Quote;
  checkpoint?: { kind: string; approvers: Approver[]; security: boolean };
  /** A notify step: where its message goes; `reachesNoOne` says why it reaches no one, when it does not. */
  notify?: { channel: string; target?: string; message: string; reachesNoOne?: string };
  /** A rollback or deploy: the release its target is, checked against the advisories, SBOMs and VEX when it is marked done. */
  release?: { service: string; from?: string; version: string };
}

/** A step the run went through and how it ended: `done`/`failed`/`skipped`; a checkpoint `approved`/`denied`/`undecided`; `blocked` (its `requires` unmet). */
export interface PassedStep {
  step: string;
  action: string;
  result: 'done' | 'failed' | 'skipped' | 'approved' | 'denied' | 'undecided' | 'blocked';
}

export function runStepView(analysis: CheckResult, step: StepModel): RunStepView {
  const { parsed } = analysis;
  const redact = redactorFor(parsed);
  const owners = playbookFacts(parsed).owners;
  const words = describeStep(step, { model: parsed.model, owners, channel: (name) => declaredChannel(parsed, name), redact });
  const title = stepField(step, 'title')?.value;
  const view: RunStepView = {
    name: stepName(step),
    index: step.index,
    action: step.action ?? '',
    ...(title !== undefined ? { title } : {}),
    line: lineLocator(parsed.text)(nodeRange(step.idNode ?? step.node).start),
    does: words.wouldDo.replace(/^would /, ''),
    ...(words.quote ? { quote: { ...words.quote, lead: words.quote.lead.replace(/^would /, '') } } : {}),
  };
  if (step.action === 'checkpoint') view.checkpoint = { kind: stepField(step, 'kind')?.value ?? '', approvers: approversOf(step, owners), security: isSecurityCheckpoint(step, analysis.policy) };
  if (step.action === 'notify') {
    const channel = stepField(step, 'channel')?.value ?? '';
    const declared = declaredChannel(parsed, channel);
    view.notify = { channel, message: stepField(step, 'message')?.value ?? '', ...(declared.declared ? { target: declared.target } : { reachesNoOne: declared.why }) };
  }
  const release = releaseTarget(analysis, step);
  if (release && (step.action === 'rollback' || step.action === 'deploy')) view.release = release;
  return redactDeep(view, redact);
}
