/** `playbook check [paths...]`: the same checks as the editor, for CI, on every core when it pays. */
import * as path from 'node:path';
import { type Finding, DEFAULT_POLICY, oneLine } from '../../core/index.js';
import type { CheckedFile } from '../../node/checkFile.js';
import { findPlaybooks } from '../../node/findPlaybooks.js';
import { createFileChecker, poolSize } from '../../node/checkPool.js';
import type { EnvironmentReport, EnvironmentSpec } from '../../node/checkTask.js';
import { baselinePlan, WRITING_PLAN, type BaselinePlan } from '../baselinePlan.js';
import { BaselineWriter } from '../baselineWriter.js';
import type { CliIO } from '../io.js';
import { displayPath, type FileReport } from '../report.js';
import { ReportSink } from '../reportSink.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { notePolicyAbove } from '../policyAbove.js';

export interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'github';
  maxWarnings: number | undefined;
  quiet: boolean;
  showSuppressed: boolean;
  policyFile: string | undefined;
  output: string | undefined;
  /** At most this many worker threads (`--jobs`); undefined: one per core when there are enough files. */
  jobs?: number | undefined;
  toolVersion: string;
  /** `--baseline FILE`: report only findings it does not list (instead of the policy's `baseline`). */
  baseline?: string | undefined;
  /** `--write-baseline FILE`: write every current finding there instead of reporting them. */
  writeBaseline?: string | undefined;
}

type Problem = { argument: string; reason: string };

/** Where each checked file goes: the report, or the baseline being written. */
interface FileSink {
  playbook(check: CheckedFile, entries: number | undefined): void;
  policy(report: EnvironmentReport['files'][number]): void;
}

export async function runCheck(args: CheckArgs, io: CliIO): Promise<ExitCode> {
  const targets = args.paths.length ? args.paths : ['.'];
  const expansion = await findPlaybooks(targets, io.cwd);
  const problems: Problem[] = [];
  const problem = (p: Problem): void => {
    problems.push(p);
    // One problem, one line, whatever characters the file's name holds (SARIF keeps the real name).
    io.stderr(`playbook: ${oneLine(`${p.argument}: ${p.reason}`)}\n`);
  };
  const plan = args.writeBaseline !== undefined ? WRITING_PLAN : await baselinePlan(expansion.files, args, io.cwd);
  if ('problems' in plan) {
    for (const line of plan.problems) io.stderr(`playbook: ${oneLine(line)}\n`);
    return EXIT.usage;
  }
  expansion.problems.forEach(problem);
  if (args.writeBaseline !== undefined) {
    const writer = new BaselineWriter(path.resolve(io.cwd, args.writeBaseline), io);
    await checkFiles(expansion.files, plan, args, io, problem, { playbook: (check) => writer.add(check), policy: (report) => writer.addPolicyFindings(report.findings.length) });
    if (expansion.files.length === 0 && problems.length === 0) io.stderr('playbook: no playbooks found\n');
    const written = writer.finish();
    return problems.length || expansion.files.length === 0 || !written ? EXIT.usage : EXIT.ok;
  }

  const sink = new ReportSink({ format: args.format, output: args.output, quiet: args.quiet, showSuppressed: args.showSuppressed, toolVersion: args.toolVersion, baseline: plan.inUse }, io);
  const used = await checkFiles(expansion.files, plan, args, io, problem, {
    playbook: (check, entries) => sink.add(playbookReport(check, io.cwd, entries)),
    policy: (f) => sink.add({ path: f.file, displayPath: displayPath(f.file, io.cwd), kind: 'policy', text: f.text, findings: f.findings, suppressed: [] }),
  });
  if (expansion.files.length === 0 && problems.length === 0) io.stderr('playbook: no playbooks found\n');
  await notePolicyAbove(io, used.some((u) => u.key === ''), args.policyFile !== undefined);

  const { totals: t, written } = await sink.finish(problems, used[0]?.policy ?? DEFAULT_POLICY);
  if (problems.length || expansion.files.length === 0 || !written) return EXIT.usage;
  if (t.error > 0) return EXIT.findings;
  if (args.maxWarnings !== undefined && t.warning > args.maxWarnings) {
    io.stderr(`playbook: ${t.warning} warnings, more than --max-warnings ${args.maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/**
 * Checks the files (in path order, on workers when it pays), each against its baseline entries,
 * and hands each result to the sink, then the findings on the policies used; returns those policies.
 */
async function checkFiles(files: readonly string[], plan: BaselinePlan, args: CheckArgs, io: CliIO, problem: (p: Problem) => void, sink: FileSink): Promise<EnvironmentReport[]> {
  const environment: EnvironmentSpec = { kind: 'discover', rootDir: io.cwd, ...(args.policyFile ? { policyFile: path.resolve(io.cwd, args.policyFile) } : {}) };
  const checker = createFileChecker({ files: files.length, jobs: args.jobs, worker: io.checkWorker });
  // Policies in the order playbooks first use them, each with its own report (sent by whichever thread loaded it first).
  const policyOrder = new Set<string>();
  const policies = new Map<string, EnvironmentReport>();
  try {
    const results = files.map((file) => {
      const baseline = plan.entriesFor(file);
      return { baseline, result: checker.check({ file, environment, ...(baseline ? { baseline } : {}) }) };
    });
    for (const { baseline, result } of results) {
      const { check, policyKey, environment: report } = await result;
      if (policyKey !== undefined) policyOrder.add(policyKey);
      if (report && !policies.has(report.key)) policies.set(report.key, report);
      if ('error' in check) problem({ argument: displayPath(check.file, io.cwd), reason: check.error });
      else sink.playbook(check, baseline && baseline.reduce((n, e) => n + e.count, 0));
    }
  } finally {
    await checker.close();
  }
  if (args.jobs !== undefined && poolSize(files.length, args.jobs) > 0 && checker.stats.inWorkers === 0 && checker.stats.inThisThread > 0) {
    io.stderr(`playbook: --jobs ${args.jobs}: worker threads could not start; the files were checked in one thread\n`);
  }
  const used = [...policyOrder].flatMap((key) => policies.get(key) ?? []);
  for (const { files: policyFiles } of used) for (const f of policyFiles) sink.policy(f);
  return used;
}

/** `entries`: how many findings the file's baseline lists for it (undefined: no baseline applies to it). */
function playbookReport(check: CheckedFile, cwd: string, entries: number | undefined): FileReport {
  // Related locations in other files (an advisory record) are shown relative to the working directory, like the file itself.
  const relative = <T extends Finding>(f: T): T => (f.related?.some((r) => r.file) ? { ...f, related: f.related.map((r) => (r.file ? { ...r, file: displayPath(r.file, cwd) } : r)) } : f);
  // The VEX document that decided a suppressed finding, likewise.
  const decided = (f: CheckedFile['suppressed'][number]): CheckedFile['suppressed'][number] => (f.suppression.file ? { ...f, suppression: { ...f.suppression, file: displayPath(f.suppression.file, cwd) } } : f);
  const findings = check.findings.map(relative);
  const baselined = findings.filter((f) => f.baselined);
  return {
    path: check.file,
    displayPath: displayPath(check.file, cwd),
    kind: 'playbook',
    text: check.text,
    findings: baselined.length ? findings.filter((f) => !f.baselined) : findings,
    suppressed: check.suppressed.map((f) => decided(relative(f))),
    ...(entries !== undefined ? { baselined, baselineUnmatched: entries - baselined.length } : {}),
  };
}
