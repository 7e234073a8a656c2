/**
 * "Fix all": every finding's preferred fix, in rounds. A round applies the preferred fixes whose
 * edits neither overlap nor touch one another (two fixes writing at the same place could write
 * nonsense together), re-checks, and goes on with what the new text still has, so a fix that
 * needs another's result (a `security` channel, a new step id) gets it. Auto-fixable means: the
 * finding has a preferred fix. Suppressions are never applied.
 */
import type { Analysis, FixAction, TextEdit } from '../types.js';
import { composeEdits } from './composeEdits.js';
import { applyEdits, fixContext } from './fixContext.js';
import { ruleFixes } from './index.js';

export const FIX_ALL_TITLE = 'Fix all auto-fixable playbook problems';
const MAX_ROUNDS = 10;

export function fixAll(analysis: Analysis, recheck: (text: string) => Analysis): FixAction | undefined {
  let current = analysis;
  let edits: TextEdit[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const batch = compatibleEdits(preferredFixes(current));
    const text = current.parsed.text;
    const fixed = applyEdits(text, batch);
    if (fixed === text) break;
    edits = composeEdits(edits, batch, text);
    current = recheck(fixed);
  }
  return edits.length ? { title: FIX_ALL_TITLE, kind: 'source.fixAll', edits } : undefined;
}

function preferredFixes(analysis: Analysis): FixAction[] {
  const context = fixContext(analysis);
  return analysis.findings.flatMap((finding) => ruleFixes(finding, context).filter((a) => a.isPreferred).slice(0, 1));
}

/** The edits of the fixes that fit together, first come first served, sorted. */
function compatibleEdits(actions: readonly FixAction[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const action of actions) {
    const clashes = action.edits.some((e) => taken.some((t) => e.range.start <= t.range.end && t.range.start <= e.range.end));
    if (!clashes) taken.push(...action.edits);
  }
  return taken.sort((a, b) => a.range.start - b.range.start);
}
