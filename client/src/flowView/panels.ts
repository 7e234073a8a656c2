/**
 * "Playbook: Show Flow": one webview beside each playbook that asks for it, kept up to date as the
 * user types (and when the server re-checks, e.g. after a policy change), with the paths of the
 * finding under the cursor lit up. Clicking a node, or Enter on it, reveals its step.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { flowViewRequest, type FlowFocus, type FlowViewResult } from '../../../server/src/shared/protocol';
import { flowPageHtml } from './html';
import type { FromFlowView, ToFlowView } from './messages';

/** Typing re-draws the view this long after the last keystroke: the server's diagnostics come first. */
const REFRESH_DELAY_MS = 250;

interface OpenFlow {
  panel: vscode.WebviewPanel;
  document: vscode.TextDocument;
  view?: FlowViewResult;
  focus?: FlowFocus;
  timer?: NodeJS.Timeout;
  /** Answers older than the latest request are dropped. */
  requests: number;
}

export class FlowViews implements vscode.Disposable {
  private readonly open = new Map<string, OpenFlow>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClient, private readonly extensionUri: vscode.Uri) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document.uri)),
      vscode.languages.onDidChangeDiagnostics((e) => e.uris.forEach((uri) => this.schedule(uri))),
      vscode.window.onDidChangeTextEditorSelection((e) => this.followCursor(e.textEditor)),
      vscode.workspace.onDidCloseTextDocument((document) => this.open.get(document.uri.toString())?.panel.dispose()),
    ];
  }

  /** Opens (or reveals) the view of `uri`, the active editor's playbook by default; `focus` lights up a finding's paths. */
  async show(uri?: string | vscode.Uri, focus?: FlowFocus): Promise<vscode.WebviewPanel | undefined> {
    const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showWarningMessage('Open a playbook to see its flow.');
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(target);
    const key = document.uri.toString();
    let flow = this.open.get(key);
    if (flow) {
      flow.panel.reveal(undefined, true);
    } else {
      flow = this.create(document);
      this.open.set(key, flow);
    }
    if (focus) flow.focus = focus;
    await this.refresh(flow);
    return flow.panel;
  }

  dispose(): void {
    for (const flow of this.open.values()) flow.panel.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private create(document: vscode.TextDocument): OpenFlow {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('playbook.flow', `Flow: ${path.basename(document.uri.path)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    panel.webview.html = flowPageHtml({
      nonce: randomBytes(16).toString('base64'),
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'flowView.js')).toString(),
    });
    const flow: OpenFlow = { panel, document, requests: 0 };
    panel.webview.onDidReceiveMessage((message: FromFlowView) => {
      if (message.type === 'ready') this.post(flow);
      else if (message.type === 'reveal') void this.reveal(flow, message.key);
      else if (message.type === 'focus') {
        const finding = message.focus === undefined ? undefined : flow.view?.findings[message.focus];
        flow.focus = finding ? { ruleId: finding.ruleId, step: finding.step } : undefined;
      }
    });
    panel.onDidDispose(() => {
      clearTimeout(flow.timer);
      this.open.delete(document.uri.toString());
    });
    return flow;
  }

  private schedule(uri: vscode.Uri): void {
    const flow = this.open.get(uri.toString());
    if (!flow) return;
    clearTimeout(flow.timer);
    flow.timer = setTimeout(() => void this.refresh(flow), REFRESH_DELAY_MS);
  }

  private async refresh(flow: OpenFlow): Promise<void> {
    const request = ++flow.requests;
    const view = await this.client.sendRequest(flowViewRequest, { uri: flow.document.uri.toString() }).catch(() => null);
    if (request !== flow.requests || !this.open.has(flow.document.uri.toString())) return;
    if (!view) return; // the server does not have the document (yet): the next change or diagnostics bring it
    flow.view = view;
    this.post(flow);
  }

  private post(flow: OpenFlow): void {
    if (!flow.view) return;
    const focus = this.focusIndex(flow);
    const message: ToFlowView = { type: 'update', view: flow.view, file: vscode.workspace.asRelativePath(flow.document.uri), ...(focus !== undefined ? { focus } : {}) };
    void flow.panel.webview.postMessage(message);
  }

  private focusIndex(flow: OpenFlow): number | undefined {
    const { focus, view } = flow;
    if (!focus || !view) return undefined;
    const index = view.findings.findIndex((f) => f.ruleId === focus.ruleId && f.step === focus.step);
    return index >= 0 ? index : undefined;
  }

  /** The cursor in a PB100/PB102/PB106 finding (from the Problems panel, or by hand) lights up its paths. */
  private followCursor(editor: vscode.TextEditor): void {
    const flow = this.open.get(editor.document.uri.toString());
    if (!flow?.view) return;
    const at = editor.selection.active;
    const index = flow.view.findings.findIndex((f) => toRange(f.range).contains(at));
    if (index < 0) return;
    const finding = flow.view.findings[index]!;
    if (flow.focus?.ruleId === finding.ruleId && flow.focus.step === finding.step) return;
    flow.focus = { ruleId: finding.ruleId, step: finding.step };
    void flow.panel.webview.postMessage({ type: 'focus', focus: index } satisfies ToFlowView);
  }

  private async reveal(flow: OpenFlow, key: string): Promise<void> {
    const node = flow.view?.nodes.find((n) => n.key === key);
    if (!node?.range) return;
    const range = toRange(node.range);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === flow.document);
    const editor = await vscode.window.showTextDocument(flow.document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
