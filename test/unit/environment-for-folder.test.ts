/**
 * An environment is looked up by folder: the nearest policy at or above it (within the root) and
 * the advisories that policy names. A playbook's environment is its folder's, the same object.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
});
