/**
 * The run panels: "Playbook: Start Incident Run" and "Playbook: Resume Run" open one beside the
 * playbook for each run (one per record), showing the step to do now and taking the answers, which
 * the language server records (server/src/lsp/runs.ts). Nothing is executed: a command is copied,
 * never run.
 *
 * The record is the state. A page keeps its record's path in the webview's state, so a reloaded
 * window brings the panel back (a WebviewPanelSerializer) and resumes the run from the record; a
 * request that finds the server restarted (RUN_NOT_OPEN) resumes it the same way and goes on.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import {
  RUN_NOT_OPEN, runAnswerRequest, runEndRequest, runGiveUpRequest, runPreviewReleaseRequest, runResumeRequest, runRetryRequest, runStartRequest, type ReleasePreview, type RunView,
} from '../../../server/src/shared/protocol';
import { escapeHtml, pageHead } from '../webviewPage';
import { answerOf, type FromRunPage } from './messages';
import { runPageHtml, runTitle } from './pageHtml';
import { pickRecord } from './records';
import { openRunReport } from './report';
import { whoRuns } from './who';

/** The panels' type: what the serializer and the `onWebviewPanel:` activation event in package.json name. */
const RUN_VIEW_TYPE = 'playbook.run';

interface OpenRun {
  panel: vscode.WebviewPanel;
  view: RunView;
  preview?: ReleasePreview | null;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Incident runs write to the workspace and send messages the workspace's policy names: not in an untrusted one. */
function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Incident runs are not available in an untrusted workspace: a run writes its record into the workspace and sends the messages its playbook and policy name. Trust the workspace to run incidents here.');
  return false;
}

export class RunPanels implements vscode.Disposable {
  /** By record file. */
  private readonly open = new Map<string, OpenRun>();
  private readonly subscriptions: vscode.Disposable[];

  /** A run's report (its record when the server cannot make one). */
  openReport(record: vscode.Uri): Promise<void> {
    return openRunReport(this.client, record);
  }

  constructor(private readonly client: LanguageClient, private readonly state: vscode.Memento) {
    this.subscriptions = [vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, { deserializeWebviewPanel: (panel, saved) => this.restore(panel, saved) })];
  }

  /** Starts a run of `uri` (the active playbook by default), saved first. */
  async start(uri?: string | vscode.Uri): Promise<RunView | undefined> {
    if (!trusted()) return undefined;
    const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showWarningMessage('Open a playbook to start an incident run.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(target);
    if (document.isUntitled) {
      void vscode.window.showWarningMessage('Save the playbook first: a run\'s record names its file.');
      return undefined;
    }
    if (document.isDirty) {
      const choice = await vscode.window.showWarningMessage('The playbook has unsaved changes. A run follows the playbook as saved.', { modal: true }, 'Save and Start');
      if (choice !== 'Save and Start' || !(await document.save())) return undefined;
    }
    const who = await whoRuns(this.state);
    if (!who) return undefined;
    try {
      const view = await this.client.sendRequest(runStartRequest, { uri: document.uri.toString(), who });
      await this.show(view);
      return view;
    } catch (error) {
      void vscode.window.showErrorMessage(`The run did not start: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Goes on with a run from its record (an unfinished one picked from the workspace's by default). */
  async resume(record?: string | vscode.Uri): Promise<RunView | undefined> {
    if (!trusted()) return undefined;
    const file = typeof record === 'string' ? vscode.Uri.file(record) : record ?? (await pickRecord(true, 'Resume Run'));
    if (!file) return undefined;
    const who = await whoRuns(this.state);
    if (!who) return undefined;
    try {
      const view = await this.client.sendRequest(runResumeRequest, { record: file.fsPath, who });
      await this.show(view);
      return view;
    } catch (error) {
      void vscode.window.showErrorMessage(`The run cannot be resumed: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** The panels are left to the editor: a window that reloads keeps them and the serializer resumes their runs. */
  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private async show(view: RunView): Promise<void> {
    const shown = this.open.get(view.record);
    if (shown) {
      shown.view = view;
      shown.panel.reveal(undefined, true);
      await this.render(shown);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, runTitle(view), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] });
    await this.render(this.attach(panel, view));
  }

  /** A panel of a reloaded window: its run resumed from the record the page kept. */
  private async restore(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const record = (typeof saved === 'object' && saved !== null ? (saved as { record?: unknown }).record : undefined);
    const say = (text: string): void => {
      panel.webview.options = { enableScripts: false, localResourceRoots: [] };
      panel.webview.html = `${pageHead({ nonce: nonce(), cspSource: panel.webview.cspSource, title: 'Incident run', style: 'body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.2em; }' })}
<body><main role="alert"><h1>Incident run</h1><p>${escapeHtml(text)}</p><p><strong>Playbook: Open Run Report</strong> shows a run's report; <strong>Playbook: Resume Run</strong> goes on with an unfinished one.</p></main></body></html>`;
    };
    if (typeof record !== 'string' || !record) return say('This run panel could not be restored: it does not say which record it showed.');
    if (!vscode.workspace.isTrusted) return say('Incident runs are not available in an untrusted workspace.');
    const shown = this.open.get(record);
    if (shown) {
      panel.dispose();
      shown.panel.reveal(undefined, true);
      return;
    }
    const who = await whoRuns(this.state);
    if (!who) return say('Nobody was named to run it.');
    try {
      const view = await this.client.sendRequest(runResumeRequest, { record, who });
      panel.webview.options = { enableScripts: true, localResourceRoots: [] };
      await this.render(this.attach(panel, view));
    } catch (error) {
      say(`This run panel was not restored: ${messageOf(error)}`);
    }
  }

  private attach(panel: vscode.WebviewPanel, view: RunView): OpenRun {
    const run: OpenRun = { panel, view };
    this.open.set(view.record, run);
    panel.onDidDispose(() => this.open.delete(view.record));
    panel.webview.onDidReceiveMessage((message: FromRunPage) => void this.received(run, message));
    return run;
  }

  /** The page again, with the current rollback's or deploy's target checked now. */
  private async render(run: OpenRun): Promise<void> {
    run.preview = run.view.step?.release && !run.view.ended ? await this.request(run, (runId) => this.client.sendRequest(runPreviewReleaseRequest, { runId })) : undefined;
    run.panel.title = runTitle(run.view);
    run.panel.webview.html = runPageHtml({ view: run.view, preview: run.preview, nonce: nonce(), cspSource: run.panel.webview.cspSource });
  }

  private async received(run: OpenRun, message: FromRunPage): Promise<void> {
    const step = run.view.step;
    switch (message.type) {
      case 'copy':
        if (!step?.quote) return;
        await vscode.env.clipboard.writeText(step.quote.text);
        vscode.window.setStatusBarMessage(`Copied the ${step.quote.kind} of ${step.name}: nothing was run`, 4000);
        return;
      case 'report':
        await openRunReport(this.client, vscode.Uri.file(run.view.record));
        return;
      case 'reveal':
        if (step) await this.reveal(run.view.playbook.uri, step.line);
        return;
      case 'end': {
        const choice = await vscode.window.showWarningMessage(`Abandon the run of ${run.view.playbook.id}? The record ends with the outcome "abandoned", and the run cannot go on.`, { modal: true }, 'Abandon');
        if (choice === 'Abandon') await this.update(run, (runId) => this.client.sendRequest(runEndRequest, { runId }));
        else await this.render(run);
        return;
      }
      case 'give-up': {
        const id = typeof message.notification === 'number' ? message.notification : NaN;
        const notification = run.view.notifications.find((n) => n.id === id && n.delivery.status === 'queued');
        const choice = notification && await vscode.window.showWarningMessage(`Give up delivering the notification to ${notification.channel}? It is not sent again; the record says you gave up on it.`, { modal: true }, 'Give Up');
        if (choice === 'Give Up') await this.update(run, (runId) => this.client.sendRequest(runGiveUpRequest, { runId, notification: id }));
        else await this.render(run);
        return;
      }
      case 'store-url': {
        // Only a name this run's policy gives; the command asks for the URL, and keeps it in the secret storage.
        const name = run.view.notifications.find((n) => n.webhookEnv === message.name)?.webhookEnv;
        if (name) await vscode.commands.executeCommand('playbook.storeWebhookUrl', name);
        await this.update(run, (runId) => this.client.sendRequest(runRetryRequest, { runId }));
        return;
      }
      case 'retry':
        await this.update(run, (runId) => this.client.sendRequest(runRetryRequest, { runId }));
        return;
      case 'answer': {
        const answer = step && answerOf(message, step);
        if (!step || !answer) {
          await this.render(run);
          return;
        }
        await this.update(run, (runId) => this.client.sendRequest(runAnswerRequest, { runId, step: step.name, answer }));
      }
    }
  }

  private async update(run: OpenRun, send: (runId: string) => Promise<RunView>): Promise<void> {
    const view = await this.request(run, send);
    if (view) run.view = view;
    await this.render(run);
  }

  /** A run request; a server started again since (RUN_NOT_OPEN) resumes the run from its record first. Other refusals are said. */
  private async request<T>(run: OpenRun, send: (runId: string) => Promise<T>): Promise<T | undefined> {
    try {
      try {
        return await send(run.view.runId);
      } catch (error) {
        if (!(error instanceof ResponseError) || error.code !== RUN_NOT_OPEN) throw error;
        run.view = await this.client.sendRequest(runResumeRequest, { record: run.view.record, who: run.view.who });
        return await send(run.view.runId);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(messageOf(error));
      return undefined;
    }
  }

  private async reveal(uri: string, line: number): Promise<void> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const at = new vscode.Range(line - 1, 0, line - 1, 0);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: at });
    editor.revealRange(at, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** The commands: Start Incident Run, Resume Run, Open Run Report. */
export function registerRunCommands(runs: RunPanels): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('playbook.startRun', (uri?: string | vscode.Uri) => runs.start(uri)),
    vscode.commands.registerCommand('playbook.resumeRun', (record?: string | vscode.Uri) => runs.resume(record)),
    vscode.commands.registerCommand('playbook.openRunReport', async (record?: string | vscode.Uri) => {
      if (!trusted()) return;
      const file = typeof record === 'string' ? vscode.Uri.file(record) : record ?? (await pickRecord(false, 'Open Run Report'));
      if (file) await runs.openReport(file);
    }),
  ];
}
