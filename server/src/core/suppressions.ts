/**
 * Suppressions (spec section 4): `# playbook-ignore PB100, PB102: <reason>` on the line directly
 * above a step's first line, or at the end of that line. A suppression without a reason, or one
 * that names no known rule, is not applied and is reported as PB109 instead.
 */
import type { StepModel } from './parse/model.js';
import type { Finding, OffsetRange } from './types.js';

export interface Suppression {
  stepIndex: number;
  ruleIds: string[];
  reason: string;
  range: OffsetRange;
}

export interface SuppressionScan {
  byStep: Map<number, Suppression[]>;
  /** PB109 findings at the default severity. */
  problems: Finding[];
}

const DIRECTIVE = /#\s*playbook-ignore\b(.*)$/;
const RULE_LIST = /^\s+(PB\d{3}(?:\s*,\s*PB\d{3})*)\s*(?::(.*))?$/;

export function scanSuppressions(text: string, steps: readonly StepModel[], knownRules: ReadonlySet<string>): SuppressionScan {
  const byStep = new Map<number, Suppression[]>();
  const problems: Finding[] = [];
  const stepByLineStart = new Map<number, number>();
  for (const step of steps) if (step.range.end > step.range.start) stepByLineStart.set(lineStart(text, step.range.start), step.index);
  for (const line of directiveLines(text)) {
    const stepIndex = stepByLineStart.get(line.start) ?? (line.commentOnly ? stepByLineStart.get(line.nextLineStart) : undefined);
    const range = { start: line.start + line.column, end: line.end };
    const problem = (message: string): void => {
      problems.push({ ruleId: 'PB109', severity: 'warning', message, range, ...(stepIndex !== undefined ? { stepIndex } : {}) });
    };
    const parsed = RULE_LIST.exec(line.rest);
    if (!parsed) {
      problem('this `playbook-ignore` comment names no rule: write `# playbook-ignore PB100: <why this is safe>`');
      continue;
    }
    const ruleIds = parsed[1]!.split(',').map((s) => s.trim());
    const reason = (parsed[2] ?? '').trim();
    const unknown = ruleIds.filter((id) => !knownRules.has(id));
    if (stepIndex === undefined) {
      problem('this `playbook-ignore` comment suppresses nothing: put it on the line directly above a step\'s `- id:` line, or at the end of that line');
    } else if (!reason) {
      problem(`suppression of ${ruleIds.join(', ')} has no reason, so it is not applied: write \`# playbook-ignore ${ruleIds.join(', ')}: <why this is safe>\``);
    } else if (unknown.length) {
      problem(`\`${unknown.join(', ')}\` ${unknown.length === 1 ? 'is not a rule id' : 'are not rule ids'}, so this suppression is not applied`);
    } else {
      const list = byStep.get(stepIndex) ?? [];
      list.push({ stepIndex, ruleIds, reason, range });
      byStep.set(stepIndex, list);
    }
  }
  return { byStep, problems };
}

/** The suppression that covers a finding, if any. */
export function suppressionFor(scan: SuppressionScan, finding: Finding): Suppression | undefined {
  if (finding.stepIndex === undefined || finding.ruleId === 'PB109') return undefined;
  return scan.byStep.get(finding.stepIndex)?.find((s) => s.ruleIds.includes(finding.ruleId));
}

interface DirectiveLine {
  start: number;
  end: number;
  column: number;
  rest: string;
  commentOnly: boolean;
  nextLineStart: number;
}

function* directiveLines(text: string): Generator<DirectiveLine> {
  let index = text.indexOf('playbook-ignore');
  while (index !== -1) {
    const start = lineStart(text, index);
    let end = text.indexOf('\n', index);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    const match = DIRECTIVE.exec(line);
    if (match && isComment(line, match.index)) {
      yield { start, end: start + line.trimEnd().length, column: match.index, rest: match[1]!, commentOnly: line.slice(0, match.index).trim() === '', nextLineStart: end + 1 };
    }
    index = text.indexOf('playbook-ignore', end);
  }
}

/** A `#` starts a comment at the line start or after white space, outside quotes. */
function isComment(line: string, hash: number): boolean {
  if (hash > 0 && !/\s/.test(line[hash - 1]!)) return false;
  const before = line.slice(0, hash);
  return (before.split('"').length - 1) % 2 === 0 && (before.split("'").length - 1) % 2 === 0;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
