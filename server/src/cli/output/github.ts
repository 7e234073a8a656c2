/**
 * GitHub Actions workflow commands, one per finding, which the runner shows as annotations on the
 * pull request's diff: `::error file=PATH,line=L,endLine=L2,col=C,endColumn=C2,title=PB101
 * vulnerable-release::message` (a warning is `::warning`, info `::notice`), then the plain summary
 * line of the text format. Values are escaped as the runner reads them, so a file name or a
 * message can neither end the command early nor start another one on a new line.
 */
import { type Finding, plainText, RULES } from '../../core/index.js';
import { regionOf, relatedPlace, type FileReport } from '../report.js';
import type { TextOptions } from './text.js';

const COMMAND: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };
const NAMES = new Map(RULES.map((r) => [r.id, r.name]));

/** One file's annotations (each line ending in a newline), printed as soon as the file is checked. */
export function formatGithubReport(report: FileReport, options: TextOptions): string {
  const lines = report.findings.filter((f) => !options.quiet || f.severity === 'error').map((f) => annotation(report, f));
  if (options.showSuppressed) {
    for (const f of report.suppressed) {
      const { kind, file, reason } = f.suppression;
      // A finding nobody needs to act on: a notice, whatever its severity.
      lines.push(annotation(report, { ...f, severity: 'info' }, kind === 'external' ? ` (decided by security's VEX in ${file ?? ''}: ${reason})` : ` (suppressed: ${reason})`));
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

function annotation(report: FileReport, f: Finding, suffix = ''): string {
  const at = regionOf(report, f.range);
  const properties = [
    ['file', report.displayPath],
    ['line', at.startLine],
    ['endLine', at.endLine],
    ['col', at.startColumn],
    ['endColumn', at.endColumn],
    ['title', `${f.ruleId}${NAMES.has(f.ruleId) ? ` ${NAMES.get(f.ruleId)}` : ''}`],
  ] as const;
  // Related locations (the path that breaks a rule, the advisory) as more lines of the message, as the text format indents them.
  const related = (f.related ?? []).map((r) => `\n  ${relatedPlace(report, r)} ${plainText(r.message)}`);
  return `::${COMMAND[f.severity]} ${properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',')}::${escapeData(`${plainText(f.message)}${suffix}${related.join('')}`)}`;
}

/** A command's message: `%`, CR and LF escaped (`%` first, so an escape in the text stays text). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property's value: also `:` and `,`, which would end the value or the properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
