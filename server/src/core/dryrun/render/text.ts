/** The dry-run for a terminal: one line per step, details indented under it, then the summary. */
import type { DryRun, FindingRef, TraceEntry } from '../types.js';
import { advisoriesText, NOTHING_EXECUTED, notifiedText, outcomeText, scenarioText, statusLabel, thenText } from './words.js';

export function renderText(run: DryRun, options: { file?: string } = {}): string {
  const name = run.playbook.id ?? options.file ?? 'playbook';
  const lines = [`Dry-run of ${name}${run.playbook.title ? `: ${run.playbook.title}` : ''}${options.file ? ` (${options.file})` : ''}`, NOTHING_EXECUTED, `Scenario: ${scenarioText(run)}`, ''];
  if (run.refusal) {
    lines.push(`Outcome: ${outcomeText(run)}`, run.refusal.message, ...run.refusal.findings.map((f) => `  ${findingLine(f)}`));
    return lines.join('\n') + '\n';
  }
  const width = run.trace.reduce((widest, e) => Math.max(widest, e.step.length), 0);
  let position = 0;
  for (const entry of run.trace) {
    const number = entry.status === 'skipped' ? '   -' : `${String(++position).padStart(3)}.`;
    const then = thenText(entry);
    lines.push(`${number} ${statusLabel(entry).padEnd(8)} ${entry.step.padEnd(width)}  ${entry.wouldDo}${then ? `  ${entry.status === 'blocked' ? '✗' : '→'} ${then}` : ''}`);
    lines.push(...details(entry).map((d) => `       ${d}`));
  }
  const { summary } = run;
  lines.push(
    '',
    `Outcome: ${outcomeText(run)}`,
    `Security notified after every change: ${notifiedText(run)}`,
    ...summary.changes.map((c) => `  ${c.step} (${c.action}): ${c.gatedBy ? `gated by ${c.gatedBy}` : c.risky ? 'no approved security checkpoint before it' : 'no gate needed'}; ${c.notifiedBy ? `security told by ${c.notifiedBy}` : c.notifyRequired ? 'security not told' : 'no notification needed'}`),
    `Checkpoints: passed ${list(summary.checkpoints.passed)}; denied ${list(summary.checkpoints.denied)}; failed ${list(summary.checkpoints.failed)}`,
    `Findings that stand: ${summary.standingFindings.length ? '' : 'none'}`.trimEnd(),
    ...summary.standingFindings.map((f) => `  ${findingLine(f)}`),
    `Advisories: ${advisoriesText(run)}`,
    'SOC 2:',
    ...summary.soc2.map((p) => `  ${p.criterion} ${p.evidenced ? 'evidenced' : 'not evidenced'}${p.claimed ? ' (claimed by the playbook)' : ''}: ${p.evidence}`),
  );
  if (run.generatedAt) lines.push(`Generated at ${run.generatedAt}`);
  return lines.join('\n') + '\n';
}

function details(entry: TraceEntry): string[] {
  const out: string[] = [];
  if (entry.gate) out.push(`gate: ${entry.gate.kind}, ${entry.gate.security ? 'a security checkpoint' : 'not a security checkpoint'}`);
  for (const a of entry.advisories ?? []) {
    const on = a.component ? ` on ${a.component.name}${a.component.version !== null ? ` ${a.component.version}` : ''} (the release brings it back)` : '';
    out.push(`advisory ${a.id}${a.aliases.length ? ` (${a.aliases.join(', ')})` : ''}${on}, ${a.severity ?? 'severity unknown'}: ${a.summary ?? 'no summary'}`);
  }
  for (const f of entry.status === 'skipped' ? [] : entry.findings ?? []) out.push(findingLine(f));
  return out;
}

function findingLine(f: FindingRef): string {
  return `line ${f.line} ${f.severity} ${f.ruleId} ${f.message}`;
}

function list(ids: readonly string[]): string {
  return ids.length ? ids.join(', ') : 'none';
}
