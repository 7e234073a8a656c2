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

test('dist/cli.js --version (and -V, -v) prints the package version', () => {
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  for (const flag of ['--version', '-V', '-v']) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), flag], { encoding: 'utf8' });
    assert.equal(run.status, 0, flag);
    assert.equal(run.stdout, `${version}\n`, flag);
  }
});

test('dist/cli.js: every command\'s --help prints a usage on stdout (exit 0); no command prints it on stderr (exit 2)', () => {
  for (const command of ['check', 'rules', 'advisories', 'dry-run', 'graph', 'releases']) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), command, '--help'], { encoding: 'utf8' });
    assert.equal(run.status, 0, command);
    assert.equal(run.stderr, '', command);
    assert.match(run.stdout, new RegExp(`^Usage: playbook [\\s\\S]*\\b${command}\\b`), command);
  }
  const bare = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js')], { encoding: 'utf8' });
  assert.equal(bare.status, 2);
  assert.equal(bare.stdout, '');
  assert.match(bare.stderr, /^Usage: playbook <command> \[options\]\n/);
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
