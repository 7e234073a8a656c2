/** The palette commands: New Playbook, Check Workspace, Update Advisories, Dry-run, Show Flow, Show Rules, Open Policy, show the log, restart the server; and those of code lenses and code actions (reveal a range, record a VEX decision). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { checkWorkspaceRequest, RECORD_VEX_DECISION_COMMAND, SHOW_FLOW_COMMAND, SHOW_RULE_COMMAND, type FlowFocus, type RecordVexDecisionParams, type VexDecisionSubject } from '../../server/src/shared/protocol';
import { runDryRun } from './dryRun/command';
import type { FlowViews } from './flowView/panels';
import { newPlaybook } from './newPlaybook';
import { openPolicy, showRulePage, showRules } from './policyCommands';
import { recordVexDecision } from './recordVexDecision';
import { updateAdvisories } from './updateAdvisories';

export function registerCommands(client: LanguageClient, output: vscode.LogOutputChannel, flows: FlowViews, extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('playbook.newPlaybook', (template?: string, id?: string) => newPlaybook(extensionUri, template, id)),
    vscode.commands.registerCommand('playbook.showRules', () => showRules(client, extensionUri)),
    vscode.commands.registerCommand('playbook.openPolicy', () => openPolicy(client)),
    vscode.commands.registerCommand(SHOW_RULE_COMMAND, (ruleId: unknown) => showRulePage(extensionUri, ruleId)),
    vscode.commands.registerCommand('playbook.checkWorkspace', async () => {
      // A check that failed is answered as a failure, never as counts; the client has said so and logged why.
      const result = await client.sendRequest(checkWorkspaceRequest).catch(() => undefined);
      if (!result) return undefined;
      const unreadable = result.unreadable?.length ?? 0;
      const summary = `Checked ${result.files} playbook${result.files === 1 ? '' : 's'}: ${result.errors} error${result.errors === 1 ? '' : 's'}, ${result.warnings} warning${result.warnings === 1 ? '' : 's'}.` +
        (unreadable ? ` ${unreadable} ${unreadable === 1 ? 'entry' : 'entries'} could not be read and ${unreadable === 1 ? 'was' : 'were'} not checked (the log says why).` : '');
      const show = unreadable ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(summary, 'Open Problems', ...(unreadable ? ['Show Log'] : [])).then((choice) => {
        if (choice === 'Open Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        else if (choice === 'Show Log') output.show(true);
      });
      return result;
    }),
    vscode.commands.registerCommand('playbook.updateAdvisories', () => updateAdvisories(client, output)),
    vscode.commands.registerCommand(RECORD_VEX_DECISION_COMMAND, (subject: VexDecisionSubject, answers?: Omit<RecordVexDecisionParams, keyof VexDecisionSubject>) => recordVexDecision(client, subject, answers)),
    vscode.commands.registerCommand('playbook.dryRun', (uri?: string | vscode.Uri, scenario?: { fail: string[]; deny: string[] }) => runDryRun(client, uri, scenario)),
    vscode.commands.registerCommand(SHOW_FLOW_COMMAND, (uri?: string | vscode.Uri, focus?: FlowFocus) => flows.show(uri, focus)),
    vscode.commands.registerCommand('playbook.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('playbook.restartServer', () => client.restart()),
    vscode.commands.registerCommand('playbook.revealRange', async (uri: string, start: number, end: number) => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      const editor = await vscode.window.showTextDocument(document);
      const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }),
  ];
}
