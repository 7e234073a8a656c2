// UI tests: what a user sees in the real workbench (code-server in headless Chromium), driven by
// the keyboard as a user would. Started by test/vscode/runner.mjs, which passes the server's URL
// and a fresh copy of examples/. The tests run in order in one workbench, each where the previous
// one left off. Each saves a screenshot under test-results/editor-ui/, also when it fails.
// PLAYBOOK_UPDATE_SCREENSHOT=1 also copies the quick-fix, SBOM and flow ones to docs/images/ for the README.
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../../../scripts/editor/prepare.mjs';
import { screenshot, screenshotTests } from '../screenshots.mjs';
import { CHROMIUM_ARGS, workbenchUrl } from '../workbench.mjs';

const { PLAYBOOK_EDITOR_URL: url, PLAYBOOK_EDITOR_PORT: port, PLAYBOOK_EDITOR_WORKSPACE: workspace, CHROME_PATH: executablePath } = process.env;
const README_SHOT = path.join(ROOT, 'docs', 'images', 'editor-quick-fix.png');
const README_SBOM_SHOT = path.join(ROOT, 'docs', 'images', 'editor-sbom-rollback.png');
const README_FLOW_SHOT = path.join(ROOT, 'docs', 'images', 'editor-flow.png');
const TIMEOUT = 20_000;

/** The text of the editor's rendered lines, with the non-breaking spaces VS Code renders turned back into spaces. */
async function visibleText(page) {
  return (await page.locator('.editor-group-container .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

describe('the workbench', { skip: url ? false : 'run through test/vscode/runner.mjs (npm run test:editor)' }, () => {
  let browser;
  let page;
  const shot = (name) => screenshot(page, name);

  before(async () => {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(workbenchUrl({ url, port }, workspace));
    await page.locator('.monaco-workbench .explorer-folders-view').waitFor();
  });

  after(async () => {
    await browser?.close();
  });

  /** Closes every editor, then opens `name` from Quick Open, as a user would: one playbook on screen. */
  const openAlone = async (name) => {
    await page.keyboard.press('F1');
    await page.keyboard.type('View: Close All Editors');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'View: Close All Editors' }).first().click();
    await page.locator('.tab').first().waitFor({ state: 'detached' });
    await page.keyboard.press('Control+P');
    await page.keyboard.type(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor();
  };

  /** A test that ends with a screenshot named `slug`, also when it fails (then it shows why). */
  const uiTest = screenshotTests(() => page);

  uiTest('a failing playbook shows squiggles and a Problems entry with the rule id', 'problems', async () => {
    await page.keyboard.press('Control+P');
    await page.keyboard.type('vulnerable-rollback.playbook.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'vulnerable-rollback.playbook.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'vulnerable-rollback.playbook.yaml' }).waitFor();
    await page.keyboard.press('Control+Shift+M');
    const entry = page.locator('.markers-panel .monaco-list-row', { hasText: 'PB101' }).first();
    await entry.waitFor();
    assert.match(await entry.innerText(), /GHSA-jfh8-c2jp-5v3q/);
    // Squiggles are drawn only for lines on screen: go to the flagged version (line 38, column 9), as a user would with Ctrl+G.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('38:9');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'Ln 38, Col 9' }).waitFor();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    assert.match(await visibleText(page), /to: 2\.14\.1/);
  });

  uiTest('the status bar shows how many advisory records are loaded; a click lists what the checks use, with a plain-text label for screen readers', 'status-bar', async () => {
    const item = page.locator('.statusbar-item', { hasText: '3 advisories' });
    await item.waitFor();
    assert.equal(await item.locator('[role="button"]').first().getAttribute('aria-label').catch(() => null) ?? await item.getAttribute('aria-label'), '3 advisory records loaded. Press to see what the playbook checks use.');
    await item.click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: '.playbooks/policy.yaml' }).first().waitFor();
    const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    for (const expected of [/\.playbooks\/advisories: 3 records/, /Rules in force/, /SBOMs? in the policy's folders/, /1 VEX document, \d+ statements?/, /Show Log/]) {
      assert.ok(labels.some((l) => expected.test(l)), `${expected} in ${JSON.stringify(labels)}`);
    }
    await shot('status-details');
    await page.keyboard.press('Escape');
    // Back to the editor, where the cursor was (the next test goes on from there).
    await page.keyboard.press('Control+1');
  });

  uiTest('Ctrl+. on the flagged version offers the safe release first, and choosing it changes the text', 'quick-fix-applied', async () => {
    await page.keyboard.press('Control+.');
    const preferred = page.locator('.action-widget .monaco-list-row.focused');
    await preferred.filter({ hasText: 'Roll back to 2.12.2 instead (newest unaffected release below 2.17.1; clear of all 3 loaded advisories; also in the message of tell-security-search)' }).waitFor();
    const file = await shot('quick-fix'); // the README's screenshot: the flagged rollback with its fixes
    if (process.env.PLAYBOOK_UPDATE_SCREENSHOT) copyFileSync(file, README_SHOT);
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('.editor-group-container .monaco-editor .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('to: 2.12.2'));
    const text = await visibleText(page);
    assert.match(text, /to: 2\.12\.2\n\s*requires: \[vulnerability-scan\]/);
    assert.doesNotMatch(text, /to: 2\.14\.1/);
    assert.match(text, /rolled back from 2\.17\.1 to 2\.12\.2/, 'the notify message says the new version too');
  });

  uiTest('the command palette lists the playbook commands, and Check Workspace reports its counts', 'check-workspace', async () => {
    await page.keyboard.press('F1');
    await page.keyboard.type('Playbook:');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'Playbook: Check Workspace' }).first().waitFor();
    const labels = await rows.allInnerTexts();
    for (const title of ['Playbook: Check Workspace', 'Playbook: Show Log', 'Playbook: Restart Language Server']) {
      assert.ok(labels.some((l) => l.includes(title)), `${title} in ${JSON.stringify(labels)}`);
    }
    await shot('command-palette');
    await rows.filter({ hasText: 'Playbook: Check Workspace' }).first().click();
    const toast = page.locator('.notification-toast', { hasText: /Checked 6 playbooks: \d+ errors, \d+ warnings\./ });
    await toast.waitFor();
  });

  uiTest('Playbook: Dry-run from the palette, with a scenario, shows the report and its outcome', 'dry-run', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.keyboard.type('checkout-outage.playbook.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'checkout-outage.playbook.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'checkout-outage.playbook.yaml' }).waitFor();
    await page.keyboard.press('F1');
    await page.keyboard.type('Playbook: Dry-run');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Playbook: Dry-run' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Everything succeeds' }).first().click();
    await page.locator('.tab', { hasText: 'Dry-run: checkout-outage' }).waitFor();
    // The report lives in the webview's inner frame.
    const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await report.getByText('Outcome:').waitFor();
    assert.match(await report.locator('.outcome').innerText(), /Outcome: resolved · security notified after every change: yes/);
    assert.ok(await report.getByRole('button', { name: 'Save report' }).isVisible());
  });
  uiTest('a rollback judged by its SBOM: the hover names the component, and Ctrl+. offers the clear release and recording security\'s decision', 'sbom-rollback', async () => {
    await page.keyboard.press('Escape');
    // One editor on screen: the dry-run report of the previous test is closed.
    await openAlone('sbom-rollback.playbook.yaml');
    // The flagged version: line 40, column 9, as a user would go there with Ctrl+G.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('40:10');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: 'Ln 40, Col 10' }).waitFor();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    // Hover from the keyboard (Ctrl+K Ctrl+I): what the release contains and why it is flagged.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // The hover shows the finding, then what the version is: the part of ours says what its SBOM lists.
    const hover = page.locator('.monaco-hover-content', { hasText: 'Its SBOM' }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /GHSA-jfh8-c2jp-5v3q[\s\S]*on log4j-core 2\.14\.1, CRITICAL[\s\S]*Its SBOM, sboms\/checkout\/2\.3\.0\.cdx\.json, lists 6 components/);
    await shot('sbom-hover');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.locator('.monaco-list-row', { hasText: 'Roll back to 2.3.1 instead' }).first().waitFor();
    await menu.locator('.monaco-list-row', { hasText: 'Record security\'s decision on GHSA-jfh8-c2jp-5v3q on log4j-core 2.14.1 (VEX)…' }).first().waitFor();
    const file = await shot('sbom-quick-fix'); // the README's: the finding, its SBOM line in Problems, the clear release and the VEX action
    if (process.env.PLAYBOOK_UPDATE_SCREENSHOT) copyFileSync(file, README_SBOM_SHOT);
    await page.keyboard.press('Escape');
  });

  uiTest('Playbook: Show Flow draws the flow beside the playbook; the code lens lights up the unguarded paths; a node reveals its step; typing redraws it', 'flow-view', async () => {
    await openAlone('unguarded-rollback.playbook.yaml');
    // Run alone (PLAYBOOK_EDITOR_GREP=flow), this is the first playbook opened: the palette offers Show Flow once the extension is up.
    await page.locator('.statusbar-item', { hasText: /\d+ advisor/ }).waitFor({ timeout: 60_000 });
    // Room for the picture: the panel (Problems, opened by the first test) is hidden.
    if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
    await page.locator('.part.panel').waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+B'); // and the side bar, until the end of this test
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    await page.keyboard.press('F1');
    await page.keyboard.type('Playbook: Show Flow');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Playbook: Show Flow' }).first().click();
    await page.locator('.tab', { hasText: 'Flow: unguarded-rollback.playbook.yaml' }).waitFor();
    const view = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await view.locator('svg.flow').waitFor();
    // Seven steps and the end; the rollback drawn as risky and unguarded.
    assert.equal(await view.locator('svg.flow .node').count(), 8);
    await view.locator('.node.kind-risky-unguarded', { hasText: 'roll-back' }).waitFor();
    assert.equal(await view.locator('svg.flow .edge.edge-failure').count() > 0, true, 'on-failure edges are drawn');
    assert.equal(await view.locator('svg.flow .edge.edge-requires').count(), 1, 'the requires edge is drawn');

    // The code lens over the rollback opens the paths that leave it unguarded.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('28:5');
    await page.keyboard.press('Enter');
    await page.locator('.codelens-decoration a', { hasText: 'not guarded by a security checkpoint: show the paths' }).click();
    await view.locator('#focus-message', { hasText: /^PB100: / }).waitFor();
    await view.locator('svg.flow.focused').waitFor();
    const hot = await view.locator('svg.flow .node.hot').allTextContents();
    assert.ok(hot.some((t) => t.includes('check-latency')) && hot.some((t) => t.includes('change-approval')) && hot.some((t) => t.includes('roll-back')), `lit up: ${JSON.stringify(hot)}`);
    assert.ok(!hot.some((t) => t.includes('review')), 'steps after the rollback are not on its paths');
    assert.ok((await view.locator('svg.flow .edge.hot').count()) >= 2, 'the edges of the paths are lit up');
    const file = await shot('flow'); // the README's: the flow view beside the playbook, the unguarded paths lit up
    if (process.env.PLAYBOOK_UPDATE_SCREENSHOT) copyFileSync(file, README_FLOW_SHOT);

    // Clicking a node shows its step in the editor.
    await view.locator('.node', { hasText: 'verify' }).click();
    await page.locator('.statusbar-item', { hasText: /Ln 39, Col \d+/ }).waitFor();
    // From the keyboard: a node takes focus, Down follows the flow, Enter reveals.
    await view.locator('.node', { hasText: 'check-latency' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: /Ln 22, Col \d+/ }).waitFor();

    // Typing in the playbook redraws the view: a new step appears as a node.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    // Line by line, as a user types: Escape closes the suggestions so Enter starts a new line (Enter after "- id:" stays inside the item).
    for (const line of ['  - id: tell-security', 'action: notify', 'channel: incident', 'message: done']) {
      await page.keyboard.type(line, { delay: 5 });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
    }
    await view.locator('svg.flow .node', { hasText: 'tell-security' }).waitFor();
    assert.equal(await view.locator('svg.flow .node').count(), 9);

    // The text alternative lists the same flow.
    await view.getByRole('button', { name: 'Show as text' }).click();
    const rollBackItem = view.locator('.text-view li[data-step-key="s2"]');
    await rollBackItem.waitFor();
    assert.equal(await rollBackItem.innerText(), 'roll-back — rollback; risky, NOT guarded; then tell-incident; on failure escalate; requires change-approval');
    assert.equal(await rollBackItem.getAttribute('class'), 'hot', 'the text view marks the steps on the lit-up paths too');
    await page.keyboard.press('Control+B');
  });

  /** The flow view's page, inside the webview's frames. */
  const flowView = () => page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  const FLOW_TAB = 'Flow: unguarded-rollback.playbook.yaml';
  /** "Developer: Reload Window" from the palette, as a user would; resolves once the new page has loaded. */
  const reloadWindow = async () => {
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await page.keyboard.press('F1');
    await page.keyboard.type('Developer: Reload Window');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().click();
    await reloaded;
  };

  uiTest('the flow view zooms with its buttons and keys, pans by dragging, and keeps the node the keyboard moves to in view', 'flow-zoom', async () => {
    const view = flowView();
    // The previous test left the text alternative on.
    await view.getByRole('button', { name: 'Show the diagram' }).click();
    const svg = view.locator('svg.flow');
    await svg.waitFor();
    const level = view.locator('#zoom-level');
    assert.equal(await level.textContent(), '100%');
    const width = async () => (await svg.boundingBox()).width;
    const atOne = await width();
    await view.getByRole('button', { name: 'Zoom in' }).click();
    await view.locator('#zoom-level', { hasText: '110%' }).waitFor();
    assert.ok(Math.abs((await width()) / atOne - 1.1) < 0.02, `drawn ${await width()} wide, was ${atOne}`);
    await view.getByRole('button', { name: 'Zoom out' }).click();
    await view.getByRole('button', { name: 'Zoom out' }).click();
    await view.locator('#zoom-level', { hasText: '90%' }).waitFor();
    assert.ok(Math.abs((await width()) / atOne - 0.9) < 0.02, `drawn ${await width()} wide at 90%`);

    // Fit: the whole flow inside the diagram's box.
    await view.getByRole('button', { name: 'Zoom to fit the whole flow' }).click();
    const diagram = view.locator('#diagram');
    const inBox = async (locator) => {
      const [outer, inner] = [await diagram.boundingBox(), await locator.boundingBox()];
      return inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;
    };
    assert.ok(await inBox(svg), 'after Fit the whole drawing is in view');

    // From the keyboard, on a node: + zooms in, - out, 0 fits; up to 300%, where the flow is far larger than the view.
    await view.locator('.node', { hasText: 'check-latency' }).focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('+');
    await view.locator('#zoom-level', { hasText: '300%' }).waitFor();
    await page.keyboard.press('-');
    await view.locator('#zoom-level', { hasText: '200%' }).waitFor();
    // End goes to the last node, far below: it is scrolled into view.
    await page.keyboard.press('End');
    const end = view.locator('.node.kind-end');
    assert.equal(await end.evaluate((node) => node === document.activeElement), true, 'End moved the keyboard to the end');
    assert.ok(await inBox(end), 'the node the keyboard moved to is in view');
    await page.keyboard.press('Home');
    assert.ok(await inBox(view.locator('.node', { hasText: 'check-latency' })), 'and back at the start');

    // Dragging the picture pans it.
    const scroll = () => diagram.evaluate((box) => [box.scrollLeft, box.scrollTop]);
    const before = await scroll();
    const area = await diagram.boundingBox();
    await page.mouse.move(area.x + area.width / 2, area.y + area.height - 30);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width / 2 - 40, area.y + 30, { steps: 8 });
    await page.mouse.up();
    const after = await scroll();
    assert.ok(after[1] > before[1] + 100, `dragged up, the view scrolled down: ${before} → ${after}`);
    assert.equal(await level.textContent(), '200%', 'panning does not zoom');
  });

  uiTest('the flow view survives Developer: Reload Window, back on its playbook with the same zoom and lit-up finding', 'flow-reload', async () => {
    // Saved first: a page with unsaved changes asks before it reloads.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    await page.locator('.tab.dirty').first().waitFor({ state: 'detached' });
    const zoom = await flowView().locator('#zoom-level').textContent();
    await reloadWindow();
    await page.locator('.tab', { hasText: FLOW_TAB }).waitFor({ timeout: 60_000 });
    const view = flowView();
    await view.locator('svg.flow').waitFor({ timeout: 60_000 });
    await view.locator('#title', { hasText: 'Flow of ledger-write-latency' }).waitFor();
    // The playbook as saved: seven steps, the one typed and the end.
    await view.locator('svg.flow .node', { hasText: 'tell-security' }).waitFor();
    assert.equal(await view.locator('svg.flow .node').count(), 9);
    assert.equal(await view.locator('#zoom-level').textContent(), zoom, 'the zoom is kept');
    // The finding lit up before the reload is lit up again, from the server's new view.
    await view.locator('#focus-message', { hasText: /^PB100: / }).waitFor();
    const hot = await view.locator('svg.flow .node.hot').allTextContents();
    assert.ok(hot.some((t) => t.includes('change-approval')), `lit up: ${JSON.stringify(hot)}`);
    assert.equal(await page.locator('.tab', { hasText: FLOW_TAB }).count(), 1);
  });

  uiTest('the PB102 code lens lights up, in the restored flow view, every path on which security is never told of the rollback; a finding picked in the view, or under the cursor, lights up its own', 'flow-pb102', async () => {
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('28:5');
    await page.keyboard.press('Enter');
    await page.locator('.codelens-decoration a', { hasText: 'security not notified on every path: show the paths' }).click({ timeout: 60_000 });
    const view = flowView();
    await view.locator('#focus-message', { hasText: /^PB102: / }).waitFor();
    assert.equal(await view.locator('#finding option:checked').textContent(), 'PB102 on roll-back');
    const hot = await view.locator('svg.flow .node.hot').allTextContents();
    for (const step of ['roll-back', 'tell-incident', 'verify', 'escalate', 'review', 'tell-security']) assert.ok(hot.some((t) => t.includes(step)), `${step} lit up: ${JSON.stringify(hot)}`);
    for (const step of ['check-latency', 'change-approval']) assert.ok(!hot.some((t) => t.includes(step)), `${step}, before the rollback, is not on its paths`);
    assert.ok((await view.locator('svg.flow .edge.hot').count()) >= 5, 'the edges of the paths are lit up');
    assert.equal(await page.locator('.tab', { hasText: FLOW_TAB }).count(), 1, 'the lens used the restored view, not a new one');

    // A finding picked in the view's list lights up its own paths instead (asked of the server), and none puts the fading out.
    await view.locator('#finding').selectOption({ label: 'PB100 on roll-back' });
    await view.locator('#focus-message', { hasText: /^PB100: / }).waitFor();
    const picked = await view.locator('svg.flow .node.hot').allTextContents();
    for (const step of ['check-latency', 'change-approval', 'roll-back']) assert.ok(picked.some((t) => t.includes(step)), `${step} lit up for PB100: ${JSON.stringify(picked)}`);
    for (const step of ['tell-incident', 'verify']) assert.ok(!picked.some((t) => t.includes(step)), `${step}, after the rollback, is not on PB100's paths`);
    await view.locator('#finding').selectOption({ label: 'no finding' });
    await view.locator('svg.flow.focused').waitFor({ state: 'detached' });
    assert.equal(await view.locator('svg.flow .node.hot').count(), 0, 'nothing lit up');
    assert.equal(await view.locator('#focus-message').textContent(), '');
    // The cursor on a finding in the playbook (here PB100's, on `rollback`) lights it up again.
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('29:14');
    await page.keyboard.press('Enter');
    await view.locator('#focus-message', { hasText: /^PB100: / }).waitFor();
    await view.locator('svg.flow.focused').waitFor();
    assert.equal(await view.locator('#finding option:checked').textContent(), 'PB100 on roll-back');
  });

  uiTest('a flow view whose playbook was deleted before a reload says so, instead of a blank page', 'flow-missing', async () => {
    const file = path.join(workspace, 'unguarded-rollback.playbook.yaml');
    const kept = `${file}.kept`;
    renameSync(file, kept);
    try {
      await reloadWindow();
      await page.locator('.tab', { hasText: FLOW_TAB }).click({ timeout: 60_000 });
      const message = flowView().locator('.missing', { hasText: 'The playbook this view showed, unguarded-rollback.playbook.yaml, could not be opened: it was moved, renamed or deleted.' });
      await message.waitFor({ timeout: 60_000 });
      assert.match(await message.innerText(), /Playbook: Show Flow/);
    } finally {
      renameSync(kept, file);
    }
  });
});
