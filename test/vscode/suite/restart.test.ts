/**
 * The server's process as the editor starts it: with the server's Node flags, and, when it crashes
 * (killed with SIGKILL), restarted by the client, the diagnostics coming back.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, revertAndClose, ruleOf } from './editor';
import { openWorkspaceFile } from './workspace';
import { SERVER_NODE_FLAGS } from '../../../server/src/shared/serverNodeFlags';

/** Pids of this extension's language servers (the bundled dist/server.js run with --node-ipc). */
function serverPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', 'dist/server.js --node-ipc'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

suite('the server process', () => {
  test('runs with the server\'s Node flags', async () => {
    const document = await openWorkspaceFile('unguarded-rollback.playbook.yaml');
    await diagnosticsWhen(document.uri, (d) => d.length > 0, 'the findings of a running server');
    const pids = serverPids();
    assert.ok(pids.length > 0, 'the language server process is found');
    for (const pid of pids) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      for (const flag of SERVER_NODE_FLAGS) assert.ok(argv.slice(0, argv.findIndex((a) => a.endsWith('server.js'))).includes(flag), `${flag} before the script: ${argv.join(' ')}`);
    }
  });
});

suite('crash and restart', () => {
  test('after the server is killed, editing a playbook brings fresh diagnostics from a new server', async () => {
    const document = await openWorkspaceFile('unguarded-rollback.playbook.yaml');
    await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === 'PB100'), 'the findings before the crash');
    const before = serverPids();
    assert.ok(before.length > 0, 'the language server process is found');
    for (const pid of before) process.kill(pid, 'SIGKILL');

    // A new server must answer: make an edit whose finding only a live server can report.
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('action: rollback');
    edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 'action: rollback'.length)), 'action: rolback');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const after = await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === 'PB002' && String(x.message).includes('rolback')), 'the finding of the edit, from a restarted server', 60_000);
      assert.ok(after.length > 0);
      const now = serverPids();
      assert.ok(now.length > 0 && now.every((pid) => !before.includes(pid)), `a new server process runs (before ${before}, now ${now})`);
    } finally {
      await revertAndClose();
    }
  });
});
