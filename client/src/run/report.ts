/**
 * "Playbook: Open Run Report": what an auditor reads of a run. Until the run report is built, it is
 * the record itself (its JSON lines, hash-chained); `openRunReport` is the one place to switch.
 */
import * as vscode from 'vscode';

export async function openRunReport(record: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(record);
  await vscode.window.showTextDocument(document, { preview: false });
}
