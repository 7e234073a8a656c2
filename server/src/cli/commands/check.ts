/** `playbook check [paths...]`: the same checks as the editor, for CI. */
import * as path from 'node:path';
import { checkPlaybook } from '../../core/check.js';
import { effectiveLimits } from '../../core/limits.js';
import type { Finding } from '../../core/types.js';
import { decodeBytes } from '../../core/parse/decode.js';
import { sizeLimitFinding } from '../../core/parse/parsePlaybook.js';
import { DEFAULT_POLICY } from '../../core/policy/policy.js';
import { findPlaybooks } from '../../node/findPlaybooks.js';
import { advisoryProblemFindings } from '../../core/advisories/problemFindings.js';
import { CheckEnvironment, type Environment } from '../../node/checkEnvironment.js';
import { readFileSafely } from '../../node/readFile.js';
import type { CliIO } from '../io.js';
import { formatJson } from '../output/json.js';
import { formatSarif } from '../output/sarif.js';
import { formatText } from '../output/text.js';
import { displayPath, totals, type FileReport } from '../report.js';
import { EXIT, type ExitCode } from '../exitCodes.js';

export interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  maxWarnings: number | undefined;
  quiet: boolean;
  showSuppressed: boolean;
  policyFile: string | undefined;
  output: string | undefined;
  toolVersion: string;
}

export async function runCheck(args: CheckArgs, io: CliIO): Promise<ExitCode> {
  const targets = args.paths.length ? args.paths : ['.'];
  const expansion = await findPlaybooks(targets, io.cwd);
  const problems = [...expansion.problems];
  const environments = new CheckEnvironment(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const reports: FileReport[] = [];
  for (const file of expansion.files) {
    const { loaded, advisories } = await environments.forPlaybook(file);
    const limits = effectiveLimits(loaded.policy.limits);
    const read = await readFileSafely(file, limits.maxDocumentLength);
    if ('error' in read) {
      problems.push({ argument: displayPath(file, io.cwd), reason: read.error });
      continue;
    }
    const base = { path: file, displayPath: displayPath(file, io.cwd), kind: 'playbook' as const };
    if (read.size > limits.maxDocumentLength) {
      reports.push({ ...base, text: '', findings: [sizeLimitFinding(read.size, limits)], suppressed: [] });
      continue;
    }
    const decoded = decodeBytes(read.bytes);
    if ('finding' in decoded) {
      reports.push({ ...base, text: '', findings: [decoded.finding], suppressed: [] });
      continue;
    }
    const result = checkPlaybook(decoded.text, { policy: loaded.policy, advisories });
    const relative = <T extends Finding>(f: T): T => (f.related?.some((r) => r.file) ? { ...f, related: f.related.map((r) => (r.file ? { ...r, file: displayPath(r.file, io.cwd) } : r)) } : f);
    reports.push({ ...base, text: decoded.text, findings: result.findings.map(relative), suppressed: result.suppressed.map(relative) });
  }
  const used = await environments.used();
  reports.push(...used.flatMap((environment) => policyReports(environment, io.cwd)));
  for (const p of problems) io.stderr(`playbook: ${p.argument}: ${p.reason}\n`);
  if (expansion.files.length === 0 && problems.length === 0) io.stderr('playbook: no playbooks found\n');

  const output = render(reports, args, problems, used[0]?.loaded.policy ?? DEFAULT_POLICY);
  if (args.output) await io.writeFile(path.resolve(io.cwd, args.output), output);
  else io.stdout(output);

  if (problems.length || expansion.files.length === 0) return EXIT.usage;
  const t = totals(reports);
  if (t.error > 0) return EXIT.findings;
  if (args.maxWarnings !== undefined && t.warning > args.maxWarnings) {
    io.stderr(`playbook: ${t.warning} warnings, more than --max-warnings ${args.maxWarnings}\n`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

/** The policy's own findings and its advisory problems (PB110), as reports on the policy file, or on each broken record when there is no policy file. */
function policyReports({ loaded, advisories }: Environment, cwd: string): FileReport[] {
  const show = (file: string): string => displayPath(file, cwd);
  if (loaded.file) {
    const findings = [...loaded.findings, ...advisoryProblemFindings(advisories, loaded.text ?? '', loaded.policy, show)];
    return findings.length ? [{ path: loaded.file, displayPath: show(loaded.file), kind: 'policy', text: loaded.text ?? '', findings, suppressed: [] }] : [];
  }
  return advisories.problems
    .filter((p) => p.file)
    .map((p) => ({ path: p.file, displayPath: show(p.file), kind: 'policy' as const, text: '', findings: [{ ruleId: 'PB110', severity: p.severity, message: p.message, range: { start: 0, end: 0 } }], suppressed: [] }));
}

function render(reports: FileReport[], args: CheckArgs, problems: Array<{ argument: string; reason: string }>, policy: typeof DEFAULT_POLICY): string {
  switch (args.format) {
    case 'json': return formatJson(reports, args.showSuppressed);
    case 'sarif': return formatSarif(reports, { toolVersion: args.toolVersion, policy, notifications: problems });
    default: return formatText(reports, { quiet: args.quiet, showSuppressed: args.showSuppressed });
  }
}
