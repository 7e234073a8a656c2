/**
 * Applies PB106's revoke fix to a playbook and checks what a reviewer would: the finding is gone,
 * nothing new is reported, the work the grant was for still runs before the revoke, and the text
 * keeps its comments, line endings and indentation.
 */
import assert from 'node:assert/strict';
import { checkPlaybook, type CheckResult } from '../../../server/src/core/check.js';
import { codeActions } from '../../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../../server/src/core/features/fixes/fixContext.js';
import type { FixAction } from '../../../server/src/core/features/types.js';
import { accessOf, successTarget } from '../../../server/src/core/graph/securitySteps.js';
import type { Policy } from '../../../server/src/core/policy/policy.js';
import type { Finding } from '../../../server/src/core/types.js';

export interface RevokeFixResult {
  action: FixAction;
  after: string;
  rechecked: CheckResult;
}

const stepIdOf = (analysis: CheckResult, finding: Finding): string =>
  finding.stepIndex === undefined ? '' : (analysis.parsed.model.steps[finding.stepIndex]?.id ?? `#${finding.stepIndex}`);

/**
 * What a finding is about: rule and step, the flagged text for PB002, what is missing for PB106.
 * Not the message: an old finding may name a jump the fix re-pointed, and is no new problem.
 */
function keyOf(analysis: CheckResult, finding: Finding): string {
  const detail = finding.ruleId === 'PB002' ? analysis.parsed.text.slice(finding.range.start, finding.range.end) : String(finding.data?.['missing'] ?? '');
  return `${finding.ruleId} ${stepIdOf(analysis, finding)} ${detail}`;
}

function revokeFinding(analysis: CheckResult, grantId: string): Finding | undefined {
  return analysis.findings.find((f) => f.ruleId === 'PB106' && f.data?.['missing'] === 'revoke' && stepIdOf(analysis, f) === grantId);
}

/** The preferred revoke fix of the grant's PB106 finding, or undefined when none is offered. */
export function revokeAction(analysis: CheckResult, grantId: string): FixAction | undefined {
  const finding = revokeFinding(analysis, grantId);
  assert.ok(finding, `a PB106 revoke finding on \`${grantId}\`; got ${analysis.findings.map((f) => keyOf(analysis, f)).join(' | ')}`);
  return codeActions(analysis, finding.range).find((a) => a.finding === finding && a.isPreferred);
}

/**
 * The steps the grant's success runs, by success edges, up to the first revoke of its access (or the
 * end), without the `postmortem` steps that close it when it reaches the end: the access window.
 */
export function accessWindow(analysis: CheckResult, grantId: string): { steps: string[]; revoked: boolean } {
  const graph = analysis.graph();
  const steps = analysis.parsed.model.steps;
  const grant = steps.find((s) => s.id === grantId)!;
  const access = accessOf(grant)!;
  const out: string[] = [];
  const seen = new Set<number>();
  for (let node = successTarget(graph, grant.index); node !== graph.exit; node = successTarget(graph, node)) {
    const step = steps[node]!;
    const other = step.action === 'access-revoke' ? accessOf(step) : undefined;
    if (other && other.principal === access.principal && other.role === access.role) return { steps: out, revoked: true };
    assert.ok(!seen.has(node), 'the happy path does not loop');
    seen.add(node);
    out.push(step.id ?? `#${node}`);
  }
  while (out.length && steps.find((s) => s.id === out[out.length - 1])?.action === 'postmortem') out.pop();
  return { steps: out, revoked: false };
}

/** Applies the fix and asserts everything the fix promises; returns the result for more checks. */
export function assertRevokeFix(text: string, grantId: string, policy?: Policy): RevokeFixResult {
  const analysis = checkPlaybook(text, policy ? { policy } : {});
  const action = revokeAction(analysis, grantId);
  assert.ok(action, `a preferred revoke fix for \`${grantId}\` is offered`);
  const after = applyEdits(text, action.edits);
  const rechecked = checkPlaybook(after, policy ? { policy } : {});
  const fixed = revokeFinding(analysis, grantId)!;

  assert.equal(revokeFinding(rechecked, grantId), undefined, `"${action.title}" closes the window of \`${grantId}\`:\n${after}`);
  const before = analysis.findings.filter((f) => f !== fixed).map((f) => keyOf(analysis, f));
  const added = rechecked.findings.filter((f) => !before.includes(keyOf(rechecked, f))).map((f) => `${f.ruleId}: ${f.message}`);
  assert.deepEqual(added, [], `"${action.title}" adds no finding:\n${after}`);

  const window = accessWindow(analysis, grantId);
  const fixedWindow = accessWindow(rechecked, grantId);
  assert.ok(fixedWindow.revoked, `the happy path of the fixed playbook passes a revoke:\n${after}`);
  assert.deepEqual(fixedWindow.steps, window.steps, `every step the grant's happy path ran before the revoke still runs before it:\n${after}`);

  assertTextKept(text, after);
  return { action, after, rechecked };
}

/** The fix only adds lines and rewrites values: comments, line endings and step indentation stay. */
export function assertTextKept(text: string, after: string): void {
  const comments = text.split(/\r?\n/).filter((line) => line.trimStart().startsWith('#'));
  const kept = after.split(/\r?\n/);
  for (const comment of comments) assert.ok(kept.includes(comment), `comment kept: ${comment}`);
  if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(after), 'every line of a CRLF file still ends in CRLF');
  else assert.ok(!after.includes('\r'), 'no CR added to an LF file');
  const dashColumns = (t: string): Set<number> => new Set([...t.matchAll(/^( *)- \{?id:/gm)].map((m) => m[1]!.length));
  assert.deepEqual([...dashColumns(after)], [...dashColumns(text)], 'new steps are indented like the others');
}
