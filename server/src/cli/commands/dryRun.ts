/**
 * `playbook dry-run FILE`: rehearses a playbook under a scenario with the same policy and advisories
 * as `check`, and prints (or writes, with --out) the report. Nothing is executed; the only file
 * written is the report asked for.
 */
import * as path from 'node:path';
import { checkParsed, parseForCheck, asOfInstant, checkScenario, isCleanRun, normalizeScenario, renderMarkdown, renderText, simulate, type DryRun } from '../../core/index.js';
import { CheckEnvironment } from '../../node/checkEnvironment.js';
import { releaseDataFor } from '../../node/releaseFiles.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { writeOutput } from '../outputFile.js';
import { readPlaybookText } from '../../node/readPlaybookText.js';
import { shownPath } from '../report.js';
import { notePolicyAbove } from '../policyAbove.js';

export interface DryRunArgs {
  file: string;
  fail: string[];
  deny: string[];
  advisoriesAsOf: string | undefined;
  format: 'text' | 'json' | 'markdown';
  out: string | undefined;
  policyFile: string | undefined;
  /** The caller's clock, only when --timestamp asks for one (the report is otherwise byte-identical run to run). */
  generatedAt: string | undefined;
}

export async function runDryRun(args: DryRunArgs, io: CliIO): Promise<ExitCode> {
  const usage = (message: string): ExitCode => {
    io.stderr(`playbook: ${message}\n`);
    return EXIT.usage;
  };
  if (args.advisoriesAsOf !== undefined && asOfInstant(args.advisoriesAsOf) === undefined) {
    return usage(`--advisories-as-of takes an ISO date (2021-12-09) or date-time (2021-12-09T12:00:00Z), got ${args.advisoriesAsOf}`);
  }
  const file = path.resolve(io.cwd, args.file);
  const shown = shownPath(file, io.cwd);
  const environments = new CheckEnvironment(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const { loaded, advisories, releases: releaseContext } = await environments.forPlaybook(file);
  const read = await readPlaybookText(file, loaded.policy);
  if ('problem' in read) return usage(`${shown}: ${read.problem}`);
  await notePolicyAbove(io, loaded.file === undefined, args.policyFile !== undefined);

  if (loaded.file && !loaded.applied) io.stderr(`playbook: ${shownPath(loaded.file, io.cwd)} could not be applied, so the built-in policy was used; 'playbook check' shows why\n`);
  // The time, as the editor's check passes it: a rehearsal against old advisories says so (PB110).
  const parsed = parseForCheck(read.text, { policy: loaded.policy });
  // The SBOMs the playbook names, and the policy's SBOM and VEX folders: the trace says what a rollback brings back.
  const releases = await releaseDataFor(file, parsed, loaded.policy, releaseContext);
  const analysis = checkParsed(parsed, { policy: loaded.policy, advisories, releases, now: new Date() });

  const scenario = normalizeScenario({ fail: splitIds(args.fail), deny: splitIds(args.deny) });
  const problems = checkScenario(analysis.parsed, scenario);
  if (problems.length) {
    for (const p of problems) io.stderr(`playbook: --${p.field} ${p.id}: ${p.message}\n`);
    return EXIT.usage;
  }
  const run = simulate(analysis, scenario, { advisoriesAsOf: args.advisoriesAsOf, generatedAt: args.generatedAt });
  const report = render(run, args.format, shown);
  if (args.out) {
    const outFile = await writeOutput(io, args.out, report);
    if (outFile === undefined) return EXIT.usage;
    io.stdout(`${run.playbook.id ?? shown}: ${run.verdict}${run.outcome === 'invalid' ? '' : `, security notified: ${run.summary.securityNotified ? 'yes' : 'no'}`}; report written to ${shownPath(outFile, io.cwd)}\n`);
  } else {
    io.stdout(report);
  }
  // As `check`: 1 when an error-level finding stands (here: against the rehearsed path), and when the run is not clean.
  return isCleanRun(run) ? EXIT.ok : EXIT.findings;
}

/** `--fail a --fail b` and `--fail a,b` both work. */
function splitIds(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function render(run: DryRun, format: DryRunArgs['format'], file: string): string {
  switch (format) {
    case 'json': return `${JSON.stringify(run, null, 2)}\n`;
    case 'markdown': return renderMarkdown(run, { file });
    default: return renderText(run, { file });
  }
}
