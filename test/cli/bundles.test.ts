/** The built files work on their own: `node dist/cli.js` and `node dist/server.js --stdio` in child processes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createProtocolConnection, ExitNotification, InitializeRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const ROOT = path.join(__dirname, '../..');

test('dist/cli.js checks the examples and prints SARIF', () => {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', 'examples', '--format', 'sarif'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const log = JSON.parse(run.stdout);
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].results.length > 10);
  assert.equal(run.stderr, '');
});

test('dist/cli.js --version prints the package version', () => {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), '--version'], { encoding: 'utf8' });
  assert.equal(run.stdout.trim(), (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
});

test('node dist/server.js --stdio answers initialize and shuts down cleanly', async () => {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const result = await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, workspaceFolders: null });
  assert.equal(result.serverInfo?.name, 'playbook');
  assert.ok(result.capabilities.codeActionProvider && result.capabilities.completionProvider && result.capabilities.renameProvider);
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  connection.dispose();
});

test('the built CLI piped into a reader that stops early (`| head -1`) ends quietly with the closed-pipe status, no stack trace', async () => {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', 'examples'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Read the first chunk, then close the pipe as `head` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => {
    child.stdout.destroy();
    resolve();
  }));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.ok(code === 141 || code === 1, `exit ${code}`);
});
