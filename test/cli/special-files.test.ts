/**
 * `playbook check` over what a pull request can put in a repository besides files: a symbolic
 * link to /dev/zero or to a FIFO, a FIFO, link loops, dangling links, a folder linked into itself,
 * a FIFO where the advisory cache file should be, a cache folder under /proc. Each run is a child
 * process of the built CLI stopped after a time-out (or past 1 GB of memory), so a regression
 * fails, never hangs; independent runs go side by side.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { playbook } from '../unit/helpers/findings.js';
import { runCliGuarded, type CliRun } from './boundedProcess.js';
import { cli, workspace } from './helpers.js';

const POSIX = process.platform === 'win32' && 'needs FIFOs, devices and symbolic links as on Linux';
const withError = playbook(`  - id: triage
    action: diagnos
    run: kubectl get pods
`);
const ERROR_LINE = /^a\.playbook\.yaml:16:13 error PB002 step 'triage': unknown action 'diagnos'; did you mean 'diagnose'\?$/m;

const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

/** A run that ended by itself, with the answer it gave. */
function finished(r: CliRun): CliRun {
  assert.equal(r.killed, undefined, `the CLI was stopped (${r.killed}); stderr: ${r.stderr}`);
  return r;
}

/** Each argument with its run (the runs are independent processes, started side by side). */
const paired = <A, B>(as: A[], bs: B[]): [A, B][] => as.map((a, i) => [a, bs[i]!]);

/** A workspace with one playbook with an error, `a.playbook.yaml`, and what `setup` adds. */
function withGoodPlaybook(setup: (dir: string) => void): string {
  const dir = workspace({ 'a.playbook.yaml': withError });
  setup(dir);
  return dir;
}

describe('playbook check: entries that are not regular files', { skip: POSIX }, () => {
  test('a playbook linked to /dev/zero is refused as a device, found in a folder or named; the other file is checked', { timeout: 60_000 }, async () => {
    const dir = withGoodPlaybook((d) => symlinkSync('/dev/zero', path.join(d, 'z.playbook.yaml')));
    const argvs = [['check', '.'], ['check', 'z.playbook.yaml', 'a.playbook.yaml'], ['check', '*.playbook.yaml']];
    for (const [argv, run] of paired(argvs, await Promise.all(argvs.map((argv) => runCliGuarded(argv, dir))))) {
      const r = finished(run);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, 'playbook: z.playbook.yaml: is a device, not a regular file\n', argv.join(' '));
      assert.match(r.stdout, ERROR_LINE);
      assert.match(r.stdout, /^1 error, 0 warnings, 0 info in 1 playbook$/m);
    }
  });

  test('a playbook linked to a FIFO, and a FIFO, are refused without waiting for a writer', { timeout: 60_000 }, async () => {
    const elsewhere = workspace({});
    mkfifo(path.join(elsewhere, 'pipe'));
    const dir = withGoodPlaybook((d) => {
      symlinkSync(path.join(elsewhere, 'pipe'), path.join(d, 'linked.playbook.yaml'));
      mkfifo(path.join(d, 'pipe.playbook.yaml'));
    });
    const expected = ['playbook: linked.playbook.yaml: is a FIFO (named pipe), not a regular file', 'playbook: pipe.playbook.yaml: is a FIFO (named pipe), not a regular file'];
    const argvs = [['check', '.'], ['check', 'linked.playbook.yaml', 'pipe.playbook.yaml', 'a.playbook.yaml'], ['check', '*.playbook.yaml']];
    for (const [argv, run] of paired(argvs, await Promise.all(argvs.map((argv) => runCliGuarded(argv, dir))))) {
      const r = finished(run);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.deepEqual(r.stderr.trimEnd().split('\n').sort(), expected, argv.join(' '));
      assert.match(r.stdout, /^1 error, 0 warnings, 0 info in 1 playbook$/m);
    }
  });

  test('a socket named like a playbook is refused as a socket', { timeout: 30_000 }, async () => {
    const dir = withGoodPlaybook(() => undefined);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock.playbook.yaml'), resolve));
    try {
      const r = finished(await runCliGuarded(['check', '.'], dir));
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, 'playbook: sock.playbook.yaml: is a socket, not a regular file\n');
      assert.match(r.stdout, /^1 error, 0 warnings, 0 info in 1 playbook$/m);
    } finally {
      server.close();
    }
  });

  test('a FIFO where the advisory cache file should be is ignored (and replaced), never read', { timeout: 60_000 }, async () => {
    const record = { id: 'TEST-A', modified: '2024-01-01T00:00:00Z', summary: 'left-pad', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] };
    const dir = workspace({ 'a.playbook.yaml': withError, '.playbooks/advisories/TEST-A.json': JSON.stringify(record) });
    const cacheDir = workspace({});
    const env = { PLAYBOOK_CACHE_DIR: cacheDir };
    const first = finished(await runCliGuarded(['check', '.'], dir, env));
    assert.equal(first.code, 1, first.stderr);
    const [cacheFile, ...others] = readdirSync(cacheDir);
    assert.deepEqual(others, [], 'one cache file');
    rmSync(path.join(cacheDir, cacheFile!));
    mkfifo(path.join(cacheDir, cacheFile!));

    const second = finished(await runCliGuarded(['check', '.'], dir, env));
    assert.deepEqual([second.code, second.stdout, second.stderr], [first.code, first.stdout, first.stderr]);
    const third = finished(await runCliGuarded(['check', '.'], dir, env));
    assert.equal(third.stdout, first.stdout, 'the cache written in place of the FIFO serves the next run');
  });

  test('a cache folder under /proc means no cache, said once, and the check goes on', { timeout: 60_000, skip: process.platform !== 'linux' && 'needs /proc' }, async () => {
    const record = { id: 'TEST-A', modified: '2024-01-01T00:00:00Z', summary: 'left-pad', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] };
    const dir = workspace({ 'a.playbook.yaml': withError, '.playbooks/advisories/TEST-A.json': JSON.stringify(record) });
    const cacheDirs = ['/proc/playbook-cache/nested', '/proc/self', '/sys/playbook-cache'];
    for (const [cacheDir, run] of paired(cacheDirs, await Promise.all(cacheDirs.map((d) => runCliGuarded(['check', '.'], dir, { PLAYBOOK_CACHE_DIR: d }))))) {
      const r = finished(run);
      assert.equal(r.code, 1, `${cacheDir}: ${r.stderr}`);
      assert.match(r.stdout, ERROR_LINE);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, new RegExp(`^playbook: advisories and SBOMs are not cached: ${cacheDir.replace(/[/]/g, '\\/')} is on a system file system`));
    }
  });
});

describe('playbook check: folder walks', { skip: POSIX }, () => {
  test('a folder linked into itself is checked once; link loops and dangling links are reported, exit 2', { timeout: 60_000 }, async () => {
    const dir = withGoodPlaybook((d) => {
      mkdirSync(path.join(d, 'sub'));
      symlinkSync('..', path.join(d, 'sub', 'self'));
      symlinkSync('loop-b', path.join(d, 'loop-a'));
      symlinkSync('loop-a', path.join(d, 'loop-b'));
      symlinkSync('nowhere.playbook.yaml', path.join(d, 'gone.playbook.yaml'));
      symlinkSync('missing-folder', path.join(d, 'shared'));
    });
    const expected = [
      'playbook: gone.playbook.yaml: is a dangling symbolic link (its target does not exist)',
      'playbook: loop-a: is a symbolic link loop',
      'playbook: loop-b: is a symbolic link loop',
      'playbook: shared: is a dangling symbolic link (its target does not exist)',
    ];
    const [walked, namedRun] = await Promise.all([runCliGuarded(['check', '.'], dir), runCliGuarded(['check', 'loop-a', 'gone.playbook.yaml', 'a.playbook.yaml'], dir)]);
    const r = finished(walked);
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n').sort(), expected);
    assert.match(r.stdout, /^1 error, 0 warnings, 0 info in 1 playbook$/m);
    assert.equal(r.stdout.match(/error PB002/g)?.length, 1, 'the playbook is not checked again through sub/self');

    const named = finished(namedRun);
    assert.equal(named.code, 2);
    assert.deepEqual(named.stderr.trimEnd().split('\n'), ['playbook: loop-a: is a symbolic link loop', 'playbook: gone.playbook.yaml: is a dangling symbolic link (its target does not exist)']);
  });

  test('one real file is checked once, under its path without links, however many paths lead to it', { timeout: 60_000 }, async () => {
    const dir = workspace({ 'real/a.playbook.yaml': withError });
    symlinkSync('real', path.join(dir, 'alias'));
    symlinkSync('real/a.playbook.yaml', path.join(dir, 'b.playbook.yaml'));
    const pathSets = [['.'], ['alias', 'real', 'b.playbook.yaml', './real/a.playbook.yaml'], ['**/*.playbook.yaml']];
    for (const [paths, run] of paired(pathSets, await Promise.all(pathSets.map((paths) => runCliGuarded(['check', '--format', 'json', ...paths], dir))))) {
      const r = finished(run);
      assert.equal(r.code, 1, `${paths.join(' ')}: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as { files: Array<{ path: string }> };
      assert.equal(report.files.length, 1, `${paths.join(' ')}: ${report.files.map((f) => f.path).join(', ')}`);
    }
    const walked = JSON.parse(finished(await runCliGuarded(['check', '--format', 'json', '.'], dir)).stdout) as { files: Array<{ path: string }> };
    assert.equal(walked.files[0]!.path, 'real/a.playbook.yaml');
  });
});

describe('playbook check: links out of the folders being checked', { skip: POSIX }, () => {
  test('a link to /, to /proc or to a file elsewhere is reported and not followed; a link inside the working directory is', { timeout: 60_000 }, async () => {
    const outside = workspace({ 'elsewhere.playbook.yaml': withError });
    const dir = withGoodPlaybook((d) => {
      symlinkSync('/', path.join(d, 'rootfs'));
      symlinkSync('/proc', path.join(d, 'proc'));
      symlinkSync(path.join(outside, 'elsewhere.playbook.yaml'), path.join(d, 'elsewhere.playbook.yaml'));
      mkdirSync(path.join(d, 'team'));
      symlinkSync('../a.playbook.yaml', path.join(d, 'team', 'shared.playbook.yaml'));
    });
    const r = finished(await runCliGuarded(['check', '.'], dir));
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n').sort(), [
      `playbook: elsewhere.playbook.yaml: leads outside the folders being checked (to ${path.join(outside, 'elsewhere.playbook.yaml')}); not followed: name it to check it`,
      'playbook: proc: leads outside the folders being checked (to /proc); not followed: name it to check it',
      'playbook: rootfs: leads outside the folders being checked (to /); not followed: name it to check it',
    ]);
    assert.match(r.stdout, /^1 error, 0 warnings, 0 info in 1 playbook$/m);

    // Checking only `team/` from the workspace: its links into the working directory are followed.
    const team = finished(await runCliGuarded(['check', '--format', 'json', 'team'], dir));
    assert.equal(team.code, 1, team.stderr);
    assert.deepEqual((JSON.parse(team.stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path), ['team/shared.playbook.yaml']);
  });
});

describe('playbook check: file names in text output', () => {
  test('a newline or an escape in a file name is escaped in text, so one finding is one line; JSON keeps the name', { skip: process.platform === 'win32' && 'such names are not allowed' }, async () => {
    const dir = workspace({ 'new\nline.playbook.yaml': withError, 'esc\u001b[31m.playbook.yaml': withError });
    const r = await cli(['check', '.'], dir);
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, r.stdout);
    assert.ok(lines[0]!.startsWith('esc\\u001b[31m.playbook.yaml:16:13 error PB002 '), lines[0]);
    assert.ok(lines[1]!.startsWith('new\\nline.playbook.yaml:16:13 error PB002 '), lines[1]);
    assert.equal(lines[2], '2 errors, 0 warnings, 0 info in 2 playbooks');
    const json = JSON.parse((await cli(['check', '--format', 'json', '.'], dir)).stdout) as { files: Array<{ path: string }> };
    assert.deepEqual(json.files.map((f) => f.path).sort(), ['esc\u001b[31m.playbook.yaml', 'new\nline.playbook.yaml']);
  });

  test('a problem with such a file is one line on stderr', { skip: POSIX, timeout: 30_000 }, async () => {
    const dir = workspace({});
    mkfifo(path.join(dir, 'two\nlines.playbook.yaml'));
    const r = finished(await runCliGuarded(['check', '.'], dir));
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'playbook: two\\nlines.playbook.yaml: is a FIFO (named pipe), not a regular file\n');
  });
});

describe('playbook advisories: sources and folder entries that are not regular files', { skip: POSIX }, () => {
  test('a FIFO or a link to /dev/zero as a source, FIFOs, loops and aliases in an advisory folder, and a FIFO as a zip\'s published index are reported, ignored or taken once, never read', { timeout: 60_000 }, async () => {
    const record = { id: 'TEST-A', modified: '2024-01-01T00:00:00Z', summary: 'left-pad', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] };
    const dir = workspace({
      '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories, pipe.json, pipe.zip, zero.json, osv.zip]\n',
      '.playbooks/advisories/TEST-A.json': JSON.stringify(record),
      '.playbooks/osv.zip': zipSync({ 'TEST-B.json': strToU8(JSON.stringify({ ...record, id: 'TEST-B' })) }),
    });
    const playbooks = path.join(dir, '.playbooks');
    mkfifo(path.join(playbooks, 'pipe.json'));
    mkfifo(path.join(playbooks, 'pipe.zip'));
    symlinkSync('/dev/zero', path.join(playbooks, 'zero.json'));
    mkfifo(path.join(playbooks, 'advisories', 'fifo.json'));
    symlinkSync('loop.json', path.join(playbooks, 'advisories', 'loop.json'));
    symlinkSync('.', path.join(playbooks, 'advisories', 'self'));
    symlinkSync('TEST-A.json', path.join(playbooks, 'advisories', 'alias.json'));
    // Where the zip's published index would be: looked for, never opened.
    mkfifo(path.join(playbooks, 'osv.zip.playbook-index'));

    const r = finished(await runCliGuarded(['advisories'], dir));
    assert.equal(r.code, 0, r.stderr);
    for (const line of [
      '  advisories (.playbooks/advisories): folder, 1 record',
      '  pipe.json (.playbooks/pipe.json): cannot be read: is a FIFO (named pipe), not a regular file',
      '  pipe.zip (.playbooks/pipe.zip): cannot be read: is a FIFO (named pipe), not a regular file',
      '  zero.json (.playbooks/zero.json): cannot be read: is a device, not a regular file',
      '  osv.zip (.playbooks/osv.zip): zip, 1 record',
      'Records: 2 in use (npm 2); 0 withdrawn, 0 duplicate ids',
      '  warning .playbooks/advisories/fifo.json: cannot be read (is a FIFO (named pipe), not a regular file)',
      '  warning .playbooks/advisories/loop.json: cannot be read (is a symbolic link loop)',
    ]) assert.ok(r.stdout.split('\n').includes(line), `${line}\n---\n${r.stdout}`);
  });
});

describe('playbook dry-run: an input that is not a regular file', { skip: POSIX }, () => {
  test('a playbook linked to /dev/zero, or a FIFO, is refused with the reason, exit 2', { timeout: 60_000 }, async () => {
    const dir = workspace({});
    symlinkSync('/dev/zero', path.join(dir, 'zero.playbook.yaml'));
    mkfifo(path.join(dir, 'pipe.playbook.yaml'));
    const [zero, pipe] = (await Promise.all([runCliGuarded(['dry-run', 'zero.playbook.yaml'], dir), runCliGuarded(['dry-run', 'pipe.playbook.yaml'], dir)])).map(finished) as [CliRun, CliRun];
    assert.deepEqual([zero.code, zero.stderr], [2, 'playbook: zero.playbook.yaml: is a device, not a regular file\n']);
    assert.deepEqual([pipe.code, pipe.stderr], [2, 'playbook: pipe.playbook.yaml: is a FIFO (named pipe), not a regular file\n']);
  });
});
