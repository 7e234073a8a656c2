/**
 * The dry-run report as HTML for the webview: theme colours only, no remote content, every control
 * a real button (keyboard-accessible), and a content security policy that allows nothing but this
 * page's own style and one script with a nonce.
 */
import type { DryRun, FindingRef, TraceEntry } from '../../../server/src/core/index.js';
import { escapeHtml, pageHead } from '../webviewPage';

export interface ReportPage {
  run: DryRun;
  /** The playbook as the user knows it (workspace-relative). */
  file: string;
  nonce: string;
  cspSource: string;
}

const STATUS: Record<TraceEntry['status'], string> = { ran: '✓ ran', failed: '✗ failed', denied: '⛔ denied', blocked: '⏸ blocked', skipped: '– skipped' };

/** A checkpoint that was reached is said by its gate's decision, in the words the CLI uses: approved, denied, failed. */
const DECISION: Record<NonNullable<TraceEntry['gate']>['decision'], string> = { approved: '✓ approved', denied: '⛔ denied', failed: '✗ failed' };

function statusHtml(e: TraceEntry): string {
  return e.gate ? DECISION[e.gate.decision] : STATUS[e.status];
}

export function reportHtml({ run, file, nonce, cspSource }: ReportPage): string {
  const title = `Dry-run of ${run.playbook.id ?? file}`;
  return `${pageHead({ nonce, cspSource, title, style: STYLE })}
<body>
<header>
  <h1>${esc(title)}${run.playbook.title ? `: ${esc(run.playbook.title)}` : ''}</h1>
  <p class="outcome outcome-${run.outcome}" role="status">Outcome: <strong class="${verdictClass(run)}">${esc(run.verdict)}</strong>${run.outcome === 'invalid' ? '' : ` · security notified after every change: <strong class="${run.summary.securityNotified ? 'good' : 'bad'}">${run.summary.securityNotified ? 'yes' : 'no'}</strong>`}</p>
  <p>${esc(scenarioText(run))} · ${esc(file)}</p>
  <p class="note">Nothing was executed: no command ran, no message was sent, no access or configuration changed.</p>
  <button id="save" type="button">Save report</button>
</header>
${run.refusal ? refusalHtml(run) : `${timelineHtml(run)}\n${summaryHtml(run)}`}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

/** Each verdict in its own colour: a run that aborted does not turn its "security notified: yes" red. */
function verdictClass(run: DryRun): 'good' | 'bad' {
  return run.outcome === 'resolved' && run.summary.standingErrors.length === 0 ? 'good' : 'bad';
}

function scenarioText(run: DryRun): string {
  const parts = [];
  if (run.scenario.fail.length) parts.push(`failing ${run.scenario.fail.join(', ')}`);
  if (run.scenario.deny.length) parts.push(`denying ${run.scenario.deny.join(', ')}`);
  if (run.scenario.advisoriesAsOf) parts.push(`advisories as of ${run.scenario.advisoriesAsOf}`);
  return parts.length ? `Scenario: ${parts.join('; ')}` : 'Scenario: every step succeeds';
}

function refusalHtml(run: DryRun): string {
  return `<section aria-labelledby="refused"><h2 id="refused">Not rehearsed</h2><p>${esc(run.refusal!.message)}</p>${findingsHtml(run.refusal!.findings)}</section>`;
}

function timelineHtml(run: DryRun): string {
  const items = run.trace.map((e) => `<li class="step status-${e.status}">
  <div class="head"><span class="status">${statusHtml(e)}</span> ${link(e.step, e.range.start, e.range.end, e.line)} <span class="action">${esc(e.action)}</span></div>
  ${doesHtml(e)}
  ${e.blockedBy?.length ? `<div>blocked: waits for ${esc(e.blockedBy.join(', '))}</div>` : ''}
  ${e.gate ? `<div class="gate">gate: ${esc(e.gate.kind)}${e.gate.security ? ' (security checkpoint)' : ''}, ${e.gate.decision === 'failed' ? `failed: nobody decided (asked: ${esc(approversText(e.gate.approvers))})` : `${esc(e.gate.decision)} by ${esc(approversText(e.gate.approvers))}`}</div>` : ''}
  ${(e.advisories ?? []).map((a) => `<div class="advisory">${esc(a.id)}${a.aliases.length ? ` (${esc(a.aliases.join(', '))})` : ''} ${esc(a.severity ?? '')}: ${esc(a.summary ?? '')}${a.fixed.length ? `; fixed in ${esc(a.fixed.join(', '))}` : ''}</div>`).join('')}
  ${e.findings?.length ? findingsHtml(e.findings) : ''}
</li>`);
  return `<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2><ol>${items.join('\n')}</ol></section>`;
}

/**
 * What the step would do and where the flow goes. A quoted command keeps its lines and wraps in
 * its block; a notification says its channel once and its message once, beneath.
 */
function doesHtml(e: TraceEntry): string {
  const next = e.next ? ` <span class="next">→ ${esc(e.next)}</span>` : '';
  const quote = e.quote;
  if (!quote) return `<div class="does">${esc(e.wouldDo)}${next}</div>`;
  if (quote.kind !== 'message') return `<div class="does">${esc(quote.lead)}:${next}</div><pre class="quoted ${quote.kind}"><code>${esc(quote.text)}</code></pre>`;
  const nobody = e.notification?.undeclared !== undefined ? ' nobody' : '';
  return `<div class="does${nobody}">${esc(quote.lead)}${next}</div><blockquote class="message${e.notification?.security ? ' security' : ''}">${esc(quote.text)}</blockquote>`;
}

function approversText(approvers: NonNullable<TraceEntry['gate']>['approvers']): string {
  return approvers.map((a) => (a.contact ? `${a.name} (${a.contact})` : a.name)).join(', ') || 'nobody named';
}

function summaryHtml(run: DryRun): string {
  const s = run.summary;
  const changes = s.changes.map((c) => `<tr><td>${esc(c.step)}</td><td>${esc(c.action)}</td><td>${esc(c.gatedBy ?? (c.risky ? 'not gated' : '—'))}</td><td>${esc(c.notifiedBy ?? (c.notifyRequired ? 'security not told' : '—'))}</td></tr>`).join('');
  const soc2 = s.soc2.map((p) => `<tr><td>${esc(p.criterion)}</td><td>${esc(p.name)}</td><td>${p.evidenced ? 'yes' : 'no'}</td><td>${esc(p.evidence)}</td></tr>`).join('');
  return `<section aria-labelledby="summary"><h2 id="summary">Summary</h2>
<h3>Changes</h3>${s.changes.length ? `<table><thead><tr><th>step</th><th>action</th><th>gated by</th><th>security told by</th></tr></thead><tbody>${changes}</tbody></table>` : '<p>No change was made.</p>'}
<h3>Checkpoints</h3><p>approved: ${esc(s.checkpoints.approved.join(', ') || 'none')} · denied: ${esc(s.checkpoints.denied.join(', ') || 'none')} · failed: ${esc(s.checkpoints.failed.join(', ') || 'none')}</p>
<h3>Findings that stand</h3>${s.standingFindings.length ? findingsHtml(s.standingFindings) : '<p>None on the steps this run reached.</p>'}
<h3>SOC 2 evidence</h3><table><thead><tr><th>point</th><th></th><th>evidenced</th><th>by</th></tr></thead><tbody>${soc2}</tbody></table>
</section>`;
}

function findingsHtml(findings: readonly FindingRef[]): string {
  return `<ul class="findings">${findings.map((f) => `<li class="sev-${f.severity}">${link(`${f.ruleId} line ${f.line}`, f.range.start, f.range.end, f.line)} ${esc(f.message)}</li>`).join('')}</ul>`;
}

function link(label: string, start: number, end: number, line: number): string {
  return `<button type="button" class="reveal" data-start="${start}" data-end="${end}" title="Show line ${line}">${esc(label)}</button>`;
}

const esc = escapeHtml;

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1.2em 2em; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.35em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); } h3 { font-size: 1em; }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.3em 0.8em; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
button.reveal { color: var(--vscode-textLink-foreground); background: none; padding: 0; text-decoration: underline; }
.note { color: var(--vscode-descriptionForeground); }
.outcome strong.good { color: var(--vscode-testing-iconPassed); } .outcome strong.bad { color: var(--vscode-errorForeground); }
ol { padding-left: 1.5em; } li.step { margin: 0.6em 0; }
.status { display: inline-block; min-width: 6em; font-weight: 600; } .status-failed .status, .status-denied .status, .status-blocked .status { color: var(--vscode-errorForeground); } .status-skipped { opacity: 0.7; }
.action, .next { color: var(--vscode-descriptionForeground); }
.gate, .advisory, pre.quoted, blockquote.message { margin-left: 6em; } .nobody { color: var(--vscode-errorForeground); } .advisory { color: var(--vscode-errorForeground); }
pre.quoted { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 0.2em; margin-bottom: 0.2em; padding: 0.3em 0.6em; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); background: var(--vscode-textCodeBlock-background); }
blockquote.message { margin-top: 0.2em; margin-bottom: 0.2em; padding-left: 0.6em; border-left: 2px solid var(--vscode-panel-border); } blockquote.message.security { font-weight: 600; }
.findings li.sev-error { color: var(--vscode-errorForeground); } .findings li.sev-warning { color: var(--vscode-editorWarning-foreground); }
table { border-collapse: collapse; max-width: 100%; } th, td { text-align: left; padding: 0.2em 0.8em 0.2em 0; border-bottom: 1px solid var(--vscode-panel-border); vertical-align: top; overflow-wrap: anywhere; }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
document.getElementById('save').addEventListener('click', () => vscode.postMessage({ type: 'save' }));
for (const b of document.querySelectorAll('button.reveal')) {
  b.addEventListener('click', () => vscode.postMessage({ type: 'reveal', start: Number(b.dataset.start), end: Number(b.dataset.end) }));
}
`;
