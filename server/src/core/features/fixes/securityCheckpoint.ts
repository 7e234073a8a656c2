/**
 * PB100: a security checkpoint just before the risky step, listed in the step's `requires`.
 *
 * `requires` alone would satisfy the rule, but a checkpoint nobody reaches blocks the step forever;
 * placing it just before the step puts it on the list-order path. Jumps that went straight to the
 * risky step (`next:` or `on-failure:` naming it) are pointed at the checkpoint, so every way to
 * the step passes the review instead of being blocked by it.
 */
import { isMap, type Node } from 'yaml';
import { nodeRange } from '../../parse/yamlNodes.js';
import type { TextEdit } from '../types.js';
import { compact, quickFix, stepOf, type FixProvider } from './fixContext.js';
import { replaceScalar } from './scalars.js';
import { insertStepBefore, uniqueStepId } from './steps.js';
import { addPair, appendItem } from './yamlEdits.js';

export const securityCheckpointFix: FixProvider = (finding, context) => {
  const { analysis, text, steps } = context;
  const step = stepOf(finding, context);
  const [kind] = analysis.policy.securityCheckpoints;
  if (!step || kind === undefined || !isMap(step.node)) return [];
  const gateId = uniqueStepId(`${step.id ?? `step-${step.index + 1}`}-${kind}`, steps);
  const requires = step.pairs.get('requires');
  const requireGate = requires
    ? requires.value ? appendItem(text, requires.value as Node, gateId) : undefined
    : addPair(text, step.node, 'requires', `[${gateId}]`);
  const jumps: Array<TextEdit | undefined> = step.id === undefined ? [] : steps.flatMap((s) =>
    s.references.filter((r) => r.kind !== 'requires' && r.target === step.id).map((r) => replaceScalar(text, nodeRange(r.node), gateId)));
  const gate = insertStepBefore(text, steps, step.index, [['id', gateId], ['action', 'checkpoint'], ['kind', kind], ['approvers', '[security]']]);
  return compact([quickFix(`Add a \`${kind}\` checkpoint before ${step.label} and require it`, finding, [gate, requireGate, ...jumps], true)]);
};
