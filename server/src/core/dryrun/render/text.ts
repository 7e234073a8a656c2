/**
 * The dry-run for a terminal: one entry per step, details indented under it, then the summary.
 * Lines keep to a fixed width (TEXT_WIDTH): prose wraps under a hanging indent, and a command or
 * query the step quotes goes on lines of its own, cut only where that changes nothing (codeLines.ts).
 */
import type { DryRun, FindingRef, TraceEntry } from '../types.js';
import { codeLines } from './codeLines.js';
import { advisoriesText, NOTHING_EXECUTED, notifiedText, outcomeText, scenarioText, statusLabel, thenText } from './words.js';
import { TEXT_WIDTH, wrapProse } from './wrapText.js';

export interface TextOptions {
  file?: string;
  /** Columns per line; TEXT_WIDTH unless a test asks for another. */
  width?: number;
}

/** The timeline's columns: `  1. ` and the status take 14; ids wider than this do not push every step's words further right. */
const NUMBER_AND_STATUS = 14;
const MAX_ID_COLUMN = 30;
/** Where a step's details (its gate, advisories, findings) start. */
const DETAIL = 7;

export function renderText(run: DryRun, options: TextOptions = {}): string {
  const width = options.width ?? TEXT_WIDTH;
  const para = (prefix: string, text: string, indent = 2): string[] => wrapProse(prefix, text, { indent, width });
  const name = run.playbook.id ?? options.file ?? 'playbook';
  const lines = [
    ...para('', `Dry-run of ${name}${run.playbook.title ? `: ${run.playbook.title}` : ''}${options.file ? ` (${options.file})` : ''}`),
    ...para('', NOTHING_EXECUTED),
    ...para('Scenario: ', scenarioText(run)),
    '',
  ];
  if (run.refusal) {
    lines.push(...para('Outcome: ', outcomeText(run)), ...para('', run.refusal.message), ...run.refusal.findings.flatMap((f) => para('  ', findingLine(f), 4)));
    return lines.join('\n') + '\n';
  }
  const idColumn = Math.min(MAX_ID_COLUMN, run.trace.reduce((widest, e) => Math.max(widest, e.step.length), 0));
  let position = 0;
  for (const entry of run.trace) {
    const number = entry.status === 'skipped' ? '   -' : `${String(++position).padStart(3)}.`;
    lines.push(...stepLines(entry, `${number} ${statusLabel(entry).padEnd(8)} ${entry.step.padEnd(idColumn)}  `, NUMBER_AND_STATUS + idColumn + 2, width));
    lines.push(...details(entry).flatMap((d) => wrapProse(' '.repeat(DETAIL), d, { indent: DETAIL + 2, width })));
  }
  const { summary } = run;
  lines.push(
    '',
    ...para('Outcome: ', outcomeText(run)),
    ...para('Security notified after every change: ', notifiedText(run)),
    ...summary.changes.flatMap((c) => para('  ', `${c.step} (${c.action}): ${c.gatedBy ? `gated by ${c.gatedBy}` : c.risky ? 'no approved security checkpoint before it' : 'no gate needed'}; ${c.notifiedBy ? `security told by ${c.notifiedBy}` : c.notifyRequired ? 'security not told' : 'no notification needed'}`, 4)),
    ...para('Checkpoints: ', `approved ${list(summary.checkpoints.approved)}; denied ${list(summary.checkpoints.denied)}; failed ${list(summary.checkpoints.failed)}`),
    `Findings that stand: ${summary.standingFindings.length ? '' : 'none'}`.trimEnd(),
    ...summary.standingFindings.flatMap((f) => para('  ', findingLine(f), 4)),
    ...para('Advisories: ', advisoriesText(run)),
    'SOC 2:',
    ...summary.soc2.flatMap((p) => para('  ', `${p.criterion} ${p.evidenced ? 'evidenced' : 'not evidenced'}${p.claimed ? ' (claimed by the playbook)' : ''}: ${p.evidence}`, 4)),
  );
  if (run.generatedAt) lines.push(`Generated at ${run.generatedAt}`);
  return lines.join('\n') + '\n';
}

/**
 * The step's head line and what it would do, wrapped under `column`. A quoted command or query
 * follows on lines of its own, and where the flow goes then comes last, on a line of its own too,
 * so it is never read as part of the command.
 */
function stepLines(entry: TraceEntry, head: string, column: number, width: number): string[] {
  const then = thenText(entry);
  const tail = then ? `${entry.status === 'blocked' ? '✗' : '→'} ${then}` : undefined;
  const { quote } = entry;
  if (quote === undefined || quote.kind === 'message') {
    // A message is prose: whole here, where `wouldDo` cuts it to one line.
    const words = quote ? `${quote.lead}: "${quote.text}"` : entry.wouldDo;
    return wrapProse(head, words, { indent: column, width, ...(tail ? { tail } : {}) });
  }
  return [
    ...wrapProse(head, `${quote.lead}:`, { indent: column, width }),
    ...codeLines(quote, column + 2, width),
    ...(tail ? [`${' '.repeat(column)}${tail}`] : []),
  ];
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
