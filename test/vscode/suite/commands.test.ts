/** The palette commands: Check Workspace counts every playbook (open or not), Show Log, Restart. */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, ruleOf } from './editor';
import { exampleExpectations } from './expectations';
import { openWorkspaceFile, workspaceUri, writeText } from './workspace';

interface CheckWorkspaceResult { files: number; errors: number; warnings: number; infos: number; unreadable: Array<{ path: string; reason: string }> }

suite('commands', () => {
  test('the extension contributes its commands to VS Code', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['playbook.checkWorkspace', 'playbook.showOutput', 'playbook.restartServer', 'playbook.revealRange']) assert.ok(registered.has(id), id);
  });

  test('Check Workspace returns the counts of every playbook, including one never opened, and publishes its findings', async () => {
    const expected = await exampleExpectations();
    const rows = [...expected.values()].flat();
    const closed = workspaceUri('team/closed.playbook.yaml');
    await writeText(closed, 'playbook: closed\ntitle: Never opened\nowners:\n  sre: "@sre"\nsteps:\n  - id: review\n    action: postmortem\n');
    try {
      const result = await vscode.commands.executeCommand<CheckWorkspaceResult>('playbook.checkWorkspace');
      assert.deepEqual(result, {
        files: expected.size + 1,
        errors: rows.filter((r) => r.severity === 'error').length + 1, // the closed one lacks owners.security (PB103)
        warnings: rows.filter((r) => r.severity === 'warning').length,
        infos: rows.filter((r) => r.severity === 'info').length,
        unreadable: [],
      });
      const published = await diagnosticsWhen(closed, (d) => d.length > 0, 'the findings of a playbook no editor has open');
      assert.deepEqual(published.map(ruleOf), ['PB103']);
    } finally {
      await vscode.workspace.fs.delete(workspaceUri('team'), { recursive: true, useTrash: false });
    }
  });

  test('Show Log runs', async () => {
    await vscode.commands.executeCommand('playbook.showOutput');
  });

  test('Restart Language Server: the new server checks the open playbook again', async () => {
    const document = await openWorkspaceFile('unguarded-rollback.playbook.yaml');
    await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === 'PB100'), 'PB100 before the restart');
    await vscode.commands.executeCommand('playbook.restartServer');
    const symbols = await diagnosticsWhen(document.uri, (d) => d.some((x) => ruleOf(x) === 'PB100'), 'PB100 after the restart');
    assert.ok(symbols.length > 0);
    const outline = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri);
    assert.ok(outline.some((s) => s.name === 'steps'), 'the restarted server answers requests');
  });
});
