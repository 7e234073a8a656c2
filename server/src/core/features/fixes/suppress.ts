/**
 * "Suppress PBxxx for step `id`": a `# playbook-ignore PBxxx: <reason>` line directly above the
 * step's first line, at the column of its `- ` (spec section 4). When a `playbook-ignore` comment
 * already sits there (above, or at the end of the step's first line), the rule id joins its list.
 * The reason is a TODO the author must replace: a suppression without a true reason is noise.
 */
import type { Finding } from '../../types.js';
import type { FixAction, TextEdit } from '../types.js';
import { quickFix, type FixContext } from './fixContext.js';
import { dashOf } from './steps.js';
import { columnOf, lineAt, linesAt, spaces } from './text.js';

export const SUPPRESSION_REASON_PLACEHOLDER = 'TODO say why this is safe here';

const DIRECTIVE = /#\s*playbook-ignore\b/;
const RULE_LIST = /^\s+PB\d{3}(?:\s*,\s*PB\d{3})*/;

/** Not offered for PB109, whose own findings suppressions do not cover. */
export function suppressFix(finding: Finding, context: FixContext): FixAction | undefined {
  if (finding.stepIndex === undefined || finding.ruleId === 'PB109') return undefined;
  const step = context.steps[finding.stepIndex];
  if (!step || step.range.end <= step.range.start) return undefined;
  const { text } = context;
  const firstLine = lineAt(text, step.range.start);
  const above = firstLine.start > 0 ? lineAt(text, firstLine.start - 1) : undefined;
  const edit = (above && above.text.trimStart().startsWith('#') ? extendDirective(above, finding.ruleId) : undefined)
    ?? extendDirective(firstLine, finding.ruleId)
    ?? linesAt(text, firstLine.start, [`${spaces(columnOf(text, dashOf(text, step)))}# playbook-ignore ${finding.ruleId}: ${SUPPRESSION_REASON_PLACEHOLDER}`]);
  return quickFix(`Suppress ${finding.ruleId} for ${step.label}`, finding, [edit], false);
}

/** Adds `ruleId` to a `playbook-ignore` comment on `line`, or a reason to one that lists it without. */
function extendDirective(line: { start: number; text: string }, ruleId: string): TextEdit | undefined {
  const directive = DIRECTIVE.exec(line.text);
  if (!directive) return undefined;
  const afterDirective = directive.index + directive[0].length;
  const list = RULE_LIST.exec(line.text.slice(afterDirective));
  if (!list) return insertAt(line.start + afterDirective, ` ${ruleId}`);
  const listEnd = line.start + afterDirective + list[0].length;
  if (!list[0].split(/[\s,]+/).includes(ruleId)) return insertAt(listEnd, `, ${ruleId}`);
  // Already listed: the suppression only lacks its reason (PB109), so give it one.
  const rest = line.text.slice(afterDirective + list[0].length).trim();
  return rest.startsWith(':') && rest.slice(1).trim() ? undefined : { range: { start: listEnd, end: line.start + line.text.length }, newText: `: ${SUPPRESSION_REASON_PLACEHOLDER}` };
}

function insertAt(offset: number, newText: string): TextEdit {
  return { range: { start: offset, end: offset }, newText };
}
