/**
 * Edits made in rounds, each against the text the previous round left, turned into one set of
 * edits against the original text: where a later edit touches an earlier one, the two merge.
 */
import type { TextEdit } from '../types.js';
import { applyEdits } from './fixContext.js';

interface Placed {
  edit: TextEdit;
  /** Where the edit's new text sits in the current text. */
  start: number;
  end: number;
}

/**
 * `earlier`: sorted edits against the original; `later`: sorted, non-overlapping edits against
 * `current` (the original with `earlier` applied). Returns sorted edits against the original.
 */
export function composeEdits(earlier: readonly TextEdit[], later: readonly TextEdit[], current: string): TextEdit[] {
  let composed = [...earlier];
  let text = current;
  // Last first: an edit never moves the offsets of the edits before it.
  for (const edit of [...later].reverse()) {
    composed = composeOne(composed, edit, text);
    text = applyEdits(text, [edit]);
  }
  return composed;
}

function composeOne(composed: TextEdit[], edit: TextEdit, text: string): TextEdit[] {
  const placed = place(composed);
  const touching = placed.filter((p) => p.start <= edit.range.end && edit.range.start <= p.end);
  const shiftBefore = (index: number): number => (index === 0 ? 0 : placed[index - 1]!.end - placed[index - 1]!.edit.range.end);
  if (!touching.length) {
    const index = placed.findIndex((p) => p.start > edit.range.end);
    const at = index === -1 ? placed.length : index;
    const shift = shiftBefore(at);
    const original: TextEdit = { range: { start: edit.range.start - shift, end: edit.range.end - shift }, newText: edit.newText };
    return [...composed.slice(0, at), original, ...composed.slice(at)];
  }
  const first = placed.indexOf(touching[0]!);
  const last = placed.indexOf(touching[touching.length - 1]!);
  const from = Math.min(edit.range.start, placed[first]!.start);
  const to = Math.max(edit.range.end, placed[last]!.end);
  const start = from === placed[first]!.start ? composed[first]!.range.start : edit.range.start - shiftBefore(first);
  const lastShift = placed[last]!.end - composed[last]!.range.end;
  const end = to === placed[last]!.end ? composed[last]!.range.end : edit.range.end - lastShift;
  const merged: TextEdit = { range: { start, end }, newText: text.slice(from, edit.range.start) + edit.newText + text.slice(edit.range.end, to) };
  return [...composed.slice(0, first), merged, ...composed.slice(last + 1)];
}

/** Each edit's new text in the current text. */
function place(composed: readonly TextEdit[]): Placed[] {
  let shift = 0;
  return composed.map((edit) => {
    const start = edit.range.start + shift;
    shift += edit.newText.length - (edit.range.end - edit.range.start);
    return { edit, start, end: start + edit.newText.length };
  });
}

