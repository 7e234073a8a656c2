import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { playbook } from '../unit/helpers/findings.js';
import { cli, workspace } from './helpers.js';
import { withUnreachableStep } from './playbooks.js';

const clean = playbook(`  - id: triage
    action: diagnose
    run: kubectl get pods
`);
const withError = clean.replace('action: diagnose', 'action: diagnos');

describe('playbook check: exit codes', () => {
  test('0 when there is no error-level finding', async () => {
    const dir = workspace({ 'a.playbook.yaml': clean });
    const r = await cli(['check', '.'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, 'no problems in 1 playbook\n');
  });

  test('1 when there is an error, with file:line:col severity rule message', async () => {
    const dir = workspace({ 'a.playbook.yaml': withError });
    const r = await cli(['check'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^a\.playbook\.yaml:16:13 error PB002 step 'triage': unknown action 'diagnos'; did you mean 'diagnose'\?$/m);
    assert.match(r.stdout, /^1 error, 0 warnings, 0 info in 1 playbook$/m);
  });

  test('warnings alone exit 0, unless over --max-warnings', async () => {
    const dir = workspace({ 'w.playbook.yml': withUnreachableStep });
    assert.equal((await cli(['check', 'w.playbook.yml'], dir)).code, 0);
    assert.equal((await cli(['check', 'w.playbook.yml', '--max-warnings', '1'], dir)).code, 0);
    const over = await cli(['check', 'w.playbook.yml', '--max-warnings', '0'], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /1 warnings, more than --max-warnings 0/);
  });

  test('--quiet prints errors only', async () => {
    const dir = workspace({ 'w.playbook.yaml': withUnreachableStep, 'e.playbook.yaml': withError });
    const r = await cli(['check', '--quiet', '.'], dir);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /PB006/);
    assert.match(r.stdout, /PB002/);
  });

  test('2 for an unreadable input, and the other files are still checked', async () => {
    const dir = workspace({ 'e.playbook.yaml': withError });
    const r = await cli(['check', 'missing.playbook.yaml', 'e.playbook.yaml'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^playbook: missing\.playbook\.yaml: no such file or directory$/m);
    assert.match(r.stdout, /e\.playbook\.yaml:\d+:\d+ error PB002/);
  });

  test('2 for usage problems, with a one-line message', async () => {
    const dir = workspace({});
    for (const argv of [['check', '--format', 'xml'], ['check', '--max-warnings', 'many'], ['check', '--bogus'], ['frobnicate']]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^playbook: .+\nRun 'playbook --help' for usage\.\n$/);
    }
  });

  test('2 when a folder holds no playbooks', async () => {
    const dir = workspace({ 'notes.yaml': 'a: 1\n' });
    const r = await cli(['check', '.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no \*\.playbook\.yaml or \*\.playbook\.yml files in this folder/);
  });

  test('folders are searched recursively, skipping node_modules, and globs expand', async () => {
    const dir = workspace({ 'a/b/x.playbook.yaml': clean, 'a/y.playbook.yml': clean, 'node_modules/z.playbook.yaml': withError, 'a/other.yaml': withError });
    const folder = await cli(['check', 'a'], dir);
    assert.equal(folder.code, 0, folder.stdout);
    assert.match(folder.stdout, /no problems in 2 playbooks/);
    const glob = await cli(['check', 'a/**/*.yml'], dir);
    assert.match(glob.stdout, /no problems in 1 playbook/);
  });
});

describe('playbook check: bad inputs give a clear finding or message, never a stack trace', () => {
  const cases: Array<[string, string | Uint8Array, RegExp]> = [
    ['syntax error', 'playbook: x\nsteps: [a,\n', /:\d+:\d+ error PB001 YAML: /],
    ['empty file', '', /:1:1 error PB002 the file is empty/],
    ['a list instead of a map', '- a\n- b\n', /:1:1 error PB002 the playbook is a map of fields/],
    ['binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]), /:1:1 error PB001 the file holds binary data/],
    ['invalid UTF-8', new Uint8Array([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]), /:1:1 error PB001 the file is not valid UTF-8/],
    ['a 10 MB file', `playbook: big\nnotes: "${'x'.repeat(10 * 1024 * 1024)}"\n`, /:1:1 error PB008 the file is .* over the 4\.0 MB limit/],
  ];
  for (const [name, content, expected] of cases) {
    test(name, async () => {
      const dir = workspace({ 'bad.playbook.yaml': content });
      const r = await cli(['check', 'bad.playbook.yaml'], dir);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, expected);
      assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
    });
  }
});

describe('playbook check: JSON', () => {
  test('carries positions, offsets and totals', async () => {
    const dir = workspace({ 'e.playbook.yaml': withError });
    const r = await cli(['check', '--format', 'json'], dir);
    const json = JSON.parse(r.stdout);
    assert.equal(json.files[0].path, 'e.playbook.yaml');
    const f = json.files[0].findings[0];
    assert.deepEqual([f.ruleId, f.severity, f.startLine, f.startColumn, f.endLine, f.endColumn], ['PB002', 'error', 16, 13, 16, 20]);
    assert.equal(withError.slice(f.offset.start, f.offset.end), 'diagnos');
    assert.deepEqual(json.totals, { error: 1, warning: 0, info: 0, suppressed: 0 });
  });

  test('--output writes the report to a file', async () => {
    const dir = workspace({ 'e.playbook.yaml': withError });
    const r = await cli(['check', '--format', 'json', '--output', 'out/report.json'], dir);
    assert.equal(r.stdout, '');
    assert.equal(r.code, 1);
    const written = JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8'));
    assert.equal(written.files[0].findings[0].ruleId, 'PB002');
  });
});
