/**
 * The server as the editor runs it (`node dist/server.js --stdio`, in a child process): a message whose framing is
 * broken makes it write a line to stderr and exit with a non-zero code, so the editor starts a new
 * one; an input the client closes ends it too.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SERVER_NODE_FLAGS } from '../../server/src/shared/serverNodeFlags.js';
import { built, ROOT } from '../cli/boundedProcess.js';

/** Only a guard against a server that never exits: the assertions are on what it does, not on how fast. */
const HANG_GUARD_MS = 30_000;

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Server {
  child: ChildProcessWithoutNullStreams;
  ended: Promise<Ended>;
  /** Resolves when the server has written something matching `pattern` to stdout. */
  said(pattern: RegExp): Promise<void>;
}

function startServer(): Server {
  // The built server, as the editor starts it (and in a fraction of the time the sources take through tsx).
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, built('server'), '--stdio'], { cwd: ROOT, env: { ...process.env, PLAYBOOK_CACHE_DIR: 'off' } });
  let stdout = '';
  let stderr = '';
  const listeners: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); listeners.forEach((l) => l()); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  const ended = new Promise<Ended>((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit; stderr: ${stderr}`));
    }, HANG_GUARD_MS);
    child.on('exit', (code) => {
      clearTimeout(guard);
      // Output still in the pipes arrives before 'close'.
      child.on('close', () => resolve({ code, stdout, stderr }));
    });
  });
  const said = (pattern: RegExp): Promise<void> => new Promise((resolve) => {
    const look = (): void => { if (pattern.test(stdout)) resolve(); };
    listeners.push(look);
    look();
  });
  return { child, ended, said };
}

const frame = (message: unknown): string => {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const INITIALIZE = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

const BROKEN: Array<[string, string]> = [
  ['no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
  ['a Content-Length that is not a number', 'Content-Length: twelve\r\n\r\n{"jsonrpc":"2.0"}'],
  ['a negative Content-Length', 'Content-Length: -1\r\n\r\n{"jsonrpc":"2.0","method":"exit"}'],
  ['a Content-Length with trailing junk', 'Content-Length: 2x\r\n\r\n{}'],
  ['a header line without a colon', 'Content-Length 2\r\n\r\n{}'],
  ['raw JSON with no header', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n'],
  ['header lines ending in LF only', 'Content-Length: 2\n\n{}'],
];

describe('a framing error: a line on stderr and a non-zero exit', () => {
  for (const [name, bytes] of BROKEN) {
    test(name, { timeout: HANG_GUARD_MS + 5_000 }, async () => {
      const { child, ended } = startServer();
      child.stdin.write(bytes);
      const { code, stderr } = await ended;
      assert.notEqual(code, 0);
      assert.match(stderr, /^playbook language server: the message stream is broken\b.*; exiting so that the editor starts a new server$/m);
    });
  }

  test('after answering a well-framed initialize, a broken header still ends it', { timeout: HANG_GUARD_MS + 5_000 }, async () => {
    const { child, ended, said } = startServer();
    child.stdin.write(INITIALIZE);
    await said(/"id":1,"result"/);
    child.stdin.write('Content-Length: 1e3\r\n\r\n');
    const { code, stderr } = await ended;
    assert.notEqual(code, 0);
    assert.match(stderr, /the message stream is broken: the Content-Length "1e3" is not a byte count/);
  });
});

describe('the client goes away', () => {
  test('its input closed without a shutdown: the server exits, with a non-zero code', { timeout: HANG_GUARD_MS + 5_000 }, async () => {
    const { child, ended } = startServer();
    child.stdin.write(INITIALIZE);
    child.stdin.end();
    const { code } = await ended;
    assert.equal(code, 1);
  });

  test('shutdown, then its input closed: the server exits with 0', { timeout: HANG_GUARD_MS + 5_000 }, async () => {
    const { child, ended, said } = startServer();
    child.stdin.write(INITIALIZE + frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
    await said(/"id":2,"result"/);
    child.stdin.end();
    const { code, stderr } = await ended;
    assert.equal(code, 0, stderr);
  });
});
