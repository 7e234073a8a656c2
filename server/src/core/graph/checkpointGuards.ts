/**
 * Which security checkpoint guards a step on its own: the nearest one whose *approval* (its success
 * edge) lies on every path from the entry to the step. For the code lens ("guarded by
 * `security-gate`") and the dry-run.
 *
 * A denied checkpoint that goes on anyway (`on-failure: continue`, or a step id) must not count, so
 * the question is about an edge, not a node. Each security checkpoint's success edge is split by a
 * virtual node; that node dominates a step exactly when every path to the step passes the approval.
 */
import type { PlaybookModel } from '../parse/model.js';
import type { Policy } from '../policy/policy.js';
import { dominatorTree } from './dominators.js';
import type { FlowGraph } from './flowGraph.js';
import { isSecurityCheckpoint, successTarget } from './securitySteps.js';

/** Per step: the index of the nearest security checkpoint whose approval dominates it, or −1. */
export function guardingCheckpoints(graph: FlowGraph, model: PlaybookModel, policy: Policy): Int32Array {
  const stepCount = graph.exit;
  const nearest = new Int32Array(stepCount).fill(-1);
  if (stepCount === 0) return nearest;
  // Virtual node exit+1+k stands on the success edge of the k-th security checkpoint.
  const checkpoints = model.steps.filter((s) => s.index < stepCount && isSecurityCheckpoint(s, policy)).map((s) => s.index);
  const approvalNode = new Map<number, number>(checkpoints.map((c, k) => [c, stepCount + 1 + k]));
  const checkpointOf = (node: number): number => (node > stepCount ? checkpoints[node - stepCount - 1]! : -1);
  const size = stepCount + 1 + checkpoints.length;
  const successors = (node: number): number[] => {
    if (node > stepCount) return [successTarget(graph, checkpointOf(node))];
    if (node === stepCount) return [];
    const approval = approvalNode.get(node);
    return graph.out[node]!.map((e) => (approval !== undefined && e.kind !== 'failure' ? approval : e.to));
  };
  const { idom, order } = dominatorTree(size, 0, successors);
  // Reverse postorder visits each node after its immediate dominator, so one pass settles all.
  const nearestOfNode = new Int32Array(size).fill(-1);
  for (const node of order) {
    const parent = idom[node]!;
    if (parent === -1) continue;
    nearestOfNode[node] = parent > stepCount ? checkpointOf(parent) : nearestOfNode[parent]!;
  }
  nearest.set(nearestOfNode.subarray(0, stepCount));
  return nearest;
}

/** The nearest security checkpoint whose approval is on every path to `stepIndex`, if any. */
export function guardingCheckpoint(graph: FlowGraph, model: PlaybookModel, policy: Policy, stepIndex: number): number | undefined {
  const index = guardingCheckpoints(graph, model, policy)[stepIndex];
  return index === undefined || index < 0 ? undefined : index;
}
