/** Edits of whole steps for the incremental parse and check properties. */
import type { ParsedPlaybook } from '../../../server/src/core/parse/model.js';

/** Steps a typist pastes: a plain one, a checkpoint, one without an id, one repeating an id of the examples. */
export const NEW_STEPS = ['  - id: added\n    action: escalate\n    to: oncall\n', '  - id: gate-2\n    action: checkpoint\n    kind: security-review\n    approvers: [security]\n', '  - action: notify\n    channel: security\n    message: "done"\n', '  - id: look\n    action: diagnose\n'];

export interface StructuralEdit {
  kind: 'insert' | 'remove' | 'duplicate' | 'cut';
  pick: number;
  other: number;
  step: string;
}

/**
 * An edit of whole steps, at their dash lines: a new step inserted before one, one removed, one
 * duplicated after itself, or the text from inside one step to inside another cut out.
 */
export function structuralEdit(parsed: ParsedPlaybook, o: StructuralEdit): string | undefined {
  const steps = parsed.model.steps;
  const text = parsed.text;
  if (steps.length === 0) return undefined;
  const i = Math.min(steps.length - 1, Math.floor(o.pick * steps.length));
  const lineStart = (offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
  const start = lineStart(steps[i]!.range.start);
  const end = i + 1 < steps.length ? lineStart(steps[i + 1]!.range.start) : steps[i]!.range.end;
  // The new step at the list's own indentation (its dash two columns before its content).
  const step = o.step.replace(/^ {2}/gm, ' '.repeat(Math.max(steps[i]!.range.start - start - 2, 0)));
  switch (o.kind) {
    case 'insert':
      return text.slice(0, start) + step + text.slice(start);
    case 'remove':
      return text.slice(0, start) + text.slice(end);
    case 'duplicate':
      return text.slice(0, end) + text.slice(start, end) + text.slice(end);
    default: {
      const j = Math.min(steps.length - 1, i + 1 + Math.floor(o.other * 3));
      const from = steps[i]!.range.start + Math.floor(o.other * (steps[i]!.range.end - steps[i]!.range.start));
      const to = steps[j]!.range.start + Math.floor(o.pick * (steps[j]!.range.end - steps[j]!.range.start));
      return from < to ? text.slice(0, from) + text.slice(to) : undefined;
    }
  }
}

