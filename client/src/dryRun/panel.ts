/**
 * The webview beside the playbook that shows a dry-run; it links findings back to lines and saves
 * the report. One panel per playbook and scenario: running the same scenario again refreshes its
 * report, and every open report has a title of its own (reportTitle.ts).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DryRunResult } from '../../../server/src/shared/protocol';
import { reportHtml } from './reportHtml';
import { reportTitles, sameReport, type ReportKey } from './reportTitle';

interface OpenReport {
  key: ReportKey;
  document: vscode.TextDocument;
  result: DryRunResult;
  panel: vscode.WebviewPanel;
}

const open: OpenReport[] = [];

export function showDryRunPanel(document: vscode.TextDocument, result: DryRunResult): vscode.WebviewPanel {
  const file = vscode.workspace.asRelativePath(document.uri);
  const { playbook, scenario } = result.run;
  const key: ReportKey = { file, id: playbook.id, fail: scenario.fail, deny: scenario.deny, advisoriesAsOf: scenario.advisoriesAsOf };
  const shown = open.find((r) => r.document.uri.toString() === document.uri.toString() && sameReport(r.key, key));
  const report = shown ?? track({ key, document, result, panel: vscode.window.createWebviewPanel('playbook.dryRun', 'Dry-run', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] }) });
  report.key = key;
  report.result = result;
  report.panel.webview.html = reportHtml({ run: result.run, file, nonce: randomBytes(16).toString('base64'), cspSource: report.panel.webview.cspSource });
  if (shown) shown.panel.reveal(vscode.ViewColumn.Beside, true);
  retitle();
  return report.panel;
}

/** Listens to a new report's page and forgets the report when its tab closes. */
function track(report: OpenReport): OpenReport {
  open.push(report);
  report.panel.onDidDispose(() => {
    open.splice(open.indexOf(report), 1);
    retitle();
  });
  report.panel.webview.onDidReceiveMessage(async (message: { type: string; start?: number; end?: number }) => {
    const { document } = report;
    if (message.type === 'reveal' && typeof message.start === 'number') {
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
      const range = new vscode.Range(document.positionAt(message.start), document.positionAt(message.end ?? message.start));
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } else if (message.type === 'save') {
      const target = vscode.Uri.file(document.uri.fsPath.replace(/\.playbook\.ya?ml$/i, '') + '.dry-run.md');
      await vscode.workspace.fs.writeFile(target, Buffer.from(report.result.markdown, 'utf8'));
      void vscode.window.showInformationMessage(`Dry-run report saved to ${vscode.workspace.asRelativePath(target)}`, 'Open').then((choice) => {
        if (choice) void vscode.window.showTextDocument(target);
      });
    }
  });
  return report;
}

/** A report opening or closing can change which titles need the file to tell them apart. */
function retitle(): void {
  const titles = reportTitles(open.map((r) => r.key));
  open.forEach((r, i) => {
    r.panel.title = titles[i]!;
  });
}
