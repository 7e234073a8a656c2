/**
 * The language server: capabilities, document sync and settings, wired to the core through small
 * services. `startServer` takes any connection, so protocol tests drive it over in-memory streams.
 */
import * as path from 'node:path';
import { CodeActionKind, DidChangeConfigurationNotification, ErrorCodes, ResponseError, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { AdvisoryStore } from '../node/advisoryStore.js';
import type { Timeouts } from '../node/advisoryDownload.js';
import type { DeliverySettings } from '../node/webhookQueue.js';
import {
  checkWorkspaceRequest, DEFAULT_SETTINGS, dryRunRequest, flowViewRequest, policyInfoRequest, recordVexDecisionRequest, runAnswerRequest, runEndRequest, runGiveUpRequest, runReportRequest, runRetryRequest, runPreviewReleaseRequest, runResumeRequest,
  runStartRequest, runStateRequest, updateAdvisoriesRequest, type PlaybookSettings,
} from '../shared/protocol.js';
import { AGE_CHECK_EVERY_MS, watchAdvisoryAge } from './advisoryAgeWatch.js';
import { Analyses } from './analyses.js';
import { checkWorkspace } from './checkWorkspace.js';
import { DiagnosticsService } from './diagnosticsService.js';
import { editorSecrets } from './editorSecrets.js';
import { flowViewOf } from './flowView.js';
import { policyInfo } from './policyInfo.js';
import { dryRun } from './dryRun.js';
import { registerFeatures } from './features.js';
import { runSafe, safely } from './runSafe.js';
import { recordVex } from './recordVexDecision.js';
import { Runs } from './runs.js';
import { updateAdvisories } from './updateAdvisories.js';
import { Workspace } from './workspace.js';
import { TypingPause } from './typingPause.js';

declare const PLAYBOOK_VERSION: string | undefined;

export interface ServerOptions {
  /** Where advisories are loaded (default: a store of the server's own, with the per-user cache). */
  advisoryStore?: AdvisoryStore;
  /** The clock the checks judge advisories' age by, and how often it is looked at (tests move it). */
  now?: () => Date;
  ageCheckEveryMs?: number;
  /** Update Advisories' time-outs (tests shorten them). */
  downloadTimeouts?: Partial<Timeouts>;
  /** Incident runs' webhook time-outs and backoff (tests shorten them). */
  webhookDelivery?: DeliverySettings;
  /** How long checks wait for the client's settings at start-up (tests shorten it). */
  settingsWaitMs?: number;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  // SBOMs no check waits for are read in pauses of typing, so the first keystrokes after an open are not answered behind them.
  const typing = new TypingPause();
  const workspace = new Workspace([], options.advisoryStore, () => typing.pause());
  const now = options.now ?? (() => new Date());
  const analyses = new Analyses(workspace, now);
  const log = (message: string): void => {
    try {
      connection.console.log(message);
    } catch {
      // The client has gone: there is nobody to tell.
    }
  };
  // SBOMs read in the background: the check made once they are in. A client gone by then is no error.
  analyses.onReleaseFilesRead = () => void diagnostics?.refreshAll().catch((e: unknown) => log(`re-checking after SBOMs were read: ${e instanceof Error ? e.message : String(e)}`));
  let diagnostics: DiagnosticsService | undefined;
  let canReadConfiguration = false;
  let hearsOfFolderChanges = false;

  connection.onInitialize((params) => runSafe(log, 'initialize', new ResponseError(ErrorCodes.InternalError, 'the playbook language server could not start; its log says why'), (): InitializeResult => {
    workspace.setRoots(workspaceRoots(params, log));
    const pull = Boolean(params.capabilities.textDocument?.diagnostic);
    canReadConfiguration = Boolean(params.capabilities.workspace?.configuration);
    // Asking for folder changes a client cannot send throws, and would end the start-up half-way.
    hearsOfFolderChanges = Boolean(params.capabilities.workspace?.workspaceFolders);
    diagnostics = new DiagnosticsService(connection, documents, analyses, workspace, pull, log, now);
    const service = diagnostics;
    if (pull) {
      connection.languages.diagnostics.on((p, token) => runSafe(log, 'diagnostics', { kind: 'full' as const, items: [] }, async () => {
        return { kind: 'full' as const, items: await service.pulled(p.textDocument.uri) };
      }, token));
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...(pull ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        completionProvider: { triggerCharacters: [':', ' ', '[', ',', '-'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'playbook', version: serverVersion() },
    };
  }));

  connection.onInitialized(safely(log, 'initialized', async () => {
    if (canReadConfiguration) {
      // Before anything is awaited: a playbook opened while the settings are read waits for them.
      const read = workspace.readingSettings(readSettings(connection), options.settingsWaitMs);
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'playbook' });
      if ((await read).late) await diagnostics?.refreshAll();
    }
    if (hearsOfFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders(safely(log, 'workspace folders changed', async () => {
        const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
        workspace.setRoots(folders.map((f) => URI.parse(f.uri).fsPath));
        await diagnostics?.refreshAll();
      }));
    }
    // Load each folder's policy and advisories now, so the status bar and the policies' problems are right before any playbook is opened.
    await Promise.all(workspace.allRoots().map((root) => workspace.environmentForFolder(root).catch((e) => log(`loading the policy and advisories of ${root} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))));
    await diagnostics?.started();
    watchAdvisoryAge({ workspace, analyses, diagnostics: () => diagnostics, now, everyMs: options.ageCheckEveryMs ?? AGE_CHECK_EVERY_MS, log });
  }));

  connection.onDidChangeConfiguration(safely(log, 'configuration changed', async () => {
    if (workspace.setSettings(canReadConfiguration ? await readSettings(connection) : DEFAULT_SETTINGS)) await diagnostics?.refreshAll();
  }));

  // Policy, advisories, snippets, SBOMs, VEX documents or a baseline changed: reload (only the changed advisory files are parsed again) and re-check.
  connection.onDidChangeWatchedFiles(safely(log, 'watched files changed', async (params) => {
    const files = params.changes.map((c) => URI.parse(c.uri).fsPath);
    const json = files.filter((f) => /\.json$/i.test(f));
    const relevant = files.some((f) => /[\\/]\.playbooks[\\/]/.test(f)) || (await Promise.all(json.flatMap((f) => [workspace.readsReleaseFile(f), workspace.readsBaselineFile(f)]))).some(Boolean);
    if (!relevant) return;
    workspace.invalidate();
    await diagnostics?.refreshAll();
  }));

  // TextDocuments reports an open as a content change too; the open itself is checked without the debounce.
  const opened = new Set<string>();
  documents.onDidOpen(safely(log, 'didOpen', (e) => opened.add(e.document.uri)));
  documents.onDidChangeContent(safely(log, 'didChange', (e) => {
    typing.changed();
    if (opened.delete(e.document.uri)) diagnostics?.opened(e.document);
    else diagnostics?.changed(e.document);
  }));
  documents.onDidClose(safely(log, 'didClose', (e) => diagnostics?.closed(e.document)));

  // A failure is answered as one, never as a result: "0 errors" from a check that did not run would be a lie.
  const failed = (what: string): ResponseError<void> => new ResponseError(ErrorCodes.InternalError, `${what} failed; the Incident Playbooks log says why`);
  connection.onRequest(checkWorkspaceRequest, () => runSafe(log, 'checkWorkspace', failed('Check Workspace'), () => checkWorkspace(connection, workspace, analyses, diagnostics!)));
  connection.onRequest(updateAdvisoriesRequest, (params, token) => runSafe(log, 'updateAdvisories', failed('Update Advisories'), () => updateAdvisories(params, connection, workspace, diagnostics, token, log, { userAgent: `incident-playbook/${serverVersion()}`, now, timeouts: options.downloadTimeouts })));
  connection.onRequest(recordVexDecisionRequest, (params) => runSafe(log, 'recordVexDecision', failed('Recording the decision'), () => recordVex(params, workspace, now, async () => diagnostics?.refreshAll())));
  connection.onRequest(dryRunRequest, (params, token) => runSafe(log, 'dryRun', failed('The dry-run'), () => dryRun(params, documents, analyses, workspace), token));
  connection.onRequest(policyInfoRequest, (params) => runSafe(log, 'policyInfo', failed('Reading the policy'), () => policyInfo(params, workspace)));
  connection.onRequest(flowViewRequest, (params, token) => runSafe(log, 'flowView', failed('The flow view'), () => flowViewOf(params, documents, analyses), token));
  const runs = new Runs(workspace, now, serverVersion(), (names) => editorSecrets(connection, names, log), options.webhookDelivery);
  connection.onRequest(runGiveUpRequest, (params) => runSafe(log, 'run/give-up', failed('Giving up the delivery'), () => runs.giveUp(params)));
  connection.onRequest(runRetryRequest, (params) => runSafe(log, 'run/retry', failed('Trying the notifications again'), () => runs.retry(params)));
  connection.onRequest(runStartRequest, (params) => runSafe(log, 'run/start', failed('Starting the run'), () => runs.start(params)));
  connection.onRequest(runResumeRequest, (params) => runSafe(log, 'run/resume', failed('Resuming the run'), () => runs.resume(params)));
  connection.onRequest(runStateRequest, (params) => runSafe(log, 'run/state', failed('Reading the run'), () => runs.state(params)));
  connection.onRequest(runAnswerRequest, (params) => runSafe(log, 'run/answer', failed('Recording the answer'), () => runs.answer(params)));
  connection.onRequest(runPreviewReleaseRequest, (params) => runSafe(log, 'run/preview-release', failed('Checking the release'), () => runs.previewRelease(params)));
  connection.onRequest(runEndRequest, (params) => runSafe(log, 'run/end', failed('Ending the run'), () => runs.end(params)));
  connection.onRequest(runReportRequest, (params) => runSafe(log, 'run/report', failed('Making the run report'), () => runs.report(params)));
  registerFeatures(connection, documents, analyses, workspace, log, async (uri) => diagnostics?.firstFindingsOut(uri));
  documents.listen(connection);
  connection.listen();
}

function serverVersion(): string {
  return typeof PLAYBOOK_VERSION === 'string' ? PLAYBOOK_VERSION : '0.0.0-dev';
}

/** The workspace folders on disk; one the client names in a shape or scheme the server cannot use is left out, and said so. */
function workspaceRoots(params: InitializeParams, log: (message: string) => void): string[] {
  const named = params.workspaceFolders ? params.workspaceFolders.map((f) => (f as { uri?: unknown } | null)?.uri) : [params.rootUri];
  return named.flatMap((uri) => {
    if (uri === null || uri === undefined) return [];
    let parsed: URI | undefined;
    try {
      parsed = typeof uri === 'string' ? URI.parse(uri) : undefined;
    } catch {
      // vscode-uri refuses a scheme with characters no scheme has: that folder is left out below.
    }
    if (parsed?.scheme !== 'file') {
      log(`the workspace folder ${JSON.stringify(uri)} is not a file: URI; it is not checked`);
      return [];
    }
    return [path.resolve(parsed.fsPath)];
  });
}

async function readSettings(connection: Connection): Promise<PlaybookSettings> {
  const raw = (await connection.workspace.getConfiguration('playbook').catch(() => undefined)) as { advisories?: { extraPaths?: unknown }; rules?: unknown; ruleDocumentationUrl?: unknown } | undefined;
  const extra = raw?.advisories?.extraPaths;
  const rules = raw?.rules;
  const docs = raw?.ruleDocumentationUrl;
  return {
    ruleDocumentationUrl: typeof docs === 'string' ? docs.trim() : '',
    advisoryPaths: Array.isArray(extra) ? extra.filter((p): p is string => typeof p === 'string') : [],
    rules: rules && typeof rules === 'object' ? Object.fromEntries(Object.entries(rules).filter(([id, v]) => /^PB\d{3}$/.test(id) && ['error', 'warning', 'info', 'off'].includes(String(v)))) : {},
  };
}
