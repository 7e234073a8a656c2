/**
 * Quick fixes: pure functions from a checked document to text edits at offsets. Each fix family
 * lives in `fixes/`, one file per rule family; edits never re-serialise the YAML, so comments,
 * quoting, indentation and line endings stay as written.
 */
import type { OffsetRange } from '../types.js';
import { fixContext } from './fixes/fixContext.js';
import { findingFixes } from './fixes/index.js';
import type { Analysis, FixAction } from './types.js';

export { fixAll, FIX_ALL_TITLE } from './fixes/fixAll.js';

/**
 * The fixes of every finding whose range overlaps or touches `range`: the rule's own fixes (best
 * first), then "suppress for this step". The same fix offered by two findings (one version two
 * advisories affect) is listed once.
 */
export function codeActions(analysis: Analysis, range: OffsetRange): FixAction[] {
  const context = fixContext(analysis);
  const seen = new Set<string>();
  const out: FixAction[] = [];
  for (const finding of analysis.findings) {
    if (finding.range.start > range.end || range.start > finding.range.end) continue;
    for (const action of findingFixes(finding, context)) {
      const key = `${action.title}\u0000${JSON.stringify(action.edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(action);
    }
  }
  return out;
}
