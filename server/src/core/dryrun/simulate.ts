/**
 * The dry-run: walks a checked playbook under a scenario and says what would happen, without doing
 * any of it. Pure and deterministic: the same analysis, scenario and options give the same result,
 * byte for byte once serialised (no clock: a timestamp only when the caller passes one).
 */
import { flowDiagram } from '../graph/flowDiagram.js';
import type { CheckResult } from '../check.js';
import { declaredChannel, securityChannel, stepField } from '../graph/securitySteps.js';
import { redactDeep, redactorFor, type Redact } from '../security/redact.js';
import type { Finding } from '../types.js';
import { traceEntry, type EntryContext } from './entries.js';
import { findingRef, lineLocator } from './findingRefs.js';
import { playbookFacts } from './playbookFacts.js';
import { flowRefusal } from './refusal.js';
import { asOfInstant, checkScenario, normalizeScenario } from './scenario.js';
import { soc2Points } from './soc2.js';
import { standingErrors, verdictOf } from './standingErrors.js';
import { changesMade, checkpointsOf, securityNotified, standingFindings } from './summary.js';
import type { DryRun, Refusal, Scenario, SimulateOptions, Summary, TraceEntry } from './types.js';
import { walkFlow } from './walk.js';

export function simulate(analysis: CheckResult, scenario: Partial<Scenario> = {}, options: SimulateOptions = {}): DryRun {
  // Every string of the result goes through the secret redaction: the JSON, both renderers and the
  // editor's report and saved file are all made from it (docs/dry-run.md, "Secrets").
  const redact = redactorFor(analysis.parsed);
  return redactDeep(rehearse(analysis, scenario, options, redact), redact);
}

function rehearse(analysis: CheckResult, scenario: Partial<Scenario>, options: SimulateOptions, redact: Redact): DryRun {
  const { parsed, policy } = analysis;
  const wanted = normalizeScenario(scenario);
  const facts = playbookFacts(parsed);
  const lineOf = lineLocator(parsed.text);
  const header = {
    playbook: { id: facts.id, title: facts.title, severity: facts.severity },
    scenario: { ...wanted, advisoriesAsOf: options.advisoriesAsOf ?? null },
  };
  const records = analysis.advisories?.index.counts().records ?? 0;
  const stamp = options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt };
  const refuse = (refusal: Refusal): DryRun => ({ ...header, advisories: { records, ignoredAsNotYetPublished: [] }, outcome: 'invalid', verdict: 'invalid', refusal, trace: [], summary: emptySummary(), ...stamp });

  const asOf = options.advisoriesAsOf === undefined ? undefined : asOfInstant(options.advisoriesAsOf);
  if (options.advisoriesAsOf !== undefined && asOf === undefined) {
    return refuse({ message: `The advisories date \`${options.advisoriesAsOf}\` is not an ISO date (2021-12-09) or date-time (2021-12-09T12:00:00Z).`, findings: [] });
  }
  const flowProblem = flowRefusal(analysis, lineOf);
  if (flowProblem) return refuse(flowProblem);
  const scenarioProblems = checkScenario(parsed, wanted);
  if (scenarioProblems.length) return refuse({ message: `The scenario does not fit this playbook: ${scenarioProblems.map((p) => `${p.field} ${p.id}: ${p.message}`).join(' ')}`, findings: [] });

  const steps = parsed.model.steps;
  const graph = analysis.graph();
  const walk = walkFlow(graph, {
    resultOf: (i) => (wanted.fail.includes(steps[i]!.id!) ? 'failed' : wanted.deny.includes(steps[i]!.id!) ? 'denied' : 'ran'),
    abortsOnFailure: (i) => (stepField(steps[i]!, 'on-failure')?.value ?? 'abort') === 'abort',
  });
  if (walk.outcome === 'invalid') {
    return refuse({ message: `The walk did not end within ${walk.visits.length} visits; the flow must loop somewhere.`, findings: [] });
  }

  const context: EntryContext = {
    model: parsed.model,
    policy,
    advisories: analysis.advisories,
    releases: analysis.releases,
    asOf,
    owners: facts.owners,
    securityChannel: securityChannel(parsed),
    channel: (name) => declaredChannel(parsed, name),
    redact,
    findingsByStep: byStep(analysis.findings),
    lineOf,
    notYetPublished: new Set(),
    sources: new Map(),
  };
  const playbookWide = analysis.findings.filter((f) => f.stepIndex === undefined).map((f) => {
    const ref = findingRef(f, lineOf);
    context.sources.set(ref, { finding: f });
    return ref;
  });
  const visited = new Set(walk.visits.map((v) => v.index));
  const trace: TraceEntry[] = [
    ...walk.visits.map((visit) => traceEntry(steps[visit.index]!, visit, context)),
    ...steps.filter((s) => !visited.has(s.index)).map((s) => traceEntry(s, undefined, context)),
  ];
  const changes = changesMade(trace, policy);
  const notified = securityNotified(changes);
  const standing = standingFindings(trace, playbookWide);
  return {
    ...header,
    advisories: { records, ignoredAsNotYetPublished: [...context.notYetPublished].sort() },
    outcome: walk.outcome,
    verdict: verdictOf(walk.outcome, standing),
    trace,
    flow: { diagram: flowDiagram(analysis), path: [...walk.visits.filter((v) => v.status !== 'blocked').map((v) => `s${v.index}`), 'finish'] },
    summary: {
      securityNotified: notified,
      changes,
      checkpoints: checkpointsOf(trace),
      standingFindings: standing,
      standingErrors: standingErrors(standing, context.sources),
      soc2: soc2Points({ trace, outcome: walk.outcome, changes, standing, compliance: facts.compliance }),
    },
    ...stamp,
  };
}

/**
 * Whether a run is the one CI and the CLI call a success (exit 0): resolved, with security told of
 * every change it must hear of, and no error-level finding standing against it.
 */
export function isCleanRun(run: DryRun): boolean {
  return run.outcome === 'resolved' && run.summary.securityNotified && run.summary.standingErrors.length === 0;
}

function emptySummary(): Summary {
  return { securityNotified: false, changes: [], checkpoints: { approved: [], denied: [], failed: [] }, standingFindings: [], standingErrors: [], soc2: [] };
}

function byStep(findings: readonly Finding[]): Map<number, Finding[]> {
  const map = new Map<number, Finding[]>();
  for (const f of findings) {
    if (f.stepIndex === undefined) continue;
    const list = map.get(f.stepIndex);
    if (list) list.push(f);
    else map.set(f.stepIndex, [f]);
  }
  return map;
}
