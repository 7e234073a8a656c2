/**
 * `playbook rules [ID]`: the rule catalog with default and effective severity under the current
 * policy; with a rule id (or name), that rule's documentation page, readable in a terminal.
 */
import * as path from 'node:path';
import { DEFAULT_POLICY, didYouMean, ruleDocUrl, RULES } from '../../core/index.js';
import { findPolicyFile, loadPolicyFile, type LoadedPolicy } from '../../node/policyFiles.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { markdownText } from '../output/markdownText.js';
import { emitReport } from '../outputFile.js';
import { shownPath } from '../report.js';
import { rulePage } from '../rulePages.js';
import { UsageError } from '../usageError.js';
import { notePolicyAbove } from '../policyAbove.js';

export interface RulesArgs {
  /** A rule id (any case) or name: show its page instead of the catalog. */
  rule: string | undefined;
  policyFile: string | undefined;
  format: 'text' | 'json';
  /** `--output`: write the report to this file instead of standard output. */
  output: string | undefined;
}

export async function runRules(args: RulesArgs, io: CliIO): Promise<ExitCode> {
  // An unknown rule is a usage mistake, said before any policy is read.
  const wanted = args.rule === undefined ? undefined : findRule(args.rule);
  const file = args.policyFile ? path.resolve(io.cwd, args.policyFile) : await findPolicyFile(io.cwd, io.cwd);
  const loaded: LoadedPolicy = file ? await loadPolicyFile(file) : { policy: DEFAULT_POLICY, findings: [], applied: false };
  await notePolicyAbove(io, file === undefined, false);
  const rows = RULES.map((r) => ({ id: r.id, name: r.name, family: r.family, default: r.defaultSeverity, effective: loaded.policy.rules[r.id] ?? r.defaultSeverity, summary: r.summary, docs: ruleDocUrl(r.id) }));
  const source = file ? shownPath(file, io.cwd) : undefined;
  if (loaded.findings.length) io.stderr(`playbook: ${source}: the policy has problems (run 'playbook check' to see them); the built-in defaults apply\n`);
  if (wanted) {
    const row = rows.find((r) => r.id === wanted.id)!;
    // Every rule has a page (a test checks the bundle holds each one); the link is the fallback all the same.
    const page = rulePage(row.id) ?? `# ${row.id} — ${row.name}\n\n${row.summary}\n\n${row.docs}\n`;
    if (args.format === 'json') return done(await emitReport(io, args.output, JSON.stringify({ policy: source ?? null, policyApplied: loaded.applied, rule: row, page }, null, 2) + '\n'));
    const policy = source ? `policy ${source}${loaded.applied ? '' : ', invalid: the defaults apply'}` : 'no policy found: the built-in defaults';
    return done(await emitReport(io, args.output, `${markdownText(page, row.docs)}\nEffective severity: ${row.effective} (${policy})\n`));
  }
  if (args.format === 'json') return done(await emitReport(io, args.output, JSON.stringify({ policy: source ?? null, policyApplied: loaded.applied, rules: rows }, null, 2) + '\n'));
  const lines = [`Policy: ${source ? `${source}${loaded.applied ? '' : ' (invalid: defaults apply)'}` : 'none found (built-in defaults)'}`, ''];
  lines.push(`${'ID'.padEnd(7)}${'DEFAULT'.padEnd(9)}${'EFFECTIVE'.padEnd(11)}${'NAME'.padEnd(28)}SUMMARY`);
  for (const r of rows) lines.push(`${r.id.padEnd(7)}${r.default.padEnd(9)}${r.effective.padEnd(11)}${r.name.padEnd(28)}${r.summary}`);
  return done(await emitReport(io, args.output, lines.join('\n') + '\n'));
}

/** `PB101`, `pb101` or `vulnerable-release`; anything else is a usage error naming the nearest rule. */
function findRule(wanted: string): (typeof RULES)[number] {
  const key = wanted.trim().toLowerCase();
  const rule = RULES.find((r) => r.id.toLowerCase() === key || r.name === key);
  if (rule) return rule;
  throw new UsageError(`unknown rule \`${wanted}\`${didYouMean(wanted, RULES.flatMap((r) => [r.id, r.name]))} (\`playbook rules\` lists them)`);
}

function done(written: boolean): ExitCode {
  return written ? EXIT.ok : EXIT.usage;
}
