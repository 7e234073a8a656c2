/** One checked file's results, with line/column conversion done once at this edge. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SuppressedFinding, Finding, OffsetRange } from '../core/index.js';

/** A path as users see it in output (shared with the check workers, which word messages with it). */
export { displayPath, shownPath } from '../node/checkTask.js';

export interface FileReport {
  /** Absolute path. */
  path: string;
  /** Path relative to the working directory, with forward slashes. */
  displayPath: string;
  text: string;
  kind: 'playbook' | 'policy';
  /** Findings that count: with a baseline, only those it does not list. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Set when a baseline applies to the file: the findings it lists (not counted). */
  baselined?: Finding[];
  /** Entries of the baseline for this file that match no finding any more (fixed, or the playbook renamed). */
  baselineUnmatched?: number;
}

/** 1-based line and column (UTF-16 code units), as editors and SARIF count them. */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

const documents = new WeakMap<FileReport, TextDocument>();

export function regionOf(report: FileReport, range: OffsetRange): Region {
  let doc = documents.get(report);
  if (!doc) documents.set(report, (doc = TextDocument.create('file:///x', 'yaml', 0, report.text)));
  const start = doc.positionAt(range.start);
  const end = doc.positionAt(Math.max(range.start, range.end));
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** Where a related location is: `file:line:col`, in this file or another (another file alone when the core does not know the position). */
export function relatedPlace(report: FileReport, related: NonNullable<Finding['related']>[number]): string {
  if (related.file) return `${related.file}${related.position ? `:${related.position.line + 1}:${related.position.character + 1}` : ''}`;
  const at = regionOf(report, related.range);
  return `${report.displayPath}:${at.startLine}:${at.startColumn}`;
}

export interface Totals {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
  /** Findings a baseline lists. */
  baselined: number;
  /** Baseline entries of the files checked that match no finding any more. */
  baselineUnmatched: number;
}

export function emptyTotals(): Totals {
  return { error: 0, warning: 0, info: 0, suppressed: 0, baselined: 0, baselineUnmatched: 0 };
}

export function totals(reports: FileReport[]): Totals {
  const t = emptyTotals();
  for (const r of reports) addToTotals(t, r);
  return t;
}

export function addToTotals(t: Totals, report: FileReport): void {
  for (const f of report.findings) t[f.severity] += 1;
  t.suppressed += report.suppressed.length;
  t.baselined += report.baselined?.length ?? 0;
  t.baselineUnmatched += report.baselineUnmatched ?? 0;
}
