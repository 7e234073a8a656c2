/** `file:line:col severity PBxxx message`, one finding a line, readable without colour. */
import { type Finding, oneLine, plainText } from '../../core/index.js';
import { regionOf, relatedPlace, totals, type FileReport, type Totals } from '../report.js';

export interface TextOptions {
  quiet: boolean;
  showSuppressed: boolean;
}

export function formatText(reports: FileReport[], options: TextOptions): string {
  const playbooks = reports.filter((r) => r.kind === 'playbook').length;
  return reports.map((r) => formatTextReport(r, options)).join('') + formatTextSummary(totals(reports), playbooks, options);
}

/** One file's lines (each ending in a newline), so the CLI can print a file as soon as it is checked. */
export function formatTextReport(report: FileReport, options: TextOptions): string {
  const lines: string[] = [];
  const shown = report.findings.filter((f) => !options.quiet || f.severity === 'error');
  for (const f of shown) lines.push(...findingLines(report, f));
  if (options.showSuppressed) {
    for (const f of report.suppressed) {
      const { kind, file, reason, until } = f.suppression;
      lines.push(...findingLines(report, f, kind === 'external' ? ` (decided by security's VEX in ${oneLine(file ?? '')}: ${oneLine(reason)})` : ` (suppressed${until !== undefined ? ` until ${until}` : ''}: ${reason})`));
    }
    for (const f of report.baselined ?? []) lines.push(...findingLines(report, f, ' (baselined)'));
  }
  return lines.map((line) => `${line}\n`).join('');
}

function findingLines(report: FileReport, f: Finding, suffix = ''): string[] {
  const at = regionOf(report, f.range);
  // A file name may hold a newline: escaped, so one finding stays one line.
  const shown = oneLine(report.displayPath);
  // A terminal shows text as it is: code spans become quoted names.
  const head = `${shown}:${at.startLine}:${at.startColumn} ${f.severity} ${f.ruleId} ${plainText(f.message)}${suffix}`;
  const related = (f.related ?? []).map((r) => `    ${oneLine(relatedPlace(report, r))} ${plainText(r.message)}`);
  return [head, ...related];
}

/** The last line: totals over every file, and how many playbooks were checked. */
export function formatTextSummary(t: Totals, playbookCount: number, options: TextOptions): string {
  const files = `${playbookCount} playbook${playbookCount === 1 ? '' : 's'}`;
  const held = [t.suppressed ? `${t.suppressed} suppressed` : '', t.baselined ? `${t.baselined} baselined` : ''].filter(Boolean);
  const suppressed = held.length ? ` (${held.join(', ')}${options.showSuppressed ? '' : '; list them with --show-suppressed'})` : '';
  // Entries of fixed findings (or of a renamed playbook) only make the baseline longer: say how to drop them.
  const n = t.baselineUnmatched;
  const unmatched = n ? `; ${n} baseline entr${n === 1 ? 'y matches' : 'ies match'} no finding any more (--write-baseline drops ${n === 1 ? 'it' : 'them'})` : '';
  if (t.error + t.warning + t.info === 0) return `no problems in ${files}${suppressed}${unmatched}\n`;
  const parts = [plural(t.error, 'error'), plural(t.warning, 'warning'), plural(t.info, 'info')];
  return `${parts.join(', ')} in ${files}${suppressed}${unmatched}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}
