// Runs the extension in a real VS Code, offline: code-server (VS Code for the browser) on 127.0.0.1,
// driven by headless Chromium. Phase 1 loads the in-editor suite (test/vscode/suite) as
// `extensionTestsPath`; phase 2 runs the UI tests (test/vscode/ui) against the same server.
// Exit code: 0 when both pass. `npm run test:editor`; PLAYBOOK_EDITOR_PHASE=integration|ui runs one.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import * as path from 'node:path';
import { chromium as playwright } from 'playwright-core';
import { OFFLINE_SETTINGS, freePort, startCodeServer, tail } from '../../scripts/editor/codeServer.mjs';
import { ROOT, prepareEditor } from '../../scripts/editor/prepare.mjs';
import { bundleSuite } from './bundle.mjs';
import { CHROMIUM_ARGS, workbenchUrl } from './workbench.mjs';

const DEADLINE_MS = Number(process.env.PLAYBOOK_EDITOR_DEADLINE_MS ?? 8 * 60_000);
const PHASE = process.env.PLAYBOOK_EDITOR_PHASE ?? 'all';
const started = Date.now();
const cleanups = [];
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[editor ${seconds()}] ${message}`);

async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) {
    try { await fn(); } catch (error) { console.error(`[editor] clean-up: ${error.message}`); }
  }
}

function fail(message, code = 1) {
  console.error(`[editor] ${message}`);
  void cleanUp().finally(() => process.exit(code));
}

/** A fresh temp folder, removed at the end. */
function tempDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of examples/ (with its .playbooks/), so tests can change files freely. */
function workspaceCopy() {
  const dir = path.join(tempDir('playbook-editor-ws-'), 'examples');
  cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

async function runIntegration({ chromiumPath, server, bundle }) {
  const workspace = workspaceCopy();
  const browser = await playwright.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let exit;
  const exited = new Promise((resolve) => { exit = resolve; });
  await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
  await page.exposeFunction('codeAutomationLog', (type, args) => printLog(type, args));
  if (process.env.PLAYBOOK_EDITOR_DEBUG) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
  say(`integration suite in ${path.relative(ROOT, bundle.outfile)} (${bundle.files.join(', ')}), workspace ${workspace}`);
  await page.goto(workbenchUrl(server, workspace, { extensionTestsPath: bundle.outfile }));
  const code = await exited;
  await browser.close();
  say(`integration suite finished with exit code ${code}`);
  return code;
}

/** The extension host's console, as the workbench forwards it: `args` are the console call's arguments. */
function printLog(type, args) {
  const text = `<${type}> ` + format(...(Array.isArray(args) ? args : [args]));
  if (type === 'error') console.error(text);
  else console.log(text);
}

async function runUi({ chromiumPath, server }) {
  const files = readdirSync(path.join(ROOT, 'test/vscode/ui')).filter((f) => f.endsWith('.test.mjs')).map((f) => path.join('test/vscode/ui', f));
  say(`UI tests: ${files.join(', ')}`);
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PLAYBOOK_EDITOR_URL: server.url, PLAYBOOK_EDITOR_PORT: String(server.port), PLAYBOOK_EDITOR_WORKSPACE: workspaceCopy(), CHROME_PATH: chromiumPath },
  });
  cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const [status, signal] = await once(child, 'exit');
  say(`UI tests finished with exit code ${status ?? signal}`);
  return status ?? 1;
}

async function main() {
  const timer = setTimeout(() => fail(`over the ${DEADLINE_MS / 1000} s deadline: stopping the editor`, 124), DEADLINE_MS);
  timer.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => fail(`stopped by ${signal}`, 130));

  const { codeServer, chromium: chromiumPath } = prepareEditor((m) => say(m.replace(/^\[editor\] /, '')));
  say('building the extension');
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) return fail('npm run build failed');
  const outDir = path.join(ROOT, 'out', 'vscode-suite');
  mkdirSync(outDir, { recursive: true });
  const bundle = await bundleSuite(outDir);

  const state = tempDir('playbook-editor-');
  const logFile = path.join(state, 'code-server.log');
  const port = await freePort();
  const server = await startCodeServer({ bin: codeServer, port, userDataDir: path.join(state, 'user-data'), extensionsDir: path.join(state, 'extensions'), logFile, settings: OFFLINE_SETTINGS });
  cleanups.push(() => server.stop());
  say(`code-server ${server.url} ready`);

  let code = 0;
  if (PHASE === 'all' || PHASE === 'integration') code ||= await runIntegration({ chromiumPath, server, bundle });
  if (PHASE === 'all' || PHASE === 'ui') code = (await runUi({ chromiumPath, server })) || code;
  if (code !== 0) console.error(`[editor] code-server log (last lines):\n${tail(logFile, 15)}`);
  await cleanUp();
  say(code === 0 ? 'the editor tests passed' : `the editor tests FAILED (exit ${code})`);
  process.exit(code);
}

main().catch((error) => fail(error instanceof Error ? error.stack ?? error.message : String(error)));
