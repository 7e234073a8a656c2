/** The editor's dry-run and the CLI's give the same result for the same scenario. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { dryRunRequest } from '../../server/src/shared/protocol.js';
import { cli } from '../cli/helpers.js';
import { startSession, type Session } from './harness.js';

const EXAMPLES = path.join(__dirname, '../../examples');
let s: Session;
after(() => s?.dispose());

describe('dry-run through the language server', () => {
  test('start on a copy of the examples, policy and advisories included', async () => {
    s = await startSession();
    cpSync(EXAMPLES, s.root, { recursive: true });
    // The server found no policy at start: told of the copied one, it checks with the policy the CLI uses.
    await s.filesChanged([{ uri: s.uri('.playbooks/policy.yaml'), type: 1 }]);
  });

  const scenarios: Array<[string, string[], string[]]> = [
    ['checkout-outage.playbook.yaml', [], []],
    ['checkout-outage.playbook.yaml', ['roll-back'], []],
    ['checkout-outage.playbook.yaml', [], ['security-review']],
    ['vulnerable-rollback.playbook.yaml', [], []],
  ];
  for (const [file, fail, deny] of scenarios) {
    test(`${file} fail=[${fail}] deny=[${deny}]: the editor's report data equals the CLI's JSON`, async () => {
      const uri = await s.open(file);
      const editor = await s.client.sendRequest(dryRunRequest, { uri, fail, deny });
      const args = ['dry-run', file, '--format', 'json', ...fail.flatMap((f) => ['--fail', f]), ...deny.flatMap((d) => ['--deny', d])];
      const fromCli = await cli(args, s.root);
      assert.deepEqual(editor.run, JSON.parse(fromCli.stdout));
      const markdown = await cli(['dry-run', file, '--format', 'markdown', ...fail.flatMap((f) => ['--fail', f]), ...deny.flatMap((d) => ['--deny', d])], s.root);
      assert.equal(editor.markdown, markdown.stdout);
      await s.close(uri);
    });
  }

  test('an unknown step in the scenario is refused with the reason', async () => {
    const uri = await s.open('checkout-outage.playbook.yaml');
    await assert.rejects(s.client.sendRequest(dryRunRequest, { uri, fail: ['no-such-step'], deny: [] }), /no-such-step/);
  });
});
