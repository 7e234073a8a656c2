/** The .vsix holds the bundles and what users read, never tests, sources or dev files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../..');
/** What no checkout ships and vsce would spend seconds walking: the installed packages, git's store, the editor tests' downloads. */
const NOT_WALKED = new Set(['node_modules', '.git', '.cache']);

test('vsce would package exactly the runtime files', () => {
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  // The repository as it is (every file, the built bundles too), but for what never reaches a package.
  const copy = mkdtempSync(path.join(tmpdir(), 'playbook-package-'));
  let files: string[];
  try {
    cpSync(ROOT, copy, { recursive: true, filter: (source) => !NOT_WALKED.has(path.relative(ROOT, source).split(path.sep)[0]!) });
    files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: copy, encoding: 'utf8' }).trim().split('\n').map((f) => f.trim()).sort();
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  const allowed = /^(dist\/(cli|server|extension|checkWorker|advisoryWorker|worker|flowView)\.js|schemas\/(playbook|policy)\.schema\.json|syntaxes\/(incident-playbook\.tmLanguage|playbook-ignore\.injection)\.json|templates\/[a-z-]+\.playbook\.yaml|language-configuration\.json|docs\/rules\/(PB\d{3}|README)\.md|docs\/playbook-format\.md|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/;
  assert.deepEqual(files.filter((f) => !allowed.test(f)), [], 'nothing else is packaged');
  for (const needed of ['dist/extension.js', 'dist/server.js', 'dist/checkWorker.js', 'dist/advisoryWorker.js', 'dist/worker.js', 'dist/flowView.js', 'schemas/playbook.schema.json', 'package.json']) assert.ok(files.includes(needed), needed);
});

test('no setting can point the extension at a program, extra advisory paths are machine-scoped, and rule links are the user\'s in an untrusted workspace', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const settings = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
  assert.deepEqual(Object.keys(settings).sort(), ['playbook.advisories.extraPaths', 'playbook.ruleDocumentationUrl', 'playbook.rules', 'playbook.trace.server']);
  assert.equal(settings['playbook.advisories.extraPaths']!.scope, 'machine');
  // An untrusted workspace cannot send rule links elsewhere either (the server takes only http(s) links).
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['playbook.advisories.extraPaths', 'playbook.ruleDocumentationUrl']);
});

test('incident runs are not offered in an untrusted workspace: each run command needs trust to run and to be listed', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string; enablement?: string }>; menus: { commandPalette: Array<{ command: string; when?: string }> } }; activationEvents: string[] };
  for (const id of ['playbook.startRun', 'playbook.resumeRun', 'playbook.openRunReport']) {
    assert.equal(manifest.contributes.commands.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
    assert.match(manifest.contributes.menus.commandPalette.find((m) => m.command === id)?.when ?? '', /^isWorkspaceTrusted && /, id);
  }
  assert.ok(manifest.activationEvents.includes('onWebviewPanel:playbook.run'), 'a run panel of a reloaded window is restored');
});
