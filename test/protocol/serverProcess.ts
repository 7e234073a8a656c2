/**
 * The real language server in a child process (`dist/server.js --stdio`, with the editor's Node flags) under the guard of
 * test/cli/boundedProcess.ts: for requests that could hang the process or fill its memory (a
 * workspace with a FIFO or a link to /dev/zero), which an in-process server would take the test
 * runner down with. Every request is raced against the guard, so a stopped server fails the test.
 */
import {
  createProtocolConnection, InitializedNotification, InitializeRequest, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { SERVER_NODE_FLAGS } from '../../server/src/shared/serverNodeFlags.js';
import { built, startGuarded, type GuardedChild } from '../cli/boundedProcess.js';

export interface ServerProcess {
  client: ProtocolConnection;
  /** `window/logMessage` texts, in order. */
  logs: string[];
  /** Sends a request; rejects when the guard stops the server first (time-out or memory). */
  request<R>(method: string, params?: unknown): Promise<R>;
  dispose(): Promise<void>;
}

export async function startServerProcess(root: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<ServerProcess> {
  const guarded: GuardedChild = startGuarded(built('server'), ['--stdio'], { cwd: root, env, timeoutMs, nodeFlags: SERVER_NODE_FLAGS });
  guarded.child.stderr!.resume();
  const client = createProtocolConnection(new StreamMessageReader(guarded.child.stdout!), new StreamMessageWriter(guarded.child.stdin!));
  const logs: string[] = [];
  const folder = { uri: URI.file(root).toString(), name: 'root' };
  client.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('window/workDoneProgress/create', () => null);
  client.onRequest('workspace/workspaceFolders', () => [folder]);
  client.onNotification('$/progress', () => undefined);
  client.listen();

  const stopped = guarded.exited.then(({ code, signal }) => {
    throw new Error(`the server stopped (${guarded.killed() ?? `exit ${code ?? signal}`}) before answering`);
  });
  stopped.catch(() => undefined);
  const request = <R>(method: string, params?: unknown): Promise<R> => Promise.race([client.sendRequest<R>(method, params), stopped]);

  await request(InitializeRequest.method, {
    processId: null,
    rootUri: folder.uri,
    workspaceFolders: [folder],
    capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true } },
  });
  await client.sendNotification(InitializedNotification.type, {});
  return {
    client,
    logs,
    request,
    async dispose() {
      client.dispose();
      guarded.stop();
      await guarded.exited;
    },
  };
}
