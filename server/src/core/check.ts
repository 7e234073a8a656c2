/** The core's main verb: text in, findings out. Pure: policy and limits come in as arguments. */
import { buildFlowGraph, type FlowGraph } from './graph/flowGraph.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import type { ParsedPlaybook } from './parse/model.js';
import { parsePlaybook } from './parse/parsePlaybook.js';
import { DEFAULT_POLICY, type Policy } from './policy/policy.js';
import { RULES } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import type { Finding, SeveritySetting } from './types.js';

export interface CheckOptions {
  policy?: Policy;
  limits?: Limits;
}

export interface CheckResult {
  parsed: ParsedPlaybook;
  /** Findings in document order, at their effective severity; rules turned `off` are absent. */
  findings: Finding[];
}

export function checkPlaybook(text: string, options: CheckOptions = {}): CheckResult {
  const policy = options.policy ?? DEFAULT_POLICY;
  const parsed = parsePlaybook(text, options.limits ?? DEFAULT_LIMITS);
  let graph: FlowGraph | undefined;
  const context: RuleContext = { parsed, policy, graph: () => (graph ??= buildFlowGraph(parsed.model)) };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const setting: SeveritySetting | undefined = policy.rules[rule.id];
    if (setting === 'off') continue;
    for (const finding of rule.check(context)) findings.push(setting ? { ...finding, severity: setting } : finding);
  }
  findings.sort(byPosition);
  return { parsed, findings };
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId);
}
