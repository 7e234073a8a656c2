/**
 * PB106: a missing `duration` gets `duration: 1h`; a grant not revoked on every path gets an
 * `access-revoke` step of the same principal and role (written as the grant writes them).
 *
 * Where the revoke goes: revoking right after the grant would satisfy the rule and make the grant
 * useless, so the fix puts it as late as it can while every path from the grant still passes it:
 * the latest place before the first `postmortem` after the grant (or the end) such that no path
 * from the grant's success reaches the end without going through that place or an existing revoke
 * of the same access. A step between that can abort makes later places fail this test, so the
 * revoke moves up to just after the last step that cannot skip it. When the grant itself jumps on
 * (`next:`) and no place qualifies, the revoke goes right after it and takes over the jump.
 * The revoke gets `on-failure: continue`, so its own failure never skips later cleanup.
 */
import { isMap, type YAMLMap } from 'yaml';
import type { FlowEdge, FlowGraph } from '../../graph/flowGraph.js';
import { accessOf, stepField } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { nodeRange, scalarText } from '../../parse/yamlNodes.js';
import type { Finding } from '../../types.js';
import type { FixAction } from '../types.js';
import { compact, dataString, quickFix, stepOf, type FixContext, type FixProvider } from './fixContext.js';
import { insertFollowingStep } from './followingStep.js';
import { insertStepAfter, insertStepBefore, uniqueStepId, type StepFields } from './steps.js';
import { addPair } from './yamlEdits.js';

export const DEFAULT_GRANT_DURATION = '1h';

export const accessGrantFix: FixProvider = (finding, context) => {
  const step = stepOf(finding, context);
  if (!step || !isMap(step.node)) return [];
  const missing = dataString(finding, 'missing');
  if (missing === 'duration') {
    const edit = addPair(context.text, step.node as YAMLMap, 'duration', DEFAULT_GRANT_DURATION, step.pairs.get('role'));
    return compact([quickFix(`Add \`duration: ${DEFAULT_GRANT_DURATION}\` to ${step.label}`, finding, [edit], true)]);
  }
  return missing === 'revoke' ? compact([revokeFix(finding, context, step)]) : [];
};

function revokeFix(finding: Finding, context: FixContext, grant: StepModel): FixAction | undefined {
  const { text, steps } = context;
  const access = accessOf(grant);
  if (!access) return undefined;
  const written = (key: string): string => {
    const range = nodeRange(stepField(grant, key)!.node);
    return text.slice(range.start, range.end);
  };
  // `grant-superuser` is revoked by `revoke-superuser`.
  const base = grant.id?.startsWith('grant-') ? grant.id.replace(/^grant-/, 'revoke-') : `revoke-${grant.id ?? `step-${grant.index + 1}`}`;
  const id = uniqueStepId(base, steps);
  // A failed revoke must not abort the playbook: that would skip every later cleanup step (another
  // grant's revoke among them), so the new step goes on to the next one whatever happens.
  const fields: StepFields = [['id', id], ['action', 'access-revoke'], ['principal', written('principal')], ['role', written('role')], ['on-failure', 'continue']];
  const graph = context.analysis.graph();
  const revokes = steps.map((s) => s.action === 'access-revoke' && sameAccess(s, access));
  const place = revokePlace(graph, steps, grant.index, revokes);
  const what = `Revoke \`${access.role}\` from \`${access.principal}\``;
  if (place === undefined) return quickFix(`${what} right after ${grant.label}`, finding, insertFollowingStep(text, steps, grant, fields), true);
  const edit = place < steps.length ? insertStepBefore(text, steps, place, fields) : insertStepAfter(text, steps, steps.length - 1, fields);
  return quickFix(`${what} after ${steps[place - 1]!.label}`, finding, [edit], true);
}

function sameAccess(step: StepModel, access: { principal: string; role: string }): boolean {
  const other = accessOf(step);
  return other?.principal === access.principal && other.role === access.role;
}

/** The list position (insert before that index; `exit` = at the end) for the revoke, latest first. */
function revokePlace(graph: FlowGraph, steps: readonly StepModel[], grant: number, revokes: boolean[]): number | undefined {
  const postmortem = steps.findIndex((s) => s.index > grant && s.action === 'postmortem');
  for (let place = postmortem === -1 ? graph.exit : postmortem; place > grant; place--) {
    if (everyPathPasses(graph, grant, place, revokes)) return place;
  }
  return undefined;
}

/**
 * Whether every path from the grant's success passes a step inserted at `place` (or an existing
 * revoke). The new step sits on the list-order edges out of the step above it: its success, and
 * its `on-failure: continue`; jumps by id to the step below pass it by.
 */
function everyPathPasses(graph: FlowGraph, grant: number, place: number, revokes: boolean[]): boolean {
  const above = place - 1;
  const inListOrder = graph.out[above]!.some((e) => e.kind === 'order');
  const throughNewStep = (e: FlowEdge): boolean =>
    inListOrder && e.from === above && (e.kind === 'order' || (e.kind === 'failure' && scalarText(e.node) === 'continue'));
  const pending = graph.out[grant]!.filter((e) => e.kind !== 'failure');
  const seen = new Set<number>();
  let passes = false;
  while (pending.length) {
    const edge = pending.pop()!;
    if (throughNewStep(edge)) {
      passes = true;
      continue;
    }
    if (edge.to === graph.exit) return false;
    if (seen.has(edge.to) || revokes[edge.to]) continue;
    seen.add(edge.to);
    pending.push(...graph.out[edge.to]!);
  }
  return passes;
}
