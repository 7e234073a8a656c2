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
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { checkPlaybook, renderRunMarkdown, reportPlaybook, runReport, redactorFor } from '../../core/index.js';
import { CheckEnvironment } from '../../node/checkEnvironment.js';
import { readFileSafely } from '../../node/readFile.js';
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

const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export async function runRunsReport(args: RunsReportArgs, io: CliIO): Promise<ExitCode> {
  const full = path.resolve(io.cwd, args.file);
  const shown = shownPath(full, io.cwd);
  const verified = await readRunRecord(full);
  if ('problem' in verified && verified.line === undefined && /^cannot be read|is not UTF-8|is over/.test(verified.problem)) {
    io.stderr(`playbook: ${shown} ${verified.problem}\n`);
    return EXIT.usage;
  }
  // A broken chain is reported too: every line that is JSON, under the verifier's words.
  const events = 'problem' in verified ? await jsonLines(full) : verified.events;
  const verification = 'problem' in verified ? { ok: false, problem: verified.line === undefined ? verified.problem : `line ${verified.line} ${verified.problem}` } : { ok: true, unfinished: verified.unfinished };
  const playbook = await followedPlaybook(full, events[0], args.policyFile, io.cwd);
  const report = runReport(events, verification, playbook ?? {});
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

async function jsonLines(file: string): Promise<unknown[]> {
  const read = await readFileSafely(file, MAX_RECORD_BYTES);
  if ('error' in read) return [];
  return Buffer.from(read.bytes).toString('utf8').split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as unknown] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The playbook the run followed: the file its run-started names, relative to the workspace the
 * record was written in (two folders above `.playbooks/runs/`) or to the working directory, when its
 * text still has the SHA-256 the run recorded.
 */
async function followedPlaybook(recordFile: string, first: unknown, policyFile: string | undefined, cwd: string): Promise<Parameters<typeof runReport>[2] | undefined> {
  const started = first as { type?: unknown; playbook?: { file?: unknown; sha256?: unknown } } | undefined;
  const named = started?.type === 'run-started' && typeof started.playbook?.file === 'string' ? started.playbook.file : undefined;
  const sha256 = typeof started?.playbook?.sha256 === 'string' ? started.playbook.sha256 : undefined;
  if (named === undefined || sha256 === undefined) return undefined;
  for (const base of [path.resolve(path.dirname(recordFile), '..', '..'), cwd]) {
    const file = path.resolve(base, named);
    const read = await readFileSafely(file, MAX_RECORD_BYTES);
    if ('error' in read) continue;
    const text = Buffer.from(read.bytes).toString('utf8');
    if (createHash('sha256').update(text).digest('hex') !== sha256) continue;
    const environment = await new CheckEnvironment(cwd, policyFile ? path.resolve(cwd, policyFile) : undefined).forPlaybook(file);
    const analysis = checkPlaybook(text, { policy: environment.loaded.policy });
    return { playbook: reportPlaybook(analysis, sha256), redact: redactorFor(analysis.parsed) };
  }
  return undefined;
}
