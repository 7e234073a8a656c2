/**
 * PB106: granted access must expire (`duration`) and be taken back: every path from the grant's
 * success edge to the end must pass an `access-revoke` of the same principal and role. A revoke
 * counts whatever its outcome, like a notification in PB102: the rule asks whether the playbook
 * plans the revoke; the dry-run shows what happens when it fails.
 *
 * Grants are grouped by (principal, role); each group costs one backward search from the exit over
 * steps that are not its revokes, so the rule stays linear per distinct access (accesses with the
 * same revokes, none at all most often, share one search). A finding counts the paths that leave the
 * access open and lists the first few (graph/pathSpace.ts). The searches are `unrevokedPaths`, which
 * the flow view lights up too (graph/pathQuery.ts).
 */
import { reachableFrom } from '../graph/flowGraph.js';
import { PATHS_LISTED, pathsReach, reportPaths } from '../graph/pathReport.js';
import { breakingPaths, type BreakingPaths, type PathQuery } from '../graph/pathQuery.js';
import { accessOf } from '../graph/securitySteps.js';
import type { ParsedPlaybook, StepModel } from '../parse/model.js';
import { nodeRange } from '../parse/yamlNodes.js';
import type { Finding } from '../types.js';
import { report, type PathContext, type RuleDefinition } from './rule.js';

interface Access {
  principal: string;
  role: string;
}

interface Grant extends Access {
  step: StepModel;
}

export const PB106: RuleDefinition = {
  id: 'PB106',
  name: 'access-grant-not-revoked',
  family: 'security',
  defaultSeverity: 'error',
  summary: '`access-grant` without `duration`, or with no `access-revoke` of the same principal and role on every path after it.',
  reads: ['steps'],
  check(context) {
    const { parsed } = context;
    const g = context.graph();
    const groups = new Map<string, Grant[]>();
    for (const step of parsed.model.steps) {
      const access = step.action === 'access-grant' && step.actionNode ? accessOf(step) : undefined;
      if (!access) continue; // missing principal or role: PB002
      const key = accessKey(access);
      const group = groups.get(key) ?? [];
      if (!group.length) groups.set(key, group);
      group.push({ step, ...access });
    }
    if (!groups.size) return [];
    const reached = reachableFrom(g, 0);
    const unrevokedFor = unrevokedPaths(context);
    // Accesses with the same revokes share a query, and so one search.
    const searches = new Map<PathQuery, BreakingPaths>();
    const out: Finding[] = [];
    for (const grants of groups.values()) {
      const live = grants.filter((grant) => reached[grant.step.index]); // the rest are PB006 findings
      if (!live.length) continue;
      const query = unrevokedFor(grants[0]!);
      let unrevoked = searches.get(query);
      if (!unrevoked) searches.set(query, (unrevoked = breakingPaths(g, query)));
      out.push(...checkGroup(parsed, live, unrevoked));
    }
    return out.sort((a, b) => a.stepIndex! - b.stepIndex! || order(a) - order(b));
  },
  pathQueries(context) {
    const unrevokedFor = unrevokedPaths(context);
    const steps = context.parsed.model.steps;
    return (stepIndex) => {
      const access = steps[stepIndex] && accessOf(steps[stepIndex]);
      return access && unrevokedFor(access);
    };
  },
};

/**
 * PB106's paths, per access: from the grant's success edge to the exit, through no `access-revoke` of
 * the same principal and role. Accesses with the same revokes (none, most often) get the same query.
 */
function unrevokedPaths({ parsed }: PathContext): (access: Access) => PathQuery {
  const steps = parsed.model.steps;
  const revokesOf = new Map<string, number[]>();
  for (const step of steps) {
    const access = step.action === 'access-revoke' ? accessOf(step) : undefined;
    if (!access) continue;
    const key = accessKey(access);
    const revokes = revokesOf.get(key) ?? [];
    if (!revokes.length) revokesOf.set(key, revokes);
    revokes.push(step.index);
  }
  const queries = new Map<string, PathQuery>();
  return (access) => {
    const revokes = revokesOf.get(accessKey(access)) ?? [];
    const key = revokes.join(' ');
    let query = queries.get(key);
    if (!query) {
      const revoking = new Uint8Array(steps.length);
      for (const index of revokes) revoking[index] = 1;
      query = { ends: 'success-to-exit', follows: (edge) => !revoking[edge.from] };
      queries.set(key, query);
    }
    return query;
  };
}

function accessKey({ principal, role }: Access): string {
  return JSON.stringify([principal, role]);
}

function checkGroup(parsed: ParsedPlaybook, grants: Grant[], unrevoked: BreakingPaths): Finding[] {
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
    if (!unrevoked.reaches(step.index)) continue;
    const count = unrevoked.count(step.index);
    const shown = unrevoked.list(step.index, PATHS_LISTED).map((path) => ({ path, conclusion: `\`${principal}\` keeps \`${role}\` on this path` }));
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
