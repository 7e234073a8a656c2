/**
 * PB100: a security checkpoint just before the risky step, listed in the step's `requires`.
 *
 * `requires` alone would satisfy the rule, but a checkpoint nobody reaches blocks the step forever;
 * placing it just before the step puts it on the list-order path. Jumps that went straight to the
 * risky step (`next:` or `on-failure:` naming it) are pointed at the checkpoint, so every way to
 * the step passes the review instead of being blocked by it: the one checkpoint guards every path
 * the finding counts, whatever their number.
 *
 * A denied review goes where the risky step's own failure goes (`on-failure` copied when it names a
 * later step, or the step after it for `continue`): the playbook already plans for the change not
 * happening there, so the review adds no new way to the end that skips a notification or a revoke
 * (PB102, PB106). A step that aborts on failure, or jumps back (a retry loop, PB007), gets a
 * checkpoint that stops the flow when denied.
 */
import { isMap, type Node } from 'yaml';
import { successTarget } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { nodeRange, scalarText } from '../../parse/yamlNodes.js';
import type { TextEdit } from '../types.js';
import { compact, quickFix, stepOf, type FixContext, type FixProvider } from './fixContext.js';
import { replaceScalar, yamlScalar } from './scalars.js';
import { insertStepBefore, uniqueStepId, type StepFields } from './steps.js';
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
  const denied = whenDenied(context, step);
  const fields: StepFields = [['id', gateId], ['action', 'checkpoint'], ['kind', kind], ['approvers', '[security]'], ...(denied ? [['on-failure', yamlScalar(denied)] as [string, string]] : [])];
  const gate = insertStepBefore(text, steps, step.index, fields);
  return compact([quickFix(`Add a \`${kind}\` checkpoint before ${step.label} and require it`, finding, [gate, requireGate, ...jumps], true)]);
};

/** Where a denied review should go: the id of the later step the risky step's failure goes to, if any. */
function whenDenied({ analysis, steps }: FixContext, step: StepModel): string | undefined {
  const graph = analysis.graph();
  const written = scalarText(step.pairs.get('on-failure')?.value);
  if (written === undefined || written === 'abort') return undefined;
  const target = written === 'continue' ? successTarget(graph, step.index) : graph.indexById.get(written);
  // A reference to no step (PB004) exits like an abort; a jump back is a retry loop, not for a denial.
  if (target === undefined || target <= step.index || target >= graph.exit) return undefined;
  return steps[target]!.id;
}
