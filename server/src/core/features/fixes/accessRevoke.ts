/**
 * PB106: a missing `duration` gets `duration: 1h`; a grant not revoked on every path gets its
 * access window closed where it ends (revokePlan.ts decides where): a new `access-revoke` of the
 * same principal and role after the last step the happy path runs, or the happy path's existing
 * revoke, with every other way out of the window routed to it (`on-failure: <revoke>`).
 *
 * The new revoke gets `on-failure: continue`, so its own failure never skips later cleanup (another
 * grant's revoke among it). Principal and role are written as the grant writes them when that text
 * is a plain or quoted scalar on one line; otherwise (an alias, a block scalar) as their value.
 */
import { isMap, isScalar, type Node } from 'yaml';
import { accessOf, stepField } from '../../graph/securitySteps.js';
import type { StepModel } from '../../parse/model.js';
import { nodeRange } from '../../parse/yamlNodes.js';
import type { Finding } from '../../types.js';
import type { FixAction, TextEdit } from '../types.js';
import { compact, dataString, quickFix, stepOf, type FixContext, type FixProvider } from './fixContext.js';
import { planRevoke, type RevokePlan } from './revokePlan.js';
import { replaceScalar, yamlScalar } from './scalars.js';
import { insertStepAfter, insertStepBefore, uniqueStepId, type StepFields } from './steps.js';
import { addPair } from './yamlEdits.js';

const DEFAULT_GRANT_DURATION = '1h';

export const accessGrantFix: FixProvider = (finding, context) => {
  const step = stepOf(finding, context);
  if (!step || !isMap(step.node)) return [];
  const missing = dataString(finding, 'missing');
  if (missing === 'duration') {
    const edit = addPair(context.text, step.node, 'duration', DEFAULT_GRANT_DURATION, step.pairs.get('role'));
    return compact([quickFix(`Add \`duration: ${DEFAULT_GRANT_DURATION}\` to ${step.label}`, finding, [edit], true)]);
  }
  return missing === 'revoke' ? compact([revokeFix(finding, context, step)]) : [];
};

function revokeFix(finding: Finding, context: FixContext, grant: StepModel): FixAction | undefined {
  const { text, steps, analysis } = context;
  const access = accessOf(grant);
  if (!access) return undefined;
  const revokes = steps.map((s) => s.action === 'access-revoke' && sameAccess(s, access));
  const plan = planRevoke({ graph: analysis.graph(), model: analysis.parsed.model, policy: analysis.policy, grant: grant.index, revokes });
  // A step is routed to by its id: an existing revoke without one (PB002) cannot be.
  if (!plan || plan.reroutes.some((r) => r.to < steps.length && steps[r.to]!.id === undefined)) return undefined;

  // `grant-superuser` is revoked by `revoke-superuser`.
  const base = grant.id?.startsWith('grant-') ? grant.id.replace(/^grant-/, 'revoke-') : `revoke-${grant.id ?? `step-${grant.index + 1}`}`;
  const ids = new Map<number, string>();
  const idOf = (node: number): string => {
    if (node < steps.length) return steps[node]!.id!;
    if (!ids.has(node)) ids.set(node, uniqueStepId(base, steps, [...ids.values()]));
    return ids.get(node)!;
  };
  const fields = (node: number): StepFields => [
    ['id', idOf(node)], ['action', 'access-revoke'], ['principal', writtenAs(text, grant, 'principal')], ['role', writtenAs(text, grant, 'role')], ['on-failure', 'continue'],
  ];
  // Pairs added to a step go before a new step written at the same place (the step below it).
  const edits: Array<TextEdit | undefined> = plan.reroutes.map((r) => reroute(text, steps[r.step]!, r.edge, idOf(r.to)));
  const last = steps.length - 1;
  if (plan.mainAbove !== undefined) {
    edits.push(plan.mainAbove < steps.length ? insertStepBefore(text, steps, plan.mainAbove, fields(plan.main)) : insertStepAfter(text, steps, last, fields(plan.main)));
  }
  if (plan.end !== undefined && plan.end > steps.length && plan.end !== plan.main) edits.push(insertStepAfter(text, steps, last, fields(plan.end)));
  return quickFix(titleOf(access, steps, plan, idOf), finding, edits, true);
}

function sameAccess(step: StepModel, access: { principal: string; role: string }): boolean {
  const other = accessOf(step);
  return other?.principal === access.principal && other.role === access.role;
}

/** A grant's field as it is written, when that text can stand in a new step as it is. */
function writtenAs(text: string, grant: StepModel, key: string): string {
  const field = stepField(grant, key)!;
  const range = nodeRange(field.node);
  const written = text.slice(range.start, range.end);
  const quote = written[0];
  const quoted = (quote === '"' || quote === "'") && written.length > 1 && written.endsWith(quote);
  // A quoted scalar on one line reads back the same anywhere; an alias or block scalar would not.
  if (isScalar(field.node) && quoted && !/[\r\n]/.test(written)) return written;
  return yamlScalar(field.value);
}

/** Points a step's `next` or `on-failure` at a step id: the value rewritten in its quoting, or `on-failure` added. */
function reroute(text: string, step: StepModel, key: 'next' | 'on-failure', id: string): TextEdit | undefined {
  const value = step.pairs.get(key)?.value as Node | null | undefined;
  if (value) return replaceScalar(text, nodeRange(value), id);
  return isMap(step.node) && !step.pairs.has(key) ? addPair(text, step.node, key, id) : undefined;
}

function titleOf(access: { principal: string; role: string }, steps: readonly StepModel[], plan: RevokePlan, idOf: (node: number) => string): string {
  const label = (node: number): string => steps[node]?.label ?? `step \`${idOf(node)}\``;
  const failing = (nodes: number[]): string => listOf([...nodes].sort((a, b) => a - b).map(label));
  const what = `Revoke \`${access.role}\` from \`${access.principal}\``;
  let title = plan.mainAbove !== undefined ? `${what} after ${label(plan.after)}` : `${what} in ${label(plan.main)} on every path`;
  if (plan.failuresToMain.length) title += `, also when ${failing(plan.failuresToMain)}`;
  if (plan.end === undefined || plan.end === plan.main) return title;
  if (plan.end < steps.length) return `${title}, and in ${label(plan.end)} when ${failing(plan.failuresToEnd)}`;
  return `${title}, and at the end of the list${plan.failuresToEnd.length ? ` when ${failing(plan.failuresToEnd)}` : ''}`;
}

/** "a fails", "a or b fails", "a, b or c fails", "a, b, c or 2 other steps fail". */
function listOf(items: string[]): string {
  if (items.length === 1) return `${items[0]} fails`;
  if (items.length <= 3) return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]} fails`;
  const others = items.length - 3;
  return `${items.slice(0, 3).join(', ')} or ${others} other ${others === 1 ? 'step fails' : 'steps fail'}`;
}
