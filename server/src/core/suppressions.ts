/**
 * Suppressions (spec section 4): `# playbook-ignore PB100, PB102: <reason>` on the line directly
 * above a step's first line, or at the end of that line, optionally with an expiry date
 * (`# playbook-ignore PB105 until 2027-03-01: <reason>`). Only real YAML comments count (see
 * suppressionComments.ts). A suppression without a reason, one that names no known rule, one that
 * sits where it covers no step, one whose date is not a date, and one whose date has come (judged
 * by the check's `now`, which the adapter passes in) is not applied and is reported as PB109 instead.
 */
import type { StepModel } from './parse/model.js';
import { directiveComments, type DirectiveScanOptions } from './suppressionComments.js';
import type { Finding, OffsetRange } from './types.js';

export interface Suppression {
  stepIndex: number;
  ruleIds: string[];
  reason: string;
  range: OffsetRange;
  /** The day it ends, as written (`2027-03-01`): from that day (UTC) on it is not applied. */
  until?: string;
}

export interface SuppressionScan {
  byStep: Map<number, Suppression[]>;
  /** PB109 findings at the default severity. */
  problems: Finding[];
}

/** The rule ids, then optionally `until <date>` (anything up to the colon, so a wrong date is quoted whole), then `: <reason>`. */
const RULE_LIST = /^\s+(PB\d{3}(?:\s*,\s*PB\d{3})*)(?:\s+until\b([^:]*))?\s*(?::(.*))?$/;

export interface SuppressionScanOptions extends DirectiveScanOptions {
  /** The time of the check: a suppression whose `until` day has come is not applied. Absent: no date is judged (a wrong one is still reported). */
  now?: Date;
}

export function scanSuppressions(text: string, steps: readonly StepModel[], knownRules: ReadonlySet<string>, options: SuppressionScanOptions = {}): SuppressionScan {
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
    const until = parsed[2]?.trim();
    const reason = (parsed[3] ?? '').trim();
    const unknown = ruleIds.filter((id) => !knownRules.has(id));
    const ends = until === undefined ? undefined : dayStart(until);
    const written = `${ruleIds.join(', ')}${until === undefined ? '' : ` until ${until || 'YYYY-MM-DD'}`}`;
    if (ambiguous) {
      problem('this `playbook-ignore` comment suppresses nothing: its line starts more than one step, so put each step on its own line');
    } else if (stepIndex === undefined) {
      problem('this `playbook-ignore` comment suppresses nothing: put it on the line directly above a step\'s first line (`- id: …`), or at the end of that line');
    } else if (!reason) {
      problem(`suppression of ${ruleIds.join(', ')} has no reason, so it is not applied: write \`# playbook-ignore ${written}: <why this is safe>\``);
    } else if (unknown.length) {
      problem(`\`${unknown.join(', ')}\` ${unknown.length === 1 ? 'is not a rule id' : 'are not rule ids'}, so this suppression is not applied`);
    } else if (until !== undefined && ends === undefined) {
      problem(until
        ? `\`${until}\` is not a date, so this suppression of ${ruleIds.join(', ')} is not applied: write the day it ends as \`until YYYY-MM-DD\` (e.g. \`until 2027-03-01\`)`
        : `this suppression of ${ruleIds.join(', ')} says \`until\` but names no day, so it is not applied: write \`until YYYY-MM-DD\``);
    } else if (ends !== undefined && options.now !== undefined && options.now.getTime() >= ends) {
      problem(`the suppression of ${ruleIds.join(', ')} expired on ${until}, so it is not applied: fix what it suppressed, or write a new date and why it still holds`);
    } else {
      const list = byStep.get(stepIndex) ?? [];
      list.push({ stepIndex, ruleIds, reason, range, ...(until !== undefined ? { until } : {}) });
      byStep.set(stepIndex, list);
    }
  }
  return { byStep, problems };
}

/**
 * The instant a `YYYY-MM-DD` day starts in UTC, so a suppression ends at the same moment on every
 * machine whatever its time zone; undefined for anything else (`2027-02-30`, `soon`, `1/3/2027`).
 */
function dayStart(written: string): number | undefined {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(written);
  if (!parts) return undefined;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const start = Date.UTC(year, month - 1, day);
  const date = new Date(start);
  // Date.UTC rolls an impossible day over (February 30th is March 2nd): only a day that reads back the same exists.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? start : undefined;
}

/** The suppression that covers a finding, if any. */
export function suppressionFor(scan: SuppressionScan, finding: Finding): Suppression | undefined {
  if (finding.stepIndex === undefined || finding.ruleId === 'PB109') return undefined;
  return scan.byStep.get(finding.stepIndex)?.find((s) => s.ruleIds.includes(finding.ruleId));
}
