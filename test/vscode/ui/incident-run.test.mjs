// UI tests of incident runs in the real workbench (code-server in headless Chromium), driven as a
// user would: the security webhook's URL stored from the run panel when its notification waits for one (the editor's
// secret storage), Playbook: Start Incident Run on a short drill, each step answered in the run
// panel (a command copied, a checkpoint approved by one of its approvers, a rollback whose standing
// advisory is acknowledged, a notification sent to a real receiver on 127.0.0.1), the run ended by
// its flow, the record opened; then a run
// that a reloaded window resumes from its record, and abandons. Started by test/vscode/runner.mjs
// (PLAYBOOK_EDITOR_GREP='incident run' runs these alone). Each saves a screenshot under
// test-results/editor-ui/; PLAYBOOK_UPDATE_SCREENSHOT=1 also copies the rollback one to
// docs/images/editor-run.png for the README.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../../../scripts/editor/prepare.mjs';
import { screenshot, screenshotTests } from '../screenshots.mjs';
import { CHROMIUM_ARGS, workbenchUrl } from '../workbench.mjs';

const { PLAYBOOK_EDITOR_URL: url, PLAYBOOK_EDITOR_PORT: port, PLAYBOOK_EDITOR_WORKSPACE: workspace, CHROME_PATH: executablePath } = process.env;
const README_RUN_SHOT = path.join(ROOT, 'docs', 'images', 'editor-run.png');
const TIMEOUT = 20_000;
const DRILL = 'drill.playbook.yaml';
const RUN_TAB = 'Run: search-drill';

const DRILL_TEXT = `# A short drill: triage, a security review, a rollback to a release security flagged, telling security, the postmortem.
playbook: search-drill
title: Search errors after a release (drill)
owners:
  sre: "@platform-sre"
  security: "@secops-oncall"
severity: sev2
services:
  search-api:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.12.2, 2.14.1, 2.17.1]
channels:
  security: "#sec-incidents"
steps:
  - id: triage
    action: diagnose
    run: kubectl get pods -l app=search-api -o wide
  - id: security-review
    action: checkpoint
    kind: vulnerability-scan
    approvers: [security]
    on-failure: escalate
  - id: roll-back
    action: rollback
    service: search-api
    to: 2.14.1
    requires: [security-review]
    on-failure: escalate
  - id: tell-security
    action: notify
    channel: security
    message: "search-api rolled back from 2.17.1 to 2.14.1 (search-drill)."
    next: review
  - id: escalate
    action: escalate
    to: security
  - id: review
    action: postmortem
    due: 48h
`;

const runsFolder = () => path.join(workspace, '.playbooks', 'runs');
const POLICY = () => path.join(workspace, '.playbooks', 'policy.yaml');
/** The name the drill's policy gives the security webhook; its URL is stored in the editor, never in the workspace. */
const WEBHOOK_NAME = 'PLAYBOOK_UI_SECURITY_WEBHOOK';

/** A webhook receiver on 127.0.0.1: every POST's path and body, answered 200. */
async function startReceiver() {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ url: request.url, body });
      response.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${server.address().port}`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}
const records = () => { try { return readdirSync(runsFolder()).filter((f) => f.endsWith('.jsonl')).sort(); } catch { return []; } };

describe('incident runs in the workbench', { skip: url ? false : 'run through test/vscode/runner.mjs (npm run test:editor)' }, () => {
  let browser;
  let page;
  let receiver;
  let policyBefore;
  const shot = (name) => screenshot(page, name);
  /** The run panel's page, inside the webview's frames (the one visible: hidden panels keep their frames). */
  const panel = () => page.locator('iframe.webview.ready:visible').first().contentFrame().frameLocator('iframe#active-frame');
  const palette = async (command) => {
    await page.keyboard.press('F1');
    await page.keyboard.type(command);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().click();
  };
  const closeAll = async () => {
    await palette('View: Close All Editors');
    await page.locator('.tab').first().waitFor({ state: 'detached' });
  };
  /** Quick Open, as a user would; the row is clicked, since a record of the drill may be listed first. */
  const openDrill = async () => {
    await page.keyboard.press('Control+P');
    await page.keyboard.type(DRILL);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: DRILL }).first().click();
    await page.locator('.tab.active', { hasText: DRILL }).waitFor();
  };
  /** A test that ends with a screenshot named `slug`, also when it fails (then it shows why). */
  const uiTest = screenshotTests(() => page);

  before(async () => {
    writeFileSync(path.join(workspace, DRILL), DRILL_TEXT);
    receiver = await startReceiver();
    policyBefore = readFileSync(POLICY(), 'utf8');
    writeFileSync(POLICY(), `${policyBefore}\nnotify:\n  security:\n    webhook-env: ${WEBHOOK_NAME}\n`);
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(workbenchUrl({ url, port }, workspace));
    await page.locator('.monaco-workbench .explorer-folders-view').waitFor();
  });

  after(async () => {
    // Nothing of these runs is left for the other UI tests: no panel to restore, no extra playbook to count.
    if (page) await closeAll().catch(() => undefined);
    await browser?.close();
    rmSync(path.join(workspace, DRILL), { force: true });
    rmSync(runsFolder(), { recursive: true, force: true });
    if (policyBefore !== undefined) writeFileSync(POLICY(), policyBefore);
    await receiver?.close();
  });

  uiTest('an incident run from the palette to its end: a command copied, a checkpoint approved, a standing advisory acknowledged before the rollback is done, security told; its report opens', 'incident-run', async () => {
    await openDrill();
    // The extension is up once the status bar shows what the checks use.
    await page.locator('.statusbar-item', { hasText: /\d+ advisor/ }).waitFor({ timeout: 60_000 });
    if (await page.locator('.part.sidebar').isVisible()) await page.keyboard.press('Control+B');

    await palette('Playbook: Start Incident Run');
    // Asked once: who runs it, filled in from git or the account.
    const input = page.locator('.quick-input-widget', { hasText: 'Who runs this incident?' });
    await input.waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('@alice');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: RUN_TAB }).waitFor();
    const view = panel();

    // The first step: its command, whole, to copy; nothing is run.
    await view.locator('#now', { hasText: 'triage' }).waitFor();
    assert.equal(await view.locator('pre.quoted code').innerText(), 'kubectl get pods -l app=search-api -o wide');
    assert.match(await view.locator('.meta').innerText(), /drill\.playbook\.yaml · run by @alice · record \.playbooks\/runs\/\d{8}T\d{6}Z-search-drill\.jsonl/);
    await view.getByRole('button', { name: 'Copy command' }).click();
    await page.locator('.statusbar-item', { hasText: 'Copied the command of triage: nothing was run' }).waitFor();
    await view.getByRole('button', { name: 'Done', exact: true }).click();

    // The checkpoint: who decided, by name, with its approvers offered; no decision before a name.
    await view.locator('#now', { hasText: 'security-review' }).waitFor();
    assert.match(await view.locator('label[for=approver]').innerText(), /approvers: security \(@secops-oncall\)/);
    assert.deepEqual(await view.locator('#approvers option').evaluateAll((os) => os.map((o) => o.value)), ['@secops-oncall', 'security']);
    assert.ok(await view.getByRole('button', { name: 'Approved' }).isDisabled(), 'nobody named yet');
    await view.locator('#approver').fill('@bob');
    await view.locator('#note').fill('scan reviewed with the on-call');
    await view.getByRole('button', { name: 'Approved' }).click();

    // The rollback: its target checked now; Done waits for the acknowledgement.
    await view.locator('#now', { hasText: 'roll-back' }).waitFor();
    const release = view.locator('.release.bad');
    await release.waitFor();
    assert.match(await release.innerText(), /Checked now: search-api 2\.14\.1 has 1 standing advisory:\s+GHSA-jfh8-c2jp-5v3q \(CVE-2021-44228\) CRITICAL/);
    const done = view.getByRole('button', { name: 'Done', exact: true });
    assert.equal(await done.isDisabled(), true, 'not done before the acknowledgement');
    // From the keyboard: the box takes focus, Space ticks it.
    await view.locator('#acknowledge').focus();
    await page.keyboard.press('Space');
    await view.locator('button[data-answer="done"]:not([disabled])').waitFor();
    assert.equal(await view.locator('.path li').count(), 3, 'two steps passed, the current one');
    const file = await shot('incident-run-rollback'); // the README's: the rollback with its standing advisory, acknowledged
    if (process.env.PLAYBOOK_UPDATE_SCREENSHOT) copyFileSync(file, README_RUN_SHOT);
    await done.click();

    // The notify step: its message, sent when marked done.
    await view.locator('#now', { hasText: 'tell-security' }).waitFor();
    assert.equal(await view.locator('.now blockquote.message').innerText(), 'search-api rolled back from 2.17.1 to 2.14.1 (search-drill).');
    await view.getByRole('button', { name: 'Send and mark done' }).click();
    await view.locator('#now', { hasText: 'review' }).waitFor();
    // No URL yet for the security webhook: the notification waits, and the panel offers to store one, by the name the policy gives.
    assert.match(await view.locator('ul.sent').innerText(), new RegExp(`to security \\(#sec-incidents\\): waiting, not sent yet: '${WEBHOOK_NAME}'.* is not set`));
    assert.equal(receiver.received.length, 0);
    await shot('incident-run-waiting-url');
    await view.getByRole('button', { name: 'Store Webhook URL…' }).click();
    // Kept in the editor's secret storage, never in the workspace; the waiting notification goes at once.
    await page.locator('.quick-input-widget', { hasText: `Store Webhook URL: ${WEBHOOK_NAME}` }).waitFor();
    await page.keyboard.type(`${receiver.origin}/hooks/security`);
    await page.keyboard.press('Enter');
    await view.locator('ul.sent', { hasText: /to security \(#sec-incidents\): delivered/ }).waitFor();
    assert.deepEqual(receiver.received.map((r) => [r.url, JSON.parse(r.body).text]), [['/hooks/security', 'search-api rolled back from 2.17.1 to 2.14.1 (search-drill).']]);
    await view.getByRole('button', { name: 'Done', exact: true }).click();

    // The flow ended: so did the run.
    await view.locator('#ended', { hasText: 'The run ended: resolved.' }).waitFor();
    await page.locator('.tab', { hasText: `${RUN_TAB} (resolved)` }).waitFor();
    assert.deepEqual((await view.locator('.path li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')), [
      '✓ done triage diagnose', '✓ approved security-review checkpoint', '✓ done roll-back rollback', '✓ done tell-security notify', '✓ done review postmortem',
    ]);
    const [record] = records();
    assert.match(record, /^\d{8}T\d{6}Z-search-drill\.jsonl$/);
    const verified = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'runs', 'verify', path.join(runsFolder(), record)], { encoding: 'utf8' });
    assert.match(verified, /the chain holds over 15 events; the run ended resolved/);

    // The report, rendered: a Markdown preview of what `playbook runs report` writes.
    await view.getByRole('button', { name: 'Open Run Report' }).click();
    await page.locator('.tab.active', { hasText: /^Preview / }).waitFor();
    // The rendered report (in one of the two webviews: the run panel is the other): its timeline and the release checked.
    const frames = [0, 1].map((i) => page.locator('iframe.webview.ready:visible').nth(i).contentFrame().frameLocator('iframe#active-frame'));
    await Promise.any(frames.map((f) => f.getByRole('heading', { name: 'Timeline' }).waitFor({ timeout: 20_000 })));
    await Promise.any(frames.map((f) => f.getByText('GHSA-jfh8-c2jp-5v3q').first().waitFor({ state: 'attached', timeout: 20_000 })));
    await Promise.any(frames.map((f) => f.getByText('@bob granted security-review: scan reviewed with the on-call').waitFor({ state: 'attached', timeout: 20_000 })));
  });

  uiTest('a reloaded window brings the incident run back from its record, at the step it was on; abandoning it ends the record', 'incident-run-resumed', async () => {
    await closeAll();
    // The webhook URL stored by the first run, forgotten from the palette: asked for by the name the policy gives.
    await palette('Playbook: Forget Webhook URL');
    await page.locator('.quick-input-widget', { hasText: 'Forget Webhook URL' }).waitFor();
    await page.keyboard.type(WEBHOOK_NAME);
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: `Forgot the webhook URL for ${WEBHOOK_NAME}` }).waitFor();
    await openDrill();
    await palette('Playbook: Start Incident Run');
    // Who runs it was remembered: the panel opens at once.
    await page.locator('.tab', { hasText: RUN_TAB }).waitFor();
    await panel().locator('#now', { hasText: 'triage' }).waitFor();
    await panel().getByRole('button', { name: 'Done', exact: true }).click();
    await panel().locator('#now', { hasText: 'security-review' }).waitFor();

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await palette('Developer: Reload Window');
    await reloaded;
    await page.locator('.tab', { hasText: RUN_TAB }).click({ timeout: 60_000 });
    const view = panel();
    await view.locator('#now', { hasText: 'security-review' }).waitFor({ timeout: 60_000 });
    assert.deepEqual((await view.locator('.path li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')), ['✓ done triage diagnose', '▶ now security-review checkpoint']);

    await view.getByRole('button', { name: 'Abandon the run…' }).click();
    await page.locator('.monaco-dialog-box').getByRole('button', { name: 'Abandon' }).click();
    await view.locator('#ended', { hasText: 'The run was abandoned before its flow ended.' }).waitFor();
    const latest = records().at(-1);
    const verified = execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'runs', 'verify', path.join(runsFolder(), latest)], { encoding: 'utf8' });
    assert.match(verified, /the chain holds over 5 events; the run ended abandoned/);
  });
});
