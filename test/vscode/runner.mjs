// Runs the extension in a real VS Code, offline: code-server (VS Code for the browser) on 127.0.0.1,
// driven by headless Chromium. Phase 1 loads the in-editor suite (test/vscode/suite) as
// `extensionTestsPath`; phase 2 runs the UI tests (test/vscode/ui) against the same server.
// Exit code: 0 when both pass. `npm run test:editor`; PLAYBOOK_EDITOR_PHASE=integration|ui runs one,
// PLAYBOOK_EDITOR_GREP=pattern only the tests whose names match it (in either phase).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import * as path from 'node:path';
import { chromium as playwright } from 'playwright-core';
import { OFFLINE_SETTINGS, startCodeServer, tail } from '../../scripts/editor/codeServer.mjs';
import { ROOT, prepareEditor } from '../../scripts/editor/prepare.mjs';
import { bundleSuite } from './bundle.mjs';
import { CHROMIUM_ARGS, workbenchUrl } from './workbench.mjs';

const DEADLINE_MS = Number(process.env.PLAYBOOK_EDITOR_DEADLINE_MS ?? 8 * 60_000);
const PHASE = process.env.PLAYBOOK_EDITOR_PHASE ?? 'all';
const EXTENSION_ID = 'incident-playbook.incident-playbook';
// The workbench's own start-up chatter, which reaches the same log; shown only with PLAYBOOK_EDITOR_DEBUG.
const WORKBENCH_CHATTER = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|Updating additional builtin|\[Service Worker\])/;
const started = Date.now();
const cleanups = [];
/** What VS Code said was wrong with package.json's contributions when it loaded the extension. */
const manifestProblems = [];
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message) => console.log(`[editor ${seconds()}] ${message}`);

async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) {
    try { await fn(); } catch (error) { console.error(`[editor] clean-up: ${error.message}`); }
  }
}

/** Set once the run is being stopped (deadline, signal, error): no further phase starts. */
let aborted = false;

function fail(message, code = 1) {
  console.error(`[editor] ${message}`);
  if (aborted) return;
  aborted = true;
  void cleanUp().finally(() => process.exit(code));
}

/** A fresh temp folder, removed at the end. */
function tempDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (process.env.PLAYBOOK_EDITOR_KEEP) say(`keeping ${dir}`);
  else cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
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
  // A page that crashes or closes never reports an exit code: count that as a failure.
  const gone = new Promise((resolve) => {
    page.on('crash', () => resolve(1));
    page.on('close', () => resolve(1));
  });
  await page.goto(workbenchUrl(server, workspace, { extensionTestsPath: bundle.outfile }));
  let code = await Promise.race([exited, gone]);
  await browser.close();
  say(`integration suite finished with exit code ${code}`);
  if (manifestProblems.length) {
    console.error(`[editor] VS Code reported problems in package.json's contributions:\n${manifestProblems.map((p) => `  ${p}`).join('\n')}`);
    code ||= 1;
  }
  return code;
}

/** The extension host's console, as the workbench forwards it: `args` are the console call's arguments. */
function printLog(type, args) {
  const text = format(...(Array.isArray(args) ? args : [args]));
  // VS Code validates package.json's contributions when it loads the extension and logs what is wrong.
  if (text.startsWith(`[${EXTENSION_ID}]:`)) manifestProblems.push(`${type}: ${text}`);
  if (WORKBENCH_CHATTER.test(text) && !process.env.PLAYBOOK_EDITOR_DEBUG) return;
  if (type === 'error') console.error(text);
  else console.log(text);
}

async function runUi({ chromiumPath, server }) {
  const grep = process.env.PLAYBOOK_EDITOR_GREP;
  // With a pattern, only the files that hold a matching name: a file's hooks (a browser, npm start) run even when none of its tests do.
  const files = readdirSync(path.join(ROOT, 'test/vscode/ui'))
    .filter((f) => f.endsWith('.test.mjs') && (!grep || new RegExp(grep).test(readFileSync(path.join(ROOT, 'test/vscode/ui', f), 'utf8'))))
    .map((f) => path.join('test/vscode/ui', f));
  say(`UI tests: ${files.join(', ') || 'none'}${grep ? ` (names matching ${grep})` : ''}`);
  if (!files.length) return 1;
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...(grep ? [`--test-name-pattern=${grep}`] : []), ...files], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PLAYBOOK_EDITOR_URL: server.url, PLAYBOOK_EDITOR_PORT: String(server.port), PLAYBOOK_EDITOR_WORKSPACE: workspaceCopy(), CHROME_PATH: chromiumPath },
  });
  cleanups.push(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const [status, signal] = await once(child, 'exit');
  say(`UI tests finished with exit code ${status ?? signal}`);
  return status ?? 1;
}

/** On failure: the end of code-server's log and of the extension's own output (its log channel). */
function printLogs(server) {
  console.error(`[editor] code-server log (last lines):\n${tail(server.logFile, 15)}`);
  const logs = path.join(server.userDataDir, 'logs');
  const channels = existsSync(logs) ? readdirSync(logs, { recursive: true }).filter((f) => f.endsWith(`${EXTENSION_ID}${path.sep}Incident Playbooks.log`)) : [];
  for (const file of channels) console.error(`[editor] the extension's log ${file} (last lines):\n${tail(path.join(logs, file), 30) || '(empty)'}`);
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
  // Chromium (here and in the UI tests) keeps its crash reports and caches in a temp folder, not in the user's home.
  const home = tempDir('playbook-editor-home-');
  process.env.XDG_CONFIG_HOME = path.join(home, 'config');
  process.env.XDG_CACHE_HOME = path.join(home, 'cache');

  const state = tempDir('playbook-editor-');
  const server = await startCodeServer({ bin: codeServer, stateDir: state, settings: OFFLINE_SETTINGS });
  cleanups.push(() => server.stop());
  say(`code-server ${server.url} ready`);

  let code = 0;
  if (PHASE === 'all' || PHASE === 'integration') code ||= await runIntegration({ chromiumPath, server, bundle });
  if (aborted) return;
  if (PHASE === 'all' || PHASE === 'ui') code = (await runUi({ chromiumPath, server })) || code;
  if (aborted) return;
  if (code !== 0) printLogs(server);
  await cleanUp();
  say(code === 0 ? 'the editor tests passed' : `the editor tests FAILED (exit ${code})`);
  process.exit(code);
}

main().catch((error) => fail(error instanceof Error ? error.stack ?? error.message : String(error)));
