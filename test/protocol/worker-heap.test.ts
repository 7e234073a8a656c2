/**
 * The server's thread runs with a small young generation (SERVER_NODE_FLAGS) and its worker
 * threads with V8's default: measured in a child started with the server's flags, by how far each
 * thread's young generation grows under the same short-lived allocations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../server/src/shared/serverNodeFlags.js';

const PROBE = path.join(__dirname, 'youngGenerationProbe.ts');

function probe(flags: readonly string[], ...args: string[]): { mainBytes: number; workerBytes: number } {
  const out = execFileSync(process.execPath, [...flags, '--require', 'tsx/cjs', PROBE, ...args], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as { mainBytes: number; workerBytes: number };
}

test('with the server\'s flags, its thread keeps the small young generation and a worker started afterwards gets V8\'s default', () => {
  const defaults = probe([]);
  const inherited = probe(SERVER_NODE_FLAGS);
  const given = probe(SERVER_NODE_FLAGS, '--give-workers-the-default');
  assert.ok(inherited.mainBytes < defaults.mainBytes, `the flags shrink this thread's young generation (${inherited.mainBytes} vs ${defaults.mainBytes} bytes)`);
  assert.equal(inherited.workerBytes, inherited.mainBytes, 'left alone, a worker inherits the small young generation');
  assert.equal(given.mainBytes, inherited.mainBytes, 'giving workers the default leaves this thread\'s young generation as it was');
  assert.equal(given.workerBytes, defaults.workerBytes, 'a worker started afterwards grows to V8\'s default');
});

test('a process started without the server\'s flags keeps whatever young generation it was given, workers included', () => {
  const own = probe(['--max-semi-space-size=2'], '--give-workers-the-default');
  assert.equal(own.workerBytes, own.mainBytes);
});
