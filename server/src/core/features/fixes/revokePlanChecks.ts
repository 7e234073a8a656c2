/**
 * The checks a PB106 revoke plan must pass on the planned graph before any text is written, and
 * PB100's question asked of a planned graph (which steps are reached around every approval).
 */
import { isRisky, isSecurityCheckpoint, requiresSecurityCheckpoint, SECURITY_CHANNEL, stepField } from '../../graph/securitySteps.js';
import { PlannedFlow } from './plannedFlow.js';
import type { RevokePlan, RevokePlanInput } from './revokePlanTypes.js';

export interface Unguarded {
  /** Nodes some path from the entry reaches without passing a security checkpoint's approval. */
  reached: boolean[];
  /** Whether a path from `node` that approves nothing reaches a risky step every path now guards. */
  riskyAfter(node: number): boolean;
}

/** PB100's question on the planned graph: which steps are reached around every security approval. */
export function unapprovedFromEntry(input: RevokePlanInput, flow: PlannedFlow): Unguarded {
  const { model, policy, graph } = input;
  const steps = model.steps;
  const checkpoint = (node: number): boolean => node < flow.exit && isSecurityCheckpoint(steps[node]!, policy);
  const unapproved = (from: number, edge: { kind: string }): boolean => !checkpoint(from) || edge.kind === 'failure';
  const reached = flow.reach(0, unapproved);
  const guardedByRequires = requiresSecurityCheckpoint(graph, model, policy);
  const riskyNode = (node: number): boolean => flow.isNew(node) ? policy.riskyActions.has('access-revoke') : node < flow.exit && isRisky(steps[node]!, policy) && !guardedByRequires[node];
  return {
    reached,
    riskyAfter(node) {
      const after = flow.reach(node, unapproved);
      return after.some((hit, n) => hit && !reached[n] && riskyNode(n));
    },
  };
}

/**
 * No path from the grant's success (`start`) reaches the end without a revoke, no re-pointed edge
 * closes a cycle, every new step is reached, no risky step loses its guard (PB100), and a policy that
 * wants security told after a revoke gets that after the new ones too (PB102). False rejects the plan.
 */
export function planHolds(input: RevokePlanInput, plan: RevokePlan, succ: number): boolean {
  const { flow } = plan;
  const { model, policy, revokes, graph } = input;
  const steps = model.steps;
  const isRevoke = (node: number): boolean => flow.isNew(node) || revokes[node] === true;
  // PB106: no path from the grant's success to the end passes no revoke.
  if (!isRevoke(succ) && flow.reach(succ, (from) => !isRevoke(from))[flow.exit]) return false;
  // PB007: no re-pointed edge closes a cycle.
  const reachFrom = new Map<number, boolean[]>();
  for (const [from, to] of flow.added) {
    if (!reachFrom.has(to)) reachFrom.set(to, flow.reach(to));
    if (reachFrom.get(to)![from]) return false;
  }
  const newNodes = [plan.mainAbove !== undefined ? plan.main : undefined, plan.end !== undefined && flow.isNew(plan.end) ? plan.end : undefined].filter((n): n is number => n !== undefined);
  // PB006: every new step is reached.
  const reached = flow.reach(0);
  if (newNodes.some((n) => !reached[n])) return false;
  // PB100: the steps reached around every approval are the same as before, new steps included.
  const before = new PlannedFlow(graph).reach(0, (from, edge) => !(from < graph.exit && isSecurityCheckpoint(steps[from]!, policy)) || edge.kind === 'failure');
  const now = unapprovedFromEntry(input, flow);
  const guardedByRequires = requiresSecurityCheckpoint(graph, model, policy);
  for (let node = 0; node < flow.out.length; node++) {
    if (!now.reached[node] || node === flow.exit) continue;
    const risky = flow.isNew(node) ? policy.riskyActions.has('access-revoke') : isRisky(steps[node]!, policy) && !guardedByRequires[node] && !before[node];
    if (risky) return false;
  }
  // PB102: a policy that wants security told after a revoke gets that after the new ones too.
  if (policy.notifySecurityAfter.has('access-revoke')) {
    const tells = (node: number): boolean => node < flow.exit && steps[node]!.action === 'notify' && stepField(steps[node]!, 'channel')?.value === SECURITY_CHANNEL;
    for (const node of newNodes) {
      const start = flow.success(node)!.to;
      if (!tells(start) && flow.reach(start, (from) => !tells(from))[flow.exit]) return false;
    }
  }
  return true;
}
