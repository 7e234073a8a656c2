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
  findings: Finding[];
  suppressed: SuppressedFinding[];
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
}

export function totals(reports: FileReport[]): Totals {
  const t: Totals = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const r of reports) addToTotals(t, r);
  return t;
}

export function addToTotals(t: Totals, report: FileReport): void {
  for (const f of report.findings) t[f.severity] += 1;
  t.suppressed += report.suppressed.length;
}
