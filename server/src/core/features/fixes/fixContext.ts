/** What every fix family receives and returns. */
import type { StepModel } from '../../parse/model.js';
import type { Finding } from '../../types.js';
import type { Analysis, FixAction, TextEdit } from '../types.js';

export interface FixContext {
  analysis: Analysis;
  /** The checked text: every edit is against it. */
  text: string;
  steps: readonly StepModel[];
}

/** The quick fixes of one rule for one finding, best first. */
export type FixProvider = (finding: Finding, context: FixContext) => FixAction[];

export function fixContext(analysis: Analysis): FixContext {
  return { analysis, text: analysis.parsed.text, steps: analysis.parsed.model.steps };
}

export function stepOf(finding: Finding, context: FixContext): StepModel | undefined {
  return finding.stepIndex === undefined ? undefined : context.steps[finding.stepIndex];
}

/** A string entry of `finding.data`, if the rule wrote one. */
export function dataString(finding: Finding, key: string): string | undefined {
  const value = finding.data?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A quick fix, or undefined when one of its edits could not be computed (a fix that does half of
 * its job is worse than none). Edits are sorted; edits that touch are merged into one, so no two
 * edits of an action share an offset.
 */
export function quickFix(title: string, finding: Finding, edits: Array<TextEdit | undefined>, isPreferred: boolean): FixAction | undefined {
  if (!edits.length || edits.some((e) => e === undefined)) return undefined;
  const normalized = normalizeEdits(edits as TextEdit[]);
  if (!normalized) return undefined;
  const action: FixAction = { title, kind: 'quickfix', finding, edits: normalized };
  if (isPreferred) action.isPreferred = true;
  return action;
}

/** Sorted edits with touching ones merged; undefined when two overlap (two edits of one place). */
function normalizeEdits(edits: readonly TextEdit[]): TextEdit[] | undefined {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const out: TextEdit[] = [];
  for (const edit of sorted) {
    const last = out[out.length - 1];
    if (last && edit.range.start <= last.range.end) {
      if (edit.range.start < last.range.end) return undefined;
      out[out.length - 1] = { range: { start: last.range.start, end: edit.range.end }, newText: last.newText + edit.newText };
    } else {
      out.push(edit);
    }
  }
  return out;
}

/** The text after applying edits (sorted, non-overlapping, against `text`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.range.start) + edit.newText;
    at = edit.range.end;
  }
  return out + text.slice(at);
}

export function compact<T>(items: Array<T | undefined>): T[] {
  return items.filter((x): x is T => x !== undefined);
}
