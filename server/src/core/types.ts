/** Shared vocabulary of the core: findings and their locations, always as UTF-16 offsets. */

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** Half-open range of UTF-16 code-unit offsets into the document text. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** A place that explains a finding: another spot in the same file, or in another file (`file`). */
export interface RelatedLocation {
  message: string;
  range: OffsetRange;
  /** Path or URI of another file; absent means the same document. */
  file?: string;
  /** Where in that other file (0-based line, UTF-16 column): a component's line in an SBOM. Absent: its start. */
  position?: { line: number; character: number };
}

/** A finding's key in a baseline (never a line number): see baseline/fingerprint.ts. */
export interface BaselineKey {
  /** 16 hexadecimal digits over the rule, the finding's place in the YAML tree and its flagged text. */
  fingerprint: string;
  /** What a reviewer reads in the baseline file: the place and a redacted excerpt, `steps[roll-back].to: 0.9.0`. */
  hint: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: OffsetRange;
  related?: RelatedLocation[];
  /** Machine-readable facts for quick fixes (e.g. `{ replacement: 'on-failure' }`). */
  data?: Record<string, unknown>;
  /** Index of the step the finding belongs to, used by suppressions. */
  stepIndex?: number;
  /**
   * Decided outside the playbook: a VEX statement of security's (spec section 9) says the
   * advisory does not apply. The check moves such a finding to the suppressed ones.
   */
  external?: { file: string; reason: string };
  /** Set when the check was given a baseline (`CheckOptions.baseline`): the finding's key in one. */
  baselineKey?: BaselineKey;
  /**
   * The baseline lists it: it existed when the baseline was written and the team accepted it for
   * now. It stays a finding at its severity (fixes are still offered); the CLI does not count it
   * and the editor shows it as a hint.
   */
  baselined?: true;
}
