/** A new step that runs right after another one on success, whatever the other's `next` says. */
import type { Node, YAMLMap } from 'yaml';
import type { StepModel } from '../../parse/model.js';
import { nodeRange } from '../../parse/yamlNodes.js';
import type { TextEdit } from '../types.js';
import { replaceScalar } from './scalars.js';
import { insertStepAfter, type StepFields } from './steps.js';
import { removePair } from './yamlEdits.js';

/**
 * Inserts the step below `step` in the list. When `step` jumps on (`next: x`), list order alone
 * would skip the new step, so the jump moves to it: step → new step → x. A `next` that cannot be
 * removed cleanly is pointed at the new step instead. `fields` must start with the new step's id;
 * the moved `next` goes before `tail`.
 */
export function insertFollowingStep(text: string, steps: readonly StepModel[], step: StepModel, fields: StepFields, tail: StepFields = []): Array<TextEdit | undefined> {
  const next = step.pairs.get('next');
  const nextValue = next?.value as Node | undefined;
  const edits: Array<TextEdit | undefined> = [];
  const all = [...fields];
  if (next && nextValue) {
    const written = nodeRange(nextValue);
    all.push(['next', text.slice(written.start, written.end)]);
    edits.push(removePair(text, step.node as YAMLMap, next) ?? replaceScalar(text, written, fields[0]![1]));
  }
  edits.push(insertStepAfter(text, steps, step.index, [...all, ...tail]));
  return edits;
}
