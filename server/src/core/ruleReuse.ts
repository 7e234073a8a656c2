/**
 * Rule-level incrementality: after an edit re-parsed one block of the playbook (parse/reparse.ts),
 * a rule that reads nothing the edit changed keeps the findings it gave the version before, moved
 * with the text. Services feed PB005, PB101, PB108, PB110 and PB111, not the path analyses; a title
 * feeds only the rules that read the whole document. A step-local rule (`stepLocal`: PB005,
 * PB101, PB108, PB111) checks only the step an edit inside one step changed. What a rule reads is
 * its `reads` (rules/rule.ts), checked against full checks by test/unit/check-incremental.test.ts.
 *
 * Raw findings are kept (before severities, suppressions, VEX, baselines and redaction), so
 * whatever is applied after the rules is applied afresh to reused ones too.
 */
import type { AdvisorySnapshot } from './advisories/snapshot.js';
import { buildFlowGraph, flowGraphAfter, type FlowGraph } from './graph/flowGraph.js';
import type { ParseChange, ParsedPlaybook } from './parse/model.js';
import type { Policy } from './policy/policy.js';
import type { ReleaseData } from './releases/releaseStatus.js';
import type { RuleContext, RuleDefinition, RuleInput } from './rules/rule.js';
import type { Finding, OffsetRange } from './types.js';

/** What one check was made with, and each rule's raw findings. */
export interface RuleRun {
  policy: Policy;
  advisories: AdvisorySnapshot | undefined;
  releases: ReleaseData | undefined;
  now: number | undefined;
  byRule: Map<string, readonly Finding[]>;
}

/** Each checked parse's run, for the check of the version built on it (held only as long as the parse). */
const runs = new WeakMap<ParsedPlaybook, RuleRun>();

export function rememberRun(parsed: ParsedPlaybook, run: RuleRun): void {
  runs.set(parsed, run);
}

/** Each parse's flow graph, once built, for the version built on it. */
const graphs = new WeakMap<ParsedPlaybook, FlowGraph>();

/** The flow graph of `parsed`, from the previous version's when the edit left it standing (graph/flowGraph.ts). */
export function flowGraphOf(parsed: ParsedPlaybook): FlowGraph {
  let graph = graphs.get(parsed);
  if (graph) return graph;
  const before = parsed.change && graphs.get(parsed.change.from);
  graph = (before && flowGraphAfter(before, parsed)) ?? buildFlowGraph(parsed.model);
  graphs.set(parsed, graph);
  return graph;
}

/**
 * `rule`'s findings on `parsed`: those it gave the version this parse was built on, moved into this
 * text, when nothing it reads changed in between; for a step-local rule after an edit inside one
 * step, those of the other steps kept and the edited step checked alone; else a full run.
 */
export function ruleFindings(rule: RuleDefinition, context: RuleContext, now: RuleRun): readonly Finding[] {
  const { parsed } = context;
  const change = parsed.change;
  const before = change && runs.get(change.from);
  const kept = before?.policy === now.policy ? before.byRule.get(rule.id) : undefined;
  if (!change || !before || !kept) return rule.check(context);
  if (unchangedFor(rule.reads, change, before, now)) return change.delta === 0 ? kept : kept.map((f) => movedFinding(f, change));
  const step = change.stepIndex === undefined ? undefined : parsed.model.steps[change.stepIndex];
  const others = rule.reads.filter((input) => input !== 'steps');
  if (!rule.stepLocal || !step || !unchangedFor(others, change, before, now) || kept.some((f) => f.stepIndex === undefined)) return rule.check(context);
  // The edited step alone: the rule sees a playbook of that one step (with its own index).
  const own = rule.check({ ...context, parsed: { ...parsed, model: { ...parsed.model, steps: [step] } } });
  const moved = kept.filter((f) => f.stepIndex !== step.index).map((f) => movedFinding(f, change));
  const at = moved.findIndex((f) => f.stepIndex! > step.index);
  return at < 0 ? [...moved, ...own] : [...moved.slice(0, at), ...own, ...moved.slice(at)];
}

/** Whether none of `reads` changed: the block the edit fell in is not among them, and the adapter's data is the same. */
function unchangedFor(reads: readonly RuleInput[], change: ParseChange, before: RuleRun, now: RuleRun): boolean {
  return reads.every((input) => {
    switch (input) {
      case 'document':
        return false;
      case 'advisories':
        return before.advisories === now.advisories;
      case 'releases':
        return before.releases === now.releases;
      case 'now':
        return before.now === now.now;
      default:
        // A block the rule reads; a block no rule names (`title`, `trigger`, …) only `document` readers read.
        return input !== change.key;
    }
  });
}

function movedFinding(finding: Finding, { at, delta }: ParseChange): Finding {
  const out: Finding = { ...finding, range: moved(finding.range, at, delta) };
  if (finding.related) out.related = finding.related.map((r) => (r.file === undefined ? { ...r, range: moved(r.range, at, delta) } : r));
  return out;
}

function moved(range: OffsetRange, at: number, delta: number): OffsetRange {
  return { start: range.start >= at ? range.start + delta : range.start, end: range.end >= at ? range.end + delta : range.end };
}
