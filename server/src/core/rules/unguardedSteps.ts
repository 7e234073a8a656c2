/**
 * PB100's verdict on each risky step, for what shows it besides the finding (the code lens, the flow
 * diagram): the steps it finds unguarded, with the suppression's reason when suppressed. With PB100
 * turned off in the policy its verdict is still the truth about the flow, so it is asked directly.
 */
import type { CheckResult } from '../check.js';
import { PB100 } from './PB100.js';

export function unguardedSteps(analysis: CheckResult): Map<number, { reason?: string }> {
  const out = new Map<number, { reason?: string }>();
  const ruleIsOff = analysis.policy.rules[PB100.id] === 'off';
  const found = ruleIsOff
    ? PB100.check({ parsed: analysis.parsed, policy: analysis.policy, graph: analysis.graph, suppressions: () => ({ byStep: new Map(), problems: [] }) })
    : analysis.findings;
  for (const finding of found) if (finding.ruleId === PB100.id && finding.stepIndex !== undefined) out.set(finding.stepIndex, {});
  if (!ruleIsOff) {
    for (const finding of analysis.suppressed) {
      if (finding.ruleId === PB100.id && finding.stepIndex !== undefined) out.set(finding.stepIndex, { reason: finding.suppression.reason });
    }
  }
  return out;
}
