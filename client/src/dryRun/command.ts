/** "Playbook: Dry-run": choose a scenario with quick picks, run it in the language server, show the report. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { dryRunRequest, type DryRunResult } from '../../../server/src/shared/protocol';
import { showDryRunPanel } from './panel';

interface StepChoice extends vscode.QuickPickItem {
  id: string;
}

/** Runs a dry-run; `scenario` skips the quick picks (tests, and re-runs). */
export async function runDryRun(client: LanguageClient, uriArg?: string | vscode.Uri, scenario?: { fail: string[]; deny: string[] }): Promise<DryRunResult | undefined> {
  const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showWarningMessage('Open a playbook to rehearse it.');
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const chosen = scenario ?? (await chooseScenario(document));
  if (!chosen) return undefined;
  try {
    const result = await client.sendRequest(dryRunRequest, { uri: document.uri.toString(), fail: chosen.fail, deny: chosen.deny });
    showDryRunPanel(document, result);
    return result;
  } catch (error) {
    void vscode.window.showErrorMessage(`Dry-run refused: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function chooseScenario(document: vscode.TextDocument): Promise<{ fail: string[]; deny: string[] } | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'Everything succeeds', id: 'success', description: 'the happy path' },
      { label: 'Some steps fail…', id: 'fail', description: 'follow their on-failure' },
      { label: 'Some checkpoints are denied…', id: 'deny', description: 'what if security says no?' },
      { label: 'Steps fail and checkpoints are denied…', id: 'both' },
    ],
    { title: 'Dry-run: choose a scenario', placeHolder: 'What happens in this rehearsal?' },
  );
  if (!kind) return undefined;
  const steps = await stepChoices(document);
  const fail = kind.id === 'fail' || kind.id === 'both' ? await pick(steps, 'Steps that fail') : [];
  const deny = kind.id === 'deny' || kind.id === 'both' ? await pick(steps.filter((s) => s.description?.startsWith('checkpoint')), 'Checkpoints that are denied') : [];
  if (fail === undefined || deny === undefined) return undefined;
  return { fail, deny };
}

async function pick(items: StepChoice[], title: string): Promise<string[] | undefined> {
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'Space to select, Enter to run' });
  return picked?.map((p) => p.id);
}

async function stepChoices(document: vscode.TextDocument): Promise<StepChoice[]> {
  const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', document.uri)) ?? [];
  const steps = symbols.find((s) => s.name === 'steps')?.children ?? [];
  return steps.filter((s) => !/^step \d+$/.test(s.name)).map((s) => ({ label: s.name, id: s.name, description: s.detail }));
}
