/**
 * An answer from the run panel checked against the step it is about before the session takes it:
 * a checkpoint is approved or denied by someone named, or undecided; another step is done,
 * failed or skipped with a reason. The message says what was wrong; nothing is recorded.
 */
import type { RunStepView } from '../core/index.js';

const CHECKPOINT_KINDS = new Set(['approved', 'denied', 'undecided']);
const STEP_KINDS = new Set(['done', 'failed', 'skipped']);
const MAX_TEXT = 4000;

const text = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT;

export function answerProblem(answer: unknown, step: RunStepView): string | undefined {
  if (typeof answer !== 'object' || answer === null) return 'the answer is missing';
  const { kind, note, by, reason, acknowledgeAdvisories } = answer as Record<string, unknown>;
  const kinds = step.checkpoint ? CHECKPOINT_KINDS : STEP_KINDS;
  if (typeof kind !== 'string' || !kinds.has(kind)) return `step '${step.name}' is ${step.checkpoint ? 'a checkpoint: it is approved, denied or undecided' : 'done, failed or skipped'}, not ${JSON.stringify(kind)}`;
  if (note !== undefined && !text(note)) return `a note is text, at most ${MAX_TEXT} characters`;
  if (kind === 'approved' || kind === 'denied') {
    // Who decided, in their own name, as an answers file says it (`approved-by: "@bob"`): the approvers list names roles, whose members the tool cannot know.
    if (!text(by) || !by.trim()) return `say who ${kind === 'approved' ? 'approved' : 'denied'} it`;
  }
  if (kind === 'skipped' && (!text(reason) || !reason.trim())) return 'a skipped step needs the reason';
  if (kind === 'done' && typeof acknowledgeAdvisories !== 'boolean') return 'say whether standing advisories are acknowledged';
  return undefined;
}
