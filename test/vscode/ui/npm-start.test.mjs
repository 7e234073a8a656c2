// `npm start` as a newcomer runs it: the printed URL opens VS Code on a copy of the examples, and
// what the newcomer types and saves there never reaches the tracked examples/ (which the tests read).
// Started by test/vscode/runner.mjs after the workbench tests; `npm start` packages the extension
// itself. Saves a screenshot under test-results/editor-ui/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../../../scripts/editor/prepare.mjs';
import { CHROMIUM_ARGS } from '../workbench.mjs';

const { PLAYBOOK_EDITOR_URL: runner, CHROME_PATH: executablePath } = process.env;
const SHOTS = path.join(ROOT, 'test-results', 'editor-ui');
const FILE = 'checkout-outage.playbook.yaml';
const MARK = '# tried in the editor';
const START_TIMEOUT = 240_000;

/** Resolves with the URL `npm start` prints, or rejects when it exits first or takes too long. */
function startedUrl(child) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL in ${START_TIMEOUT / 1000} s:\n${output}`)), START_TIMEOUT);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Incident Playbooks in VS Code: (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before printing a URL:\n${output}`));
    });
  });
}

describe('npm start', { skip: runner ? false : 'run through test/vscode/runner.mjs (npm run test:editor)', timeout: START_TIMEOUT + 120_000 }, () => {
  const original = readFileSync(path.join(ROOT, 'examples', FILE), 'utf8');
  const state = mkdtempSync(path.join(tmpdir(), 'playbook-start-'));
  let child;
  let browser;
  let url;

  before(async () => {
    child = spawn('npm', ['start'], { cwd: ROOT, detached: true, env: { ...process.env, PORT: '0', PLAYBOOK_START_STATE: state } });
    url = await startedUrl(child);
  });

  after(async () => {
    await browser?.close();
    if (child?.exitCode === null) {
      try { process.kill(-child.pid, 'SIGINT'); } catch { /* already gone */ }
      await new Promise((resolve) => { child.on('exit', resolve); setTimeout(resolve, 10_000); });
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    // Whatever happened, the tracked example is left as it was.
    if (readFileSync(path.join(ROOT, 'examples', FILE), 'utf8') !== original) writeFileSync(path.join(ROOT, 'examples', FILE), original);
    rmSync(state, { recursive: true, force: true });
  });

  test('serves a copy of the examples: a saved edit changes the copy, never examples/', async () => {
    const folder = new URL(url).searchParams.get('folder');
    assert.ok(folder && !path.resolve(folder).startsWith(path.join(ROOT, 'examples')), `npm start serves ${folder}, not examples/`);
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(url);
      await page.locator('.monaco-workbench .explorer-folders-view').waitFor();
      await page.keyboard.press('Control+P');
      await page.keyboard.type(FILE);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: FILE }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: FILE }).waitFor();
      await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.type(`${MARK}\n`);
      await page.keyboard.press('Control+S');
      const copy = path.join(folder, FILE);
      // The save reaches the disk when code-server writes it: poll the file, up to 10 s.
      const deadline = Date.now() + 10_000;
      while (!readFileSync(copy, 'utf8').includes(MARK) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(readFileSync(copy, 'utf8').startsWith(MARK), 'the edit is saved to the served copy');
      assert.equal(readFileSync(path.join(ROOT, 'examples', FILE), 'utf8'), original, 'examples/ is untouched');
    } finally {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, 'npm-start.png') }).catch(() => undefined);
    }
  });
});
