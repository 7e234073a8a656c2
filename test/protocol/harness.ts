/**
 * Drives the real language server over JSON-RPC in process: two PassThrough streams connect a
 * protocol client to `startServer`. Tests wait for conditions on events, never for fixed times.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createProtocolConnection, DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, StreamMessageReader,
  StreamMessageWriter, type ClientCapabilities, type Diagnostic, type FileEvent, type InitializeResult, type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { startServer } from '../../server/src/lsp/server.js';

export interface Session {
  client: ProtocolConnection;
  initialize: InitializeResult;
  root: string;
  uri(relative: string): string;
  open(relative: string, text?: string, languageId?: string): Promise<string>;
  change(uri: string, text: string): Promise<number>;
  close(uri: string): Promise<void>;
  /** Resolves with the first published diagnostics for `uri` that satisfy `accept` (and a version ≥ minVersion). */
  diagnostics(uri: string, accept?: (d: Diagnostic[]) => boolean, minVersion?: number): Promise<Diagnostic[]>;
  published: PublishDiagnosticsParams[];
  notifications: Array<{ method: string; params: unknown }>;
  writeFile(relative: string, text: string): void;
  filesChanged(changes: FileEvent[]): Promise<void>;
  dispose(): void;
}

export interface SessionOptions {
  files?: Record<string, string>;
  capabilities?: ClientCapabilities;
  settings?: unknown;
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const root = mkdtempSync(path.join(tmpdir(), 'playbook-lsp-'));
  const write = (relative: string, text: string): void => {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  for (const [name, text] of Object.entries(options.files ?? {})) write(name, text);

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));

  const published: PublishDiagnosticsParams[] = [];
  const notifications: Array<{ method: string; params: unknown }> = [];
  const waiters: Array<() => void> = [];
  const wake = (): void => waiters.splice(0).forEach((w) => w());
  client.onNotification(PublishDiagnosticsNotification.type, (p) => { published.push(p); wake(); });
  for (const method of ['playbook/advisoryStatus', 'window/logMessage']) {
    client.onNotification(method, (params: unknown) => { notifications.push({ method, params }); wake(); });
  }
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => options.settings ?? {}));
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('window/workDoneProgress/create', () => null);
  client.onRequest('workspace/workspaceFolders', () => [{ uri: URI.file(root).toString(), name: 'root' }]);
  client.onNotification('$/progress', () => undefined);
  client.listen();

  const initialize = await client.sendRequest(InitializeRequest.type, {
    processId: null, // a pid would start the server's parent watchdog, an interval that keeps tests alive
    rootUri: URI.file(root).toString(),
    workspaceFolders: [{ uri: URI.file(root).toString(), name: 'root' }],
    capabilities: options.capabilities ?? { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true } },
  });
  await client.sendNotification(InitializedNotification.type, {});

  const versions = new Map<string, number>();
  const uri = (relative: string): string => URI.file(path.join(root, relative)).toString();
  const session: Session = {
    client, initialize, root, uri, published, notifications,
    writeFile: write,
    async open(relative, text, languageId = 'incident-playbook') {
      const u = uri(relative);
      const content = text ?? (await import('node:fs')).readFileSync(path.join(root, relative), 'utf8');
      versions.set(u, 1);
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId, version: 1, text: content } });
      return u;
    },
    async change(u, text) {
      const version = (versions.get(u) ?? 1) + 1;
      versions.set(u, version);
      await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version }, contentChanges: [{ text }] });
      return version;
    },
    async close(u) {
      await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: u } });
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
