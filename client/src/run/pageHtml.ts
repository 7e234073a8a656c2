/**
 * The run panel's page: the step to do now (what it does, its command or query to copy — nothing
 * is run from here), the answers it takes (done, failed, skipped with a reason; a checkpoint's
 * decision by one of its approvers), a rollback's or deploy's standing advisories to acknowledge,
 * a notify step's message, the path so far and the notifications sent. Every string is escaped;
 * theme colours only; every control a real button, field or box, so the keyboard does it all; the
 * content security policy allows this page's own style and script only (webviewPage.ts). The
 * script keeps the record's path in the webview's state, so a reloaded window resumes the run.
 */
import type { PassedStep, RunStepView } from '../../../server/src/core/index.js';
import type { ReleasePreview, RunView } from '../../../server/src/shared/protocol';
import { escapeHtml as esc, pageHead } from '../webviewPage';

export interface RunPage {
  view: RunView;
  /** The current rollback's or deploy's target as it stands now, when the step has one. */
  preview?: ReleasePreview | null;
  nonce: string;
  cspSource: string;
}

const RESULT: Record<PassedStep['result'], string> = {
  done: '✓ done', failed: '✗ failed', skipped: '– skipped', approved: '✓ approved', denied: '⛔ denied', undecided: '✗ undecided', blocked: '⏸ blocked',
};

const ENDED: Record<NonNullable<RunView['ended']>, string> = {
  resolved: 'The run ended: resolved.',
  aborted: 'The run ended: aborted (a step failed with no way on).',
  blocked: 'The run ended: blocked (a step\'s requires were not met).',
  abandoned: 'The run was abandoned before its flow ended.',
};

export function runTitle(view: RunView): string {
  return `Run: ${view.playbook.id}${view.ended ? ` (${view.ended})` : ''}`;
}

export function runPageHtml({ view, preview, nonce, cspSource }: RunPage): string {
  return `${pageHead({ nonce, cspSource, title: runTitle(view), style: STYLE })}
<body data-record="${esc(view.record)}">
<header>
  <h1>Incident run: ${esc(view.playbook.id)}</h1>
  <p class="meta">${esc(view.playbook.shown)} · run by ${esc(view.who)} · record <code>${esc(view.recordShown)}</code></p>
  <p class="note">Nothing is run from here: do each step yourself, then say what happened. Each answer is written to the record at once.</p>
</header>
<main>
${view.step ? stepHtml(view.step, view, preview) : endedHtml(view)}
${pathHtml(view)}
${notificationsHtml(view)}
</main>
<footer class="actions">
  <button type="button" id="report" class="secondary">Open Run Report</button>
  ${view.step ? '<button type="button" id="reveal" class="secondary">Show the step in the playbook</button>' : ''}
  ${view.ended ? '' : '<button type="button" id="end" class="secondary">Abandon the run…</button>'}
</footer>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

function stepHtml(step: NonNullable<RunView['step']>, view: RunView, preview: ReleasePreview | null | undefined): string {
  return `<section class="now" aria-labelledby="now">
  <h2 id="now">Now: ${esc(step.name)} <span class="action">${esc(step.action)}</span></h2>
  ${step.title ? `<p class="title">${esc(step.title)}</p>` : ''}
  <p class="does">${esc(sentence(step.quote ? `${step.quote.lead}:` : step.does))}</p>
  ${quoteHtml(step)}
  ${step.release ? releaseHtml(step.release, preview) : ''}
  ${step.autoNotifies ? '<p class="auto">Marking it done also tells security at once (the policy\'s <code>auto-notify-security</code>).</p>' : ''}
  ${view.stopped ? `<p class="stopped" role="alert">${esc(view.stopped)}</p>` : ''}
  ${step.checkpoint ? checkpointForm(step) : stepForm(step, preview)}
</section>`;
}

function quoteHtml(step: RunStepView): string {
  if (!step.quote) return '';
  if (step.notify) {
    const where = step.notify.target !== undefined ? `It goes to ${step.notify.channel} (${step.notify.target}) when you mark the step done.` : `It reaches no one: ${step.notify.reachesNoOne ?? 'the channel is not declared'}.`;
    return `<blockquote class="message">${esc(step.quote.text)}</blockquote><p class="where${step.notify.target === undefined ? ' bad' : ''}">${esc(plain(where))}</p>`;
  }
  const what = step.quote.kind === 'query' ? 'query' : step.quote.kind === 'command' ? 'command' : step.quote.kind;
  return `<pre class="quoted ${esc(step.quote.kind)}"><code>${esc(step.quote.text)}</code></pre>
  <button type="button" id="copy" class="secondary">Copy ${esc(what)}</button>`;
}

function releaseHtml(release: NonNullable<RunStepView['release']>, preview: ReleasePreview | null | undefined): string {
  const target = `${release.service} ${release.version}`;
  if (!preview) return `<p class="release">The target, ${esc(target)}, is checked against today's advisories, SBOMs and VEX when you mark the step done.</p>`;
  const decided = preview.decided.length ? `<p class="decided">Security decided (VEX): ${preview.decided.map((a) => esc(`${a.id}${a.decidedBy ? ` ${a.decidedBy.status}` : ''}`)).join(', ')}.</p>` : '';
  if (!preview.standing.length) return `<p class="release good">Checked now: no advisory stands against ${esc(target)}.</p>${decided}`;
  const items = preview.standing.map((a) => `<li><strong>${esc(a.id)}</strong>${a.aliases.length ? ` (${esc(a.aliases.join(', '))})` : ''} ${esc(a.severity ?? 'severity unknown')}${a.component ? ` on ${esc(`${a.component.name}${a.component.version ? ` ${a.component.version}` : ''}`)}` : ''}</li>`).join('');
  const count = `${preview.standing.length} standing advisor${preview.standing.length === 1 ? 'y' : 'ies'}`;
  return `<div class="release bad" role="alert">
  <p>Checked now: ${esc(target)} has ${esc(count)}:</p>
  <ul class="standing">${items}</ul>
  ${decided}
  <label class="ack"><input type="checkbox" id="acknowledge"> I have seen ${preview.standing.length === 1 ? 'this advisory' : 'these advisories'} and go on with ${esc(target)} (recorded)</label>
</div>`;
}

function noteField(): string {
  return '<label for="note">Note (optional)</label><textarea id="note" rows="2"></textarea>';
}

function checkpointForm(step: NonNullable<RunView['step']>): string {
  const { approvers, kind, security } = step.checkpoint!;
  // Who decided is a person, named as an answers file names them; the approvers (roles, with their contacts) are offered and shown.
  const named = approvers.map((a) => (a.contact ? `${a.name} (${a.contact})` : a.name));
  const options = approvers.flatMap((a, i) => [a.contact, a.name].filter((v): v is string => Boolean(v)).map((v) => `<option value="${esc(v)}" label="${esc(named[i]!)}"></option>`)).join('');
  const who = `<label for="approver">Who decided ${esc(approvers.length ? `(approvers: ${named.join(', ')})` : '(the checkpoint names no approvers)')}</label>
  <input id="approver" type="text" list="approvers" placeholder="@name" autocomplete="off" autofocus><datalist id="approvers">${options}</datalist>`;
  return `<div class="answer" role="group" aria-label="The decision">
  <p>${esc(security ? `A security checkpoint (${kind}).` : `A checkpoint (${kind}).`)}</p>
  ${who}
  ${noteField()}
  <div class="buttons">
    <button type="button" data-answer="approved" data-needs-approver disabled title="Name who decided first">Approved</button>
    <button type="button" data-answer="denied" data-needs-approver disabled title="Name who decided first">Denied</button>
    <button type="button" data-answer="undecided" class="secondary">Nobody could decide</button>
  </div>
</div>`;
}

function stepForm(step: NonNullable<RunView['step']>, preview: ReleasePreview | null | undefined): string {
  const mustAcknowledge = Boolean(preview?.standing.length);
  return `<div class="answer" role="group" aria-label="What happened">
  ${noteField()}
  <div class="buttons">
    <button type="button" data-answer="done" autofocus${mustAcknowledge ? ' disabled title="Acknowledge the standing advisories first"' : ''}>${step.notify ? 'Send and mark done' : 'Done'}</button>
    <button type="button" data-answer="failed">Failed</button>
  </div>
  <label for="reason">Skip it, because</label>
  <div class="skip"><input id="reason" type="text"><button type="button" data-answer="skipped" class="secondary" disabled>Skip with this reason</button></div>
</div>`;
}

function endedHtml(view: RunView): string {
  return `<section class="ended" aria-labelledby="ended"><h2 id="ended" role="status">${esc(view.ended ? ENDED[view.ended] : 'The flow has ended.')}</h2>
  <p>The record is complete: <code>${esc(view.recordShown)}</code>.</p></section>`;
}

function pathHtml(view: RunView): string {
  const rows = view.passed.map((p) => `<li class="result-${p.result}"><span class="result">${esc(RESULT[p.result])}</span> ${esc(p.step)} <span class="action">${esc(p.action)}</span></li>`);
  if (view.step) rows.push(`<li class="current"><span class="result">▶ now</span> ${esc(view.step.name)} <span class="action">${esc(view.step.action)}</span></li>`);
  return `<section aria-labelledby="path"><h2 id="path">${view.ended ? 'The path taken' : 'The path so far'}</h2>${rows.length ? `<ol class="path">${rows.join('')}</ol>` : '<p>No step yet.</p>'}</section>`;
}

function notificationsHtml(view: RunView): string {
  if (!view.notifications.length) return '';
  const rows = view.notifications.map((n) => `<li>${esc(`${n.auto ? 'automatic, ' : ''}to ${n.channel}${n.target ? ` (${n.target})` : ''}: ${deliveryText(n.delivery)}`)}${queuedActions(n, view)}<blockquote class="message">${esc(n.message)}</blockquote></li>`);
  return `<section aria-labelledby="sent"><h2 id="sent">Notifications</h2><ul class="sent">${rows.join('')}</ul></section>`;
}

/**
 * What can be done about a queued notification while the run goes on: store its webhook's URL when
 * none was found (then it is tried at once), try again now, or give up (the record says who gave up,
 * and when).
 */
function queuedActions(n: RunView['notifications'][number], view: RunView): string {
  if (n.delivery.status !== 'queued' || view.ended) return '';
  const noUrl = n.delivery.attempts === 0 && n.webhookEnv !== undefined;
  return ' <span class="buttons">'
    + (noUrl ? `<button type="button" data-store-url="${esc(n.webhookEnv!)}">Store Webhook URL…</button>` : '')
    + `<button type="button" class="secondary" data-retry>Try again now</button>`
    + `<button type="button" class="secondary" data-give-up="${n.id}">Give up on it</button></span>`;
}

function deliveryText(delivery: RunView['notifications'][number]['delivery']): string {
  switch (delivery.status) {
    case 'not-configured': return 'not sent: the policy binds no webhook to this channel';
    case 'delivered': return `delivered${delivery.attempts > 1 ? ` after ${delivery.attempts} attempts` : ''}`;
    case 'queued':
      // Nothing attempted: its webhook has no URL yet, which the error says how to set.
      if (delivery.attempts === 0) return `waiting, not sent yet${delivery.error ? `: ${quotedPlainly(delivery.error)}` : ''}`;
      return `queued (${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'} so far${delivery.error ? `: ${quotedPlainly(delivery.error)}` : ''})`;
    case 'failed': return `failed${delivery.error ? `: ${quotedPlainly(delivery.error)}` : ''}`;
    case 'given-up': return 'given up';
  }
}

/** Names quoted with backticks, as the core writes them, quoted plainly. */
const quotedPlainly = (text: string): string => text.replace(/`/g, "'");

/** The core's words start lower case and quote names with backticks; a sentence here starts upper case and quotes plainly. */
function sentence(text: string): string {
  const plainText = plain(text);
  return plainText.charAt(0).toUpperCase() + plainText.slice(1);
}

function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, "'$1'");
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 1.2em 2em; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.35em; } h2 { font-size: 1.15em; margin-top: 1.4em; border-bottom: 1px solid var(--vscode-panel-border); }
.meta, .note, .action, .title { color: var(--vscode-descriptionForeground); }
code, pre { font-family: var(--vscode-editor-font-family); }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 0.3em 0.9em; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
button:disabled { opacity: 0.5; cursor: default; }
:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
input[type="text"], textarea, select { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, var(--vscode-panel-border)); padding: 0.25em 0.4em; box-sizing: border-box; }
textarea, input[type="text"] { width: 100%; max-width: 40em; display: block; }
label { display: block; margin-top: 0.6em; }
label.ack { display: flex; gap: 0.5em; align-items: flex-start; font-weight: 600; }
.buttons, .actions, .skip { display: flex; gap: 0.6em; flex-wrap: wrap; align-items: center; margin-top: 0.6em; }
.skip input { flex: 1; }
.now { border-left: 3px solid var(--vscode-focusBorder); padding-left: 0.9em; }
.does { font-size: 1.05em; }
pre.quoted { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0.4em 0.7em; background: var(--vscode-textCodeBlock-background); }
blockquote.message { margin: 0.3em 0; padding-left: 0.7em; border-left: 2px solid var(--vscode-panel-border); }
.bad, .stopped { color: var(--vscode-errorForeground); } .good { color: var(--vscode-testing-iconPassed); }
.release.bad { border: 1px solid var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); padding: 0.3em 0.8em; color: inherit; }
.release.bad > p:first-child, .standing strong { color: var(--vscode-errorForeground); }
.stopped { font-weight: 600; }
.auto { font-style: italic; }
ol.path { padding-left: 1.5em; } .path .result { display: inline-block; min-width: 7.5em; font-weight: 600; }
.result-failed .result, .result-denied .result, .result-undecided .result, .result-blocked .result { color: var(--vscode-errorForeground); }
.result-skipped { opacity: 0.75; } .current .result { color: var(--vscode-focusBorder); }
ul.sent { padding-left: 1.2em; }
footer.actions { margin-top: 2em; }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
vscode.setState({ record: document.body.dataset.record });
const byId = (id) => document.getElementById(id);
const answers = [...document.querySelectorAll('button[data-answer]')];
const send = (message) => {
  for (const b of document.querySelectorAll('button')) b.disabled = true;
  vscode.postMessage(message);
};
for (const b of answers) {
  b.addEventListener('click', () => send({ type: 'answer', kind: b.dataset.answer, note: byId('note') ? byId('note').value : '', by: byId('approver') ? byId('approver').value : '', reason: byId('reason') ? byId('reason').value : '', acknowledge: byId('acknowledge') ? byId('acknowledge').checked : false }));
}
for (const b of document.querySelectorAll('button[data-retry]')) b.addEventListener('click', () => send({ type: 'retry' }));
for (const b of document.querySelectorAll('button[data-store-url]')) b.addEventListener('click', () => send({ type: 'store-url', name: b.dataset.storeUrl }));
for (const b of document.querySelectorAll('button[data-give-up]')) {
  b.addEventListener('click', () => send({ type: 'give-up', notification: Number(b.dataset.giveUp) }));
}
const done = answers.find((b) => b.dataset.answer === 'done');
if (byId('acknowledge') && done) byId('acknowledge').addEventListener('change', () => { done.disabled = !byId('acknowledge').checked; done.title = done.disabled ? 'Acknowledge the standing advisories first' : ''; });
const decide = answers.filter((b) => 'needsApprover' in b.dataset);
if (byId('approver')) byId('approver').addEventListener('input', () => { for (const b of decide) { b.disabled = byId('approver').value.trim() === ''; b.title = b.disabled ? 'Name who decided first' : ''; } });
const skip = answers.find((b) => b.dataset.answer === 'skipped');
if (byId('reason') && skip) {
  byId('reason').addEventListener('input', () => { skip.disabled = byId('reason').value.trim() === ''; });
  byId('reason').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !skip.disabled) skip.click(); });
}
for (const [id, type] of [['copy', 'copy'], ['report', 'report'], ['reveal', 'reveal']]) if (byId(id)) byId(id).addEventListener('click', () => vscode.postMessage({ type }));
if (byId('end')) byId('end').addEventListener('click', () => vscode.postMessage({ type: 'end' }));
`;
