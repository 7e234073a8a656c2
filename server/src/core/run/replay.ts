/**
 * A record replayed through the engine, for Resume: each event is checked as it was when it was
 * written, so a record resumes only where the playbook's flow allows, and goes on from the state it
 * leaves. A record holds its strings redacted (a step id with a secret in it is written with the
 * secret masked), so a recorded step is compared with the step the flow is at through the same
 * redaction.
 */
import type { CheckResult } from '../check.js';
import { redactorFor } from '../security/redact.js';
import type { RunEvent } from './events.js';
import { applyEvent, currentStep, runPlaybook, startRun, stepName, type RunState } from './runState.js';

/** The state after every event, or the first event the flow does not allow (0-based) and why. */
export function replayRun(analysis: CheckResult, events: readonly RunEvent[]): { state: RunState } | { index: number; problem: string } {
  const playbook = runPlaybook(analysis);
  const redact = redactorFor(analysis.parsed);
  let state = startRun(playbook);
  for (const [index, recorded] of events.entries()) {
    const step = currentStep(playbook, state);
    const name = step && stepName(step);
    // The step as the engine names it, when the record wrote that name redacted.
    const event = name !== undefined && 'step' in recorded && recorded.step !== name && recorded.step === redact(name) ? { ...recorded, step: name } : recorded;
    const next = applyEvent(playbook, state, event);
    if ('problem' in next) return { index, problem: next.problem };
    state = next;
  }
  return { state };
}
