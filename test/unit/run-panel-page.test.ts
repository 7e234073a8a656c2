/**
 * The run panel's page (client/src/run/pageHtml.ts) and the answers its fields make
 * (client/src/run/messages.ts): a strict CSP, every string from the playbook, the record or the
 * person escaped, keyboard-usable controls for each kind of step, Done held back until standing
 * advisories are acknowledged, and the path so far.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answerOf } from '../../client/src/run/messages.js';
import { runPageHtml, runTitle } from '../../client/src/run/pageHtml.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { runStepView } from '../../server/src/core/run/stepView.js';
import type { ReleasePreview, RunView } from '../../server/src/shared/protocol.js';

const HOSTILE = '<img src=x onerror=alert(1)> & \'q\'';

const PLAYBOOK = `playbook: search-rollback
title: t
owners: { sre: "@sre", security: "${HOSTILE}" }
services:
  search: { package: "pkg:maven/org.apache.logging.log4j/log4j-core", current: 2.17.1, releases: [2.14.1, 2.17.1] }
channels: { security: "#sec" }
steps:
  - id: triage
    action: diagnose
    run: "grep '<script>' /var/log/app && echo \\"$HOME\\""
  - id: gate
    action: checkpoint
    kind: security-review
    approvers: [security, sre]
  - id: roll-back
    action: rollback
    service: search
    to: 2.14.1
  - id: tell
    action: notify
    channel: security
    message: "rolled back </blockquote><script>alert(1)</script>"
`;

const analysis = checkPlaybook(PLAYBOOK);
const stepAt = (i: number): NonNullable<RunView['step']> => ({ ...runStepView(analysis, analysis.parsed.model.steps[i]!), started: false, autoNotifies: false });

function view(step: RunView['step'], extra: Partial<RunView> = {}): RunView {
  return {
    runId: 'r1', record: `/w/.playbooks/runs/x${HOSTILE}.jsonl`, recordShown: `.playbooks/runs/x${HOSTILE}.jsonl`, playbook: { id: 'search-rollback', uri: 'file:///w/search.playbook.yaml', shown: 'search.playbook.yaml' },
    who: HOSTILE, ...(step ? { step } : {}), passed: [], notifications: [], ...extra,
  };
}

const page = (v: RunView, preview?: ReleasePreview | null): string => runPageHtml({ view: v, preview, nonce: 'N0NCE', cspSource: 'vscode-webview://x' });

const PREVIEW: ReleasePreview = { step: 'roll-back', service: 'search', version: '2.14.1', standing: [{ id: `GHSA-${HOSTILE}`, aliases: ['CVE-2021-44228'], severity: 'CRITICAL' }], decided: [] };

describe('the run panel page', () => {
  test('only its own nonce-tagged style and script; no link, no form to submit, nothing unescaped', () => {
    for (const html of [page(view(stepAt(0))), page(view(stepAt(1))), page(view(stepAt(2)), PREVIEW), page(view(stepAt(3))), page(view(undefined, { ended: 'resolved' }))]) {
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src vscode-webview:\/\/x; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';">/);
      assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, the page\'s own');
      assert.doesNotMatch(html, /<img src=x|<a |<form/);
      assert.match(html, /run by &lt;img src=x onerror=alert\(1\)&gt; &amp; &#39;q&#39;/);
    }
  });

  test('a command step quotes its command whole with a Copy button, and takes done, failed or a skip with a reason', () => {
    const html = page(view(stepAt(0)));
    assert.match(html, /<h2 id="now">Now: triage <span class="action">diagnose<\/span><\/h2>/);
    assert.match(html, /<p class="does">Diagnose by running:<\/p>/);
    assert.match(html, /<pre class="quoted command"><code>grep &#39;&lt;script&gt;&#39; \/var\/log\/app &amp;&amp; echo &quot;\$HOME&quot;<\/code><\/pre>/);
    assert.match(html, /<button type="button" id="copy" class="secondary">Copy command<\/button>/);
    assert.match(html, /<button type="button" data-answer="done" autofocus>Done<\/button>/);
    assert.match(html, /<button type="button" data-answer="failed">Failed<\/button>/);
    assert.match(html, /<label for="reason">Skip it, because<\/label>[\s\S]*<button type="button" data-answer="skipped" class="secondary" disabled>Skip with this reason<\/button>/, 'no skip without a reason');
    assert.match(html, /<label for="note">Note \(optional\)<\/label><textarea id="note"/);
  });

  test('a checkpoint asks who decided, by name, offering its approvers and their contacts, and takes approved, denied or undecided; it cannot be skipped', () => {
    const html = page(view(stepAt(1)));
    const hostile = '&lt;img src=x onerror=alert\\(1\\)&gt; &amp; &#39;q&#39;';
    assert.match(html, new RegExp(`<label for="approver">Who decided \\(approvers: security \\(${hostile}\\), sre \\(@sre\\)\\)</label>`));
    assert.match(html, /<input id="approver" type="text" list="approvers"[^>]* autofocus>/);
    assert.match(html, new RegExp(`<datalist id="approvers"><option value="${hostile}" label="security \\(${hostile}\\)"></option><option value="security" label="security \\(${hostile}\\)"></option><option value="@sre" label="sre \\(@sre\\)"></option><option value="sre" label="sre \\(@sre\\)"></option></datalist>`));
    assert.match(html, /data-answer="approved" data-needs-approver disabled title="Name who decided first">Approved</, 'no decision before a name');
    for (const kind of ['approved', 'denied', 'undecided']) assert.match(html, new RegExp(`data-answer="${kind}"`));
    assert.doesNotMatch(html, /data-answer="(done|skipped)"/);
    assert.match(html, /A security checkpoint \(security-review\)\./);
  });

  test('a rollback shows its target\'s standing advisories now, and Done waits for the acknowledgement; a clear target says so', () => {
    const html = page(view(stepAt(2)), PREVIEW);
    assert.match(html, /Checked now: search 2\.14\.1 has 1 standing advisory:/);
    assert.match(html, /<li><strong>GHSA-&lt;img src=x onerror=alert\(1\)&gt; &amp; &#39;q&#39;<\/strong> \(CVE-2021-44228\) CRITICAL<\/li>/);
    assert.match(html, /<input type="checkbox" id="acknowledge"> I have seen this advisory and go on with search 2\.14\.1 \(recorded\)/);
    assert.match(html, /data-answer="done" autofocus disabled title="Acknowledge the standing advisories first"/);
    const clear = page(view(stepAt(2)), { ...PREVIEW, standing: [] });
    assert.match(clear, /Checked now: no advisory stands against search 2\.14\.1\./);
    assert.doesNotMatch(clear, /id="acknowledge"|disabled title/);
    assert.match(page(view(stepAt(2), { stopped: `step 'roll-back': ${HOSTILE}` }), PREVIEW), /<p class="stopped" role="alert">step &#39;roll-back&#39;: &lt;img/);
  });

  test('a notify step shows its message and where it goes; Done sends it', () => {
    const html = page(view({ ...stepAt(3), autoNotifies: false }));
    assert.match(html, /<blockquote class="message">rolled back &lt;\/blockquote&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/blockquote>/);
    assert.match(html, /It goes to security \(#sec\) when you mark the step done\./);
    assert.match(html, />Send and mark done<\/button>/);
  });

  test('a queued notification: store its webhook URL when none was found, try again now, or give up; nothing once the run ended', () => {
    const waiting = { id: 2, step: 'tell', channel: 'security', target: '#sec', message: 'm', auto: false, webhookEnv: 'SEC_<WEBHOOK>', delivery: { status: 'queued' as const, attempts: 0, error: '`SEC_<WEBHOOK>` is not set' } };
    const html = page(view(stepAt(0), { notifications: [waiting] }));
    assert.match(html, /to security \(#sec\): waiting, not sent yet: &#39;SEC_&lt;WEBHOOK&gt;&#39; is not set <span class="buttons"><button type="button" data-store-url="SEC_&lt;WEBHOOK&gt;">Store Webhook URL…<\/button><button type="button" class="secondary" data-retry>Try again now<\/button><button type="button" class="secondary" data-give-up="2">Give up on it<\/button><\/span>/);
    const tried = page(view(stepAt(0), { notifications: [{ ...waiting, delivery: { status: 'queued', attempts: 3, error: 'the connection was refused' } }] }));
    assert.doesNotMatch(tried, /<button[^>]*data-store-url/, 'a URL was found: the receiver is the trouble');
    assert.match(tried, /<button[^>]*data-retry>/);
    assert.doesNotMatch(page(view(undefined, { ended: 'resolved', notifications: [waiting] })), /<button[^>]*data-(store-url|retry|give-up)/);
  });

  test('the path so far, the notifications with their delivery, and the end', () => {
    const html = page(view(undefined, {
      ended: 'resolved',
      passed: [{ step: 'triage', action: 'diagnose', result: 'done' }, { step: 'gate', action: 'checkpoint', result: 'approved' }, { step: 'x', action: 'wait', result: 'skipped' }],
      notifications: [{ id: 1, step: 'tell', channel: 'security', target: '#sec', message: 'm <b>', auto: true, delivery: { status: 'not-configured', attempts: 0 } }],
    }));
    assert.match(html, /<li class="result-done"><span class="result">✓ done<\/span> triage <span class="action">diagnose<\/span><\/li><li class="result-approved"><span class="result">✓ approved<\/span> gate/);
    assert.match(html, /automatic, to security \(#sec\): not sent: the policy binds no webhook to this channel<blockquote class="message">m &lt;b&gt;<\/blockquote>/);
    assert.match(html, /The run ended: resolved\./);
    assert.doesNotMatch(html, / id="end"|<button type="button" data-answer/, 'nothing to answer or abandon');
    assert.match(html, /<button type="button" id="report" class="secondary">Open Run Report<\/button>/);
    assert.equal(runTitle(view(undefined, { ended: 'resolved' })), 'Run: search-rollback (resolved)');
  });
});

describe('the answers the page makes', () => {
  test('each button makes its answer; a note is kept when written; what does not fit the step makes none', () => {
    const step = stepAt(2);
    const gate = stepAt(1);
    assert.deepEqual(answerOf({ type: 'answer', kind: 'done', note: '  at 10:02 ', acknowledge: true }, step), { kind: 'done', acknowledgeAdvisories: true, note: 'at 10:02' });
    assert.deepEqual(answerOf({ type: 'answer', kind: 'done', note: '', acknowledge: 'yes' }, step), { kind: 'done', acknowledgeAdvisories: false });
    assert.deepEqual(answerOf({ type: 'answer', kind: 'skipped', reason: ' not needed ' }, step), { kind: 'skipped', reason: 'not needed' });
    assert.equal(answerOf({ type: 'answer', kind: 'skipped', reason: '  ' }, step), undefined);
    assert.deepEqual(answerOf({ type: 'answer', kind: 'approved', by: 'security' }, gate), { kind: 'approved', by: 'security' });
    assert.equal(answerOf({ type: 'answer', kind: 'approved', by: 'security' }, step), undefined, 'only a checkpoint is approved');
    assert.deepEqual(answerOf({ type: 'answer', kind: 'undecided', note: 'nobody reachable' }, gate), { kind: 'undecided', note: 'nobody reachable' });
    assert.equal(answerOf({ type: 'answer', kind: 'run-it' }, step), undefined);
  });
});
