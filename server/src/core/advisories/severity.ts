/**
 * An advisory's qualitative severity (spec section 6), read from every place the OSV schema and
 * the databases writing it put one, for the `affected` entry that matched:
 *
 * 1. the entry's own severity, when it has any: `affected[].severity[]` (CVSS v2/v3/v4 vectors,
 *    Ubuntu priorities), `affected[].database_specific.severity` and
 *    `affected[].ecosystem_specific.severity` (labels). It is about this package, so it wins over
 *    the record's, which may be about another package of the record;
 * 2. otherwise the record's: `database_specific.severity` (GitHub's label) and `severity[]`.
 *
 * Within one level, sources that disagree give the worst of them, so a high vector is never
 * hidden behind a milder label. An unknown label or an incomplete vector counts as none.
 */
import { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import type { AdvisorySeverity, OsvRecord, OsvSeverity } from './types.js';

export interface SeverityVerdict {
  severity: AdvisorySeverity | undefined;
  /** What kind of source gave it: a label, a CVSS vector, an Ubuntu priority; undefined when there is none. */
  source: 'database_specific' | 'cvss' | 'ubuntu' | undefined;
  /** The field it was read from: `database_specific.severity`, `affected[1].severity[0]`. */
  field?: string;
  /**
   * The CVSS base score behind a `cvss` verdict; for a label, the highest score of a vector at the
   * same level that gives the same band (GitHub writes both `CRITICAL` and the vector that scores
   * 10.0), so how bad the advisory is within its band is not lost when the label is named.
   */
  score?: number;
  vector?: string;
}

const NONE: SeverityVerdict = { severity: undefined, source: undefined };

/** Labels as databases write them: GitHub's (MODERATE), CVSS's (MEDIUM), Red Hat's (IMPORTANT). */
const LABELS: Readonly<Record<string, AdvisorySeverity>> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  IMPORTANT: 'HIGH',
  MODERATE: 'MODERATE',
  MEDIUM: 'MODERATE',
  LOW: 'LOW',
};

/** Ubuntu priorities (OSV severity type `Ubuntu`); `untriaged` is no severity yet. */
const UBUNTU: Readonly<Record<string, AdvisorySeverity>> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MODERATE', low: 'LOW', negligible: 'LOW' };

const SEVERITY_RANK: Readonly<Record<AdvisorySeverity, number>> = { CRITICAL: 4, HIGH: 3, MODERATE: 2, LOW: 1 };

/** CVSS v3/v4 qualitative bands; 0 is "None", which is no severity at all. */
export function cvssBand(score: number): AdvisorySeverity | undefined {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MODERATE';
  if (score > 0) return 'LOW';
  return undefined;
}

/** CVSS v2 has no Critical band: 7.0 and above is High (NVD's v2 ratings). */
function cvss2Band(score: number): AdvisorySeverity | undefined {
  return score >= 7 ? 'HIGH' : cvssBand(score);
}

/**
 * Scores already worked out, by type and vector: a load of 50,000 records meets the same few
 * thousand vectors again and again, and the calculator costs far more than a lookup. Bounded.
 */
const scores = new Map<string, number | undefined>();
const MAX_SCORES = 20_000;

/** The base score of one vector, or undefined when it is not a complete v2/v3.0/v3.1/v4.0 vector. */
export function cvssBaseScore(entry: OsvSeverity): number | undefined {
  const key = `${entry.type} ${entry.score}`;
  if (scores.has(key)) return scores.get(key);
  const score = calculateBaseScore(entry);
  if (scores.size >= MAX_SCORES) scores.clear();
  scores.set(key, score);
  return score;
}

function calculateBaseScore(entry: OsvSeverity): number | undefined {
  const vector = entry.score.trim();
  try {
    let score: number | undefined;
    if (entry.type === 'CVSS_V3' && vector.startsWith('CVSS:3.1/')) score = new Cvss3P1(vector).calculateScores().base;
    else if (entry.type === 'CVSS_V3' && vector.startsWith('CVSS:3.0/')) score = new Cvss3P0(vector).calculateScores().base;
    else if (entry.type === 'CVSS_V4' && vector.startsWith('CVSS:4.0/')) score = new Cvss4P0(vector).calculateScores().base;
    else if (entry.type === 'CVSS_V2' && !vector.startsWith('CVSS:3') && !vector.startsWith('CVSS:4')) score = new Cvss2(vector).calculateScores().base;
    // The calculator scores an incomplete vector as 0 or leaves it undefined; neither is a real score.
    return typeof score === 'number' && Number.isFinite(score) && score > 0 ? score : undefined;
  } catch {
    return undefined;
  }
}

/** A label (`HIGH`, `moderate`), or no severity. */
export function fromLabel(value: unknown, field: string): SeverityVerdict {
  const severity = typeof value === 'string' ? LABELS[value.trim().toUpperCase()] : undefined;
  return severity ? { severity, source: 'database_specific', field } : NONE;
}

/** One `severity[]` item; anything not shaped as the schema says is no severity. */
export function fromSeverityItem(item: unknown, field: string): SeverityVerdict {
  if (typeof item !== 'object' || item === null) return NONE;
  const { type, score } = item as Partial<OsvSeverity>;
  if (typeof type !== 'string' || typeof score !== 'string') return NONE;
  if (type === 'Ubuntu') {
    const severity = UBUNTU[score.trim().toLowerCase()];
    return severity ? { severity, source: 'ubuntu', field } : NONE;
  }
  const base = cvssBaseScore({ type, score });
  const severity = base === undefined ? undefined : type === 'CVSS_V2' ? cvss2Band(base) : cvssBand(base);
  return severity ? { severity, source: 'cvss', field, score: base, vector: score.trim() } : NONE;
}

/** How bad a severity is, for ordering findings worst first: 4 for CRITICAL down to 1 for LOW, 0 when unknown. */
export function severityRank(severity: AdvisorySeverity | undefined): number {
  return severity === undefined ? 0 : SEVERITY_RANK[severity];
}

/**
 * The worst verdict; on a tie the earlier source (a label before vectors), or between two vectors
 * the higher score. A label that wins a tie with vectors takes the highest of their scores.
 */
export function worstSeverity(verdicts: Iterable<SeverityVerdict>): SeverityVerdict {
  let worst = NONE;
  let tiedScore: SeverityVerdict | undefined;
  for (const verdict of verdicts) {
    if (!verdict.severity) continue;
    const order = worst.severity === undefined ? 1 : SEVERITY_RANK[verdict.severity] - SEVERITY_RANK[worst.severity];
    const higherScore = worst.source === 'cvss' && verdict.source === 'cvss' && verdict.score! > worst.score!;
    if (order > 0) tiedScore = undefined;
    if (order > 0 || (order === 0 && higherScore)) worst = verdict;
    else if (order === 0 && verdict.source === 'cvss' && (tiedScore === undefined || verdict.score! > tiedScore.score!)) tiedScore = verdict;
  }
  return worst.source !== 'cvss' && tiedScore ? { ...worst, score: tiedScore.score!, vector: tiedScore.vector! } : worst;
}

function severityItems(value: unknown, field: string): SeverityVerdict[] {
  return Array.isArray(value) ? value.map((item, i) => fromSeverityItem(item, `${field}[${i}]`)) : [];
}

function specificLabel(holder: unknown, field: string): SeverityVerdict {
  return typeof holder === 'object' && holder !== null ? fromLabel((holder as Record<string, unknown>)['severity'], `${field}.severity`) : NONE;
}

/** The record's own severity (level 2): its label and its vectors, the worst of them. */
export function advisorySeverity(record: OsvRecord): SeverityVerdict {
  return worstSeverity([specificLabel(record.database_specific, 'database_specific'), ...severityItems(record.severity, 'severity')]);
}

/** Whether an `affected` entry writes a severity of its own anywhere (most entries do not: a load skips them at once). */
export function writesSeverity(affected: OsvRecord['affected'][number]): boolean {
  const holds = (holder: unknown): boolean => typeof holder === 'object' && holder !== null && (holder as Record<string, unknown>)['severity'] !== undefined;
  return affected.severity !== undefined || holds(affected.database_specific) || holds(affected.ecosystem_specific);
}

/** The severity for `affected[entry]`: its own when it has one (level 1), else the record's. */
export function entrySeverity(record: OsvRecord, entry: number, recordLevel: SeverityVerdict = advisorySeverity(record)): SeverityVerdict {
  const affected = record.affected[entry];
  if (!affected || !writesSeverity(affected)) return recordLevel;
  const at = `affected[${entry}]`;
  const own = worstSeverity([specificLabel(affected.database_specific, `${at}.database_specific`), specificLabel(affected.ecosystem_specific, `${at}.ecosystem_specific`), ...severityItems(affected.severity, `${at}.severity`)]);
  return own.severity ? own : recordLevel;
}

