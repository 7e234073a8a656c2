/**
 * The command line's conventions: no command is a mistake (usage on stderr, exit 2), help and the
 * version on stdout (exit 0), and an unknown option or command is one line naming it, with the
 * nearest known one when there is a close one (exit 2).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, workspace } from './helpers.js';

const HINT = "Run 'playbook --help' for usage.\n";

describe('playbook with no command, --help and --version', () => {
  const dir = workspace({});

  test('no command: the usage on stderr, nothing on stdout, exit 2', async () => {
    const r = await cli([], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: playbook <command> \[options\]\n/);
    assert.match(r.stderr, /^ {2}check \[paths\.\.\.\] /m);
  });

  for (const argv of [['--help'], ['-h'], ['help']]) {
    test(`${argv.join(' ')}: the same usage on stdout, exit 0`, async () => {
      const r = await cli(argv, dir);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, (await cli([], dir)).stderr);
    });
  }

  for (const flag of ['--version', '-V', '-v']) {
    test(`${flag}: the version alone on stdout, exit 0`, async () => {
      const r = await cli([flag], dir);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^\d+\.\d+\.\d+(-[\w.]+)?\n$/);
    });
  }

  test('the usage tells how to ask for the version', async () => {
    assert.match((await cli(['--help'], dir)).stdout, /^ {7}playbook --help \| --version \(-V\)$/m);
  });
});

describe('an unknown option or command: one line naming it, the nearest known one when close, exit 2', () => {
  const dir = workspace({});
  const CASES: ReadonlyArray<readonly [string[], string]> = [
    [['check', '--fromat', 'json'], "unknown option '--fromat' for check; did you mean '--format'?"],
    [['check', '--fromat=json'], "unknown option '--fromat' for check; did you mean '--format'?"],
    [['check', '--show-supressed'], "unknown option '--show-supressed' for check; did you mean '--show-suppressed'?"],
    [['check', '-F', 'json'], "unknown option '-F' for check; did you mean '-f'?"],
    [['check', '-qx'], "unknown option '-x' for check"],
    [['check', '--colour'], "unknown option '--colour' for check"],
    [['graph', 'a.playbook.yaml', '--ouput', 'x.mmd'], "unknown option '--ouput' for graph; did you mean '--output'?"],
    [['dry-run', 'a.playbook.yaml', '--deny-all'], "unknown option '--deny-all' for dry-run"],
    [['releases', '--polcy', 'p.yaml'], "unknown option '--polcy' for releases; did you mean '--policy'?"],
    [['advisories', '--pakage', 'pkg:npm/x'], "unknown option '--pakage' for advisories; did you mean '--package'?"],
    [['rules', '--fromat', 'json'], "unknown option '--fromat' for rules; did you mean '--format'?"],
    [['chek'], "unknown command 'chek'; did you mean 'check'?"],
    [['release'], "unknown command 'release'; did you mean 'releases'?"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['--verison'], "unknown option '--verison'; did you mean '--version'?"],
    [['--format', 'json', 'check'], "unknown option '--format' (the command comes first: 'playbook <command> [options]')"],
  ];
  for (const [argv, message] of CASES) {
    test(argv.join(' '), async () => {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `playbook: ${message}\n${HINT}`);
    });
  }

  test('none of parseArgs\' advice on positionals that start with a dash', async () => {
    const r = await cli(['check', '--bogus'], dir);
    assert.doesNotMatch(r.stderr, /positional argument|To specify/);
  });
});

describe('an option without its value, or with one it does not take: one line, exit 2', () => {
  const dir = workspace({});
  const CASES: ReadonlyArray<readonly [string[], string]> = [
    [['check', '--format'], '--format needs a value'],
    [['check', '-o'], '-o needs a value'],
    [['check', '--format', '--quiet'], "--format needs a value (got the option '--quiet'; write --format=--quiet if that is the value)"],
    [['check', '--quiet=yes'], '--quiet takes no value'],
  ];
  for (const [argv, message] of CASES) {
    test(argv.join(' '), async () => {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `playbook: ${message}\n${HINT}`);
    });
  }

  test('a value that merely starts with a dash is taken when written with =', async () => {
    const r = await cli(['check', '--format=-x'], dir);
    assert.equal(r.stderr, `playbook: --format must be one of text, json, sarif, github (got -x)\n${HINT}`);
  });
});
