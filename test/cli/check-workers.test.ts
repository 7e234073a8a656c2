/**
 * `playbook check` on worker threads prints exactly what it prints in one thread: the same bytes,
 * in the same order, for text, JSON and SARIF, with the same exit code and messages (through the
 * built CLI, as users run it, and once in process from the sources).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { playbook } from '../unit/helpers/findings.js';
import { built } from './boundedProcess.js';
import { cli, workspace } from './helpers.js';
import { withSuppressionAndError as suppressed, withUnreachableStep as warning } from './playbooks.js';
import { run } from '../../server/src/cli/run.js';

const LOG4SHELL = readFileSync(path.join(__dirname, '../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json'), 'utf8');

// Rolls log4j-core back to a release Log4Shell affects: PB101 with the advisory file as a related location.
const search = playbook(`  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: search
    to: 2.14.1
    requires: [gate]
  - id: tell
    action: notify
    channel: security
`, { services: `  search:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.12.2, 2.14.1, 2.17.1]
` });
const risky = playbook(`  - id: install-tool
    action: diagnose
    run: curl -fsSL https://tools.example.com/install.sh | bash
`);

/** Mixed findings, broken YAML, a binary file, suppressions, and two policies in sub-folders (one invalid, one with a broken advisory). */
function mixedWorkspace(): string {
  const files: Record<string, string | Uint8Array> = {
    'broken.playbook.yaml': 'playbook: x\nsteps: [a,\n',
    'binary.playbook.yaml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]),
    'empty.playbook.yml': '',
    'suppressed.playbook.yaml': suppressed,
    'team-a/.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: error\n  PB107: off\n  PB999: error\n',
    'team-a/.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': LOG4SHELL,
    'team-a/search.playbook.yaml': search,
    'team-a/risky.playbook.yaml': risky,
    'team-a/nested/suppressed.playbook.yaml': suppressed,
    'team-b/.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB105: loud\n',
    'team-b/.playbooks/advisories/broken.json': '{ "id": "GHSA-broken", ',
    'team-b/warning.playbook.yaml': warning,
    'team-b/risky.playbook.yaml': risky,
  };
  // Enough files that every worker gets several, in an order that differs from the order they finish in.
  const variants = [search, risky, suppressed, warning, 'playbook: [\n'];
  for (let i = 0; i < 15; i++) files[`many/p${String(i).padStart(2, '0')}.playbook.yaml`] = variants[i % variants.length]!;
  return workspace(files);
}

/**
 * Each of the four writers: text, JSON with suppressed findings (every field a result carries),
 * SARIF, and GitHub annotations (streamed file by file, as text is). The other options (`--quiet`,
 * `--show-suppressed` in text, JSON without suppressed findings) only choose what a writer prints
 * of the same results.
 */
const FORMATS: string[][] = [
  [],
  ['--format', 'json', '--show-suppressed'],
  ['--format', 'sarif'],
  ['--format', 'github', '--show-suppressed'],
];

interface JsonReport {
  files: Array<{ path: string; kind: string; findings: Array<{ ruleId: string; related?: Array<{ file: string }> }>; suppressed: unknown[] }>;
}

describe('playbook check --jobs: the same output on worker threads as in one thread', () => {
  const dir = mixedWorkspace();

  test('the built CLI on worker threads, in every format: the same bytes, messages and exit code as in one thread; files in path order; the fixture has what it claims', async () => {
    const cliJs = built('cli');
    // The built CLI's workers side by side; the one-thread answer from the same sources in process (SARIF names the tool's version, which only a build has: from the build too).
    type Run = { status: number | null; stdout: string; stderr: string };
    const run = (format: string[], jobs: string) => new Promise<Run>((resolve) => {
      const child = execFile(process.execPath, [cliJs, 'check', ...format, '--jobs', jobs], { cwd: dir, encoding: 'utf8' }, (_, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }));
    });
    const parallelRuns = Promise.all(FORMATS.map((format) => run(format, '2')));
    const serialRuns: Run[] = [];
    for (const format of FORMATS) serialRuns.push(format.includes('sarif') ? await run(format, '1') : await cli(['check', ...format, '--jobs', '1'], dir).then((r) => ({ ...r, status: r.code })));
    for (const [i, format] of FORMATS.entries()) {
      const [serial, parallel] = [serialRuns[i]!, (await parallelRuns)[i]!];
      const name = format.join(' ') || '(text)';
      assert.equal(serial.status, 1, `${name}: ${serial.stderr}`);
      assert.ok(serial.stdout.length > 1000, `${name}: the report is not empty`);
      assert.equal(parallel.stdout, serial.stdout, name);
      assert.equal(parallel.stderr, serial.stderr, `${name}: the same messages, and no note that workers could not start`);
      assert.equal(parallel.status, serial.status, name);
      if (name === '(text)') {
        const files = [...new Set(parallel.stdout.split('\n').filter((l) => /^\S+:\d+:\d+ /.test(l)).map((l) => l.split(':')[0]!))];
        const playbooks = files.filter((f) => !f.includes('.playbooks/'));
        assert.deepEqual(playbooks, [...playbooks].sort(), 'files are listed in path order whatever thread checked them');
        assert.ok(playbooks.length >= 15);
      }
      if (name === '--format json --show-suppressed') {
        const json = JSON.parse(parallel.stdout) as JsonReport;
        const rules = (p: string): string[] => json.files.find((f) => f.path === p)!.findings.map((f) => f.ruleId);
        assert.ok(rules('broken.playbook.yaml').includes('PB001'));
        assert.deepEqual(rules('binary.playbook.yaml'), ['PB001']);
        assert.ok(rules('team-a/search.playbook.yaml').includes('PB101'));
        assert.equal(json.files.find((f) => f.path === 'team-a/search.playbook.yaml')!.findings.find((f) => f.ruleId === 'PB101')!.related![0]!.file, 'team-a/.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json');
        assert.ok(json.files.find((f) => f.path === 'suppressed.playbook.yaml')!.suppressed.length > 0);
        assert.deepEqual(json.files.filter((f) => f.kind === 'policy').map((f) => f.path), ['team-a/.playbooks/policy.yaml', 'team-b/.playbooks/policy.yaml']);
      }
    }
  });

  test('in process, from the sources: the same text on worker threads, printed file by file as files are done, not all at the end', async () => {
    const writes: string[] = [];
    await run(['check', '--jobs', '2'], { cwd: dir, stdout: (t) => writes.push(t), stderr: () => undefined, writeFile: async () => undefined });
    assert.ok(writes.length > 15, `one write per file with findings, got ${writes.length}`);
    assert.match(writes.at(-1)!, /^\d+ errors?, \d+ warnings?, \d+ info in \d+ playbooks/);
    assert.equal(writes.join(''), (await cli(['check', '--jobs', '1'], dir)).stdout);
  });
});

describe('playbook check --jobs: validation', () => {
  test('-j is --jobs, and the usage text documents it', async () => {
    const dir = workspace({ 'a.playbook.yaml': warning });
    assert.equal((await cli(['check', '-j', '0'], dir)).stderr, 'playbook: --jobs takes a whole number from 1 to 64 (got 0)\nRun \'playbook --help\' for usage.\n');
    assert.equal((await cli(['check', '-j', '1'], dir)).code, 0);
    assert.match((await cli(['--help'], dir)).stdout, /^ {2}-j, --jobs <n> +Check on up to n worker threads/m);
  });

  for (const value of ['0', 'two', '1.5', '65', '']) {
    test(`--jobs ${JSON.stringify(value)} is a usage error`, async () => {
      const r = await cli(['check', '--jobs', value], workspace({ 'a.playbook.yaml': warning }));
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `playbook: --jobs takes a whole number from 1 to 64 (got ${value})\nRun 'playbook --help' for usage.\n`);
    });
  }
});
