/**
 * "Playbook: Update Advisories": asks the server to run `playbook advisories --update` for each
 * workspace folder, with the progress in a notification that can cancel it, and says how it went.
 * Only in a trusted workspace: the workspace's policy chooses where the data comes from and where
 * it is written.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { updateAdvisoriesRequest, type UpdateAdvisoriesResult } from '../../server/src/shared/protocol';

export async function updateAdvisories(client: LanguageClient, output: vscode.LogOutputChannel): Promise<UpdateAdvisoriesResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Update Advisories runs only in a trusted workspace: the workspace\'s policy chooses where advisories are downloaded from and where they are written.');
    return undefined;
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Updating advisories', cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    let done = 0;
    // The server reports through the client's own token, so its progress shows here, with this Cancel.
    const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const increment = value.percentage === undefined ? undefined : Math.max(0, value.percentage - done);
      if (value.percentage !== undefined) done = Math.max(done, value.percentage);
      progress.report({ message: value.message, increment });
    });
    try {
      return await client.sendRequest(updateAdvisoriesRequest, { workDoneToken }, token);
    } catch {
      // A failure is answered as one; the client has logged why.
      return undefined;
    } finally {
      listener.dispose();
    }
  });
  if (!result) return undefined;
  summarise(result, output);
  return result;
}

function summarise(result: UpdateAdvisoriesResult, output: vscode.LogOutputChannel): void {
  const failed = result.ecosystems.filter((e) => e.outcome === 'failed');
  const fine = result.ecosystems.filter((e) => e.outcome !== 'failed');
  for (const e of failed) output.warn(`Update Advisories: ${e.file}: ${e.problem ?? 'failed'}`);
  for (const p of result.problems) output.warn(`Update Advisories: ${p}`);
  const updated = fine.filter((e) => e.outcome === 'updated').map((e) => e.ecosystem);
  const parts = [
    updated.length ? `updated ${[...new Set(updated)].join(', ')}` : '',
    fine.length > updated.length ? `${fine.length - updated.length} unchanged` : '',
    failed.length ? `${failed.length} could not be updated (the previous data is kept)` : '',
  ].filter(Boolean);
  const summary = result.cancelled ? `Advisory update cancelled; what was not downloaded keeps its previous data.` : `Advisories: ${parts.join('; ') || 'nothing to update'}.`;
  const trouble = failed.length > 0 || result.problems.length > 0;
  if (trouble || result.cancelled) {
    void vscode.window.showWarningMessage(`${summary}${result.problems.length ? ` ${result.problems[0]}` : ''}`, 'Show Log').then((choice) => choice && output.show(true));
  } else {
    void vscode.window.showInformationMessage(summary);
  }
}
