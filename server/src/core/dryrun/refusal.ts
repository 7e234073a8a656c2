/**
 * When the flow cannot be known, the dry-run refuses instead of guessing a path: YAML that does not
 * parse, steps that cannot be named, flow fields that cannot be read, duplicate ids (which step does
 * a reference mean?), references to unknown steps, and cycles (a rehearsal that never ends).
 *
 * The flow rules are asked directly, so a policy that turns them off or a suppression does not
 * let a broken flow through: their verdict is about the graph, not about what to show.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { CheckResult } from '../check.js';
import type { StepModel } from '../parse/model.js';
import { PB003 } from '../rules/PB003.js';
import { PB004 } from '../rules/PB004.js';
import { PB007 } from '../rules/PB007.js';
import type { RuleContext, RuleDefinition } from '../rules/rule.js';
import type { Finding } from '../types.js';
import { findingRef, type LineOf } from './findingRefs.js';
import type { Refusal } from './types.js';

const FLOW_RULES: ReadonlyArray<{ rule: RuleDefinition; reason: string }> = [
  { rule: PB003, reason: 'two steps share an id, so references to it are ambiguous (PB003)' },
  { rule: PB004, reason: 'a `requires`, `next` or `on-failure` names no step (PB004)' },
  { rule: PB007, reason: 'the flow or the `requires` have a cycle, so a rehearsal would never end (PB007)' },
];

export function flowRefusal(analysis: CheckResult, lineOf: LineOf): Refusal | undefined {
  const { parsed } = analysis;
  const reasons: string[] = [];
  const findings: Finding[] = [];
  const parseErrors = parsed.parseFindings.filter((f) => f.severity === 'error');
  if (parseErrors.length) {
    reasons.push('the YAML cannot be read');
    findings.push(...parseErrors);
  } else if (parsed.model.steps.length === 0) {
    reasons.push('the playbook has no steps');
    findings.push(...schemaFindings(analysis, () => true));
  } else {
    const unreadable = parsed.model.steps.filter((s) => unreadableStep(s) !== undefined);
    for (const step of unreadable) reasons.push(`${step.label} ${unreadableStep(step)}`);
    const indices = new Set(unreadable.map((s) => s.index));
    findings.push(...schemaFindings(analysis, (f) => f.stepIndex !== undefined && indices.has(f.stepIndex)));
    if (!unreadable.length) {
      const context: RuleContext = { parsed, policy: analysis.policy, advisories: analysis.advisories, graph: analysis.graph, suppressions: () => ({ byStep: new Map(), problems: [] }) };
      for (const { rule, reason } of FLOW_RULES) {
        const found = rule.check(context);
        if (!found.length) continue;
        reasons.push(reason);
        findings.push(...found);
      }
    }
  }
  if (!reasons.length) return undefined;
  findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  return {
    message: `The playbook's flow cannot be rehearsed: ${reasons.join('; ')}. Fix ${findings.length === 1 ? 'this finding' : 'these findings'} first.`,
    findings: findings.map((f) => findingRef(f, lineOf)),
  };
}

/** Why a step's place in the flow cannot be read, if it cannot. */
function unreadableStep(step: StepModel): string | undefined {
  if (!isMap(step.node)) return 'is not a map of fields';
  if (step.id === undefined) return 'has no `id`, so the trace and the scenario cannot name it';
  for (const key of ['next', 'on-failure']) {
    const pair = step.pairs.get(key);
    if (pair && !isScalar(pair.value)) return `has a \`${key}\` that is not a step id`;
  }
  const requires = step.pairs.get('requires')?.value;
  if (requires !== undefined && requires !== null && !(isSeq(requires) ? requires.items.every(isScalar) : isScalar(requires))) {
    return 'has `requires` that are not a list of step ids';
  }
  return undefined;
}

/** The playbook's PB002 findings that explain a refusal (the schema rule is not turned off by refusing). */
function schemaFindings(analysis: CheckResult, keep: (f: Finding) => boolean): Finding[] {
  return [...analysis.findings, ...analysis.suppressed].filter((f) => f.ruleId === 'PB002' && keep(f));
}
