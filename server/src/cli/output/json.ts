/** Machine-readable results: every finding with offsets and 1-based positions. */
import type { Finding } from '../../core/index.js';
import { regionOf, totals, type FileReport } from '../report.js';

export interface JsonOptions {
  showSuppressed: boolean;
  /** A baseline is in use: each finding says whether it is new (`baselineState`, as in SARIF) and gives its fingerprint. */
  baseline: boolean;
}

export function formatJson(reports: FileReport[], { showSuppressed, baseline }: JsonOptions): string {
  const state = (f: Finding): Record<string, unknown> => (baseline ? { baselineState: f.baselined ? 'unchanged' : 'new', ...(f.baselineKey ? { fingerprint: f.baselineKey.fingerprint } : {}) } : {});
  const files = reports.map((report) => ({
    path: report.displayPath,
    kind: report.kind,
    findings: report.findings.map((f) => ({ ...findingJson(report, f), ...state(f) })),
    ...(showSuppressed ? { suppressed: report.suppressed.map((f) => ({ ...findingJson(report, f), reason: f.suppression.reason, ...(f.suppression.until !== undefined ? { until: f.suppression.until } : {}), ...(f.suppression.kind === 'external' ? { vex: f.suppression.file } : {}) })) } : {}),
    ...(showSuppressed && report.baselined ? { baselined: report.baselined.map((f) => ({ ...findingJson(report, f), ...state(f) })) } : {}),
  }));
  const { baselined, baselineUnmatched, ...counts } = totals(reports);
  return JSON.stringify({ version: 1, files, totals: baseline ? { ...counts, baselined, baselineUnmatched } : counts }, null, 2) + '\n';
}

function findingJson(report: FileReport, f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...regionOf(report, f.range),
    offset: f.range,
    ...(f.related?.length ? { related: f.related.map((r) => ({ message: r.message, file: r.file ?? report.displayPath, ...(r.file ? otherFileRegion(r) : regionOf(report, r.range)) })) } : {}),
    ...(f.data ? { data: f.data } : {}),
  };
}

/** Where in another file a related location is (1-based, as for the finding itself), when the core knows. */
function otherFileRegion(r: { position?: { line: number; character: number } }): Record<string, number> {
  return r.position ? { startLine: r.position.line + 1, startColumn: r.position.character + 1 } : {};
}
