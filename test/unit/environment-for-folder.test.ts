/**
 * An environment is looked up by folder: the nearest policy at or above it (within the root) and
 * the advisories that policy names. A playbook's environment is its folder's, the same object.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CheckEnvironment } from '../../server/src/node/checkEnvironment.js';
import { workspace } from '../cli/helpers.js';

const policy = (title: string): string => `policy: 1\n# ${title}\nrules:\n  PB006: error\n`;

describe('environmentForFolder', () => {
  const root = workspace({
    '.playbooks/policy.yaml': policy('root'),
    'team/.playbooks/policy.yaml': policy('team'),
    'team/sub/deeper/.keep': '',
    'other/.keep': '',
  });

  test('a folder with a policy is governed by it, a folder below by the nearest one above', async () => {
    const environments = new CheckEnvironment(root);
    assert.equal((await environments.environmentForFolder(root)).loaded.file, path.join(root, '.playbooks/policy.yaml'));
    assert.equal((await environments.environmentForFolder(path.join(root, 'other'))).loaded.file, path.join(root, '.playbooks/policy.yaml'));
    assert.equal((await environments.environmentForFolder(path.join(root, 'team'))).loaded.file, path.join(root, 'team/.playbooks/policy.yaml'));
    assert.equal((await environments.environmentForFolder(path.join(root, 'team/sub/deeper'))).loaded.file, path.join(root, 'team/.playbooks/policy.yaml'));
  });

  test('a playbook is checked with its folder\'s environment, the same object', async () => {
    const environments = new CheckEnvironment(root);
    const folder = await environments.environmentForFolder(path.join(root, 'team/sub'));
    assert.equal(await environments.forPlaybook(path.join(root, 'team/sub/x.playbook.yaml')), folder);
  });

  test('the policy\'s own folder is not searched above the root', async () => {
    const inner = path.join(root, 'other');
    assert.equal((await new CheckEnvironment(inner).environmentForFolder(inner)).loaded.file, undefined);
  });

  test('without a policy file the defaults are one environment, loaded once for every playbook', async () => {
    const bare = workspace({ 'a/x.playbook.yaml': '', 'b/c/y.playbook.yaml': '' });
    const environments = new CheckEnvironment(bare);
    const first = await environments.forPlaybook(path.join(bare, 'a/x.playbook.yaml'));
    assert.equal(first.loaded.file, undefined);
    assert.equal(await environments.forPlaybook(path.join(bare, 'a/x.playbook.yaml')), first, 'the same playbook again');
    assert.equal(await environments.forPlaybook(path.join(bare, 'b/c/y.playbook.yaml')), first, 'another folder under no policy');
  });

  test('the policy\'s baseline comes with the environment when asked for (the server), not otherwise (a CLI run resolves its own)', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\nbaseline: .playbooks/baseline.json\n', '.playbooks/baseline.json': '{"version": 1, "tool": "playbook", "entries": [{"file": "../a.playbook.yaml", "ruleId": "PB105", "fingerprint": "0123456789abcdef", "hint": "x"}]}' });
    const editor = await new CheckEnvironment(dir, undefined, undefined, [], { readBaseline: true }).environmentForFolder(dir);
    assert.equal(editor.baseline?.file, path.join(dir, '.playbooks/baseline.json'));
    assert.deepEqual([...(editor.baseline?.byFile?.keys() ?? [])], ['../a.playbook.yaml']);
    assert.equal((await new CheckEnvironment(dir).environmentForFolder(dir)).baseline, undefined);
  });

  test('a baseline that cannot be read is read again at the next request', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\nbaseline: .playbooks/baseline.json\n' });
    const environments = new CheckEnvironment(dir, undefined, undefined, [], { retryUnreadable: true, readBaseline: true });
    const first = await environments.environmentForFolder(dir);
    assert.equal(first.baseline?.problem, 'cannot be read (no such file or directory)');
    assert.equal(await environments.readsBaselineFile(path.join(dir, '.playbooks/baseline.json')), true);
    writeFileSync(path.join(dir, '.playbooks/baseline.json'), '{"version": 1, "tool": "playbook", "entries": []}');
    const second = await environments.environmentForFolder(dir);
    assert.notEqual(second, first);
    assert.equal(second.baseline?.problem, undefined);
    assert.ok(second.baseline?.byFile, 'read');
  });

  test('a missing advisory source is looked for again at each request, but while nothing changed the environment stays the same object', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\n', '.playbooks/vex/decisions.openvex.json': JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://example.com/vex/1', author: 'sec', timestamp: '2026-01-01T00:00:00Z', version: 1, statements: [{ vulnerability: { name: 'CVE-2099-0001' }, products: [{ '@id': 'pkg:npm/api@1.0.0' }], status: 'not_affected', justification: 'component_not_present' }] }) });
    const environments = new CheckEnvironment(dir, undefined, undefined, [], { retryUnreadable: true });
    const first = await environments.environmentForFolder(dir);
    assert.ok(first.advisories.sources.some((s) => s.kind === 'missing'), 'the default advisories folder is missing');
    // The VEX statement names a vulnerability no advisory reports: the environment adds a problem to the folders it read.
    assert.ok(first.releases.folders.problems.length > 0);
    const second = await environments.environmentForFolder(dir);
    assert.equal(second, first, 'the same environment: analyses made with it are reused');
    mkdirSync(path.join(dir, '.playbooks/advisories'));
    const third = await environments.environmentForFolder(dir);
    assert.notEqual(third, first, 'the folder appeared: loaded again');
  });
});
