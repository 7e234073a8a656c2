/** The VS Code extension: starts the language server and contributes commands and the status bar. No rule logic lives here. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { FlowViews } from './flowView/panels';
import { RunPanels, registerRunCommands } from './run/panels';
import { answerWebhookSecrets, registerWebhookCommands } from './run/webhookSecrets';
import { AdvisoryStatusBar, SHOW_STATUS_COMMAND } from './statusBar';
import { RECORD_VEX_DECISION_COMMAND } from '../../server/src/shared/protocol';
import { SERVER_NODE_FLAGS } from '../../server/src/shared/serverNodeFlags';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Incident Playbooks', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);
  const statusBar = new AdvisoryStatusBar(client);
  const flows = new FlowViews(client, context.extensionUri);
  const runs = new RunPanels(client, context.workspaceState);
  context.subscriptions.push(vscode.commands.registerCommand(SHOW_STATUS_COMMAND, () => statusBar.showDetails()));
  context.subscriptions.push(statusBar, flows, runs, ...registerCommands(client, output, flows, context.extensionUri), ...registerRunCommands(runs));
  context.subscriptions.push(answerWebhookSecrets(client, context.secrets), ...registerWebhookCommands(context.secrets));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  // The server is this extension's own bundled file, run by VS Code's Node; no workspace setting can change it.
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'incident-playbook' },
      // An unsaved playbook is checked as if it were in the first workspace folder.
      { scheme: 'untitled', language: 'incident-playbook' },
      { scheme: 'file', pattern: '**/.playbooks/policy.{yaml,yml}' },
    ],
    synchronize: {
      configurationSection: 'playbook',
      // The policy, advisories, snippets, SBOMs and VEX documents under .playbooks/, and SBOMs a playbook names anywhere (the server keeps only the changes it read).
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/.playbooks/**'), vscode.workspace.createFileSystemWatcher('**/*.json')],
    },
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      // Recording a security decision changes what the checks report for everyone: not offered in an untrusted workspace.
      provideCodeActions: async (document, range, context, token, next) => {
        const actions = await next(document, range, context, token);
        if (vscode.workspace.isTrusted || !actions) return actions;
        return actions.filter((a) => (a instanceof vscode.CodeAction ? a.command?.command : a.command) !== RECORD_VEX_DECISION_COMMAND);
      },
    },
  };
  return new LanguageClient('playbook', 'Incident Playbooks', serverOptions, clientOptions);
}
