/** Findings as the dry-run shows them: rule, severity, message and the 1-based line they start on. */
import type { Finding } from '../types.js';
import type { FindingRef } from './types.js';

export type LineOf = (offset: number) => number;

/** One scan of the text, then a binary search per offset. */
export function lineLocator(text: string): LineOf {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

export function findingRef(finding: Finding, lineOf: LineOf): FindingRef {
  return { ruleId: finding.ruleId, severity: finding.severity, message: finding.message, line: lineOf(finding.range.start), range: { start: finding.range.start, end: finding.range.end } };
}
