/**
 * What stands against a run: each error-level standing finding in a few words ("roll-back-search
 * brings back a vulnerable release: 2.14.1 has GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL
 * (PB101)"), and the run's verdict in one line ("resolved, but brings back a vulnerable release").
 * A run that reaches its end is not a clean run while any of them stands.
 */
import { RULES_BY_ID } from '../rules/index.js';
import type { Finding } from '../types.js';
import type { FindingRef, Outcome } from './types.js';

/** The check's finding behind a standing finding, and the id of the step it is on (none for the playbook as a whole). */
export interface StandingSource {
  finding: Finding;
  step?: string;
}

interface Words {
  /** For the verdict: what the run does, "brings back a vulnerable release". */
  short: string;
  /** For the list: the finding on its step. */
  long(where: string, finding: Finding): string;
}

const WORDS: Readonly<Record<string, Words>> = {
  PB100: { short: 'runs a risky step that no security checkpoint guards on every path', long: (where) => `${where} is not guarded by a security checkpoint on every path` },
  PB101: { short: 'brings back a vulnerable release', long: (where, f) => `${where} brings back a vulnerable release${advisoryOf(f)}` },
  PB102: { short: 'can leave security uninformed of a change', long: (where) => `security is not told of ${where} on every path` },
  PB103: { short: 'names no security owner', long: () => 'the playbook names no security owner' },
  PB104: { short: 'holds a plain-text secret', long: (where) => `${where} holds a plain-text secret` },
  PB105: { short: 'runs a dangerous command', long: (where) => `${where} runs a dangerous command` },
  PB106: { short: 'leaves access open', long: (where, f) => (f.data?.['missing'] === 'duration' ? `${where} grants access with no time limit` : `${where} grants access that is not revoked on every path`) },
  PB107: { short: 'has no postmortem', long: () => 'the playbook has no postmortem step' },
  PB108: { short: 'names a release the service does not list', long: (where) => `${where} names a release the service does not list` },
};

/** Each error-level standing finding in a few words, in the order they stand; the same words once. */
export function standingErrors(standing: readonly FindingRef[], sources: ReadonlyMap<FindingRef, StandingSource>): string[] {
  const out = new Set<string>();
  for (const ref of standing) {
    if (ref.severity !== 'error') continue;
    const source = sources.get(ref);
    const where = source?.step ?? 'the playbook';
    const words = WORDS[ref.ruleId];
    const long = words && source ? words.long(where, source.finding) : `${where}: ${RULES_BY_ID.get(ref.ruleId)?.name ?? 'a finding'}`;
    out.add(`${long} (${ref.ruleId})`);
  }
  return [...out];
}

/** The outcome in one line, with what stands against the run: "resolved, but brings back a vulnerable release". */
export function verdictOf(outcome: Outcome, standing: readonly FindingRef[]): string {
  if (outcome === 'invalid') return outcome;
  const errors = standing.filter((f) => f.severity === 'error');
  if (!errors.length) return outcome;
  const shorts = [...new Set(errors.map((f) => WORDS[f.ruleId]?.short ?? `breaks ${f.ruleId}`))];
  const said = shorts.length > 1 ? `${shorts.slice(0, -1).join(', ')} and ${shorts.at(-1)}` : shorts[0];
  return `${outcome}, ${outcome === 'resolved' ? 'but' : 'and'} ${said}`;
}

/** ": 2.14.1 has GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL", from PB101's data. */
function advisoryOf(finding: Finding): string {
  const data = finding.data ?? {};
  const id = typeof data['advisory'] === 'string' ? data['advisory'] : undefined;
  if (id === undefined) return '';
  const aliases = Array.isArray(data['aliases']) ? data['aliases'].filter((a): a is string => typeof a === 'string') : [];
  const version = typeof data['version'] === 'string' ? `${data['version']} has ` : '';
  const severity = typeof data['severity'] === 'string' ? data['severity'] : 'severity unknown';
  return `: ${version}${id}${aliases.length ? ` (${aliases.join(', ')})` : ''}, ${severity}`;
}
