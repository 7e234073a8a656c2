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
 */
import { reachableFrom } from '../graph/flowGraph.js';
import { pathsFromEntry, shownSteps } from '../graph/flowPaths.js';
import { reportPath } from '../graph/pathReport.js';
import { isRisky, isSecurityCheckpoint, requiresSecurityCheckpoint } from '../graph/securitySteps.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';

export const PB100: RuleDefinition = {
  id: 'PB100',
  name: 'unguarded-risky-step',
  family: 'security',
  defaultSeverity: 'error',
  summary: 'Risky step not guarded by a security checkpoint: neither a security checkpoint on every path from the entry to it, nor one in its `requires`.',
  check({ parsed, policy, graph }) {
    const g = graph();
    const steps = parsed.model.steps;
    if (g.exit === 0) return [];
    const risky = steps.filter((s) => s.actionNode && isRisky(s, policy));
    if (!risky.length) return [];
    const reached = reachableFrom(g, 0);
    const isCheckpoint = steps.map((s) => isSecurityCheckpoint(s, policy));
    const viaRequires = requiresSecurityCheckpoint(g, parsed.model, policy);
    const unapproved = pathsFromEntry(g, (edge) => !isCheckpoint[edge.from] || edge.kind === 'failure');
    const kinds = [...policy.securityCheckpoints];
    const out: Finding[] = [];
    for (const step of risky) {
      // Steps no path reaches are PB006 findings; a guard by `requires` holds on every path.
      if (!reached[step.index] || viaRequires[step.index] || !unapproved.reaches(step.index)) continue;
      const flowPath = unapproved.pathTo(step.index);
      const denied = shownSteps(flowPath).find((s) => s.failed && isCheckpoint[s.index]);
      const path = reportPath(parsed, flowPath, { start: 'entry', conclusion: conclusion(denied !== undefined, flowPath.omitted > 0) });
      const deniedId = denied === undefined ? undefined : steps[denied.index]!.id;
      out.push(report(PB100, {
        message: `${step.label}: \`${step.action}\` is risky and no security checkpoint guards it on every path from the start; ${deniedId ? fixDenied(deniedId) : advice(kinds)}`,
        range: nodeRange(step.actionNode),
        related: path.related,
        data: { stepId: step.id, path: path.ids, checkpointKinds: kinds },
        stepIndex: step.index,
      }));
    }
    return out;
  },
};

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
