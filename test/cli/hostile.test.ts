/** The hostile corpus through the CLI: one run over all of it, every file reported, no stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostileCorpus, hostileFiles } from '../fixtures/hostile/corpus.js';
import { cli, workspace } from './helpers.js';

test('playbook check over the hostile corpus reports every file and never prints a stack trace', { timeout: 120_000 }, async () => {
  const files: Record<string, string | Uint8Array> = {};
  hostileCorpus().forEach((c, i) => { files[`case-${String(i).padStart(2, '0')}.playbook.yaml`] = c.text; });
  for (const f of hostileFiles()) files[f.name] = f.bytes;
  const dir = workspace(files);
  for (const format of ['json', 'sarif', 'text']) {
    const r = await cli(['check', '--format', format], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
    if (format === 'json') {
      const report = JSON.parse(r.stdout);
      assert.equal(report.files.filter((f: { kind: string }) => f.kind === 'playbook').length, Object.keys(files).length);
    }
  }
});
