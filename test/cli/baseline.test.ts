/**
 * `playbook check --write-baseline FILE` and `--baseline FILE` (or the policy's `baseline`): a
 * repository with findings adopts the checks, and from then on only new findings count.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { playbook } from '../unit/helpers/findings.js';
import { cli, workspace } from './helpers.js';
import { withDownloadAndError, withDownloadUnder, withUnreachableStep } from './playbooks.js';

/** PB105 (a warning) on `fetch`. */
const download = withDownloadUnder('# the installer');
/** PB105 (a warning) on `fetch`, and an error (PB002) on `bad`. */
const withError = withDownloadAndError;
const TRIAGE = `  - id: triage
    action: diagnose
    query: up
`;

interface BaselineFile {
  version: number;
  tool: string;
  entries: Array<{ file: string; ruleId: string; fingerprint: string; hint: string; count?: number }>;
}

const readBaseline = (dir: string, file = 'baseline.json'): BaselineFile => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as BaselineFile;

describe('playbook check --write-baseline', () => {
  test('writes every current finding, sorted, with paths relative to its folder; one line on stdout; exit 0 despite errors', async () => {
    const dir = workspace({ 'b/two.playbook.yaml': withError, 'a.playbook.yaml': download, 'clean.playbook.yaml': playbook(TRIAGE) });
    const r = await cli(['check', '--write-baseline', 'baseline.json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'wrote the baseline baseline.json: 3 findings in 2 of 3 playbooks\n');
    const written = readBaseline(dir);
    assert.equal(written.version, 1);
    assert.equal(written.tool, 'playbook');
    assert.deepEqual(written.entries.map((e) => `${e.file} ${e.ruleId} ${e.hint}`), [
      'a.playbook.yaml PB105 steps[fetch].run: curl -fsSL https://get.example.com/i.sh | sh',
      'b/two.playbook.yaml PB002 steps[bad].action: diagnos',
      'b/two.playbook.yaml PB105 steps[fetch].run: curl -fsSL https://get.example.com/i.sh | sh',
    ]);
    for (const e of written.entries) assert.match(e.fingerprint, /^[0-9a-f]{16}$/);
  });

  test('paths are relative to the baseline\'s own folder, with forward slashes', async () => {
    const dir = workspace({ 'team/x.playbook.yaml': download });
    assert.equal((await cli(['check', 'team', '--write-baseline', '.playbooks/baseline.json'], dir)).code, 0);
    assert.deepEqual(readBaseline(dir, '.playbooks/baseline.json').entries.map((e) => e.file), ['../team/x.playbook.yaml']);
  });

  test('the same bytes again for the same findings; suppressed findings are not in it; the old file is replaced whole, no temporary file is left', async () => {
    const dir = workspace({ 'a.playbook.yaml': withDownloadUnder('# playbook-ignore PB105: pinned by checksum in the image'), 'b.playbook.yaml': download });
    await cli(['check', '--write-baseline', 'out/baseline.json'], dir);
    const first = readFileSync(path.join(dir, 'out/baseline.json'), 'utf8');
    assert.deepEqual((JSON.parse(first) as BaselineFile).entries.map((e) => e.file), ['../b.playbook.yaml']);
    writeFileSync(path.join(dir, 'out/baseline.json'), 'old and much longer '.repeat(100));
    await cli(['check', '--write-baseline', 'out/baseline.json', '--jobs', '2'], dir);
    assert.equal(readFileSync(path.join(dir, 'out/baseline.json'), 'utf8'), first);
    assert.deepEqual(readdirSync(path.join(dir, 'out')), ['baseline.json']);
  });

  test('findings on the policy file are not baselined, and the line says so', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB999: error\n', 'a.playbook.yaml': download });
    const r = await cli(['check', '--write-baseline', 'baseline.json'], dir);
    assert.equal(r.stdout, 'wrote the baseline baseline.json: 1 finding in 1 of 1 playbook; the 1 finding on policy files is not baselined: fix it in the policy\n');
  });

  test('a place it cannot be written: one line, exit 2', async () => {
    const dir = workspace({ 'a.playbook.yaml': download, 'taken': 'a file where a folder should be' });
    const r = await cli(['check', 'a.playbook.yaml', '--write-baseline', 'taken/baseline.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^playbook: the baseline taken\/baseline\.json cannot be written \(.+\)\n$/);
  });

  test('usage: it takes no --baseline, --output or --format, and both flags take a file', async () => {
    const dir = workspace({ 'a.playbook.yaml': download });
    for (const [argv, message] of [
      [['--write-baseline', 'b.json', '--baseline', 'a.json'], '--write-baseline writes every current finding to its file and prints one line; it takes no --baseline'],
      [['--write-baseline', 'b.json', '--format', 'sarif'], 'it takes no --format'],
      [['--write-baseline', 'b.json', '-o', 'r.txt'], 'it takes no --output'],
      [['--baseline', ''], '--baseline takes a file'],
      [['--write-baseline'], '--write-baseline needs a value'],
    ] as const) {
      const r = await cli(['check', ...argv], dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.ok(r.stderr.includes(message), r.stderr);
      assert.match(r.stderr, /^playbook: .+\nRun 'playbook --help' for usage\.\n$/);
    }
    assert.match((await cli(['--help'], dir)).stdout, /^ {6}--baseline <file> +Report only findings this baseline does not list/m);
    assert.match((await cli(['--help'], dir)).stdout, /^ {6}--write-baseline <file> +Write every current finding/m);
  });
});

describe('playbook check --baseline', () => {
  /** A folder with `files`, its baseline written as it is now (baseline.json). */
  async function adopted(files: Record<string, string>): Promise<string> {
    const dir = workspace(files);
    assert.equal((await cli(['check', '--write-baseline', 'baseline.json'], dir)).code, 0);
    return dir;
  }

  test('only findings the baseline does not list are reported and counted; --show-suppressed lists the others as baselined', async () => {
    const dir = await adopted({ 'a.playbook.yaml': withError });
    const same = await cli(['check', '--baseline', 'baseline.json', '--max-warnings', '0'], dir);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.equal(same.stdout, 'no problems in 1 playbook (2 baselined; list them with --show-suppressed)\n');
    const listed = await cli(['check', '--baseline', 'baseline.json', '--show-suppressed'], dir);
    assert.match(listed.stdout, /^a\.playbook\.yaml:17:\d+ warning PB105 .* \(baselined\)$/m);
    assert.match(listed.stdout, /^a\.playbook\.yaml:19:13 error PB002 .* \(baselined\)$/m);
    assert.match(listed.stdout, /^no problems in 1 playbook \(2 baselined\)$/m);
    assert.equal((await cli(['check'], dir)).code, 1, 'without the baseline the error counts');
  });

  test('a new warning and a new error count; the exit code and --max-warnings see only them', async () => {
    const dir = await adopted({ 'a.playbook.yaml': withError, 'w.playbook.yaml': playbook(TRIAGE) });
    writeFileSync(path.join(dir, 'w.playbook.yaml'), withUnreachableStep);
    const warned = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.equal(warned.code, 0);
    assert.match(warned.stdout, /^w\.playbook\.yaml:\d+:\d+ warning PB006 /m);
    assert.doesNotMatch(warned.stdout, /PB105|PB002/);
    assert.match(warned.stdout, /^0 errors, 1 warning, 0 info in 2 playbooks \(2 baselined; list them with --show-suppressed\)$/m);
    const over = await cli(['check', '--baseline', 'baseline.json', '--max-warnings', '0'], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /^playbook: 1 warnings, more than --max-warnings 0$/m);
    writeFileSync(path.join(dir, 'w.playbook.yaml'), withError.replace('diagnos\n', 'diagnoze\n'));
    const failed = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /^w\.playbook\.yaml:19:13 error PB002 /m);
  });

  test('steps inserted above and reordered steps keep their entries; a changed value is a new finding', async () => {
    const dir = await adopted({ 'a.playbook.yaml': withError });
    const moved = playbook(`${TRIAGE}  - id: bad
    action: diagnos
${TRIAGE.replace('triage', 'look-again')}  - id: fetch
    action: diagnose
    run: curl -fsSL https://get.example.com/i.sh | sh
`);
    writeFileSync(path.join(dir, 'a.playbook.yaml'), moved);
    const r = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, 'no problems in 1 playbook (2 baselined; list them with --show-suppressed)\n');
    writeFileSync(path.join(dir, 'a.playbook.yaml'), moved.replace('i.sh', 'setup.sh'));
    const changed = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.match(changed.stdout, /^a\.playbook\.yaml:\d+:\d+ warning PB105 /m);
    assert.match(changed.stdout, /\(1 baselined; list them with --show-suppressed\); 1 baseline entry matches no finding any more \(--write-baseline drops it\)$/m);
  });

  test('a second identical finding where the baseline had one is new (matching consumes counts)', async () => {
    const twice = (n: number): string => playbook(`  - id: fetch
    action: diagnose
    run: ${Array.from({ length: n }, () => 'curl -fsSL https://get.example.com/i.sh | sh').join(' && ')}
`);
    const dir = await adopted({ 'a.playbook.yaml': twice(2) });
    assert.deepEqual(readBaseline(dir).entries.map((e) => e.count), [2]);
    writeFileSync(path.join(dir, 'a.playbook.yaml'), twice(3));
    const r = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.match(r.stdout, /^0 errors, 1 warning, 0 info in 1 playbook \(2 baselined; list them with --show-suppressed\)$/m);
  });

  test('a fixed finding leaves a stale entry: harmless, said once; --write-baseline drops it', async () => {
    const dir = await adopted({ 'a.playbook.yaml': withError });
    writeFileSync(path.join(dir, 'a.playbook.yaml'), withError.replace('diagnos\n', 'diagnose\n    query: up\n'));
    const r = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'no problems in 1 playbook (1 baselined; list them with --show-suppressed); 1 baseline entry matches no finding any more (--write-baseline drops it)\n');
    await cli(['check', '--write-baseline', 'baseline.json'], dir);
    assert.deepEqual(readBaseline(dir).entries.map((e) => e.ruleId), ['PB105']);
  });

  test('a renamed playbook no longer matches its entries: its findings are new, and the old entries are stale only when the old name is checked', async () => {
    const dir = await adopted({ 'old-name.playbook.yaml': download });
    cpSync(path.join(dir, 'old-name.playbook.yaml'), path.join(dir, 'new-name.playbook.yaml'));
    writeFileSync(path.join(dir, 'old-name.playbook.yaml'), playbook(TRIAGE));
    const r = await cli(['check', '--baseline', 'baseline.json'], dir);
    assert.match(r.stdout, /^new-name\.playbook\.yaml:\d+:\d+ warning PB105 /m);
    assert.match(r.stdout, /^0 errors, 1 warning, 0 info in 2 playbooks; 1 baseline entry matches no finding any more/m);
  });

  test('entries for playbooks not checked this run are harmless and not counted', async () => {
    const dir = await adopted({ 'a.playbook.yaml': download, 'b.playbook.yaml': withError });
    const r = await cli(['check', 'a.playbook.yaml', '--baseline', 'baseline.json'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'no problems in 1 playbook (1 baselined; list them with --show-suppressed)\n');
  });

  test('written in one checkout, used in another from another folder: paths are the baseline\'s own', async () => {
    const first = workspace({ 'services/checkout.playbook.yaml': withError, 'services/search/a.playbook.yaml': download });
    assert.equal((await cli(['check', '--write-baseline', '.playbooks/baseline.json'], first)).code, 0);
    const second = path.join(mkdtempSync(path.join(tmpdir(), 'playbook-other-machine-')), 'repo');
    cpSync(first, second, { recursive: true });
    const fromSub = await cli(['check', '..', '--baseline', '../.playbooks/baseline.json'], path.join(second, 'services'));
    assert.equal(fromSub.code, 0, fromSub.stdout + fromSub.stderr);
    assert.match(fromSub.stdout, /^no problems in 2 playbooks \(3 baselined/m);
    const fromAbove = await cli(['check', 'repo', '--baseline', 'repo/.playbooks/baseline.json'], path.dirname(second));
    assert.match(fromAbove.stdout, /^no problems in 2 playbooks \(3 baselined/m);
  });

  test('secrets: the baseline file and what --show-suppressed prints hold none', async () => {
    const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const dir = await adopted({ 'a.playbook.yaml': playbook(`  - id: call-api
    action: diagnose
    run: 'curl -H "Authorization: Bearer ${TOKEN}" https://api.example.com/health'
`) });
    const text = readFileSync(path.join(dir, 'baseline.json'), 'utf8');
    assert.ok(text.includes('"ruleId": "PB104"'), text);
    assert.ok(!text.includes(TOKEN) && !text.includes('ghp_'), text);
    const r = await cli(['check', '--baseline', 'baseline.json', '--show-suppressed', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes('PB104') && !r.stdout.includes(TOKEN), r.stdout);
  });

  test('JSON marks each finding new or unchanged, with its fingerprint, and counts the baselined', async () => {
    const dir = await adopted({ 'a.playbook.yaml': download });
    writeFileSync(path.join(dir, 'a.playbook.yaml'), withError);
    type Json = { files: Array<{ findings: Array<{ ruleId: string; baselineState: string; fingerprint: string }>; baselined?: Array<{ ruleId: string; baselineState: string }> }>; totals: Record<string, number> };
    const shown = JSON.parse((await cli(['check', '--baseline', 'baseline.json', '--format', 'json', '--show-suppressed'], dir)).stdout) as Json;
    assert.deepEqual(shown.files[0]!.findings.map((f) => [f.ruleId, f.baselineState]), [['PB002', 'new']]);
    assert.match(shown.files[0]!.findings[0]!.fingerprint, /^[0-9a-f]{16}$/);
    assert.deepEqual(shown.files[0]!.baselined!.map((f) => [f.ruleId, f.baselineState]), [['PB105', 'unchanged']]);
    assert.deepEqual(shown.totals, { error: 1, warning: 0, info: 0, suppressed: 0, baselined: 1, baselineUnmatched: 0 });
    const quiet = JSON.parse((await cli(['check', '--baseline', 'baseline.json', '--format', 'json'], dir)).stdout) as Json;
    assert.equal(quiet.files[0]!.baselined, undefined, 'listed with --show-suppressed only');
    const none = JSON.parse((await cli(['check', '--format', 'json'], dir)).stdout) as Json;
    assert.deepEqual(Object.keys(none.totals), ['error', 'warning', 'info', 'suppressed'], 'no baseline, the same shape as before');
    assert.ok(!('baselineState' in none.files[0]!.findings[0]!));
  });

  test('on worker threads: the same output', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`p${String(i).padStart(2, '0')}.playbook.yaml`] = i % 2 ? withError : download;
    const dir = await adopted(files);
    writeFileSync(path.join(dir, 'p03.playbook.yaml'), withUnreachableStep);
    const one = await cli(['check', '--baseline', 'baseline.json', '--show-suppressed', '--jobs', '1'], dir);
    const two = await cli(['check', '--baseline', 'baseline.json', '--show-suppressed', '--jobs', '2'], dir);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.stderr, '');
    assert.match(one.stdout, /^0 errors, 1 warning, 0 info in 12 playbooks \(16 baselined\); 2 baseline entries match no finding any more/m);
  });
});

describe('a baseline that cannot be used: one line, exit 2, nothing checked', () => {
  const dir = workspace({ 'a.playbook.yaml': withError, 'v2.json': JSON.stringify({ version: 2, tool: 'playbook', entries: [] }), 'broken.json': '{ "version": 1, ', 'other.json': '{"eslint": true}', 'folder.json/x': '' });
  writeFileSync(path.join(dir, 'huge.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
  const cases: Array<[string, RegExp]> = [
    ['missing.json', /^playbook: baseline missing\.json: cannot be read \(no such file or directory\)\n$/],
    ['broken.json', /^playbook: baseline broken\.json: is not valid JSON \(.+\)\n$/],
    ['v2.json', /^playbook: baseline v2\.json: is a baseline of format version 2, and this playbook reads version 1: write it again with `playbook check --write-baseline FILE`\n$/],
    ['other.json', /^playbook: baseline other\.json: is not a playbook baseline: it has no `"tool": "playbook"`/],
    ['huge.json', /^playbook: baseline huge\.json: is 16\.0 MB, over the 16\.0 MB limit for a baseline\n$/],
    ['folder.json', /^playbook: baseline folder\.json: cannot be read \(.*director.*\)\n$/],
  ];
  for (const [file, stderr] of cases) {
    test(file, async () => {
      const r = await cli(['check', '--baseline', file], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, '');
    });
  }
});

describe('the policy\'s baseline', () => {
  const POLICY = 'policy: 1\nbaseline: .playbooks/baseline.json\n';

  test('is used when no --baseline is given, from any folder; --baseline overrides it', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': POLICY, 'team/a.playbook.yaml': withError });
    assert.equal((await cli(['check', '--write-baseline', '.playbooks/baseline.json'], dir)).code, 0);
    const r = await cli(['check'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, 'no problems in 1 playbook (2 baselined; list them with --show-suppressed)\n');
    const fromTeam = await cli(['check', '.'], path.join(dir, 'team'));
    assert.equal(fromTeam.code, 1, 'from team/ the policy above is not found (the walk stops at the working folder), so no baseline applies');
    const fromTeamWithPolicy = await cli(['check', '.', '--policy', '../.playbooks/policy.yaml'], path.join(dir, 'team'));
    assert.equal(fromTeamWithPolicy.code, 0, fromTeamWithPolicy.stdout);
    writeFileSync(path.join(dir, 'empty.json'), JSON.stringify({ version: 1, tool: 'playbook', entries: [] }));
    const overridden = await cli(['check', '--baseline', 'empty.json'], dir);
    assert.equal(overridden.code, 1);
    assert.match(overridden.stdout, /^1 error, 1 warning, 0 info in 1 playbook$/m);
  });

  test('a policy naming a baseline that cannot be used: one line naming both, exit 2', async () => {
    const dir = workspace({ '.playbooks/policy.yaml': POLICY, 'a.playbook.yaml': withError });
    const r = await cli(['check'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'playbook: baseline .playbooks/baseline.json (the policy .playbooks/policy.yaml names it): cannot be read (no such file or directory)\n');
    assert.equal(r.stdout, '');
  });

  test('only the playbooks under that policy use it', async () => {
    const dir = workspace({ 'team-a/.playbooks/policy.yaml': POLICY, 'team-a/a.playbook.yaml': withError, 'team-b/b.playbook.yaml': withError });
    assert.equal((await cli(['check', 'team-a', '--write-baseline', 'team-a/.playbooks/baseline.json'], dir)).code, 0);
    const r = await cli(['check'], dir);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stdout, /^team-a\//m);
    assert.match(r.stdout, /^team-b\/b\.playbook\.yaml:19:13 error PB002 /m);
    assert.match(r.stdout, /^1 error, 1 warning, 0 info in 2 playbooks \(2 baselined/m);
  });
});
