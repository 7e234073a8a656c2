/**
 * `playbook releases [paths...]`: for every service of every playbook found and each of its known
 * releases, whether it is clear, affected (which advisories, on which components, worst first) or
 * not checked (and why), which SBOM was used, and what security's VEX decided. The view an SRE
 * reads before an incident and security after publishing an advisory: a report, not a gate, so it
 * exits 0 whatever the releases' status; 2 for a usage problem or an input that cannot be read
 * (the other playbooks are still reported, as `check` does).
 */
import * as path from 'node:path';
import { oneLine, parseForCheck } from '../../core/index.js';
import { CheckEnvironment, type Environment } from '../../node/checkEnvironment.js';
import { checkFailure } from '../../node/checkFile.js';
import { findPlaybooks } from '../../node/findPlaybooks.js';
import { releaseDataFor } from '../../node/releaseFiles.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { emitReport } from '../outputFile.js';
import { readPlaybookText } from '../../node/readPlaybookText.js';
import { displayPath, shownPath } from '../report.js';
import { releaseTotals, serviceReports, type ReleasesJson, type ServiceJson } from './releasesReport.js';
import { releasesText } from './releasesText.js';
import { notePolicyAbove } from '../policyAbove.js';

export interface ReleasesArgs {
  paths: string[];
  format: 'text' | 'json';
  policyFile: string | undefined;
  /** `--output`: write the report to this file instead of standard output. */
  output: string | undefined;
}

export async function runReleases(args: ReleasesArgs, io: CliIO): Promise<ExitCode> {
  const expansion = await findPlaybooks(args.paths.length ? args.paths : ['.'], io.cwd);
  let problems = 0;
  // One problem, one line, whatever characters the file's name holds.
  const problem = (argument: string, reason: string): void => {
    problems += 1;
    io.stderr(`playbook: ${oneLine(`${argument}: ${reason}`)}\n`);
  };
  for (const p of expansion.problems) problem(p.argument, p.reason);
  const environments = new CheckEnvironment(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const policiesSaid = new Set<string>();
  let usedDefaults = false;
  const playbooks: ReleasesJson['playbooks'] = [];
  for (const file of expansion.files) {
    const shown = displayPath(file, io.cwd);
    try {
      const environment = await environments.forPlaybook(file);
      const { loaded } = environment;
      usedDefaults ||= loaded.file === undefined;
      // A policy that could not be read is unreadable input; one that was read but not applied is said once.
      if (loaded.file && !loaded.applied && !policiesSaid.has(loaded.file)) {
        policiesSaid.add(loaded.file);
        if (loaded.readFailed) problem(shownPath(loaded.file, io.cwd), loaded.findings[0]?.message ?? 'cannot be read; the built-in default policy applies');
        else io.stderr(`playbook: ${shownPath(loaded.file, io.cwd)} could not be applied, so the built-in policy was used; "playbook check" shows why\n`);
      }
      const services = await playbookServices(file, environment, io.cwd);
      if ('problem' in services) problem(shown, services.problem);
      else playbooks.push({ path: shown, services: services.services });
    } catch (error) {
      problem(shown, checkFailure(error));
    }
  }
  if (expansion.files.length === 0 && problems === 0) io.stderr('playbook: no playbooks found\n');
  await notePolicyAbove(io, usedDefaults, args.policyFile !== undefined);
  const report: ReleasesJson = { version: 1, playbooks, totals: releaseTotals(playbooks) };
  const written = await emitReport(io, args.output, args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : releasesText(report));
  return problems || expansion.files.length === 0 || !written ? EXIT.usage : EXIT.ok;
}

/** One playbook read as `check` reads it (size-limited, decoded), its services reported; or why it cannot be. */
async function playbookServices(file: string, { loaded: { policy }, advisories, releases: releaseContext }: Environment, cwd: string): Promise<{ services: ServiceJson[] } | { problem: string }> {
  const read = await readPlaybookText(file, policy);
  if ('problem' in read) return read;
  const parsed = parseForCheck(read.text, { policy });
  // The SBOMs the playbook names, and the policy's SBOM and VEX folders, as the check reads them.
  const releases = await releaseDataFor(file, parsed, policy, releaseContext);
  return { services: serviceReports(parsed, advisories, releases, (f) => displayPath(f, cwd)) };
}
