/**
 * The scenario of a dry-run and its checks: every id must name a step (a checkpoint for `deny`), so
 * that a typo never silently rehearses the all-succeed path instead of the one asked for.
 */
import type { ParsedPlaybook } from '../parse/model.js';
import { redactorFor } from '../security/redact.js';
import { didYouMean } from '../util/suggest.js';
import type { Scenario } from './types.js';


export interface ScenarioProblem {
  field: keyof Scenario;
  id: string;
  message: string;
}

/** Ids deduplicated and sorted, so the same scenario written in another order gives the same output. */
export function normalizeScenario(scenario: Partial<Scenario> = {}): Scenario {
  const tidy = (ids: readonly string[] | undefined): string[] => [...new Set(ids ?? [])].sort();
  return { fail: tidy(scenario.fail), deny: tidy(scenario.deny) };
}

/** The scenario's problems; their messages list step ids, so they pass the secret redaction too. */
export function checkScenario(parsed: ParsedPlaybook, scenario: Scenario): ScenarioProblem[] {
  const redact = redactorFor(parsed);
  return scenarioProblems(parsed, scenario).map((p) => ({ ...p, id: redact(p.id), message: redact(p.message) }));
}

function scenarioProblems(parsed: ParsedPlaybook, scenario: Scenario): ScenarioProblem[] {
  const steps = parsed.model.steps;
  const stepIds = steps.flatMap((s) => (s.id === undefined ? [] : [s.id]));
  const checkpointIds = steps.flatMap((s) => (s.id !== undefined && s.action === 'checkpoint' ? [s.id] : []));
  const problems: ScenarioProblem[] = [];
  for (const id of scenario.fail) {
    if (!stepIds.includes(id)) problems.push({ field: 'fail', id, message: `no step has the id \`${id}\`${didYouMean(id, stepIds)} The steps are: ${list(stepIds)}.` });
  }
  for (const id of scenario.deny) {
    if (checkpointIds.includes(id)) continue;
    const what = stepIds.includes(id) ? `\`${id}\` is not a checkpoint, so nobody can deny it (to make it fail, use \`fail\` instead)` : `no checkpoint has the id \`${id}\`${didYouMean(id, checkpointIds)}`;
    problems.push({ field: 'deny', id, message: `${what}. The checkpoints are: ${list(checkpointIds)}.` });
  }
  for (const id of scenario.deny) {
    if (scenario.fail.includes(id)) problems.push({ field: 'deny', id, message: `\`${id}\` is both failed and denied; choose one` });
  }
  return problems;
}

function list(ids: string[]): string {
  return ids.length ? ids.map((id) => `\`${id}\``).join(', ') : '(none)';
}

/**
 * The instant an "as of" value stands for, in ms since the epoch: a date alone means the end of
 * that day (UTC), so a record published that day counts as known. Undefined when not a real date.
 */
export function asOfInstant(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const startOfDay = Date.UTC(year, month - 1, day);
  // Date.UTC and Date.parse roll 2021-02-30 over to March; a real date survives the round trip.
  const back = new Date(startOfDay);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  if (match[4] === undefined) return startOfDay + DAY_MS - 1;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : instant;
}

const DAY_MS = 24 * 60 * 60 * 1000;
