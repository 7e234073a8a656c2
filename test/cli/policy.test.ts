import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';

// A playbook with a dangerous command (PB105, warning by default) and no postmortem (PB107, warning).
const risky = `playbook: cache-flush
title: Cache flush
owners:
  sre: "@sre"
  security: "@sec"
steps:
  - id: install-tool
    action: diagnose
    run: curl -fsSL https://tools.example.com/install.sh | bash
`;

describe('the policy changes the CLI output and exit code', () => {
  test('with the defaults: two warnings, exit 0', async () => {
    const dir = workspace({ 'p/cache.playbook.yaml': risky });
    const r = await cli(['check'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /p\/cache\.playbook\.yaml:9:10 warning PB105 /);
    assert.match(r.stdout, /p\/cache\.playbook\.yaml:6:1 warning PB107 /);
  });

  test('PB107 off and PB105 error: PB107 disappears, PB105 is an error, exit 1', async () => {
    const dir = workspace({ 'p/cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB107: off\n  PB105: error\n' });
    const r = await cli(['check', 'p'], dir);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /p\/cache\.playbook\.yaml:9:10 error PB105 /);
    assert.doesNotMatch(r.stdout, /PB107/);
  });

  test('the nearest policy wins, walking up from the playbook', async () => {
    const dir = workspace({
      'team/p/cache.playbook.yaml': risky,
      '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: error\n',
      'team/.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: info\n',
    });
    const r = await cli(['check'], dir);
    assert.match(r.stdout, /9:10 info PB105 /);
  });

  test('run from a subfolder, a policy above it is not used, and every command that reads playbooks says so once, with the two ways to use it', async () => {
    const dir = workspace({ 'team/p/cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: error\n', 'answers.yaml': 'who: "@alice"\n' });
    const team = path.join(dir, 'team');
    const note = "playbook: note: ../.playbooks/policy.yaml is not used, so the built-in default policy applies: a policy is looked for from each playbook up to the current folder only. Run playbook from .., or pass --policy ../.playbooks/policy.yaml\n";
    const r = await cli(['check'], team);
    assert.match(r.stdout, /9:10 warning PB105 /, 'the defaults, as the spec says');
    assert.equal(r.stderr, note);
    for (const args of [['dry-run', 'p/cache.playbook.yaml'], ['releases'], ['rules'], ['run', 'p/cache.playbook.yaml', '--answers', '../answers.yaml', '--record', 'runs']]) {
      assert.ok((await cli(args, team)).stderr.includes(note), args[0]);
    }
    // Used, nothing to say: from the folder that holds it, with --policy, or with a policy of its own below.
    assert.equal((await cli(['check'], dir)).stderr, '');
    assert.equal((await cli(['check', '--policy', '../.playbooks/policy.yaml'], team)).stderr, '');
    const own = workspace({ 'team/p/cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: 1\n', 'team/.playbooks/policy.yaml': 'policy: 1\n' });
    assert.equal((await cli(['check'], path.join(own, 'team'))).stderr, '');
  });

  test('--policy FILE replaces discovery', async () => {
    const dir = workspace({ 'cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: error\n', 'strict.yaml': 'policy: 1\nrules:\n  PB105: off\n  PB107: off\n' });
    const r = await cli(['check', '--policy', 'strict.yaml'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'no problems in 1 playbook\n');
  });

  test('an invalid policy is a finding on the policy file, and the defaults apply', async () => {
    const dir = workspace({ 'cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB107: off\n  PB105: loud\n' });
    const r = await cli(['check'], dir);
    assert.equal(r.code, 1, 'the policy error fails the run');
    assert.match(r.stdout, /^\.playbooks\/policy\.yaml:4:10 error PB002 'PB105' must be one of 'error', 'warning', 'info', 'off', not 'loud'.*default policy applies/m);
    assert.match(r.stdout, /cache\.playbook\.yaml:9:10 warning PB105 /, 'defaults: PB105 stays a warning');
    assert.match(r.stdout, /cache\.playbook\.yaml:6:1 warning PB107 /, 'defaults: PB107 is not turned off');
  });

  test('a policy that is not YAML is reported, and the playbook is still checked', async () => {
    const dir = workspace({ 'cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: [1\n' });
    const r = await cli(['check'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\.playbooks\/policy\.yaml:\d+:\d+ error PB001 policy YAML/);
    assert.match(r.stdout, /PB105/);
  });
});

describe('playbook rules', () => {
  test('lists every rule with default and effective severity under the nearest policy', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB107: off\n  PB105: error\n' });
    const r = await cli(['rules'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Policy: \.playbooks\/policy\.yaml$/m);
    assert.match(r.stdout, /^PB105 {2}warning {2}error {6}dangerous-command/m);
    assert.match(r.stdout, /^PB107 {2}warning {2}off {8}no-postmortem/m);
    assert.match(r.stdout, /^PB100 {2}error {4}error {6}unguarded-risky-step/m);
    for (const id of ['PB001', 'PB002', 'PB003', 'PB004', 'PB005', 'PB006', 'PB007', 'PB100', 'PB102', 'PB103', 'PB104', 'PB105', 'PB106', 'PB107', 'PB108', 'PB109']) {
      assert.match(r.stdout, new RegExp(`^${id} `, 'm'), id);
    }
  });

  test('without a policy the built-in defaults are shown; JSON is available', async () => {
    const dir = workspace({});
    const r = await cli(['rules', '--format', 'json'], dir);
    const json = JSON.parse(r.stdout);
    assert.equal(json.policy, null);
    const pb105 = json.rules.find((x: { id: string }) => x.id === 'PB105');
    assert.deepEqual([pb105.default, pb105.effective], ['warning', 'warning']);
    assert.match(pb105.docs, /docs\/rules\/PB105\.md$/);
  });

  test('--policy picks the file', async () => {
    const dir = workspace({ 'other.yaml': 'policy: 1\nrules:\n  PB006: error\n' });
    const r = await cli(['rules', '--policy', 'other.yaml'], dir);
    assert.match(r.stdout, /^PB006 {2}warning {2}error /m);
  });
});

describe('limits in the policy', () => {
  const steps = (n: number): string => Array.from({ length: n }, (_, i) => `  - id: s${i}\n    action: wait\n    duration: 1s\n`).join('');
  const text = (n: number): string => `playbook: many\ntitle: Many steps\nowners:\n  sre: a\n  security: b\nsteps:\n${steps(n)}  - id: review\n    action: postmortem\n`;

  test('a playbook over the policy\'s maxSteps is refused with PB008 naming the setting', async () => {
    const dir = workspace({ 'many.playbook.yaml': text(5), '.playbooks/policy.yaml': 'policy: 1\nlimits:\n  maxSteps: 3\n' });
    const r = await cli(['check'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /many\.playbook\.yaml:16:5 error PB008 the playbook has 6 steps, over the limit of 3 \(maxSteps\); split it into several playbooks, or raise 'limits\.maxSteps' in the policy/);
  });

  test('a policy can raise the size limit for a playbook it trusts', async () => {
    const big = text(1).replace('title: Many steps', `title: "${'x'.repeat(5 * 1024 * 1024)}"`);
    const refused = await cli(['check'], workspace({ 'big.playbook.yaml': big }));
    assert.match(refused.stdout, /PB008 the file is 5\.0 MB, over the 4\.0 MB limit/);
    const raised = await cli(['check'], workspace({ 'big.playbook.yaml': big, '.playbooks/policy.yaml': 'policy: 1\nlimits:\n  maxDocumentLength: 8388608\n  maxLineLength: 8388608\n' }));
    assert.equal(raised.code, 0, raised.stdout);
  });

  test('an advisory record over the policy\'s maxRecordBytes is reported on the policy', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\nlimits:\n  maxRecordBytes: 100\n', '.playbooks/advisories/big.json': JSON.stringify({ id: 'X-1', modified: '2024-01-01T00:00:00Z', details: 'x'.repeat(500), affected: [] }), 'a.playbook.yaml': text(1) });
    const r = await cli(['check'], dir);
    assert.match(r.stdout, /\.playbooks\/policy\.yaml:2:14 warning PB110 \.playbooks\/advisories\/big\.json: is 0\.0 MB, over the 0 MB limit/);
  });

  test('an unknown limit is a schema error on the policy', async () => {
    const r = await cli(['check'], workspace({ 'a.playbook.yaml': text(1), '.playbooks/policy.yaml': 'policy: 1\nlimits:\n  maxStep: 3\n' }));
    assert.match(r.stdout, /policy\.yaml:3:3 error PB002 'limits': unknown field 'maxStep'; did you mean 'maxSteps'\?/);
  });
});

describe('a policy file that is not YAML text, or cannot be read, is said to be so', () => {
  const binaries: Array<[string, Uint8Array]> = [
    ['NUL bytes', Buffer.from('policy: 1\nrules:\n  PB107: off\n\u0000\u0000', 'utf8')],
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('policy: 1\nrules:\n  PB107: off\n# '), Buffer.from([0xff, 0xfe])])],
    ['UTF-16 text', Buffer.from('\ufeffpolicy: 1\nrules:\n  PB107: off\n', 'utf16le')],
  ];
  for (const [name, bytes] of binaries) {
    test(`${name}: "holds binary data" on the policy, never "a playbook" or "empty"; the defaults apply`, async () => {
      const dir = workspace({ 'cache.playbook.yaml': risky, '.playbooks/policy.yaml': bytes });
      const r = await cli(['check'], dir);
      assert.equal(r.code, 1);
      const line = r.stdout.split('\n').find((l) => l.startsWith('.playbooks/policy.yaml'));
      assert.match(line ?? '', /^\.playbooks\/policy\.yaml:1:1 error PB001 the policy file holds binary data, not YAML text \(.*\); the built-in default policy applies until this is fixed$/);
      assert.doesNotMatch(line!, /playbook\?|playbook |empty/);
      assert.match(r.stdout, /cache\.playbook\.yaml:6:1 warning PB107 /, 'defaults: PB107 is not turned off');
    });
  }

  test('a policy over 1 MB is refused as a whole, never half-read', async () => {
    // Its rules come after a long comment: reading the first megabyte alone would drop them in silence.
    const big = `policy: 1\n# ${'x'.repeat(1200 * 1024)}\nrules:\n  PB107: off\n`;
    const r = await cli(['check'], workspace({ 'cache.playbook.yaml': risky, '.playbooks/policy.yaml': big }));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^\.playbooks\/policy\.yaml:1:1 error PB001 the policy file is 1\.2 MB, over the 1 MB limit for a policy; the built-in default policy applies$/m);
  });

  for (const [name, target] of [['a link to nowhere', 'missing-policy.yaml'], ['a link to itself', 'policy.yaml']] as const) {
    test(`a policy that is ${name} is reported as unreadable, not passed over for the defaults`, async () => {
      const dir = workspace({ 'cache.playbook.yaml': risky });
      mkdirSync(path.join(dir, '.playbooks'));
      symlinkSync(target, path.join(dir, '.playbooks/policy.yaml'));
      const r = await cli(['check'], dir);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout, /^\.playbooks\/policy\.yaml:1:1 error PB001 the policy file cannot be read \(.+\); the built-in default policy applies$/m);
    });
  }

  for (const [name, make, reason] of [
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file]), /is a FIFO/],
    ['a folder', (file: string) => mkdirSync(file), /is a directory/],
  ] as const) {
    test(`${name} at the policy's path is reported as unreadable, never passed over for a policy further up`, { timeout: 20_000 }, async () => {
      const dir = workspace({ 'team/cache.playbook.yaml': risky, '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB107: off\n' });
      mkdirSync(path.join(dir, 'team/.playbooks'), { recursive: true });
      make(path.join(dir, 'team/.playbooks/policy.yaml'));
      const r = await cli(['check', 'team'], dir);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout, new RegExp(`^team/\\.playbooks/policy\\.yaml:1:1 error PB001 the policy file cannot be read \\(${reason.source}`, 'm'));
      assert.match(r.stdout, /team\/cache\.playbook\.yaml:\d+:\d+ warning PB107 /, 'the defaults apply, not the policy further up');
    });
  }
});
