/**
 * Turns a flow path into what a finding shows: one sentence with the whole path (anchored on its
 * first step), then one related location per step, so the editor can walk the path step by step.
 */
import type { ParsedPlaybook, StepModel } from '../parse/model.js';
import { firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { OffsetRange, RelatedLocation } from '../types.js';
import { shownSteps, type FlowPath, type PathStep } from './flowPaths.js';

export interface PathReport {
  related: RelatedLocation[];
  /** Ids of the steps shown, in order (a step without id is `step N`); a long path's middle is left out. */
  ids: string[];
}

export interface PathEnds {
  /** Written before the first step, e.g. `entry`. */
  start?: string;
  /** Written after the last step, e.g. `(exit)`. */
  end?: string;
  /** What the path shows, after the colon: "no security checkpoint on this path". */
  conclusion: string;
}

export function reportPath(parsed: ParsedPlaybook, path: FlowPath, ends: PathEnds): PathReport {
  const steps = parsed.model.steps;
  const shown = shownSteps(path).filter((s) => steps[s.index] !== undefined);
  const names = (part: PathStep[]): string[] => part.map((s) => nameOnPath(steps[s.index]!, s.failed));
  const gap = path.omitted > 0 ? [`… ${path.omitted} more step${path.omitted === 1 ? '' : 's'} …`] : [];
  const words = [...(ends.start ? [ends.start] : []), ...names(path.head), ...gap, ...names(path.tail), ...(ends.end ? [ends.end] : [])];
  const sentence = `${words.join(' → ')}: ${ends.conclusion}`;
  const related: RelatedLocation[] = [];
  if (shown.length) related.push({ message: sentence, range: stepAnchor(parsed, steps[shown[0]!.index]!) });
  for (const s of shown) {
    const step = steps[s.index]!;
    related.push({ message: `on the path: ${quoted(step)}${failureNote(step, s.failed)}`, range: stepAnchor(parsed, step) });
  }
  return { related, ids: shown.map((s) => idOf(steps[s.index]!)) };
}

/** The step's id, else its first line: a small range that finds the step in the editor. */
export function stepAnchor(parsed: ParsedPlaybook, step: StepModel): OffsetRange {
  return step.idNode ? nodeRange(step.idNode) : firstLineOf(step.range, parsed.text);
}

function idOf(step: StepModel): string {
  return step.id ?? `step ${step.index + 1}`;
}

function quoted(step: StepModel): string {
  return step.id === undefined ? idOf(step) : `\`${step.id}\``;
}

function nameOnPath(step: StepModel, failed: boolean): string {
  return `${idOf(step)}${failureNote(step, failed)}`;
}

/** A path that leaves a step through its failure edge says so: that is often the whole story. */
function failureNote(step: StepModel, failed: boolean): string {
  if (!failed) return '';
  return step.action === 'checkpoint' ? ' (denied)' : ' (fails)';
}
