/**
 * PB106: granted access must expire (`duration`) and be taken back: every path from the grant's
 * success edge to the end must pass an `access-revoke` of the same principal and role. A revoke
 * counts whatever its outcome, like a notification in PB102: the rule asks whether the playbook
 * plans the revoke; the dry-run shows what happens when it fails.
 *
 * Grants are grouped by (principal, role); each group costs one backward search from the exit over
 * steps that are not its revokes, so the rule stays linear per distinct access (accesses with the
 * same revokes, none at all most often, share one search). A finding counts the paths that leave the
 * access open and lists the first few (graph/pathSpace.ts).
 */
import { reachableFrom, type FlowGraph } from '../graph/flowGraph.js';
import { prependStep } from '../graph/flowPaths.js';
import { PATHS_LISTED, pathsReach, reportPaths } from '../graph/pathReport.js';
import { pathsToExit, type PathSpace } from '../graph/pathSpace.js';
import { accessOf, successTarget } from '../graph/securitySteps.js';
import type { ParsedPlaybook, StepModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type RuleDefinition } from './rule.js';

interface Grant {
  step: StepModel;
  principal: string;
  role: string;
}

export const PB106: RuleDefinition = {
  id: 'PB106',
  name: 'access-grant-not-revoked',
  family: 'security',
  defaultSeverity: 'error',
  summary: '`access-grant` without `duration`, or with no `access-revoke` of the same principal and role on every path after it.',
  check({ parsed, graph }) {
    const g = graph();
    const groups = new Map<string, Grant[]>();
    for (const step of parsed.model.steps) {
      const access = step.action === 'access-grant' && step.actionNode ? accessOf(step) : undefined;
      if (!access) continue; // missing principal or role: PB002
      const key = JSON.stringify([access.principal, access.role]);
      const group = groups.get(key) ?? [];
      if (!group.length) groups.set(key, group);
      group.push({ step, ...access });
    }
    if (!groups.size) return [];
    const reached = reachableFrom(g, 0);
    const unrevoked = searchesAroundRevokes(parsed, g);
    const out: Finding[] = [];
    for (const grants of groups.values()) {
      const live = grants.filter((grant) => reached[grant.step.index]); // the rest are PB006 findings
      if (live.length) out.push(...checkGroup(parsed, g, live, unrevoked(grants[0]!)));
    }
    return out.sort((a, b) => a.stepIndex! - b.stepIndex! || order(a) - order(b));
  },
};

/** For an access, the paths to the exit that pass none of its revokes; one search per set of revokes. */
function searchesAroundRevokes(parsed: ParsedPlaybook, g: FlowGraph): (access: { principal: string; role: string }) => PathSpace {
  const revokesOf = new Map<string, number[]>();
  for (const step of parsed.model.steps) {
    const access = step.action === 'access-revoke' ? accessOf(step) : undefined;
    if (!access) continue;
    const key = JSON.stringify([access.principal, access.role]);
    const revokes = revokesOf.get(key) ?? [];
    if (!revokes.length) revokesOf.set(key, revokes);
    revokes.push(step.index);
  }
  const searches = new Map<string, PathSpace>();
  return ({ principal, role }) => {
    const revokes = revokesOf.get(JSON.stringify([principal, role])) ?? [];
    const key = revokes.join(' ');
    let search = searches.get(key);
    if (!search) {
      const revoking = new Uint8Array(g.exit);
      for (const index of revokes) revoking[index] = 1;
      search = pathsToExit(g, (edge) => !revoking[edge.from]);
      searches.set(key, search);
    }
    return search;
  };
}

function checkGroup(parsed: ParsedPlaybook, g: FlowGraph, grants: Grant[], unrevoked: PathSpace): Finding[] {
  const { principal, role } = grants[0]!;
  const out: Finding[] = [];
  for (const { step } of grants) {
    const base = { range: nodeRange(step.actionNode), stepIndex: step.index };
    const access = `\`${role}\` granted to \`${principal}\``;
    if (!step.pairs.has('duration')) {
      out.push(report(PB106, {
        ...base,
        message: `${step.label}: ${access} has no \`duration\`; add \`duration\` (e.g. \`1h\`) so the access expires`,
        data: { stepId: step.id, principal, role, missing: 'duration' },
      }));
    }
    const successor = successTarget(g, step.index);
    if (!unrevoked.reaches(successor)) continue;
    const count = unrevoked.count(successor);
    const shown = unrevoked.list(successor, PATHS_LISTED).map((rest) => ({
      path: prependStep({ index: step.index, failed: false }, rest),
      conclusion: `\`${principal}\` keeps \`${role}\` on this path`,
    }));
    const paths = reportPaths(parsed, shown, count, { end: '(exit)' });
    out.push(report(PB106, {
      ...base,
      message: `${step.label}: ${access} is not revoked on every path to the end: ${pathsReach(count)} the end with the access open (${paths.listing}); add an \`access-revoke\` step with \`principal: ${principal}\` and \`role: ${role}\` after it`,
      related: paths.related,
      data: { stepId: step.id, principal, role, missing: 'revoke', ...paths.data },
    }));
  }
  return out;
}

function order(finding: Finding): number {
  return (finding.data as { missing?: string } | undefined)?.missing === 'duration' ? 0 : 1;
}
