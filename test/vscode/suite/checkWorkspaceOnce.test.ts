/**
 * After Check Workspace, a file checked while closed shows each finding once in the editor's
 * diagnostics (VS Code keeps pushed and pulled ones in two collections and lists both), when it is
 * opened, when its tab is closed (the findings stay, as after Check Workspace) and when reopened.
 */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { diagnosticsWhen, revertAndClose, summarize } from './editor';
import { waitFor } from './waitFor';
import { workspaceUri, writeText } from './workspace';

// No security owner (PB103) and no postmortem (PB107): two findings.
const TEXT = 'playbook: checked-closed\ntitle: Checked while closed\nowners:\n  sre: "@sre"\nsteps:\n  - id: look\n    action: diagnose\n    run: uptime\n';

/** Every diagnostic the editor holds for the file, from every collection. */
const all = (uri: vscode.Uri): string[] => summarize(vscode.languages.getDiagnostics(uri));

suite('Check Workspace: one set of diagnostics per file', () => {
  test('a file checked while closed, then opened, closed and reopened, lists each finding once', async function () {
    // The editor sends didClose when it disposes the closed document, which may take a while after the tab closes.
    this.timeout(150_000);
    const uri = workspaceUri('once/checked.playbook.yaml');
    await writeText(uri, TEXT);
    try {
      await vscode.commands.executeCommand('playbook.checkWorkspace');
      const expected = summarize(await diagnosticsWhen(uri, (d) => d.length === 2, 'the closed file\'s two findings'));
      assert.deepEqual(expected, ['PB103@3', 'PB107@5']);

      // Open, with a line added on top: the editor's findings (one line lower) are then told apart from the file's on disk.
      const edited = ['PB103@4', 'PB107@6'];
      // Opened as a user opens it: `openTextDocument` would make the extension host hold the document for minutes after its tab closes.
      const openAndEdit = async (): Promise<void> => {
        await vscode.commands.executeCommand('vscode.open', uri);
        const editor = await waitFor(() => vscode.window.activeTextEditor, (e) => e?.document.uri.toString() === uri.toString(), { what: 'the editor of the file' });
        assert.ok(await editor!.edit((e) => e.insert(new vscode.Position(0, 0), '# edited\n')));
      };
      await openAndEdit();
      await waitFor(() => all(uri), (d) => JSON.stringify(d) === JSON.stringify(edited), { what: `the editor's findings alone while open: ${edited}`, timeoutMs: 20_000 });

      await revertAndClose();
      await waitFor(() => all(uri), (d) => JSON.stringify(d) === JSON.stringify(expected), { what: 'the file\'s findings, once, after the tab is closed', timeoutMs: 90_000 });

      await openAndEdit();
      await waitFor(() => all(uri), (d) => JSON.stringify(d) === JSON.stringify(edited), { what: 'the editor\'s findings alone when reopened', timeoutMs: 20_000 });
      await revertAndClose();
    } finally {
      await vscode.workspace.fs.delete(workspaceUri('once'), { recursive: true, useTrash: false });
    }
  });
});
