/** `playbook graph FILE`: the flow as Mermaid (default) or DOT, to standard output or a file; exit 0, or 2 for a usage problem. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';

const EXAMPLES = path.join(__dirname, '../../examples');

describe('playbook graph', () => {
  test('Mermaid by default: the example\'s checkpoint, guarded rollbacks and notifications to security, under its policy', async () => {
    const r = await cli(['graph', 'vulnerable-rollback.playbook.yaml'], EXAMPLES);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^flowchart TD\n/);
    assert.match(r.stdout, /\n {2}s1\{\{"vulnerability-scan<br\/>security checkpoint"\}\}\n/);
    assert.match(r.stdout, /\n {2}class s2 guarded\n/);
    assert.match(r.stdout, /\n {2}class s3 notifySecurity\n/);
    assert.match(r.stdout, /\n {2}s1 -\. requires \.-> s2\n/);
  });

  test('--format dot, and --output writes the file (folders created) and says so', async () => {
    const dir = workspace({ 'ops/p.playbook.yaml': readFileSync(path.join(EXAMPLES, 'unguarded-rollback.playbook.yaml'), 'utf8') });
    const dot = await cli(['graph', 'ops/p.playbook.yaml', '-f', 'dot'], dir);
    assert.equal(dot.code, 0, dot.stderr);
    assert.match(dot.stdout, /^digraph playbook \{\n[\s\S]*risky, NOT guarded[\s\S]*\n\}\n$/);
    const out = await cli(['graph', 'ops/p.playbook.yaml', '--format', 'mermaid', '-o', 'docs/flow.mmd'], dir);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^ops\/p\.playbook\.yaml: \d+ steps drawn \(mermaid\) to docs\/flow\.mmd\n$/);
    assert.match(readFileSync(path.join(dir, 'docs/flow.mmd'), 'utf8'), /^flowchart TD\n/);
  });

  test('usage problems exit 2 and say what is wrong first: no file, two files, an unknown format, a file that cannot be read', async () => {
    const dir = workspace({ 'a.playbook.yaml': 'playbook: a\n', 'b.playbook.yaml': 'playbook: b\n' });
    for (const [argv, message] of [
      [['graph'], /takes one playbook file \(got 0\)/],
      [['graph', 'a.playbook.yaml', 'b.playbook.yaml'], /takes one playbook file \(got 2\)/],
      [['graph', 'a.playbook.yaml', '-f', 'svg'], /--format/],
      [['graph', 'missing.playbook.yaml'], /missing\.playbook\.yaml: no such file/],
    ] as const) {
      const r = await cli([...argv], dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr.split('\n')[0]!, message);
      assert.equal(r.stdout, '');
    }
  });

  test('the README\'s diagram is what the command draws for the unguarded example', async () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const shown = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    const r = await cli(['graph', 'unguarded-rollback.playbook.yaml'], EXAMPLES);
    assert.equal(shown, r.stdout);
  });

  test('a playbook over the policy\'s size limit is refused, by graph and dry-run alike, never read cut short', async () => {
    const text = readFileSync(path.join(EXAMPLES, 'unguarded-rollback.playbook.yaml'), 'utf8');
    const dir = workspace({ '.playbooks/policy.yaml': `policy: 1\nlimits:\n  maxDocumentLength: ${text.length - 10}\n`, 'p.playbook.yaml': text });
    for (const argv of [['graph', 'p.playbook.yaml'], ['dry-run', 'p.playbook.yaml']]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, `${argv[0]}: ${r.stdout}`);
      assert.match(r.stderr, /^playbook: p\.playbook\.yaml: .*(limit|maxDocumentLength)/, argv[0]);
      assert.equal(r.stdout, '');
    }
  });
});
