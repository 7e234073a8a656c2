/**
 * "Playbook: Open Run Report": what an auditor reads of a run, the SOC 2 evidence the language
 * server makes of its record (as `playbook runs report` does), shown as rendered Markdown. The report
 * is a read-only document of its own scheme (nothing to save, nothing asked on close); the Markdown
 * preview renders it. A record the server cannot report on opens as it is, with the reason.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { runReportRequest } from '../../../server/src/shared/protocol';

const SCHEME = 'playbook-run-report';
/** The reports made in this window, by the path of their document. */
const reports = new Map<string, string>();
let provider: vscode.Disposable | undefined;

export async function openRunReport(client: LanguageClient, record: vscode.Uri): Promise<void> {
  let markdown: string;
  try {
    ({ markdown } = await client.sendRequest(runReportRequest, { record: record.fsPath }));
  } catch (e) {
    void vscode.window.showWarningMessage(`No report of this run: ${(e as Error).message}. Its record is opened instead.`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(record), { preview: false });
    return;
  }
  provider ??= vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => reports.get(uri.path) ?? '' });
  const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${path.basename(record.fsPath, '.jsonl')}.md` });
  reports.set(uri.path, markdown);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}
