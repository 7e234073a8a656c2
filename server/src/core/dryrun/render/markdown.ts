/**
 * The dry-run as a Markdown report, fit to attach to an incident ticket or an audit folder: what
 * was rehearsed, the timeline, gates, notifications, changes, advisories, findings, SOC 2 evidence,
 * and the statement that nothing was executed. GitHub-flavoured tables. What the playbook and the
 * advisories say is escaped (util/markdownText.ts): it shows as written and writes no markup. Table
 * cells take `phrase`: a `#` or `2.` starts nothing inside a cell.
 */
import { mermaidDiagram } from '../../graph/flowDiagramText.js';
import { code, inline, phrase, table, toolPhrase } from '../../util/markdownText.js';
import type { DryRun, FindingRef, Quote, TraceEntry } from '../types.js';
import { advisoriesText, NOTHING_EXECUTED, notifiedText, outcomeText, scenarioText, statusLabel, thenText } from './words.js';

export interface MarkdownOptions {
  /** The playbook's path as the reader should see it (relative, forward slashes). */
  file?: string;
}

export function renderMarkdown(run: DryRun, options: MarkdownOptions = {}): string {
  const name = run.playbook.id ?? options.file ?? 'playbook';
  const out: string[] = [`# Dry-run: ${inline(name)}`, '', `> ${NOTHING_EXECUTED}`, ''];
  out.push(...table(['', ''], [
    ['Playbook', `${code(name)}${run.playbook.title ? `: ${phrase(run.playbook.title)}` : ''}`],
    ...(options.file ? [['File', code(options.file)]] : []),
    ...(run.playbook.severity ? [['Severity', phrase(run.playbook.severity)]] : []),
    ['Scenario', toolPhrase(scenarioText(run))],
    ['Advisories', toolPhrase(advisoriesText(run))],
    ['Outcome', `**${toolPhrase(outcomeText(run))}**`],
    ['Security notified after every change', toolPhrase(notifiedText(run))],
    ...(run.generatedAt ? [['Generated at', phrase(run.generatedAt)]] : []),
  ]));
  if (run.refusal) {
    out.push('', '## Why the playbook could not be rehearsed', '', toolPhrase(run.refusal.message));
    if (run.refusal.findings.length) out.push('', ...findingsTable(run.refusal.findings));
    return finish(out);
  }
  out.push('', '## Timeline', '');
  const numbers = stepNumbers(run.trace);
  const below = run.trace.filter(quotedBelow);
  out.push(...table(['#', 'Step', 'Line', 'Status', 'Would do', 'Then'], run.trace.map((e) => [
    numbers.get(e) ?? '', code(e.step), String(e.line), statusLabel(e), toolPhrase(timelineWords(e)), toolPhrase(thenText(e)),
  ])));
  if (below.length) {
    // Out of the table: a long command in a cell makes GitHub scroll the whole table sideways, and a cut one is no longer the command.
    out.push('', '### Commands and queries', '', 'Too long for the table, as the playbook writes them.');
    for (const e of below) {
      const number = numbers.get(e);
      out.push('', `**${code(e.step)}** (${number === undefined ? 'skipped' : `step ${number}`}, line ${e.line}) ${phrase(e.quote!.lead)}:`, '', ...fence(e.quote!));
    }
  }
  if (run.flow) {
    // GitHub draws the Mermaid block; elsewhere it reads as the diagram's source.
    out.push('', '## Flow', '', 'The path this run took is drawn heavier. Hexagons are checkpoints; red steps are risky and not guarded by a security checkpoint.', '');
    out.push('```mermaid', mermaidDiagram(run.flow.diagram, { highlight: run.flow.path }).trimEnd(), '```');
  }
  const gates = run.trace.filter((e) => e.gate);
  out.push('', '## Gates', '');
  out.push(...(gates.length
    ? table(['Checkpoint', 'Kind', 'Security checkpoint', 'Approvers', 'Decision'], gates.map((e) => [
      code(e.step), phrase(e.gate!.kind), e.gate!.security ? 'yes' : 'no',
      phrase(e.gate!.approvers.map((a) => (a.contact ? `${a.name} (${a.contact})` : a.name)).join(', ') || '(none named)'), e.gate!.decision,
    ]))
    : ['No checkpoint was reached.']));
  const notifications = run.trace.filter((e) => e.notification);
  out.push('', '## Notifications that would be sent', '');
  out.push(...(notifications.length
    ? table(['Step', 'Channel', 'To', 'Message'], notifications.map((e) => [code(e.step), phrase(e.notification!.channel), e.notification!.target === undefined ? toolPhrase(`nobody: ${e.notification!.undeclared ?? 'no target'}`) : phrase(e.notification!.target), phrase(e.notification!.message ?? '')]))
    : ['None.']));
  out.push('', '## Changes made', '');
  out.push(...(run.summary.changes.length
    ? table(['Step', 'Action', 'Gated by', 'Security told by'], run.summary.changes.map((c) => [
      code(c.step), c.action, c.gatedBy ? code(c.gatedBy) : c.risky ? '**no approved security checkpoint**' : 'not needed',
      c.notifiedBy ? code(c.notifiedBy) : c.notifyRequired ? '**nobody**' : 'not needed',
    ]))
    : ['None.']));
  const advised = run.trace.filter((e) => e.advisories);
  out.push('', '## Advisories on the target versions of the steps reached', '');
  out.push(...(advised.length
    ? table(['Step', 'Status', 'Version', 'Component', 'Advisory', 'Severity', 'Summary', 'Fixed in'], advised.flatMap((e) => e.advisories!.map((a) => [
      code(e.step), e.status, phrase(a.version), phrase(a.component ? `${a.component.name} ${a.component.version ?? ''}`.trim() : '(the service itself)'), phrase([a.id, ...a.aliases].join(', ')), phrase(a.severity ?? 'unknown'), phrase(a.summary ?? ''), phrase(a.fixed.join(', ')),
    ])))
    : [toolPhrase(`None known (${advisoriesText(run)}).`)]));
  out.push('', '## Findings that stand', '', 'Security and advisory findings on steps that ran in this scenario.', '');
  out.push(...(run.summary.standingFindings.length ? findingsTable(run.summary.standingFindings) : ['None.']));
  out.push('', '## SOC 2 evidence', '');
  out.push(...table(['Criterion', 'Evidenced', 'Claimed by the playbook', 'Evidence'], run.summary.soc2.map((p) => [
    `${p.criterion} ${phrase(p.name)}`, p.evidenced ? 'yes' : 'no', p.claimed ? 'yes' : 'no', toolPhrase(p.evidence),
  ])));
  return finish(out);
}

/** Quoted code longer than this (or on several lines) leaves the timeline's table for a code block below it. */
const MAX_INLINE_CODE = 60;

const BELOW: Readonly<Record<Quote['kind'], string>> = { command: ' the command below', query: ' below', rule: ' below', change: ' as quoted below', message: '' };

function stepNumbers(trace: readonly TraceEntry[]): Map<TraceEntry, string> {
  const numbers = new Map<TraceEntry, string>();
  for (const e of trace) if (e.status !== 'skipped') numbers.set(e, String(numbers.size + 1));
  return numbers;
}

function quotedBelow(e: TraceEntry): boolean {
  const quote = e.quote;
  return quote !== undefined && quote.kind !== 'message' && (quote.text.includes('\n') || quote.text.length > MAX_INLINE_CODE);
}

/**
 * What the step would do, as the timeline's cell says it: a long command is named there and quoted
 * below; a notification that was sent is listed with its message under "Notifications", once.
 */
function timelineWords(e: TraceEntry): string {
  if (quotedBelow(e)) return `${e.quote!.lead}${BELOW[e.quote!.kind]}`;
  if (e.quote?.kind === 'message') return e.notification ? e.quote.lead : `${e.quote.lead}: "${e.quote.text}"`;
  return e.wouldDo;
}

/** A fenced block that no backtick run in the text can close early. */
function fence(quote: Quote): string[] {
  const longest = Math.max(2, ...(quote.text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return [`${marks}${quote.kind === 'command' ? 'sh' : 'text'}`, quote.text, marks];
}

function finish(out: string[]): string {
  out.push('', '---', '', "Produced by `playbook dry-run`: a rehearsal that walks the playbook's flow graph and executes none of its steps.");
  return out.join('\n') + '\n';
}

function findingsTable(findings: readonly FindingRef[]): string[] {
  return table(['Line', 'Rule', 'Severity', 'Message'], findings.map((f) => [String(f.line), f.ruleId, f.severity, toolPhrase(f.message)]));
}

