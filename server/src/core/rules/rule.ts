/** What every rule is: an id, a default severity, its docs, and a pure check over the context. */
import type { AdvisorySnapshot } from '../advisories/snapshot.js';
import type { FlowGraph } from '../graph/flowGraph.js';
import type { PathQuery } from '../graph/pathQuery.js';
import type { ParsedPlaybook } from '../parse/model.js';
import type { Policy } from '../policy/policy.js';
import type { ReleaseData } from '../releases/releaseStatus.js';
import type { SuppressionScan } from '../suppressions.js';
import type { Finding, Severity } from '../types.js';

type RuleFamily = 'structure' | 'security' | 'advisories';

/**
 * What a rule's findings may depend on, besides the policy (which every rule may read): the
 * top-level blocks it reads, `document` for anything in the text (other keys, comments, the tree as
 * a whole), and what the adapter passes (`advisories`, `releases`, `now`).
 */
export type RuleInput = 'document' | 'steps' | 'services' | 'channels' | 'owners' | 'advisories' | 'releases' | 'now';

export interface RuleContext {
  parsed: ParsedPlaybook;
  policy: Policy;
  /** Advisories loaded by the adapter; absent when none were loaded (PB110 says so). */
  advisories?: AdvisorySnapshot;
  /** SBOMs and VEX documents read by the adapter (spec sections 8 and 9); absent: none. */
  releases?: ReleaseData;
  /** The flow graph, built once on first use and shared by every rule. */
  graph(): FlowGraph;
  /** The `# playbook-ignore` comments of the document, scanned once on first use. */
  suppressions(): SuppressionScan;
  /** The time of the check, from the adapter (the core has no clock); absent: nothing is judged by age. */
  now?: Date;
}

export interface RuleDefinition {
  id: string;
  /** Short kebab-case name, e.g. `unguarded-risky-step`. */
  name: string;
  family: RuleFamily;
  defaultSeverity: Severity;
  /** One line for the rule catalog and SARIF `shortDescription`. */
  summary: string;
  /** Findings with `severity` set to the rule's default (or their own, e.g. PB101 by advisory). */
  check(context: RuleContext): Finding[];
  /**
   * Everything `check` reads. After an edit that re-parsed one block (parse/reparse.ts), a rule
   * that reads neither that block nor anything else that changed keeps its previous findings, moved
   * with the text (check.ts): a title edit runs only the rules that read `document`. Declaring too
   * little gives stale findings; test/unit/check-incremental.test.ts checks every rule against a
   * full check over random edits.
   */
  reads: readonly RuleInput[];
  /**
   * Every finding belongs to one step (`stepIndex`) and depends only on that step and the inputs
   * in `reads` other than `steps`: after an edit inside one step, the rule checks that step alone
   * and keeps its other findings.
   */
  stepLocal?: true;
  /**
   * What, besides the rule, the place and the flagged text, tells two of this rule's findings apart
   * in a baseline (PB101: the advisories): when it changes, the finding is new. Never a secret.
   */
  baselineFacts?(finding: Finding): readonly string[];
  /**
   * For a rule whose findings are about paths (PB100, PB102, PB106): the paths behind its finding on
   * a step (graph/pathQuery.ts), prepared once per analysis and then asked per step. The rule counts
   * and lists its paths from the same definition; the flow view lights them up from this.
   */
  pathQueries?(context: PathContext): (stepIndex: number) => PathQuery | undefined;
}

/** What a path query is built from: the parts of a check every adapter's analysis keeps. */
export type PathContext = Pick<RuleContext, 'parsed' | 'policy' | 'graph'>;

/** A finding at the rule's default severity. */
export function report(rule: Pick<RuleDefinition, 'id' | 'defaultSeverity'>, finding: Omit<Finding, 'ruleId' | 'severity'>): Finding {
  return { ruleId: rule.id, severity: rule.defaultSeverity, ...finding };
}

/** A finding a rule remembered, where its text now stands: `by` characters later (or earlier, when negative). */
export function shiftedBy(finding: Finding, by: number): Finding {
  return by === 0 ? finding : { ...finding, range: { start: finding.range.start + by, end: finding.range.end + by } };
}
