/** `playbook rules`: the rule catalog with default and effective severity under the current policy. */
import * as path from 'node:path';
import { DEFAULT_POLICY, ruleDocUrl, RULES } from '../../core/index.js';
import { findPolicyFile, loadPolicyFile, type LoadedPolicy } from '../../node/policyFiles.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { shownPath } from '../report.js';

export interface RulesArgs {
  policyFile: string | undefined;
  format: 'text' | 'json';
}

export async function runRules(args: RulesArgs, io: CliIO): Promise<ExitCode> {
  const file = args.policyFile ? path.resolve(io.cwd, args.policyFile) : await findPolicyFile(io.cwd, io.cwd);
  const loaded: LoadedPolicy = file ? await loadPolicyFile(file) : { policy: DEFAULT_POLICY, findings: [], applied: false };
  const rows = RULES.map((r) => ({ id: r.id, name: r.name, family: r.family, default: r.defaultSeverity, effective: loaded.policy.rules[r.id] ?? r.defaultSeverity, summary: r.summary, docs: ruleDocUrl(r.id) }));
  const source = file ? shownPath(file, io.cwd) : undefined;
  if (loaded.findings.length) io.stderr(`playbook: ${source}: the policy has problems (run \`playbook check\` to see them); the built-in defaults apply\n`);
  if (args.format === 'json') {
    io.stdout(JSON.stringify({ policy: source ?? null, policyApplied: loaded.applied, rules: rows }, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines = [`Policy: ${source ? `${source}${loaded.applied ? '' : ' (invalid: defaults apply)'}` : 'none found (built-in defaults)'}`, ''];
  lines.push(`${'ID'.padEnd(7)}${'DEFAULT'.padEnd(9)}${'EFFECTIVE'.padEnd(11)}${'NAME'.padEnd(28)}SUMMARY`);
  for (const r of rows) lines.push(`${r.id.padEnd(7)}${r.default.padEnd(9)}${r.effective.padEnd(11)}${r.name.padEnd(28)}${r.summary}`);
  io.stdout(lines.join('\n') + '\n');
  return EXIT.ok;
}
