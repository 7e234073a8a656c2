/**
 * A minimal LSP client for benchmarks: a language server in a child process over stdio, the
 * arrival time of every published diagnostic, deadlines on every wait, and the child's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createMessageConnection, DidChangeConfigurationNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, StreamMessageReader,
  StreamMessageWriter, type MessageConnection, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export interface Publish {
  at: number;
  params: PublishDiagnosticsParams;
}

export interface ServerOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** The workspace folder the server is told about. */
  rootUri: string;
  /** Answers `workspace/configuration` items by section (missing sections get `{}`). */
  settings: Record<string, unknown>;
  /** Extra node flags for the child (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
}

export class LspServer {
  readonly published: Publish[] = [];
  readonly configurationSections: string[] = [];
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  private exited: string | undefined;

  constructor(readonly options: ServerOptions) {
    this.child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.command, ...options.args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString()).slice(-4000); });
    this.child.on('exit', (code, signal) => { this.exited = `exited (${code ?? signal})`; this.wake(); });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push({ at: performance.now(), params });
      this.wake();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((item) => {
        this.configurationSections.push(item.section ?? '');
        this.wake();
        return options.settings[item.section ?? ''] ?? {};
      }),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/workspaceFolders', () => [{ uri: options.rootUri, name: 'bench' }]);
    this.connection.onNotification(() => undefined); // logs, telemetry, status: not measured
    this.connection.onError(() => undefined); // a dead child is reported by the waits
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** initialize + initialized + didChangeConfiguration; resolves once the server has read `section`. */
  async start(section: string, deadlineMs: number): Promise<void> {
    const folder = { uri: this.options.rootUri, name: 'bench' };
    await this.within(deadlineMs, 'initialize', this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: this.options.rootUri,
      workspaceFolders: [folder],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true }, synchronization: { dynamicRegistration: false } },
      },
    }));
    await this.connection.sendNotification(InitializedNotification.type, {});
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: this.options.settings });
    await this.until(() => this.configurationSections.includes(section), deadlineMs, `the server to read its \`${section}\` settings`);
  }

  open(uri: string, languageId: string, text: string): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The first publish for `uri` at index ≥ `from` in `published` that `accept`s, within the deadline. */
  async publishFor(uri: string, from: number, accept: (p: PublishDiagnosticsParams) => boolean, deadlineMs: number): Promise<Publish> {
    let found: Publish | undefined;
    await this.until(() => {
      found = this.published.slice(from).find((p) => p.params.uri === uri && accept(p.params));
      return found !== undefined;
    }, deadlineMs, `diagnostics for ${uri.split('/').pop()}`);
    return found!;
  }

  /** Resolves when nothing was published for `quietMs` (stray re-validations must not be taken for answers). */
  async quiet(quietMs: number, deadlineMs: number): Promise<void> {
    const end = performance.now() + deadlineMs;
    for (;;) {
      const count = this.published.length;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (this.published.length === count) return;
      if (performance.now() > end) throw new Error(`${this.options.name} never went quiet`);
    }
  }

  /** Peak and current resident memory of the child, in MB (Linux /proc). */
  memory(): { peakMB: number; rssMB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMB: +(kb('VmHWM') / 1024).toFixed(1), rssMB: +(kb('VmRSS') / 1024).toFixed(1) };
  }

  /** shutdown + exit, then SIGKILL if the child lingers; never throws. Resolves when the child is gone. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.within(graceMs, 'shutdown', this.connection.sendRequest('shutdown'));
      await this.connection.sendNotification('exit');
    } catch {
      // the kill below ends it
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
    this.connection.dispose();
  }

  /** Synchronous last resort for exit handlers. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private until(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) finish();
        else if (this.exited) finish(new Error(`${this.options.name} ${this.exited} while waiting for ${what}; stderr: ${this.stderr.trim()}`));
      };
      const timer = setTimeout(() => finish(new Error(`${this.options.name}: gave up waiting for ${what} after ${deadlineMs} ms`)), deadlineMs);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  private within<T>(deadlineMs: number, what: string, promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.name}: no answer to ${what} within ${deadlineMs} ms`)), deadlineMs);
      promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error instanceof Error ? error : new Error(String(error))); });
    });
  }
}
