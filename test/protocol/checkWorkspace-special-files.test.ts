/**
 * "Check Workspace" over a workspace a pull request could have made hostile: links to /dev/zero and
 * to a FIFO, a FIFO, link loops, dangling links, a folder linked into itself, and a FIFO where the
 * advisory cache file should be. The server runs in a child process stopped after a time-out (or
 * past 1 GB), so a regression fails the test instead of hanging it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { checkWorkspaceRequest, type CheckWorkspaceResult } from '../../server/src/shared/protocol.js';
import { workspace } from '../cli/helpers.js';
import { playbook } from '../unit/helpers/findings.js';
import { startServerProcess } from './serverProcess.js';

const POSIX = process.platform === 'win32' && 'needs FIFOs, devices and symbolic links as on Linux';
const withError = playbook(`  - id: triage
    action: diagnos
    run: kubectl get pods
`);
const ONE_ERROR: Omit<CheckWorkspaceResult, 'unreadable'> = { files: 1, errors: 1, warnings: 0, infos: 0 };
const counts = ({ unreadable: _, ...rest }: CheckWorkspaceResult): Omit<CheckWorkspaceResult, 'unreadable'> => rest;

const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

async function checkWorkspace(root: string, env: NodeJS.ProcessEnv = {}): Promise<{ result: CheckWorkspaceResult; logs: string[] }> {
  const server = await startServerProcess(root, env);
  try {
    const result = await server.request<CheckWorkspaceResult>(checkWorkspaceRequest.method);
    return { result, logs: server.logs.filter((l) => l.startsWith('Check Workspace: ')) };
  } finally {
    await server.dispose();
  }
}

describe('Check Workspace over entries that are not regular files', { skip: POSIX }, () => {
  test('links to /dev/zero and to a FIFO, and a FIFO, are reported in the log and never read; the playbook is checked', { timeout: 60_000 }, async () => {
    const elsewhere = workspace({});
    mkfifo(path.join(elsewhere, 'pipe'));
    const root = workspace({ 'a.playbook.yaml': withError });
    symlinkSync('/dev/zero', path.join(root, 'zero.playbook.yaml'));
    symlinkSync(path.join(elsewhere, 'pipe'), path.join(root, 'linked.playbook.yaml'));
    mkfifo(path.join(root, 'pipe.playbook.yaml'));

    const { result, logs } = await checkWorkspace(root);
    assert.deepEqual(counts(result), ONE_ERROR);
    assert.deepEqual(result.unreadable.map((u) => u.path).sort(), [`${root}/linked.playbook.yaml`, `${root}/pipe.playbook.yaml`, `${root}/zero.playbook.yaml`], 'the result names what was not checked');
    assert.deepEqual(logs.slice(1).sort(), [
      `Check Workspace: ${root}/linked.playbook.yaml: is a FIFO (named pipe), not a regular file; not checked`,
      `Check Workspace: ${root}/pipe.playbook.yaml: is a FIFO (named pipe), not a regular file; not checked`,
      `Check Workspace: ${root}/zero.playbook.yaml: is a device, not a regular file; not checked`,
    ]);
  });

  test('a folder linked into itself is checked once; link loops and dangling links are reported', { timeout: 60_000 }, async () => {
    const root = workspace({ 'a.playbook.yaml': withError });
    mkdirSync(path.join(root, 'sub'));
    symlinkSync('..', path.join(root, 'sub', 'self'));
    symlinkSync('loop-b', path.join(root, 'loop-a'));
    symlinkSync('loop-a', path.join(root, 'loop-b'));
    symlinkSync('nowhere.playbook.yaml', path.join(root, 'gone.playbook.yaml'));

    const { result, logs } = await checkWorkspace(root);
    assert.deepEqual(counts(result), ONE_ERROR, 'a.playbook.yaml once, not again as sub/self/a.playbook.yaml');
    assert.ok(result.unreadable.some((u) => /dangling/.test(u.reason)), JSON.stringify(result.unreadable));
    assert.deepEqual(logs.slice(1).sort(), [
      `Check Workspace: ${root}/gone.playbook.yaml: is a dangling symbolic link (its target does not exist); not checked`,
      `Check Workspace: ${root}/loop-a: is a symbolic link loop; not checked`,
      `Check Workspace: ${root}/loop-b: is a symbolic link loop; not checked`,
    ]);
  });

  test('a FIFO where the advisory cache file should be is ignored, never read', { timeout: 90_000 }, async () => {
    const record = { id: 'TEST-A', modified: '2024-01-01T00:00:00Z', summary: 'left-pad', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] };
    const root = workspace({ 'a.playbook.yaml': withError, '.playbooks/advisories/TEST-A.json': JSON.stringify(record) });
    const cacheDir = workspace({});
    const env = { PLAYBOOK_CACHE_DIR: cacheDir };
    const first = await checkWorkspace(root, env);
    assert.deepEqual(counts(first.result), ONE_ERROR);
    const cacheFiles = readdirSync(cacheDir);
    assert.equal(cacheFiles.length, 1, `one cache file: ${cacheFiles.join(', ')}`);
    rmSync(path.join(cacheDir, cacheFiles[0]!));
    mkfifo(path.join(cacheDir, cacheFiles[0]!));

    const second = await checkWorkspace(root, env);
    assert.deepEqual(second.result, first.result);
  });
});
