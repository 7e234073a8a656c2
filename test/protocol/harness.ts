/**
 * Drives the real language server over JSON-RPC in process: two PassThrough streams connect a
 * protocol client to `startServer`. Tests wait for conditions on events, never for fixed times.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection, DidChangeTextDocumentNotification, DocumentDiagnosticRequest, DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, StreamMessageReader,
  StreamMessageWriter, type ClientCapabilities, type Diagnostic, type FileEvent, type InitializeResult, type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { startServer, type ServerOptions } from '../../server/src/lsp/server.js';

export interface Session {
  client: ProtocolConnection;
  initialize: InitializeResult;
  root: string;
  uri(relative: string): string;
  /** Opens a file of the workspace; `spelledAs` sends another URI for it (an encoded form, a path through a link). */
  open(relative: string, text?: string, languageId?: string, spelledAs?: string): Promise<string>;
  /** Replaces the text; the version is the next one unless given (a client may repeat one). */
  change(uri: string, text: string, version?: number): Promise<number>;
  close(uri: string): Promise<void>;
  /** Pulls a document's diagnostics (pull mode), and keeps them as what the client shows for it while it is open. */
  pull(uri: string): Promise<Diagnostic[]>;
  /**
   * What an editor shows for the URI, kept as VS Code's language client keeps it: the last pushed
   * set (one collection) plus, while the document is open, the last pulled set (another
   * collection). URIs are compared as VS Code compares them, after parsing.
   */
  shown(uri: string): Diagnostic[];
  /** Resolves when `condition` holds, checked after each message from the server. */
  until(condition: () => boolean, what: string): Promise<void>;
  /** Resolves with the first published diagnostics for `uri` that satisfy `accept` (and a version ≥ minVersion). */
  diagnostics(uri: string, accept?: (d: Diagnostic[]) => boolean, minVersion?: number): Promise<Diagnostic[]>;
  published: PublishDiagnosticsParams[];
  notifications: Array<{ method: string; params: unknown }>;
  /** How many `workspace/configuration` requests the client has answered. */
  configurationReads(): number;
  /** How many times the server asked a pulling client to pull diagnostics again (`workspace/diagnostic/refresh`). */
  refreshRequests(): number;
  writeFile(relative: string, text: string): void;
  filesChanged(changes: FileEvent[]): Promise<void>;
  dispose(): void;
}

export interface SessionOptions {
  /** The workspace folder: an existing one (a server started again over the same files); default: a new temporary folder. */
  root?: string;
  files?: Record<string, string | Uint8Array>;
  capabilities?: ClientCapabilities;
  settings?: unknown;
  /** Workspace folders, relative to the session's root (default: the root alone). */
  folders?: string[];
  /** More workspace folders, as URIs sent as they are (a client may send ones the server cannot use). */
  folderUris?: string[];
  /** The server's advisory store (a test can make its loads fail, then recover). */
  advisoryStore?: AdvisoryStore;
  /** Other server options (the clock, the download time-outs). */
  server?: Omit<ServerOptions, 'advisoryStore'>;
  /** The client answers `workspace/configuration` this late (ms). */
  settingsDelayMs?: number;
  /** Files opened right after `initialized`, before the server has read the settings (as an editor opens the file that started it). */
  openAtStart?: string[];
}

/** Capabilities of a client that is pushed diagnostics (the default). */
export const PUSH_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
  window: { workDoneProgress: true },
};

/** Capabilities of a client that pulls diagnostics, as VS Code's does. */
export const PULL_CAPABILITIES: ClientCapabilities = { ...PUSH_CAPABILITIES, textDocument: { diagnostic: { dynamicRegistration: false } } };

const sameUri = (a: string): string => URI.parse(a).toString();

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), 'playbook-lsp-'));
  const write = (relative: string, text: string | Uint8Array): void => {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  for (const [name, text] of Object.entries(options.files ?? {})) write(name, text);

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), { ...options.server, ...(options.advisoryStore ? { advisoryStore: options.advisoryStore } : {}) });
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));

  const published: PublishDiagnosticsParams[] = [];
  const notifications: Array<{ method: string; params: unknown }> = [];
  const waiters: Array<() => void> = [];
  const wake = (): void => waiters.splice(0).forEach((w) => w());
  const pushedSets = new Map<string, Diagnostic[]>();
  const pulledSets = new Map<string, Diagnostic[]>();
  client.onNotification(PublishDiagnosticsNotification.type, (p) => { published.push(p); pushedSets.set(sameUri(p.uri), p.diagnostics); wake(); });
  for (const method of ['playbook/advisoryStatus', 'window/logMessage']) {
    client.onNotification(method, (params: unknown) => { notifications.push({ method, params }); wake(); });
  }
  let configurationReads = 0;
  client.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
    if (options.settingsDelayMs) await new Promise((resolve) => setTimeout(resolve, options.settingsDelayMs));
    configurationReads++;
    setImmediate(wake);
    // A copy, so that a test may change its settings object once this answer is given.
    return p.items.map(() => structuredClone(options.settings ?? {}));
  });
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('window/workDoneProgress/create', () => null);
  const folders = [...(options.folders ?? ['.']).map((f) => ({ uri: URI.file(path.join(root, f)).toString(), name: f })), ...(options.folderUris ?? []).map((uri) => ({ uri, name: uri }))];
  client.onRequest('workspace/workspaceFolders', () => folders);
  let refreshRequests = 0;
  client.onRequest('workspace/diagnostic/refresh', () => {
    refreshRequests++;
    return null;
  });
  client.onNotification('$/progress', () => undefined);
  client.listen();

  const initialize = await client.sendRequest(InitializeRequest.type, {
    processId: null, // a pid would start the server's parent watchdog, an interval that keeps tests alive
    rootUri: URI.file(root).toString(),
    workspaceFolders: folders,
    capabilities: options.capabilities ?? PUSH_CAPABILITIES,
  });
  await client.sendNotification(InitializedNotification.type, {});
  for (const relative of options.openAtStart ?? []) {
    const textDocument = { uri: URI.file(path.join(root, relative)).toString(), languageId: 'incident-playbook', version: 1, text: readFileSync(path.join(root, relative), 'utf8') };
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument });
  }
  // The server has read the settings and loaded each folder's policy when it first reports the advisory status.
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`the server never reported its advisory status after start-up; it said: ${JSON.stringify(notifications)}`)), 15_000); // a hang guard
    const check = (): void => {
      if (notifications.some((n) => n.method === 'playbook/advisoryStatus')) {
        clearTimeout(timeout);
        resolve();
      } else waiters.push(check);
    };
    check();
  });

  const versions = new Map<string, number>();
  const uri = (relative: string): string => URI.file(path.join(root, relative)).toString();
  const session: Session = {
    client, initialize, root, uri, published, notifications,
    configurationReads: () => configurationReads,
    refreshRequests: () => refreshRequests,
    writeFile: write,
    async open(relative, text, languageId = 'incident-playbook', spelledAs) {
      const u = spelledAs ?? uri(relative);
      const content = text ?? readFileSync(path.join(root, relative), 'utf8');
      versions.set(u, 1);
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId, version: 1, text: content } });
      return u;
    },
    async change(u, text, given) {
      const version = given ?? (versions.get(u) ?? 1) + 1;
      versions.set(u, version);
      await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version }, contentChanges: [{ text }] });
      return version;
    },
    async close(u) {
      // VS Code's client drops a closed document's pulled diagnostics (without workspace pull).
      pulledSets.delete(sameUri(u));
      await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
    },
    async pull(u) {
      const report = await client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } });
      const items = report.kind === 'full' ? report.items : (pulledSets.get(sameUri(u)) ?? []);
      pulledSets.set(sameUri(u), items);
      return items;
    },
    shown(u) {
      return [...(pushedSets.get(sameUri(u)) ?? []), ...(pulledSets.get(sameUri(u)) ?? [])];
    },
    until(condition, what) {
      return new Promise((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000); // a hang guard
        const check = (): void => {
          if (condition()) {
            clearTimeout(timeout);
            resolve();
          } else waiters.push(check);
        };
        check();
      });
    },
    diagnostics(u, accept = () => true, minVersion = 0) {
      return new Promise((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`no matching diagnostics for ${u}; published: ${JSON.stringify(published.filter((p) => p.uri === u).map((p) => [p.version, p.diagnostics.map((d) => d.code)]))}`)), 15_000);
        const check = (): void => {
          const hit = [...published].reverse().find((p) => p.uri === u && (p.version ?? 0) >= minVersion);
          if (hit && accept(hit.diagnostics)) {
            clearTimeout(timeout);
            resolve(hit.diagnostics);
          } else waiters.push(check);
        };
        check();
      });
    },
    async filesChanged(changes) {
      await client.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
    },
    dispose() {
      client.dispose();
      toServer.end();
      toClient.end();
    },
  };
  return session;
}

/** A session starter for one test file: every session it starts is disposed once the file's tests are done. */
export function sessionStarter(): (options?: SessionOptions) => Promise<Session> {
  const sessions: Session[] = [];
  after(() => sessions.forEach((s) => s.dispose()));
  return async (options = {}) => {
    const s = await startSession(options);
    sessions.push(s);
    return s;
  };
}
