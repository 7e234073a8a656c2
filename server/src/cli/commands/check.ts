/** `playbook check [paths...]`: the same checks as the editor, for CI. */
import * as path from 'node:path';
import { checkPlaybook } from '../../core/check.js';
import { DEFAULT_LIMITS } from '../../core/limits.js';
import { decodeBytes } from '../../core/parse/decode.js';
import { DEFAULT_POLICY } from '../../core/policy/policy.js';
import { findPlaybooks } from '../../node/findPlaybooks.js';
import { PolicyCache } from '../../node/policyFiles.js';
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
  const policies = new PolicyCache(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const reports: FileReport[] = [];
  for (const file of expansion.files) {
    const read = await readFileSafely(file, DEFAULT_LIMITS.maxDocumentLength);
    if ('error' in read) {
      problems.push({ argument: displayPath(file, io.cwd), reason: read.error });
      continue;
    }
    const { policy } = await policies.forPlaybook(file);
    const decoded = decodeBytes(read.bytes);
    const base = { path: file, displayPath: displayPath(file, io.cwd), kind: 'playbook' as const };
    if ('finding' in decoded) {
      reports.push({ ...base, text: '', findings: [decoded.finding], suppressed: [] });
      continue;
    }
    const result = checkPlaybook(decoded.text, { policy });
    reports.push({ ...base, text: decoded.text, findings: result.findings, suppressed: result.suppressed });
  }
  for (const loaded of await policies.loaded()) {
    if (loaded.file && loaded.findings.length) {
      reports.push({ path: loaded.file, displayPath: displayPath(loaded.file, io.cwd), kind: 'policy', text: loaded.text ?? '', findings: loaded.findings, suppressed: [] });
    }
  }
  for (const p of problems) io.stderr(`playbook: ${p.argument}: ${p.reason}\n`);
  if (expansion.files.length === 0 && problems.length === 0) io.stderr('playbook: no playbooks found\n');

  const output = render(reports, args, problems, (await policies.loaded())[0]?.policy ?? DEFAULT_POLICY);
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

function render(reports: FileReport[], args: CheckArgs, problems: Array<{ argument: string; reason: string }>, policy: typeof DEFAULT_POLICY): string {
  switch (args.format) {
    case 'json': return formatJson(reports, args.showSuppressed);
    case 'sarif': return formatSarif(reports, { toolVersion: args.toolVersion, policy, notifications: problems });
    default: return formatText(reports, { quiet: args.quiet, showSuppressed: args.showSuppressed });
  }
}
