/**
 * `playbook runs verify FILE`: checks a run record's hash chain (docs/design/incident-runs.md). Exit 0
 * when it holds (an unfinished run is said, not failed: a chain cannot tell a run still going from
 * one whose end was cut off); exit 1 naming the first line that breaks it; 2 when it cannot be read.
 */
import * as path from 'node:path';
import { readRunRecord } from '../../node/runRecord.js';
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
