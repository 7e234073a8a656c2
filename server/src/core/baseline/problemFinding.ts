/**
 * A baseline the policy names that cannot be used (missing, not JSON, another format version, too
 * large), said on the policy's `baseline` value as PB110 says an SBOM or VEX file it cannot read:
 * until it is fixed the editor shows every finding at its own severity, and `playbook check` stops.
 */
import { parseDocument } from 'yaml';
import { findPair, firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { Policy } from '../policy/policy.js';
import type { Finding } from '../types.js';
import { oneLine } from '../util/oneLine.js';

export function baselineProblemFindings(problem: { file: string; problem: string } | undefined, policyText: string, policy: Policy, show: (file: string) => string): Finding[] {
  const setting = policy.rules.PB110;
  if (!problem || setting === 'off') return [];
  const value = findPair(parseDocument(policyText).contents, 'baseline')?.value;
  const range = value ? nodeRange(value as Parameters<typeof nodeRange>[0]) : firstLineOf({ start: 0, end: policyText.length }, policyText);
  return [{
    ruleId: 'PB110',
    severity: setting ?? 'warning',
    message: `baseline ${oneLine(show(problem.file))}: ${oneLine(problem.problem)}; until it can be used, every finding counts and shows at its own severity`,
    range,
    data: { file: problem.file },
  }];
}
