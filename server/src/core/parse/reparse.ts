/**
 * Re-parse after an edit, at the cost of the edit rather than of the document. An edit inside the
 * items of the block `steps:` list parses those items alone, however many it added, removed or
 * spans (reparseStep.ts); an edit inside one other
 * top-level block (`title`, `owners`, `services`, …) parses that block alone (reparseBlock.ts). The
 * previous tree takes the new part, every later position moves by the edit's length, and the plain
 * data and the model are patched. Anything else (an edit across the steps and another block,
 * adding, removing or renaming a key, removing the last steps, a YAML error before or after, anchors, directives, a limit in reach) gets a full parse, so
 * the result is always what `parsePlaybook` gives for the new text.
 *
 * The previous parse's tree is taken over, not copied: once reused, the previous ParsedPlaybook
 * must no longer be read (its `incremental.consumed` says so, and a second reuse is refused). The
 * new parse's `change` says which part changed, for a check that reuses the rest (check.ts).
 */
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import type { ParsedPlaybook } from './model.js';
import { parsePlaybook } from './parsePlaybook.js';
import { reparseTopLevelBlock } from './reparseBlock.js';
import { reparseSteps } from './reparseStep.js';
import { sameLimits } from './reparseTree.js';
import { changedRegion } from './textDiff.js';

/** `parsePlaybook(text, limits)`, re-using `previous` (an earlier version of the same document) where it can. */
export function reparsePlaybook(previous: ParsedPlaybook | undefined, text: string, limits: Limits = DEFAULT_LIMITS): ParsedPlaybook {
  if (previous && previous.text === text && previous.incremental && !previous.incremental.consumed && sameLimits(previous.incremental.limits, limits)) return previous;
  const next = previous && reparsePart(previous, text, limits);
  if (!next) return parsePlaybook(text, limits);
  // The chain stops here: the parse built upon keeps no link to the one before it.
  delete previous.change;
  return next;
}

function reparsePart(previous: ParsedPlaybook, text: string, limits: Limits): ParsedPlaybook | undefined {
  const base = previous.incremental;
  if (!base || base.consumed || !previous.yaml || !sameLimits(base.limits, limits) || text.length > limits.maxDocumentLength) return undefined;
  const region = changedRegion(previous.text, text);
  return reparseSteps(previous, base, text, region, limits) ?? reparseTopLevelBlock(previous, base, text, region, limits);
}
