/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that advisory matching relies on.
 * Field names keep the schema's spelling so a record read from JSON is usable as is.
 */

type OsvRangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT';

/** One event holds exactly one of these keys. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: OsvRangeType;
  repo?: string;
  events: OsvEvent[];
}

interface OsvPackage {
  ecosystem: string;
  name: string;
  purl?: string;
}

export interface OsvAffected {
  package: OsvPackage;
  /** This package's own severity, where packages of one record differ (then the record has none). */
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvRecord {
  schema_version?: string;
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected: OsvAffected[];
  database_specific?: Record<string, unknown>;
}

/** The qualitative bands GitHub advisories use (CVSS "Medium" is called MODERATE there). */
export type AdvisorySeverity = 'CRITICAL' | 'HIGH' | 'MODERATE' | 'LOW';
