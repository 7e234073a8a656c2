/**
 * New steps written like their neighbours: the `- ` column and the key column are read from an
 * existing step (`steps:\n  - id:` and `steps:\n- id:` alike), and a neighbour written as a flow map
 * (`- {id: a, action: b}`) gets a flow-map sibling.
 */
import { isMap } from 'yaml';
import type { StepModel } from '../../parse/model.js';
import type { TextEdit } from '../types.js';
import { isFlow } from './yamlEdits.js';
import { attachedCommentsStart, columnOf, linesAfter, linesAt, lineStart, spaces } from './text.js';

export type StepFields = Array<[key: string, value: string]>;

interface StepStyle {
  dashColumn: number;
  keyColumn: number;
  flow: boolean;
}

/** Offset of the `-` that starts a step's list item. */
export function dashOf(text: string, step: StepModel): number {
  let at = step.range.start - 1;
  while (at >= 0 && /\s/.test(text[at]!)) at--;
  return at >= 0 && text[at] === '-' ? at : step.range.start;
}

function styleOf(text: string, steps: readonly StepModel[], near: StepModel): StepStyle {
  const dashColumn = columnOf(text, dashOf(text, near));
  const block = [near, ...steps].find((s) => isMap(s.node) && !isFlow(s.node) && s.range.end > s.range.start);
  // The key column relative to the dash, so a neighbour at another depth keeps its own `- ` column.
  const keyOffset = block ? columnOf(text, block.range.start) - columnOf(text, dashOf(text, block)) : 2;
  return { dashColumn, keyColumn: dashColumn + Math.max(2, keyOffset), flow: isFlow(near.node) };
}

function renderStep(style: StepStyle, fields: StepFields): string[] {
  const pairs = fields.map(([key, value]) => `${key}: ${value}`);
  if (style.flow) return [`${spaces(style.dashColumn)}- {${pairs.join(', ')}}`];
  const gap = spaces(style.keyColumn - style.dashColumn - 1);
  return pairs.map((pair, i) => (i === 0 ? `${spaces(style.dashColumn)}-${gap}${pair}` : `${spaces(style.keyColumn)}${pair}`));
}

/** A new step just above `steps[index]` (and above the comments that introduce it). */
export function insertStepBefore(text: string, steps: readonly StepModel[], index: number, fields: StepFields): TextEdit {
  const step = steps[index]!;
  const before = steps[index - 1]?.node?.range;
  const at = attachedCommentsStart(text, lineStart(text, dashOf(text, step)), before ? before[1] : 0);
  return linesAt(text, at, renderStep(styleOf(text, steps, step), fields));
}

/** A new step just below `steps[index]`. */
export function insertStepAfter(text: string, steps: readonly StepModel[], index: number, fields: StepFields): TextEdit {
  const step = steps[index]!;
  return linesAfter(text, step.range.end, renderStep(styleOf(text, steps, step), fields));
}

/** `base`, or `base-2`, `base-3`, … : the first id no step (and no id in `reserved`) uses. */
export function uniqueStepId(base: string, steps: readonly StepModel[], reserved: readonly string[] = []): string {
  const taken = new Set([...steps.map((s) => s.id), ...reserved]);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
