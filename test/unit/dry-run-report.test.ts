/** The dry-run webview's HTML: strict CSP, no remote content, escaped text, keyboard-reachable controls. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportHtml } from '../../client/src/dryRun/reportHtml.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { simulate } from '../../server/src/core/dryrun/index.js';

const EXAMPLE = readFileSync(path.join(__dirname, '../../examples/checkout-outage.playbook.yaml'), 'utf8');
const page = (text: string, fail: string[] = []) => reportHtml({ run: simulate(checkPlaybook(text), { fail, deny: [] }), file: 'checkout.playbook.yaml', nonce: 'N0NCE', cspSource: 'vscode-webview://x' });

test('the page allows only its own nonce-tagged style and script', () => {
  const html = page(EXAMPLE);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src vscode-webview:\/\/x; style-src 'nonce-N0NCE'; script-src 'nonce-N0NCE';">/);
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.match(html, /<script nonce="N0NCE">/);
  assert.doesNotMatch(html, /https?:\/\//, 'no remote content');
});

test('the timeline lists every step with its outcome, and each links back to its line with a button', () => {
  const html = page(EXAMPLE, ['roll-back']);
  assert.match(html, /Outcome: <strong class="good">resolved<\/strong>/);
  assert.match(html, /✗ failed<\/span> <button type="button" class="reveal" data-start="\d+" data-end="\d+" title="Show line \d+">roll-back<\/button>/);
  assert.match(html, /would roll back checkout from 2\.4\.0 to 2\.3\.1/);
  assert.match(html, /<button id="save" type="button">Save report<\/button>/);
  assert.doesNotMatch(html, /<a /, 'controls are buttons, reachable with Tab and Enter');
});

test('text from the playbook is escaped', () => {
  const hostile = EXAMPLE.replace(/^title: .*$/m, 'title: "<img src=x onerror=alert(1)> & \'quotes\'"');
  const html = page(hostile);
  assert.doesNotMatch(html, /<img src=x/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt; &amp; &#39;quotes&#39;/);
});

test('a refused run says why instead of a timeline', () => {
  const html = page('playbook: x\ntitle: t\nowners: {sre: a, security: b}\nsteps:\n  - id: a\n    action: diagnose\n    run: x\n    next: a\n');
  assert.match(html, /Not rehearsed/);
  assert.match(html, /PB007/);
});

test('each verdict in its own colour: an aborted run does not draw "security notified: yes" in red', () => {
  const html = page(EXAMPLE, ['triage-pods']);
  assert.match(html, /Outcome: <strong class="bad">aborted<\/strong> · security notified after every change: <strong class="good">yes<\/strong>/);
  const style = html.slice(html.indexOf('<style'), html.indexOf('</style>'));
  assert.doesNotMatch(style, /\.outcome-(?:aborted|blocked|invalid|resolved) strong/, 'no rule colours every verdict of the line by the outcome');
  assert.match(style, /\.outcome strong\.good \{ color: var\(--vscode-testing-iconPassed\); \}/);
  assert.match(style, /\.outcome strong\.bad \{ color: var\(--vscode-errorForeground\); \}/);
});

test('a run that resolves while an error-level finding stands says so, not in the colour of success', () => {
  const vulnerable = EXAMPLE.replace('to: 2.3.1', 'to: 2.3.1\n    command: "PGPASSWORD=Zq8wLm4Vr7Ty2Kc psql"');
  const html = page(vulnerable);
  assert.match(html, /Outcome: <strong class="bad">resolved, but holds a plain-text secret<\/strong>/);
  assert.doesNotMatch(html, /Zq8wLm4Vr7Ty2Kc/);
});
