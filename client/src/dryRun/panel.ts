/** The webview beside the playbook that shows a dry-run; it links findings back to lines and saves the report. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DryRunResult } from '../../../server/src/shared/protocol';
import { reportHtml } from './reportHtml';

export function showDryRunPanel(document: vscode.TextDocument, result: DryRunResult): vscode.WebviewPanel {
  const file = vscode.workspace.asRelativePath(document.uri);
  const panel = vscode.window.createWebviewPanel('playbook.dryRun', `Dry-run: ${result.run.playbook.id ?? file}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
    enableScripts: true,
    localResourceRoots: [],
  });
  panel.webview.html = reportHtml({ run: result.run, file, nonce: randomBytes(16).toString('base64'), cspSource: panel.webview.cspSource });
  panel.webview.onDidReceiveMessage(async (message: { type: string; start?: number; end?: number }) => {
    if (message.type === 'reveal' && typeof message.start === 'number') {
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
      const range = new vscode.Range(document.positionAt(message.start), document.positionAt(message.end ?? message.start));
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } else if (message.type === 'save') {
      const target = vscode.Uri.file(document.uri.fsPath.replace(/\.playbook\.ya?ml$/i, '') + '.dry-run.md');
      await vscode.workspace.fs.writeFile(target, Buffer.from(result.markdown, 'utf8'));
      void vscode.window.showInformationMessage(`Dry-run report saved to ${vscode.workspace.asRelativePath(target)}`, 'Open').then((choice) => {
        if (choice) void vscode.window.showTextDocument(target);
      });
    }
  });
  return panel;
}
