/** `playbook rules`: the rule catalog with default and effective severity under the current policy. */
import * as path from 'node:path';
import { DEFAULT_POLICY, ruleDocUrl, RULES } from '../../core/index.js';
import { findPolicyFile, loadPolicyFile, type LoadedPolicy } from '../../node/policyFiles.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { emitReport } from '../outputFile.js';
import { shownPath } from '../report.js';

export interface RulesArgs {
  policyFile: string | undefined;
  format: 'text' | 'json';
  /** `--output`: write the report to this file instead of standard output. */
  output: string | undefined;
}

export async function runRules(args: RulesArgs, io: CliIO): Promise<ExitCode> {
  const file = args.policyFile ? path.resolve(io.cwd, args.policyFile) : await findPolicyFile(io.cwd, io.cwd);
  const loaded: LoadedPolicy = file ? await loadPolicyFile(file) : { policy: DEFAULT_POLICY, findings: [], applied: false };
  const rows = RULES.map((r) => ({ id: r.id, name: r.name, family: r.family, default: r.defaultSeverity, effective: loaded.policy.rules[r.id] ?? r.defaultSeverity, summary: r.summary, docs: ruleDocUrl(r.id) }));
  const source = file ? shownPath(file, io.cwd) : undefined;
  if (loaded.findings.length) io.stderr(`playbook: ${source}: the policy has problems (run \`playbook check\` to see them); the built-in defaults apply\n`);
  if (args.format === 'json') return done(await emitReport(io, args.output, JSON.stringify({ policy: source ?? null, policyApplied: loaded.applied, rules: rows }, null, 2) + '\n'));
  const lines = [`Policy: ${source ? `${source}${loaded.applied ? '' : ' (invalid: defaults apply)'}` : 'none found (built-in defaults)'}`, ''];
  lines.push(`${'ID'.padEnd(7)}${'DEFAULT'.padEnd(9)}${'EFFECTIVE'.padEnd(11)}${'NAME'.padEnd(28)}SUMMARY`);
  for (const r of rows) lines.push(`${r.id.padEnd(7)}${r.default.padEnd(9)}${r.effective.padEnd(11)}${r.name.padEnd(28)}${r.summary}`);
  return done(await emitReport(io, args.output, lines.join('\n') + '\n'));
}

function done(written: boolean): ExitCode {
  return written ? EXIT.ok : EXIT.usage;
}
