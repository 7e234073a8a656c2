/**
 * Where PB106's fix closes an access window: the revoke goes where the window ends, never between
 * the grant and the work it was granted for.
 *
 * - The happy path (the grant's success, then each step's success) keeps every step it runs before
 *   the revoke. If it passes a revoke of the same access, that revoke is the one others are routed
 *   to. Otherwise a new revoke goes where the happy path leaves: above its closing `postmortem`
 *   steps, or after its last step (the end of the list). An existing revoke of the same access
 *   written just above that `postmortem` is used instead of a new one. Jumps by id from the open
 *   window to that `postmortem` are pointed at the revoke.
 * - Every other way out of the window is routed to that revoke: a step that aborts on failure (no
 *   `on-failure`, or `abort`) gets `on-failure: <revoke>`. When that would close a cycle (the
 *   revoke leads back to the step), skip steps the revoke `requires`, or open a path to a risky step
 *   around its security checkpoint, the step is routed to a revoke at the end of the list instead
 *   (an existing one written last, or a new one), which leads nowhere but out. A window left through
 *   the end of the list gets that revoke too.
 * - A window left through a reference to no step (PB004), or a happy path that loops (PB007), gets
 *   no fix: guessing what the broken reference meant could route the flow anywhere.
 *
 * The result is checked on the planned graph before any text is written (revokePlanChecks.ts). A
 * plan that fails is no plan: a fix that does half its job is worse than none.
 */
import { isScalar, type Node } from 'yaml';
import type { FlowGraph } from '../../graph/flowGraph.js';
import { successTarget } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { scalarText } from '../../parse/yamlNodes.js';
import { PlannedFlow } from './plannedFlow.js';
import { planHolds, unapprovedFromEntry } from './revokePlanChecks.js';
import type { Reroute, RevokePlan, RevokePlanInput } from './revokePlanTypes.js';

export type { RevokePlan, RevokePlanInput } from './revokePlanTypes.js';


export function planRevoke(input: RevokePlanInput): RevokePlan | undefined {
  const { graph, model, grant, revokes } = input;
  const steps = model.steps;
  const flow = new PlannedFlow(graph);
  const exit = flow.exit;
  const isRevoke = (node: number): boolean => flow.isNew(node) || revokes[node] === true;
  const open = (from: number): boolean => !isRevoke(from);
  const succ = successTarget(graph, grant);
  const happy = happyPath(graph, succ, revokes);
  if (!happy) return undefined;
  const reroutes: Reroute[] = [];

  let main: number;
  let mainAbove: number | undefined;
  let after = happy.steps[happy.steps.length - 1] ?? grant;
  if (happy.end !== exit) {
    main = happy.end;
  } else {
    let closing = happy.steps.length;
    while (closing > 0 && steps[happy.steps[closing - 1]!]!.action === 'postmortem') closing--;
    after = closing > 0 ? happy.steps[closing - 1]! : grant;
    if (closing < happy.steps.length) {
      const postmortem = happy.steps[closing]!;
      const above = postmortem - 1;
      // Found before the new step exists: the window up to the postmortem, whose jumps into it move.
      const window = flow.reach(succ, (from, edge) => open(from) && edge.to !== postmortem);
      window[grant] = true;
      const jumps: Reroute[] = [];
      for (let node = 0; node < exit; node++) {
        if (!window[node] || isRevoke(node)) continue;
        const success = flow.success(node)!;
        if (success.to === postmortem && success.kind === 'next') jumps.push({ step: node, edge: 'next', to: postmortem });
        const failure = flow.failure(node)!;
        // The grant's own failure is no path of the rule: the access was never granted.
        if (node !== grant && failure.to === postmortem && !failure.continues) jumps.push({ step: node, edge: 'on-failure', to: postmortem });
      }
      // A revoke of the access written just above the postmortem serves, unless a jump to it would
      // skip a step it `requires`.
      const reused = revokes[above] === true && flow.success(above)?.kind === 'order' && flow.success(above)?.to === postmortem &&
        jumps.every((j) => requiresMet(input, above, j.step, j.edge === 'next'));
      if (reused) {
        main = above;
      } else {
        main = flow.insertAbove(postmortem);
        mainAbove = postmortem;
      }
      for (const jump of jumps) {
        if (jump.edge === 'next') flow.pointSuccess(jump.step, main);
        else flow.pointFailure(jump.step, main);
        reroutes.push({ ...jump, to: main });
      }
    } else {
      // The happy path leaves through the end of the list (a `next` to no step is PB004).
      if (graph.out[after]!.find((e) => e.kind !== 'failure')?.kind !== 'order') return undefined;
      main = flow.insertAbove(exit);
      mainAbove = exit;
    }
  }

  // Every other way out of the window, which starts where the grant now goes (maybe the new revoke).
  const start = flow.success(grant)!.to;
  const window = flow.reach(start, open);
  const aborts: number[] = [];
  let leavesAtEnd = false;
  for (let node = 0; node < exit; node++) {
    if (!window[node] || isRevoke(node)) continue;
    for (const edge of flow.out[node]!) {
      if (edge.to !== exit) continue;
      if (edge.kind === 'next') return undefined;
      if (edge.kind === 'order' || edge.continues) leavesAtEnd = true;
      else if (abortsWritably(steps[node]!)) aborts.push(node);
      else return undefined; // `on-failure` naming no step (PB004), or not a scalar (PB002)
    }
  }
  const routable = routability(input, flow, main);
  const failuresToMain = aborts.filter(routable);
  const failuresToEnd = aborts.filter((node) => !routable(node));
  let end: number | undefined;
  if (leavesAtEnd || failuresToEnd.length) {
    const last = exit - 1;
    // A revoke of the access written last serves, if it leads nowhere but out.
    const leadsOut = revokes[last] === true && flow.success(last)?.kind === 'order' && flow.out[last]!.every((e) => e.to === exit);
    const lastRoutable = leadsOut ? routability(input, flow, last) : undefined;
    end = lastRoutable && failuresToEnd.every(lastRoutable) && !leavesAtEnd ? last : flow.insertAbove(exit);
  }
  for (const node of failuresToMain) {
    flow.pointFailure(node, main);
    reroutes.push({ step: node, edge: 'on-failure', to: main });
  }
  for (const node of failuresToEnd) {
    flow.pointFailure(node, end!);
    reroutes.push({ step: node, edge: 'on-failure', to: end! });
  }
  const plan: RevokePlan = { flow, main, after, failuresToMain, failuresToEnd, reroutes, ...(mainAbove !== undefined ? { mainAbove } : {}), ...(end !== undefined ? { end } : {}) };
  return planHolds(input, plan, start) ? plan : undefined;
}

/** The steps the grant's success runs, each by its success edge, up to a revoke of the access or the end. */
function happyPath(graph: FlowGraph, start: number, revokes: readonly boolean[]): { steps: number[]; end: number } | undefined {
  const steps: number[] = [];
  const seen = new Set<number>();
  let node = start;
  while (node !== graph.exit && !revokes[node]) {
    if (seen.has(node)) return undefined; // a loop: PB007
    seen.add(node);
    steps.push(node);
    node = successTarget(graph, node);
  }
  return { steps, end: node };
}

/** A step that aborts on failure in a way the fix can rewrite: no `on-failure`, or a scalar `abort`. */
function abortsWritably(step: StepModel): boolean {
  const pair = step.pairs.get('on-failure');
  if (!pair) return true;
  const value = pair.value as Node | null;
  return isScalar(value) && scalarText(value) === 'abort';
}

/**
 * Which aborting steps may have their failure routed to `target`: the target must not lead back to
 * the step (a cycle), every step it `requires` must have completed whenever the step fails (or the
 * revoke would be blocked, and the access stay open), and a step reached on a path that no security
 * checkpoint approved must not open such a path to a risky step after the target.
 */
function routability(input: RevokePlanInput, flow: PlannedFlow, target: number): (node: number) => boolean {
  const fromTarget = flow.reach(target);
  const unguarded = unapprovedFromEntry(input, flow);
  let opensRisky: boolean | undefined;
  return (node) => {
    if (fromTarget[node] || !requiresMet(input, target, node, false)) return false;
    if (!unguarded.reached[node]) return true;
    opensRisky ??= unguarded.riskyAfter(target);
    return !opensRisky;
  };
}

/**
 * Whether every step `target` requires has completed when the flow reaches it from `from`: through
 * `from`'s success (`from` itself completed) or its failure (it did not).
 */
function requiresMet(input: RevokePlanInput, target: number, from: number, bySuccess: boolean): boolean {
  const required = input.graph.requires[target] ?? [];
  return required.every(({ target: r }) => (bySuccess && r === from) || (r !== from && !reachedWithout(input, r)[from]));
}

const withoutCache = new WeakMap<RevokePlanInput, Map<number, boolean[]>>();

/** Nodes some path from the entry reaches without completing step `r` (passing it by its success), once per step. */
function reachedWithout(input: RevokePlanInput, r: number): boolean[] {
  const cache = withoutCache.get(input) ?? new Map<number, boolean[]>();
  withoutCache.set(input, cache);
  const known = cache.get(r);
  if (known) return known;
  const { graph } = input;
  const seen = new Array<boolean>(graph.exit + 1).fill(false);
  const stack = [0];
  seen[0] = graph.exit > 0;
  while (stack.length) {
    const at = stack.pop()!;
    if (at === graph.exit) continue;
    for (const edge of graph.out[at]!) {
      if (at === r && edge.kind !== 'failure') continue;
      if (!seen[edge.to]) { seen[edge.to] = true; stack.push(edge.to); }
    }
  }
  cache.set(r, seen);
  return seen;
}
