/**
 * `playbook runs verify FILE`: checks a run record's hash chain (docs/runs.md). Exit 0 when it holds
 * (an unfinished run is said, not failed: a chain cannot tell a run still going from one whose end
 * was cut off); exit 1 naming the first line that breaks it; 2 when it cannot be read.
 *
 * `playbook runs report FILE [--format markdown|json] [-o FILE]`: the run's SOC 2 evidence. A record
 * whose chain breaks is still reported, under a warning, and evidences nothing. With the playbook the
 * run followed (found by the path and SHA-256 the record gives), each step's action is known and the
 * record is replayed through the engine.
 */
import * as path from 'node:path';
import { renderRunMarkdown } from '../../core/index.js';
import { reportOfRecord } from '../../node/runReportFile.js';
import { readRunRecord } from '../../node/runRecord.js';
import { writeOutput } from '../outputFile.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { shownPath } from '../report.js';

export async function runRunsVerify(file: string, io: CliIO): Promise<ExitCode> {
  const full = path.resolve(io.cwd, file);
  const shown = shownPath(full, io.cwd);
  const record = await readRunRecord(full);
  if ('problem' in record) {
    if (record.line === undefined) {
      io.stderr(`playbook: ${shown} ${record.problem}\n`);
      return /^cannot be read|is not UTF-8/.test(record.problem) ? EXIT.usage : EXIT.findings;
    }
    io.stdout(`${shown}: line ${record.line} ${record.problem}; the record cannot be trusted from there on\n`);
    return EXIT.findings;
  }
  const last = record.events[record.events.length - 1]!;
  const end = last.type === 'run-ended' ? `the run ended ${last.outcome}` : `the run is unfinished (its last event is ${last.type}): still going, or its end was cut off`;
  io.stdout(`${shown}: the chain holds over ${record.events.length} event${record.events.length === 1 ? '' : 's'}; ${end}\n`);
  return EXIT.ok;
}

export interface RunsReportArgs {
  file: string;
  format: 'markdown' | 'json';
  output: string | undefined;
  policyFile: string | undefined;
}


export async function runRunsReport(args: RunsReportArgs, io: CliIO): Promise<ExitCode> {
  const full = path.resolve(io.cwd, args.file);
  const shown = shownPath(full, io.cwd);
  const report = await reportOfRecord(full, io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  if ('problem' in report) {
    io.stderr(`playbook: ${shown} ${report.problem}\n`);
    return EXIT.usage;
  }
  const text = args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderRunMarkdown(report);
  if (args.output === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  const written = await writeOutput(io, args.output, text);
  if (written === undefined) return EXIT.usage;
  io.stdout(`${shown}: report written to ${shownPath(written, io.cwd)}\n`);
  return EXIT.ok;
}
