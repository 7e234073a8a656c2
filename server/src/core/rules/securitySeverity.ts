/**
 * How bad a finding is for GitHub code scanning: SARIF's `security-severity`, a score from 0.1 to
 * 10.0 that GitHub shows as critical (9.0 and above), high (7.0–8.9), medium (4.0–6.9) or low.
 *
 * A rule's value is the same for its descriptor and for each of its results: 7.0 (high) for a
 * security or advisory rule that is an error by default, 4.0 (medium) for the others; structure
 * rules are correctness, not security, and have none. PB101's results rank by the advisory
 * instead: its CVSS base score when the severity's band agrees with it, else the lowest score of
 * the severity's band (a label says no more than that), and MODERATE's for an unknown severity,
 * which PB101 reports as it reports MODERATE.
 */
import { cvssBand } from '../advisories/severity.js';
import type { AdvisorySeverity } from '../advisories/types.js';
import type { Finding } from '../types.js';
import { RULES } from './index.js';
import type { RuleDefinition } from './rule.js';

const BAND_FLOOR: Readonly<Record<AdvisorySeverity, number>> = { CRITICAL: 9.0, HIGH: 7.0, MODERATE: 4.0, LOW: 0.1 };

export function ruleSecuritySeverity(rule: Pick<RuleDefinition, 'family' | 'defaultSeverity'>): string | undefined {
  if (rule.family === 'structure') return undefined;
  return rule.defaultSeverity === 'error' ? '7.0' : '4.0';
}

export function findingSecuritySeverity(finding: Finding): string | undefined {
  if (finding.ruleId === 'PB101') return advisoryScore(finding.data?.['severity'], finding.data?.['cvssScore']).toFixed(1);
  const rule = RULES.find((r) => r.id === finding.ruleId);
  return rule ? ruleSecuritySeverity(rule) : undefined;
}

function advisoryScore(severity: unknown, score: unknown): number {
  const band = typeof severity === 'string' && Object.hasOwn(BAND_FLOOR, severity) ? (severity as AdvisorySeverity) : 'MODERATE';
  return typeof score === 'number' && cvssBand(score) === band ? score : BAND_FLOOR[band];
}
