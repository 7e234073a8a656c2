/**
 * "Suppress PBxxx for step `id`": a `# playbook-ignore PBxxx: <reason>` line directly above the
 * step's first line, at the column of its `- ` (spec section 4). When a `playbook-ignore` comment
 * already covers the step (above it, or at the end of its first line), the rule id joins its list.
 * Comments are found as the suppression scan finds them, from the YAML lexer, so text that only
 * looks like one (a line of a `run: |` script, a quoted string) is never edited.
 * The reason is a TODO the author must replace: a suppression without a true reason is noise.
 */
import { directiveComments, stepHeadLineStart, type DirectiveComment } from '../../suppressionComments.js';
import type { Finding } from '../../types.js';
import type { FixAction, TextEdit } from '../types.js';
import { quickFix, type FixContext } from './fixContext.js';
import { dashOf } from './steps.js';
import { columnOf, linesAt, spaces } from './text.js';

export const SUPPRESSION_REASON_PLACEHOLDER = 'TODO say why this is safe here';

const RULE_LIST = /^\s+PB\d{3}(?:\s*,\s*PB\d{3})*/;

/** Not offered for PB109, whose own findings suppressions do not cover. */
export function suppressFix(finding: Finding, context: FixContext): FixAction | undefined {
  if (finding.stepIndex === undefined || finding.ruleId === 'PB109') return undefined;
  const step = context.steps[finding.stepIndex];
  if (!step || step.range.end <= step.range.start) return undefined;
  const { text } = context;
  const yaml = context.analysis.parsed.yaml;
  const covering = directiveComments(text, context.steps, { parsedCleanly: yaml !== undefined && yaml.errors.length === 0 })
    .filter((d) => d.stepIndex === step.index)
    .sort((a, b) => (a.placement === 'above' ? 0 : 1) - (b.placement === 'above' ? 0 : 1));
  const edit = covering.map((d) => extendDirective(d, finding.ruleId)).find((e) => e !== undefined)
    ?? linesAt(text, stepHeadLineStart(text, step), [`${spaces(columnOf(text, dashOf(text, step)))}# playbook-ignore ${finding.ruleId}: ${SUPPRESSION_REASON_PLACEHOLDER}`]);
  return quickFix(`Suppress ${finding.ruleId} for ${step.label}`, finding, [edit], false);
}

/** Adds `ruleId` to a `playbook-ignore` comment, or a reason to one that lists it without. */
function extendDirective(directive: DirectiveComment, ruleId: string): TextEdit | undefined {
  const { source, rest, range } = directive;
  const afterWord = range.start + source.length - rest.length;
  const list = RULE_LIST.exec(rest);
  if (!list) return insertAt(afterWord, ` ${ruleId}`);
  const listEnd = afterWord + list[0].length;
  if (!list[0].split(/[\s,]+/).includes(ruleId)) return insertAt(listEnd, `, ${ruleId}`);
  // Already listed: the suppression lacks its reason, or its `until` day has come or is no date
  // (PB109). Either way it is written again with the placeholder reason: the author says why anew.
  const after = rest.slice(list[0].length).trim();
  return after.startsWith(':') && after.slice(1).trim() ? undefined : { range: { start: listEnd, end: range.end }, newText: `: ${SUPPRESSION_REASON_PLACEHOLDER}` };
}

function insertAt(offset: number, newText: string): TextEdit {
  return { range: { start: offset, end: offset }, newText };
}
