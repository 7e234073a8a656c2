/**
 * An advisory's qualitative severity (spec section 6): `database_specific.severity` when the record
 * has one (GitHub's label), else the band of the highest CVSS v3/v4 base score among its vectors.
 */
import { Cvss3P0, Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import type { AdvisorySeverity, OsvRecord, OsvSeverity } from './types.js';

export interface SeverityVerdict {
  severity: AdvisorySeverity | undefined;
  /** Where the label came from; undefined when the record gives none. */
  source: 'database_specific' | 'cvss' | undefined;
  /** The CVSS base score behind a `cvss` label. */
  score?: number;
  vector?: string;
}

const LABELS: Readonly<Record<string, AdvisorySeverity>> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  MODERATE: 'MODERATE',
  MEDIUM: 'MODERATE',
  LOW: 'LOW',
};

/** CVSS v3/v4 qualitative bands; 0 is "None", which is no severity at all. */
export function cvssBand(score: number): AdvisorySeverity | undefined {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MODERATE';
  if (score > 0) return 'LOW';
  return undefined;
}

/** The base score of one vector, or undefined when it is not a complete v3.0/v3.1/v4.0 vector. */
export function cvssBaseScore(entry: OsvSeverity): number | undefined {
  const vector = entry.score.trim();
  try {
    let score: number | undefined;
    if (entry.type === 'CVSS_V3' && vector.startsWith('CVSS:3.1/')) score = new Cvss3P1(vector).calculateScores().base;
    else if (entry.type === 'CVSS_V3' && vector.startsWith('CVSS:3.0/')) score = new Cvss3P0(vector).calculateScores().base;
    else if (entry.type === 'CVSS_V4' && vector.startsWith('CVSS:4.0/')) score = new Cvss4P0(vector).calculateScores().base;
    // The calculator scores an incomplete vector as 0 or leaves it undefined; neither is a real score.
    return typeof score === 'number' && Number.isFinite(score) && score > 0 ? score : undefined;
  } catch {
    return undefined;
  }
}

export function advisorySeverity(record: OsvRecord): SeverityVerdict {
  const label = record.database_specific?.['severity'];
  const fromDatabase = typeof label === 'string' ? LABELS[label.trim().toUpperCase()] : undefined;
  if (fromDatabase) return { severity: fromDatabase, source: 'database_specific' };
  let best: { score: number; vector: string } | undefined;
  for (const entry of record.severity ?? []) {
    const score = cvssBaseScore(entry);
    if (score !== undefined && (!best || score > best.score)) best = { score, vector: entry.score };
  }
  if (!best) return { severity: undefined, source: undefined };
  return { severity: cvssBand(best.score), source: 'cvss', score: best.score, vector: best.vector };
}
