/**
 * `-o/--output FILE` on every command that prints a report: the file holds exactly what standard
 * output would have, its folders are created, it is replaced whole (through a link, keeping its
 * permissions), and a file that cannot be written is one line on stderr and exit 2.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from './helpers.js';

const EXAMPLES = path.join(__dirname, '../../examples');

/** A copy of the examples (playbooks, policy, advisories, SBOMs, VEX), so reports have something to say and files land in a folder of the test's own. */
function examples(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'playbook-output-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  return dir;
}

const PLAYBOOK = 'vulnerable-rollback.playbook.yaml';

/** Commands whose --output file holds what they print, and their exit code either way. */
const REPORTS: ReadonlyArray<readonly [string, string[]]> = [
  ['check (text)', ['check']],
  ['check (json)', ['check', '--format', 'json']],
  ['rules', ['rules']],
  ['rules --format json', ['rules', '--format', 'json']],
  ['advisories (the records in use)', ['advisories']],
  ['advisories --package --version', ['advisories', '--package', 'pkg:maven/org.apache.logging.log4j/log4j-core', '--version', '2.14.1', '--format', 'json']],
  ['releases', ['releases']],
  ['releases --format json', ['releases', '--format', 'json']],
];

describe('--output: the file holds what standard output would', () => {
  const dir = examples();
  for (const [what, argv] of REPORTS) {
    for (const flag of ['-o', '--output']) {
      test(`${what} ${flag}`, async () => {
        const printed = await cli(argv, dir);
        const out = `reports/${flag.replace(/-/g, '')}/${argv.join('-')}.out`;
        const written = await cli([...argv, flag, out], dir);
        assert.equal(written.code, printed.code, written.stderr);
        assert.equal(written.stdout, '', 'nothing on standard output');
        assert.equal(written.stderr, printed.stderr);
        assert.ok(printed.stdout.length > 100, printed.stdout);
        assert.equal(readFileSync(path.join(dir, out), 'utf8'), printed.stdout);
      });
    }
  }

  for (const flag of ['-o', '--output', '--out']) {
    test(`dry-run ${flag}: the report in the file, one line saying where it went`, async () => {
      const printed = await cli(['dry-run', PLAYBOOK, '--format', 'markdown'], dir);
      const r = await cli(['dry-run', PLAYBOOK, '--format', 'markdown', flag, `runs/${flag.replace(/-/g, '')}.md`], dir);
      assert.equal(r.code, printed.code);
      assert.match(r.stdout, new RegExp(`; report written to runs/${flag.replace(/-/g, '')}\\.md\\n$`));
      assert.equal(readFileSync(path.join(dir, `runs/${flag.replace(/-/g, '')}.md`), 'utf8'), printed.stdout);
    });
  }

  test('graph -o: the diagram in the file (as before)', async () => {
    const printed = await cli(['graph', PLAYBOOK], dir);
    const r = await cli(['graph', PLAYBOOK, '-o', 'flow.mmd'], dir);
    assert.equal(r.code, 0);
    assert.equal(readFileSync(path.join(dir, 'flow.mmd'), 'utf8'), printed.stdout);
  });
});

describe('--output: where it is refused', () => {
  const dir = examples();
  const CASES: ReadonlyArray<readonly [string[], string]> = [
    [['advisories', '--update', '--output', 'u.txt'], '--update takes no --output'],
    [['advisories', '--write-index', '-o', 'u.txt'], '--write-index takes no --output'],
    [['dry-run', PLAYBOOK, '--out', 'a.md', '--output', 'b.md'], '--out is the old name of --output: give one of them'],
  ];
  for (const [argv, message] of CASES) {
    test(argv.join(' '), async () => {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `playbook: ${message}\nRun 'playbook --help' for usage.\n`);
      assert.deepEqual(['u.txt', 'a.md', 'b.md'].filter((f) => existsSync(path.join(dir, f))), []);
    });
  }
});

describe('--output: how the file is written', () => {
  test('replaced whole: no temporary file left, and an existing file keeps its permissions', async () => {
    const dir = examples();
    writeFileSync(path.join(dir, 'rules.txt'), 'old report\n');
    chmodSync(path.join(dir, 'rules.txt'), 0o640);
    const r = await cli(['rules', '-o', 'rules.txt'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(path.join(dir, 'rules.txt'), 'utf8'), /^Policy: \.playbooks\/policy\.yaml\n/);
    assert.equal(statSync(path.join(dir, 'rules.txt')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test('a link is written through to where it leads, and stays a link', async () => {
    const dir = examples();
    mkdirSync(path.join(dir, 'published'));
    writeFileSync(path.join(dir, 'published/releases.json'), '{}\n');
    symlinkSync('published/releases.json', path.join(dir, 'latest.json'));
    const r = await cli(['releases', '--format', 'json', '-o', 'latest.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(path.join(dir, 'latest.json')).isSymbolicLink());
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'published/releases.json'), 'utf8')).version, 1);
  });

  test('a FIFO is written to as it is (it cannot be replaced)', async () => {
    const dir = examples();
    const fifo = path.join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    let read = '';
    const reader = new Promise<void>((resolve, reject) => {
      createReadStream(fifo, 'utf8').on('data', (chunk) => (read += String(chunk))).on('end', resolve).on('error', reject);
    });
    const r = await cli(['rules', '--format', 'json', '-o', fifo], dir);
    await reader;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(read).rules.length > 10, true);
    assert.ok(lstatSync(fifo).isFIFO());
  });

  for (const [what, argv] of [['check', ['check', '--format', 'sarif']], ['rules', ['rules']], ['releases', ['releases']], ['dry-run', ['dry-run', PLAYBOOK]], ['graph', ['graph', PLAYBOOK]], ['advisories', ['advisories']]] as const) {
    test(`${what}: a file that cannot be written (a folder) is one line on stderr, exit 2`, async () => {
      const dir = examples();
      mkdirSync(path.join(dir, 'taken'));
      const r = await cli([...argv, '-o', 'taken'], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split('\n').filter((line) => line.startsWith('playbook: taken:')).length, 1, r.stderr);
      assert.match(r.stderr, /^playbook: taken: the report cannot be written: is a directory$/m);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
