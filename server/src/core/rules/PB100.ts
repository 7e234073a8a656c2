/**
 * PB100: a risky step must be guarded by a security checkpoint, either approved on every path from
 * the entry to it, or listed (directly or through a chain) in its `requires`.
 *
 * Why a path condition and not a dominator: with two branches that each pass their own checkpoint
 * before meeting at the risky step, every path is guarded, yet neither checkpoint dominates the
 * step. So "guarded" is checked as "no path from the entry avoids every approval": one search from
 * the entry in which a security checkpoint lets the flow through only along its failure edge (denied
 * and going on anyway). A risky step that search reaches is unguarded. Linear in the graph, for all
 * steps at once; cycles are visited once. `checkpointGuards.ts` answers the narrower dominator
 * question ("which single checkpoint guards this step") for the code lens and the dry-run.
 *
 * The finding says how many paths from the entry reach the step without an approval, and lists the
 * first few (graph/pathSpace.ts: counted and chosen for the flagged steps only, in linear time). The
 * search is `unapprovedPaths`, which the flow view lights up too (graph/pathQuery.ts).
 */
import { reachableFrom, type FlowGraph } from '../graph/flowGraph.js';
import { shownSteps, type FlowPath } from '../graph/flowPaths.js';
import { PATHS_LISTED, pathsReach, reportPaths } from '../graph/pathReport.js';
import { breakingPaths, type PathQuery } from '../graph/pathQuery.js';
import { isRisky, isSecurityCheckpoint, requiresSecurityCheckpoint } from '../graph/securitySteps.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type PathContext, type RuleDefinition } from './rule.js';

export const PB100: RuleDefinition = {
  id: 'PB100',
  name: 'unguarded-risky-step',
  family: 'security',
  defaultSeverity: 'error',
  summary: 'Risky step not guarded by a security checkpoint: neither a security checkpoint on every path from the entry to it, nor one in its `requires`.',
  reads: ['steps'],
  check(context) {
    const { parsed, policy } = context;
    const g = context.graph();
    const steps = parsed.model.steps;
    if (g.exit === 0) return [];
    const risky = steps.filter((s) => s.actionNode && isRisky(s, policy));
    if (!risky.length) return [];
    const reached = reachableFrom(g, 0);
    const viaRequires = requiresSecurityCheckpoint(g, parsed.model, policy);
    const query = unapprovedPaths(context);
    const unapproved = breakingPaths(g, query);
    const onEveryPath = deniedOnEveryPath(g, query.follows);
    const kinds = [...policy.securityCheckpoints];
    const out: Finding[] = [];
    for (const step of risky) {
      // Steps no path reaches are PB006 findings; a guard by `requires` holds on every path.
      if (!reached[step.index] || viaRequires[step.index] || !unapproved.reaches(step.index)) continue;
      const count = unapproved.count(step.index);
      const listed = unapproved.list(step.index, PATHS_LISTED);
      const deniedOn = (path: FlowPath): number | undefined => shownSteps(path).find((s) => s.failed && isSecurityCheckpoint(steps[s.index]!, policy))?.index;
      const paths = reportPaths(parsed, listed.map((path) => ({ path, conclusion: conclusion(deniedOn(path) !== undefined, isElided(path)) })), count, { start: 'entry' });
      // A denied checkpoint that goes on is the fix only when every path goes on through it.
      const denied = listed.length ? deniedOn(listed[0]!) : undefined;
      const deniedId = denied !== undefined && onEveryPath(denied, step.index) ? steps[denied]!.id : undefined;
      out.push(report(PB100, {
        message: `${step.label}: \`${step.action}\` is risky and no security checkpoint guards it on every path from the start: ${pathsReach(count)} it without an approved security checkpoint (${paths.listing}); ${deniedId ? fixDenied(deniedId) : advice(kinds)}`,
        range: nodeRange(step.actionNode),
        related: paths.related,
        data: { stepId: step.id, ...paths.data, checkpointKinds: kinds },
        stepIndex: step.index,
      }));
    }
    return out;
  },
  pathQueries(context) {
    const query = unapprovedPaths(context);
    return () => query;
  },
};

/**
 * PB100's paths: from the entry to the risky step, through no approved security checkpoint. A
 * checkpoint lets such a path through only along its failure edge (denied, and going on anyway).
 */
function unapprovedPaths({ parsed, policy }: PathContext): PathQuery {
  const isCheckpoint = parsed.model.steps.map((s) => isSecurityCheckpoint(s, policy));
  return { ends: 'entry-to-step', follows: (edge) => !isCheckpoint[edge.from] || edge.kind === 'failure' };
}

/**
 * Whether every path that approves nothing from the entry to `target` goes on through the denial of
 * `checkpoint`: without its failure edge, no such path is left. One search per checkpoint asked about.
 */
function deniedOnEveryPath(g: FlowGraph, follows: PathQuery['follows']): (checkpoint: number, target: number) => boolean {
  const searched = new Map<number, boolean[]>();
  return (checkpoint, target) => {
    let reached = searched.get(checkpoint);
    if (!reached) {
      reached = new Array<boolean>(g.exit + 1).fill(false);
      const stack = [0];
      reached[0] = true;
      while (stack.length) {
        const node = stack.pop()!;
        if (node === g.exit) continue;
        for (const edge of g.out[node]!) {
          if (!follows(edge) || (node === checkpoint && edge.kind === 'failure') || reached[edge.to]) continue;
          reached[edge.to] = true;
          stack.push(edge.to);
        }
      }
      searched.set(checkpoint, reached);
    }
    return !reached[target];
  };
}

/** Steps left out of a long path, or inside a loop, may include a denied checkpoint. */
function isElided(path: FlowPath): boolean {
  return path.omitted > 0 || shownSteps(path).some((s) => s.loop);
}

function conclusion(passesDeniedCheckpoint: boolean, elided: boolean): string {
  if (passesDeniedCheckpoint) return 'no security checkpoint is approved on this path (a denied checkpoint goes on here)';
  // Steps left out of a long path may include a denied checkpoint, so say only what is certain.
  return elided ? 'no security checkpoint is approved on this path' : 'no security checkpoint on this path';
}

/** A checkpoint is there but the flow goes on when it is denied: the fix is to that checkpoint. */
function fixDenied(checkpointId: string): string {
  return `make \`${checkpointId}\` stop the flow when denied (\`on-failure: abort\`), or list it in its \`requires\``;
}

function advice(kinds: string[]): string {
  if (!kinds.length) return 'the policy counts no checkpoint kind as a security checkpoint, so add one to `security-checkpoints` in the policy and a `checkpoint` of that kind before this step';
  return `add a \`checkpoint\` (${kinds[0]}) before it, or list one in its \`requires\``;
}
