/**
 * Where `playbook check` puts each file's report: text and GitHub annotations to standard output
 * are printed file by file as reports arrive (in path order); JSON, SARIF and any `--output` file
 * are written whole at the end.
 */
import type { Policy } from '../core/index.js';
import type { CliIO } from './io.js';
import { emitReport } from './outputFile.js';
import { formatGithubReport } from './output/github.js';
import { formatJson } from './output/json.js';
import { formatSarif } from './output/sarif.js';
import { formatText, formatTextReport, formatTextSummary, type TextOptions } from './output/text.js';
import { addToTotals, emptyTotals, type FileReport, type Totals } from './report.js';

export interface SinkOptions extends TextOptions {
  format: 'text' | 'json' | 'sarif' | 'github';
  output: string | undefined;
  toolVersion: string;
  /** Some file is matched against a baseline (JSON and SARIF then say of each finding whether it is new). */
  baseline: boolean;
}

export class ReportSink {
  private readonly reports: FileReport[] = [];
  private readonly totals: Totals = emptyTotals();
  private playbooks = 0;
  private readonly streaming: boolean;

  constructor(private readonly options: SinkOptions, private readonly io: CliIO) {
    this.streaming = (options.format === 'text' || options.format === 'github') && !options.output;
  }

  add(report: FileReport): void {
    addToTotals(this.totals, report);
    if (report.kind === 'playbook') this.playbooks++;
    // A streamed report is printed and let go, so memory does not grow with the number of files.
    if (!this.streaming) this.reports.push(report);
    else {
      const lines = this.options.format === 'github' ? formatGithubReport(report, this.options) : formatTextReport(report, this.options);
      if (lines) this.io.stdout(lines);
    }
  }

  /** Writes what is left (the summary, or the whole report) and returns the totals over every file, and whether the `--output` file (if any) was written. */
  async finish(problems: Array<{ argument: string; reason: string }>, policy: Policy): Promise<{ totals: Totals; written: boolean }> {
    if (this.streaming) {
      this.io.stdout(formatTextSummary(this.totals, this.playbooks, this.options));
      return { totals: this.totals, written: true };
    }
    const written = await emitReport(this.io, this.options.output, this.render(problems, policy));
    return { totals: this.totals, written };
  }

  private render(problems: Array<{ argument: string; reason: string }>, policy: Policy): string {
    switch (this.options.format) {
      case 'json': return formatJson(this.reports, this.options);
      case 'sarif': return formatSarif(this.reports, { toolVersion: this.options.toolVersion, policy, notifications: problems, baseline: this.options.baseline });
      case 'github': return this.reports.map((r) => formatGithubReport(r, this.options)).join('') + formatTextSummary(this.totals, this.playbooks, this.options);
      default: return formatText(this.reports, this.options);
    }
  }
}
