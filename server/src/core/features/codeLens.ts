/**
 * Code lenses: above each risky step, whether a security checkpoint guards it (and which one, to
 * jump to); above each change that does not tell security on every path (PB102) and each grant not
 * revoked on every path (PB106), a link to those paths in the flow view; and at the top of the file
 * a lens to dry-run the playbook.
 *
 * "Guarded" is PB100's verdict (its findings, suppressed ones included), so the lens and the
 * diagnostics never disagree; the dominator question of checkpointGuards.ts only names the guard.
 */
import { isMap, type Node } from 'yaml';
import { guardingCheckpoints } from '../graph/checkpointGuards.js';
import { reachableFrom, type FlowGraph } from '../graph/flowGraph.js';
import { isRisky, isSecurityCheckpoint, namesSecurityChannel, securityChannel, tellsSecurity } from '../graph/securitySteps.js';
import type { PlaybookModel, StepModel } from '../parse/model.js';
import { findPair, firstLineOf, nodeRange } from '../parse/yamlNodes.js';
import type { Policy } from '../policy/policy.js';
import { unguardedSteps } from '../rules/unguardedSteps.js';
import { redactorFor } from '../security/redact.js';
import type { OffsetRange } from '../types.js';
import type { FlowFocus } from './flowView.js';
import { pathFindings } from './pathFindings.js';
import { nameRange } from './symbolAt.js';
import type { Analysis, LensEntry } from './types.js';

const REVEAL_RANGE_COMMAND = 'playbook.revealRange';
const DRY_RUN_COMMAND = 'playbook.dryRun';
/** Opens the flow view with every path of the finding (its rule, its step) lit up. */
const SHOW_FLOW_COMMAND = 'playbook.showFlow';

/** What the lens over a PB102 or PB106 finding says: in force (a click shows the paths), and suppressed. */
const PATH_LENS_TITLES: Readonly<Record<string, { shown: string; suppressed: string }>> = {
  PB102: { shown: 'security not notified on every path: show the paths', suppressed: 'security not notified' },
  PB106: { shown: 'access not revoked on every path: show the paths', suppressed: 'access not revoked' },
};

export function codeLenses(analysis: Analysis): LensEntry[] {
  // Titles echo playbook text (ids, suppression reasons, channel targets): they pass the secret redaction.
  const redact = redactorFor(analysis.parsed);
  return lensEntries(analysis).map((lens) => ({ ...lens, title: redact(lens.title) }));
}

function lensEntries(analysis: Analysis): LensEntry[] {
  const dryRun = dryRunLens(analysis);
  // The sort is stable: on a step's line, PB100's verdict comes first, then the PB102 and PB106 links.
  return [...(dryRun ? [dryRun] : []), ...securityNoticeLenses(analysis), ...riskyStepLenses(analysis), ...pathFindingLenses(analysis)]
    .sort((a, b) => a.range.start - b.range.start);
}

/** Above each risky step: the checkpoint that guards it (a click goes there), or PB100's paths a click away. */
function riskyStepLenses(analysis: Analysis): LensEntry[] {
  const { model, text } = analysis.parsed;
  const risky = model.steps.filter((s) => s.actionNode && isRisky(s, analysis.policy));
  if (!risky.length) return [];
  const graph = analysis.graph();
  const guards = guardingCheckpoints(graph, model, analysis.policy);
  const reached = reachableFrom(graph, 0);
  const unguarded = unguardedSteps(analysis);
  return risky.map((step): LensEntry => {
    const range = firstLineOf(step.range, text);
    const guard = guards[step.index]! >= 0 ? guards[step.index]! : requiredCheckpoint(graph, model, analysis.policy, step.index);
    const verdict = unguarded.get(step.index);
    if (guard !== undefined && verdict === undefined) {
      const checkpoint = model.steps[guard]!;
      const via = guards[step.index]! >= 0 ? '' : ' (in `requires`)';
      return { range, title: `guarded by ${nameOf(checkpoint)}${via}`, command: reveal(checkpoint, text) };
    }
    if (verdict !== undefined) {
      return { range, title: verdict.reason === undefined ? 'not guarded by a security checkpoint: show the paths' : `not guarded (suppressed: ${verdict.reason})`, command: showFlow('PB100', step.index) };
    }
    return { range, title: reached[step.index] ? 'guarded on every path' : 'not reached from the start' };
  });
}

/**
 * Above the step of each PB102 and PB106 finding about paths (in force or suppressed, as the flow
 * view lists them): a link that opens the view with that finding's paths lit up. Only findings:
 * with the rule turned off the view has nothing of the rule's to light up.
 */
function pathFindingLenses(analysis: Analysis): LensEntry[] {
  const { model, text } = analysis.parsed;
  const linked = pathFindings(analysis).filter(({ finding }) => Object.hasOwn(PATH_LENS_TITLES, finding.ruleId));
  return linked.sort((a, b) => a.step - b.step || a.finding.ruleId.localeCompare(b.finding.ruleId)).map(({ finding, step, suppressed }) => {
    const titles = PATH_LENS_TITLES[finding.ruleId]!;
    const title = suppressed === undefined ? titles.shown : `${titles.suppressed} (suppressed: ${suppressed})`;
    return { range: firstLineOf(model.steps[step]!.range, text), title, command: showFlow(finding.ruleId, step) };
  });
}

function showFlow(ruleId: string, step: number): { id: string; arguments: unknown[] } {
  return { id: SHOW_FLOW_COMMAND, arguments: [{ ruleId, step } satisfies FlowFocus] };
}

/**
 * Above each `notify` step naming the `security` channel: whether it tells security, by the one
 * definition PB102 and the dry-run use. A message to a channel `channels` does not declare reaches no one.
 */
function securityNoticeLenses({ parsed }: Analysis): LensEntry[] {
  const channel = securityChannel(parsed);
  const [target, why] = channel.declared ? [channel.target, ''] : ['', channel.why];
  return parsed.model.steps.filter((s) => namesSecurityChannel(s)).map((step) => ({
    range: firstLineOf(step.range, parsed.text),
    title: tellsSecurity(step, channel) ? `tells security (${target})` : `tells security nothing: ${why}, so the message reaches no one`,
  }));
}

/** On the `playbook:` line, or the first line; none when the document is not a map (not a playbook yet). */
function dryRunLens({ parsed }: Analysis): LensEntry | undefined {
  const root = parsed.yaml?.contents;
  if (!isMap(root)) return undefined;
  const pair = findPair(root, 'playbook');
  const key = pair?.key as Node | undefined;
  const line = key?.range ? { start: key.range[0], end: Math.max(key.range[1], nodeRange(pair?.value as Node | undefined).end) } : { start: 0, end: parsed.text.length };
  const range = firstLineOf(line, parsed.text);
  return { range, title: 'Dry-run this playbook', command: { id: DRY_RUN_COMMAND, arguments: [] } };
}

/** The nearest security checkpoint in a step's `requires` (directly or through a chain), if any. */
function requiredCheckpoint(graph: FlowGraph, model: PlaybookModel, policy: Policy, stepIndex: number): number | undefined {
  const seen = new Set<number>([stepIndex]);
  const queue = [stepIndex];
  for (let head = 0; head < queue.length; head++) {
    for (const { target } of graph.requires[queue[head]!] ?? []) {
      if (seen.has(target)) continue;
      if (isSecurityCheckpoint(model.steps[target]!, policy)) return target;
      seen.add(target);
      queue.push(target);
    }
  }
  return undefined;
}

function nameOf(step: StepModel): string {
  return step.id ? `\`${step.id}\`` : `step ${step.index + 1}`;
}

/** Reveal the checkpoint's id (or its first line when it has none). */
function reveal(checkpoint: StepModel, text: string): { id: string; arguments: unknown[] } {
  const range: OffsetRange = checkpoint.idNode ? nameRange(checkpoint.idNode, text) : firstLineOf(checkpoint.range, text);
  return { id: REVEAL_RANGE_COMMAND, arguments: [range.start, range.end] };
}
