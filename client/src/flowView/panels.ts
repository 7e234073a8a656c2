/**
 * "Playbook: Show Flow": one webview beside each playbook that asks for it, kept up to date as the
 * user types (and when the server re-checks, e.g. after a policy change), with the paths of the
 * finding under the cursor lit up. Clicking a node, or Enter on it, reveals its step.
 *
 * The server works out the paths of the focused finding only (each is a search over the whole
 * flow), so a new focus (the cursor, the view's list, a code lens) is a new request, sent at once.
 *
 * A reloaded window brings its flow views back (a WebviewPanelSerializer): each page keeps its
 * playbook's URI, the finding lit up and its zoom in the webview's state, and the restored panel is
 * joined to that playbook again and re-drawn from the server. A playbook that is gone by then gets
 * a page that says so.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { flowViewRequest, type FlowFocus, type FlowViewResult } from '../../../server/src/shared/protocol';
import { flowPageHtml, missingPlaybookHtml } from './html';
import type { FromFlowView, ToFlowView } from './messages';

/** Typing re-draws the view this long after the last keystroke: the server's diagnostics come first. */
const REFRESH_DELAY_MS = 250;

/** The panels' type: what the serializer and the `onWebviewPanel:` activation event in package.json name. */
const FLOW_VIEW_TYPE = 'playbook.flow';

/** What a page keeps in its webview state that the restore reads (client/webview/src/main.ts writes it). */
interface SavedFlow {
  uri?: vscode.Uri;
  focus?: FlowFocus;
}

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
      vscode.window.registerWebviewPanelSerializer(FLOW_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => this.restore(panel, state) }),
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

  /**
   * The panels are left to the editor: a window that reloads keeps them and the serializer brings
   * them back, while closing them here could drop them before the window saved its layout.
   */
  dispose(): void {
    for (const flow of this.open.values()) clearTimeout(flow.timer);
    for (const s of this.subscriptions) s.dispose();
  }

  /** A panel of a window reloaded: back on its playbook, or a page that says the playbook is gone. */
  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = savedFlow(state);
    let closed = false;
    const closing = panel.onDidDispose(() => { closed = true; });
    const document = saved.uri && (await openPlaybook(saved.uri));
    closing.dispose();
    if (closed) return; // closed while the playbook was being opened
    if (!document) {
      panel.webview.options = { enableScripts: false, localResourceRoots: [] };
      panel.webview.html = missingPlaybookHtml({ nonce: nonce(), cspSource: panel.webview.cspSource, file: saved.uri && describe(saved.uri) });
      return;
    }
    const key = document.uri.toString();
    const existing = this.open.get(key);
    if (existing) {
      // Show Flow already opened a view of it since the reload: one view per playbook.
      panel.dispose();
      existing.panel.reveal(undefined, true);
      return;
    }
    const flow = this.attach(panel, document);
    flow.focus = saved.focus;
    this.open.set(key, flow);
    await this.refresh(flow);
  }

  private create(document: vscode.TextDocument): OpenFlow {
    const panel = vscode.window.createWebviewPanel(FLOW_VIEW_TYPE, titleOf(document.uri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
    return this.attach(panel, document);
  }

  private options(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] };
  }

  /** The page, its messages and its end, on a new panel or a restored one. */
  private attach(panel: vscode.WebviewPanel, document: vscode.TextDocument): OpenFlow {
    panel.title = titleOf(document.uri);
    panel.webview.options = this.options();
    panel.webview.html = flowPageHtml({
      nonce: nonce(),
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'flowView.js')).toString(),
      playbookUri: document.uri.toString(),
    });
    const flow: OpenFlow = { panel, document, requests: 0 };
    panel.webview.onDidReceiveMessage((message: FromFlowView) => {
      if (message.type === 'ready') this.post(flow);
      else if (message.type === 'reveal') void this.reveal(flow, message.key);
      else if (message.type === 'focus') {
        flow.focus = message.focus;
        void this.refresh(flow);
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
    const params = { uri: flow.document.uri.toString(), ...(flow.focus ? { focus: flow.focus } : {}) };
    const view = await this.client.sendRequest(flowViewRequest, params).catch(() => null);
    if (request !== flow.requests || !this.open.has(flow.document.uri.toString())) return;
    if (!view) return; // the server does not have the document (yet): the next change or diagnostics bring it
    flow.view = view;
    this.post(flow);
  }

  private post(flow: OpenFlow): void {
    if (!flow.view) return;
    const message: ToFlowView = { type: 'update', view: flow.view, file: vscode.workspace.asRelativePath(flow.document.uri) };
    void flow.panel.webview.postMessage(message);
  }

  /**
   * The cursor in a PB100/PB102/PB106 finding (from the Problems panel, or by hand) lights up its
   * paths: asked for at once, unless the user is typing (the view is of older text), when the
   * refresh the typing scheduled brings them.
   */
  private followCursor(editor: vscode.TextEditor): void {
    const flow = this.open.get(editor.document.uri.toString());
    if (!flow?.view) return;
    const at = editor.selection.active;
    const finding = flow.view.findings.find((f) => toRange(f.range).contains(at));
    if (!finding) return;
    if (flow.focus?.ruleId === finding.ruleId && flow.focus.step === finding.step) return;
    flow.focus = { ruleId: finding.ruleId, step: finding.step };
    if (flow.view.version === editor.document.version) void this.refresh(flow);
    else this.schedule(editor.document.uri);
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

function titleOf(uri: vscode.Uri): string {
  return `Flow: ${path.basename(uri.path)}`;
}

function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** The state as a page saved it; anything else (another version's, or none) restores nothing of it. */
function savedFlow(state: unknown): SavedFlow {
  const { uri, focus } = (typeof state === 'object' && state !== null ? state : {}) as { uri?: unknown; focus?: { ruleId?: unknown; step?: unknown } };
  const saved: SavedFlow = {};
  if (typeof uri === 'string' && uri !== '') {
    try {
      saved.uri = vscode.Uri.parse(uri, true);
    } catch {
      // not a URI: nothing to reopen
    }
  }
  if (typeof focus?.ruleId === 'string' && Number.isInteger(focus.step)) saved.focus = { ruleId: focus.ruleId, step: focus.step as number };
  return saved;
}

/**
 * The playbook a restored view showed, if it is still there. An unsaved one that did not come back
 * with the window is gone: opening its URI again would make a new, empty document.
 */
async function openPlaybook(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open;
  if (uri.scheme === 'untitled') return undefined;
  try {
    await vscode.workspace.fs.stat(uri);
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined;
  }
}

/** The playbook as the missing page names it: its path in the workspace, or its file name. */
function describe(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : path.basename(uri.path) || uri.toString();
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
