/**
 * Suppressions (spec section 4): `# playbook-ignore PB100, PB102: <reason>` on the line directly
 * above a step's first line, or at the end of that line. Only real YAML comments count (see
 * suppressionComments.ts). A suppression without a reason, one that names no known rule, or one
 * that sits where it covers no step is not applied and is reported as PB109 instead.
 */
import type { StepModel } from './parse/model.js';
import { directiveComments, type DirectiveScanOptions } from './suppressionComments.js';
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

const RULE_LIST = /^\s+(PB\d{3}(?:\s*,\s*PB\d{3})*)\s*(?::(.*))?$/;

export function scanSuppressions(text: string, steps: readonly StepModel[], knownRules: ReadonlySet<string>, options: DirectiveScanOptions = {}): SuppressionScan {
  const byStep = new Map<number, Suppression[]>();
  const problems: Finding[] = [];
  for (const { range, rest, stepIndex, ambiguous } of directiveComments(text, steps, options)) {
    const problem = (message: string): void => {
      problems.push({ ruleId: 'PB109', severity: 'warning', message, range, ...(stepIndex !== undefined ? { stepIndex } : {}) });
    };
    const parsed = RULE_LIST.exec(rest);
    if (!parsed) {
      problem('this `playbook-ignore` comment names no rule: write `# playbook-ignore PB100: <why this is safe>`');
      continue;
    }
    const ruleIds = parsed[1]!.split(',').map((s) => s.trim());
    const reason = (parsed[2] ?? '').trim();
    const unknown = ruleIds.filter((id) => !knownRules.has(id));
    if (ambiguous) {
      problem('this `playbook-ignore` comment suppresses nothing: its line starts more than one step, so put each step on its own line');
    } else if (stepIndex === undefined) {
      problem('this `playbook-ignore` comment suppresses nothing: put it on the line directly above a step\'s first line (`- id: …`), or at the end of that line');
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
