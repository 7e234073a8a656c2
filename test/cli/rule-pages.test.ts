/**
 * `playbook rules ID`: the rule's page (docs/rules/ID.md) as plain text in the terminal, from the
 * sources and from the built bundle copied alone to another folder (the pages travel inside it);
 * an unknown id is one line with the nearest rule, exit 2; `playbook rules` still lists them all.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/index.js';
import { markdownText } from '../../server/src/cli/output/markdownText.js';
import { built } from './boundedProcess.js';
import { cli, workspace } from './helpers.js';

const ROOT = path.join(__dirname, '../..');
const page = (id: string): string => readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8');

describe('playbook rules ID', () => {
  const dir = workspace({});

  test('PB101: the page as text: headings underlined, code blocks indented without fences, no Markdown stars, the effective severity last', async () => {
    const r = await cli(['rules', 'PB101'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^PB101 — vulnerable-release\n={26}\n\nDefault severity: error for CRITICAL and HIGH advisories, warning for others\n/);
    assert.match(r.stdout, /\nWhat it finds\n-{13}\n/);
    assert.match(r.stdout, /\nWhich severity\n\.{14}\n/);
    assert.match(r.stdout, /\n {4}services:\n {6}search-api:\n {8}package: pkg:maven\/org\.apache\.logging\.log4j\/log4j-core\n/);
    assert.doesNotMatch(r.stdout, /```|\*\*|^#/m);
    assert.match(r.stdout, /^- Labels: 'CRITICAL', 'HIGH'/m, 'lists as written, inline code as quoted names');
    // A terminal shows no Markdown: outside code blocks (indented), not one backtick.
    assert.deepEqual(r.stdout.split('\n').filter((line) => !line.startsWith('    ') && line.includes('`')), []);
    assert.match(r.stdout, /\nEffective severity: error \(no policy found: the built-in defaults\)\n$/);
  });

  test('ids are case-insensitive, and a rule name works too', async () => {
    const upper = await cli(['rules', 'PB104'], dir);
    assert.equal((await cli(['rules', 'pb104'], dir)).stdout, upper.stdout);
    assert.equal((await cli(['rules', 'plain-text-secret'], dir)).stdout, upper.stdout);
  });

  test('the policy\'s severity for the rule is said', async () => {
    const withPolicy = workspace({ '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB107: off\n' });
    const r = await cli(['rules', 'pb107'], withPolicy);
    assert.match(r.stdout, /\nEffective severity: off \(policy \.playbooks\/policy\.yaml\)\n$/);
  });

  test('a table\'s rows become short blocks: the first cell, then each other cell under its header', async () => {
    const r = await cli(['rules', 'PB008'], dir);
    assert.match(r.stdout, /\n {2}- 'maxSteps'\n {6}default: 10,000 steps\n {6}what happens: a block 'steps:' list over the limit/);
    assert.doesNotMatch(r.stdout, /\|---/);
  });

  test('--format json: the rule\'s row and its page as Markdown; -o writes it', async () => {
    const r = await cli(['rules', 'pb101', '--format', 'json'], dir);
    const json = JSON.parse(r.stdout);
    assert.equal(json.rule.id, 'PB101');
    assert.equal(json.rule.effective, 'error');
    assert.equal(json.page, page('PB101'));
    const written = await cli(['rules', 'PB101', '-o', 'pb101.txt'], dir);
    assert.equal(written.stdout, '');
    assert.equal(readFileSync(path.join(dir, 'pb101.txt'), 'utf8'), (await cli(['rules', 'PB101'], dir)).stdout);
  });

  for (const [argv, message] of [
    [['rules', 'PB1O1'], "unknown rule 'PB1O1'; did you mean 'PB101'? ('playbook rules' lists them)"],
    [['rules', 'vulnerable-releases'], "unknown rule 'vulnerable-releases'; did you mean 'vulnerable-release'? ('playbook rules' lists them)"],
    [['rules', 'frobnicate'], "unknown rule 'frobnicate' ('playbook rules' lists them)"],
    [['rules', 'PB101', 'PB102'], "'rules' takes at most one rule id (got 2: PB101 PB102)"],
  ] as const) {
    test(`${argv.join(' ')}: one line, exit 2`, async () => {
      const r = await cli([...argv], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `playbook: ${message}\nRun 'playbook --help' for usage.\n`);
    });
  }

  test('without an id, the catalog as before', async () => {
    const r = await cli(['rules'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ID {5}DEFAULT {2}EFFECTIVE {2}NAME {24}SUMMARY$/m);
    assert.equal(r.stdout.split('\n').filter((line) => /^PB\d{3} /.test(line)).length, RULES.length);
  });
});

describe('markdownText', () => {
  test('relative links are made absolute against the page\'s address; a link whose text is its address is shown once', () => {
    const text = markdownText('See [`examples/`](../../examples) and [https://osv.dev](https://osv.dev), **not** [this](#configure).\n', 'https://example.org/repo/blob/main/docs/rules/PB101.md');
    assert.equal(text, 'See examples/ (https://example.org/repo/blob/main/examples) and https://osv.dev, not this (https://example.org/repo/blob/main/docs/rules/PB101.md#configure).\n');
  });

  test('a `#` line inside a code block is code, not a heading; an unclosed block runs to the end', () => {
    assert.equal(markdownText('```yaml\n# .playbooks/policy.yaml\nrules: {}\n```\n\n~~~\n**kept**\n', 'https://example.org/'), '    # .playbooks/policy.yaml\n    rules: {}\n\n    **kept**\n');
  });
});

describe('the built CLI carries the pages', () => {
  test('dist/cli.js copied alone to another folder prints every rule\'s page', () => {
    const alone = mkdtempSync(path.join(tmpdir(), 'playbook-alone-'));
    copyFileSync(built('cli'), path.join(alone, 'cli.js'));
    for (const rule of RULES) {
      const run = spawnSync(process.execPath, [path.join(alone, 'cli.js'), 'rules', rule.id.toLowerCase()], { cwd: alone, encoding: 'utf8' });
      assert.equal(run.status, 0, `${rule.id}: ${run.stderr}`);
      assert.ok(run.stdout.startsWith(`${rule.id} — ${rule.name}\n`), `${rule.id}: ${run.stdout.slice(0, 200)}`);
      assert.equal(run.stdout, markdownText(page(rule.id), `https://github.com/incident-playbook/incident-playbook/blob/main/docs/rules/${rule.id}.md`) + `\nEffective severity: ${rule.defaultSeverity} (no policy found: the built-in defaults)\n`, rule.id);
    }
  });
});
