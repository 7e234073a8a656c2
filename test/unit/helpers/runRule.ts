/** Runs one rule alone on a playbook text, with the default policy unless given, and no suppressions. */
import { buildFlowGraph } from '../../../server/src/core/graph/flowGraph.js';
import { parsePlaybook } from '../../../server/src/core/parse/parsePlaybook.js';
import { DEFAULT_POLICY, type Policy } from '../../../server/src/core/policy/policy.js';
import type { RuleContext, RuleDefinition } from '../../../server/src/core/rules/rule.js';
import type { Finding } from '../../../server/src/core/types.js';

export function runRule(rule: RuleDefinition, text: string, policy: Policy = DEFAULT_POLICY): Finding[] {
  const parsed = parsePlaybook(text);
  const graph = buildFlowGraph(parsed.model);
  const context: RuleContext = { parsed, policy, graph: () => graph, suppressions: () => ({ byStep: new Map(), problems: [] }) };
  return rule.check(context);
}

/** A playbook whose second step (`fix`) carries `body` (YAML lines indented by 4). */
export function secondStepPlaybook(body: string): string {
  return `playbook: demo
owners:
  security: "@sec"
steps:
  - id: triage
    action: diagnose
    run: kubectl get pods
  - id: fix
${body}  - id: review
    action: postmortem
`;
}
