// The same in-editor suite (test/vscode/suite) in desktop VS Code, through @vscode/test-electron.
// Runs only when there is a VS Code to run: VSCODE_EXECUTABLE points at one, or
// PLAYBOOK_EDITOR_DOWNLOAD=1 allows downloading VS Code 1.96.4 (needs the network). Otherwise it
// says so and exits 0: `npm test` uses the offline runner (runner.mjs) and never downloads.
// On a machine without a display, run it under xvfb-run.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../scripts/editor/prepare.mjs';
import { bundleSuite } from './bundle.mjs';

const executable = process.env.VSCODE_EXECUTABLE;
const download = process.env.PLAYBOOK_EDITOR_DOWNLOAD === '1';
if (!executable && !download) {
  console.log('[editor desktop] skipped: set VSCODE_EXECUTABLE to a VS Code binary, or PLAYBOOK_EDITOR_DOWNLOAD=1 to download VS Code 1.96.4');
  process.exit(0);
}

const { runTests } = await import('@vscode/test-electron');
const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const outDir = path.join(ROOT, 'out', 'vscode-suite');
mkdirSync(outDir, { recursive: true });
const { outfile } = await bundleSuite(outDir);

const state = mkdtempSync(path.join(tmpdir(), 'playbook-desktop-'));
const workspace = path.join(state, 'examples');
cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
let code = 0;
try {
  await runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { version: '1.96.4' }),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: outfile,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions')],
  });
} catch (error) {
  console.error(`[editor desktop] ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  rmSync(state, { recursive: true, force: true });
}
process.exit(code);
