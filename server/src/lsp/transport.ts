/**
 * The server's end of the connection (`--stdio`, `--node-ipc`, `--socket=N`, `--pipe=NAME`), made
 * so that a broken connection ends the process with a line on stderr: the editor then starts a
 * fresh server instead of talking to one that can no longer read it. Broken means a framing error
 * (FramingCheck, or vscode-jsonrpc's reader reporting one), a read error, or the input closed (the
 * client is gone; exit code 0 only after a `shutdown` request).
 */
import { createConnection as createSocket, type Socket } from 'node:net';
import { format } from 'node:util';
import {
  createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, SocketMessageReader, SocketMessageWriter, StreamMessageReader,
  StreamMessageWriter, type Connection, type MessageReader, type MessageWriter,
} from 'vscode-languageserver/node';
import { FramingCheck } from './framingCheck.js';

export interface ProcessEnd {
  /** Writes a line where the editor's log finds it even when the connection is gone. */
  stderr(line: string, written: () => void): void;
  exit(code: number): void;
}

const PROCESS: ProcessEnd = {
  stderr: (line, written) => void process.stderr.write(`${line}\n`, () => written()),
  exit: (code) => process.exit(code),
};

interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  /** The byte stream the reader reads, for the framing check (none for IPC, which sends objects). */
  bytes?: NodeJS.ReadableStream;
  stdio: boolean;
  /** The parent's IPC channel: when it disconnects, the editor is gone. */
  ipc?: boolean;
}

export function createServerConnection(argv: readonly string[], end: ProcessEnd = PROCESS): Connection {
  const transport = transportFor(argv);
  // No transport named: the library's own connection, and its message saying which arguments it takes.
  if (!transport) return createConnection(ProposedFeatures.all);
  const connection = createConnection(ProposedFeatures.all, transport.reader, transport.writer);
  let ended = false;
  let shutdown = false;
  const stop = (code: number, why?: string): void => {
    if (ended) return;
    ended = true;
    if (!why) return end.exit(code);
    const line = `playbook language server: ${why}; exiting so that the editor starts a new server`;
    try {
      connection.console.error(line);
    } catch {
      // The connection is what broke: stderr is enough.
    }
    // A time-out in case stderr never drains (nobody reads it): the exit must not wait on it.
    const timer = setTimeout(() => end.exit(code), 1000);
    end.stderr(line, () => {
      clearTimeout(timer);
      end.exit(code);
    });
  };
  connection.onShutdown(() => {
    shutdown = true;
  });
  transport.reader.onError((error) => stop(1, `the message stream is broken (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`));
  transport.reader.onClose(() => stop(shutdown ? 0 : 1));
  if (transport.bytes) {
    const check = new FramingCheck((problem) => stop(1, `the message stream is broken: ${problem}`));
    transport.bytes.on('data', (chunk: Uint8Array | string) => check.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    transport.bytes.on('end', () => stop(shutdown ? 0 : 1));
  }
  if (transport.ipc) process.on('disconnect', () => stop(shutdown ? 0 : 1));
  // Over stdio, stdout is the protocol: anything printed goes to the client's log instead, as vscode-languageserver does.
  if (transport.stdio) redirectConsole(connection);
  return connection;
}

function transportFor(argv: readonly string[]): Transport | undefined {
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[i + 1];
    if (name === '--stdio') return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout), bytes: process.stdin, stdio: true };
    if (name === '--node-ipc') return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false, ipc: true };
    if (name === '--socket' && value !== undefined && /^\d+$/.test(value)) return socketTransport(createSocket(Number(value), '127.0.0.1'));
    if (name === '--pipe' && value !== undefined) return socketTransport(createSocket(value));
  }
  return undefined;
}

function socketTransport(socket: Socket): Transport {
  return { reader: new SocketMessageReader(socket), writer: new SocketMessageWriter(socket), bytes: socket, stdio: false };
}

function redirectConsole(connection: Connection): void {
  const to = (send: (message: string) => void) => (...args: unknown[]): void => send(format(...args));
  console.log = to((m) => connection.console.log(m));
  console.info = to((m) => connection.console.info(m));
  console.debug = to((m) => connection.console.log(m));
  console.warn = to((m) => connection.console.warn(m));
  console.error = to((m) => connection.console.error(m));
}
