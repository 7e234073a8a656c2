/** The core's main verb: text in, findings out. Pure: policy and limits come in as arguments. */
import type { AdvisorySnapshot } from './advisories/snapshot.js';
import { markBaselined, type BaselineEntry } from './baseline/baselineFile.js';
import { baselineKey } from './baseline/fingerprint.js';
import type { FlowGraph } from './graph/flowGraph.js';
import { effectiveLimits, type Limits } from './limits.js';
import type { ParsedPlaybook } from './parse/model.js';
import { parsePlaybook } from './parse/parsePlaybook.js';
import { reparsePlaybook } from './parse/reparse.js';
import { DEFAULT_POLICY, type Policy } from './policy/policy.js';
import type { ReleaseData } from './releases/releaseStatus.js';
import { flowGraphOf, rememberRun, ruleFindings, type RuleRun } from './ruleReuse.js';
import { RULES, RULES_BY_ID } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import { redactDeep, redactorFor, type Redact } from './security/redact.js';
import { scanSuppressions, suppressionFor, type Suppression, type SuppressionScan } from './suppressions.js';
import type { Finding, SeveritySetting } from './types.js';

export interface CheckOptions {
  policy?: Policy;
  advisories?: AdvisorySnapshot;
  /** SBOMs the playbook names or the policy's folders hold, and VEX documents, as the adapter read them. */
  releases?: ReleaseData;
  limits?: Limits;
  /**
   * The parse of an earlier version of the same document (the editor's previous check): when the
   * edit lies inside one step or one top-level block, only that part is parsed again and the rest of
   * its tree is taken over, so `previous` must not be read afterwards. The rules that read nothing
   * the edit changed keep the findings that parse's check gave (ruleReuse.ts).
   */
  previous?: ParsedPlaybook;
  /**
   * The time of the check, passed in by the adapter: advisories older than the policy's
   * `advisories-max-age` are PB110, and a suppression whose `until` day has come is not applied
   * (PB109). Absent: no age or date is judged.
   */
  now?: Date;
  /**
   * A baseline's entries for this playbook (the adapter picks them by the file's path). Given, even
   * empty, every finding carries its `baselineKey`, and those the entries list are marked
   * `baselined` (after suppressions and VEX: a suppressed finding is never in a baseline).
   */
  baseline?: readonly BaselineEntry[];
}

export interface SuppressedFinding extends Finding {
  /** In source: a `# playbook-ignore` comment (its range). External: a VEX document (`file`), with its justification as the reason. */
  suppression: Pick<Suppression, 'reason' | 'range' | 'until'> & { kind?: 'external'; file?: string };
}

export interface CheckResult {
  parsed: ParsedPlaybook;
  policy: Policy;
  advisories?: AdvisorySnapshot;
  releases?: ReleaseData;
  /** The flow graph the rules used (built on first use), for features such as the code lens. */
  graph(): FlowGraph;
  /** Findings in document order, at their effective severity; rules turned `off` and suppressed findings are absent. Baselined ones are here, marked. */
  findings: Finding[];
  /** Findings a `# playbook-ignore` comment with a reason suppressed. */
  suppressed: SuppressedFinding[];
}

const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());

export function checkPlaybook(text: string, options: CheckOptions = {}): CheckResult {
  return checkParsed(parseForCheck(text, options), options);
}

/** The parse `checkPlaybook` starts from: on the previous parse when given (which must not be read afterwards), under the policy's limits. */
export function parseForCheck(text: string, options: Pick<CheckOptions, 'policy' | 'limits' | 'previous'> = {}): ParsedPlaybook {
  const limits = effectiveLimits(options.policy?.limits, options.limits);
  return options.previous ? reparsePlaybook(options.previous, text, limits) : parsePlaybook(text, limits);
}

/** The rules over an already parsed playbook (the editor re-checks without re-parsing). */
export function checkParsed(parsed: ParsedPlaybook, options: CheckOptions = {}): CheckResult {
  const policy = options.policy ?? DEFAULT_POLICY;
  const text = parsed.text;
  let graph: FlowGraph | undefined;
  let suppressions: SuppressionScan | undefined;
  const context: RuleContext = {
    parsed,
    policy,
    advisories: options.advisories,
    releases: options.releases,
    now: options.now,
    graph: () => (graph ??= flowGraphOf(parsed)),
    suppressions: () => (suppressions ??= scanSuppressions(text, parsed.model.steps, KNOWN_RULE_IDS, { parsedCleanly: parsed.yaml !== undefined && parsed.yaml.errors.length === 0, now: options.now })),
  };
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const run: RuleRun = { policy, advisories: options.advisories, releases: options.releases, now: options.now?.getTime(), byRule: new Map() };
  for (const rule of RULES) {
    const setting: SeveritySetting | undefined = policy.rules[rule.id];
    if (setting === 'off') continue;
    const found = ruleFindings(rule, context, run);
    run.byRule.set(rule.id, found);
    for (const raw of found) {
      const finding = setting ? { ...raw, severity: setting } : raw;
      if (raw.external) {
        suppressed.push({ ...finding, suppression: { kind: 'external', reason: raw.external.reason, file: raw.external.file, range: { start: 0, end: 0 } } });
        continue;
      }
      const suppression = raw.stepIndex === undefined ? undefined : suppressionFor(context.suppressions(), raw);
      if (suppression) suppressed.push({ ...finding, suppression: { reason: suppression.reason, range: suppression.range, ...(suppression.until !== undefined ? { until: suppression.until } : {}) } });
      else findings.push(finding);
    }
  }
  rememberRun(parsed, run);
  findings.sort(byPosition);
  suppressed.sort(byPosition);
  const redact = redactorFor(parsed);
  const redacted = findings.map((f) => redactFinding(f, redact));
  return {
    parsed,
    policy,
    advisories: options.advisories,
    ...(options.releases ? { releases: options.releases } : {}),
    graph: context.graph,
    findings: options.baseline ? markBaselined(redacted.map((f) => ({ ...f, baselineKey: baselineKey(parsed, f, redact) })), options.baseline) : redacted,
    suppressed: suppressed.map((f) => ({ ...redactFinding(f, redact), suppression: { ...f.suppression, reason: redact(f.suppression.reason) } })),
  };
}

/**
 * What a finding says goes through the secret redaction, so no adapter (CLI text, JSON, SARIF, the
 * editor's diagnostics) can show a secret that a message, a related location or `data` echoes.
 */
function redactFinding<F extends Finding>(finding: F, redact: Redact): F {
  const out: F = { ...finding, message: redact(finding.message) };
  if (finding.related) out.related = finding.related.map((r) => ({ ...r, message: redact(r.message) }));
  if (finding.data) out.data = redactedData(finding.data, redact);
  return out;
}

/**
 * A finding a rule kept through an edit keeps its `data` object, and an edit that changes no secret
 * keeps the redaction (security/redact.ts): such data is redacted once, not on every keystroke
 * (PB101's lists every affected component of a release).
 */
const redactedDataOf = new WeakMap<object, { redact: Redact; out: Record<string, unknown> }>();

function redactedData(data: Record<string, unknown>, redact: Redact): Record<string, unknown> {
  const known = redactedDataOf.get(data);
  if (known?.redact === redact) return known.out;
  const out = redactDeep(data, redact);
  redactedDataOf.set(data, { redact, out });
  return out;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId);
}
