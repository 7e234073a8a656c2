/**
 * `playbook advisories --update` end to end against a real HTTP server on 127.0.0.1 serving zips
 * of the real OSV fixtures: conditional requests, failures of every kind (an error status, a body
 * cut short, one too big, one too slow, not a zip), redirects, the policy's mirror and folder, and
 * after each failure the previous data intact and still what `playbook advisories` loads.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../server/src/cli/run.js';
import type { CliIO } from '../../server/src/cli/io.js';
import { writeFileCreatingFolders } from '../../server/src/node/writeFile.js';
import { declaredZip } from '../unit/helpers/zips.js';
import { cli, workspace, type CliResult } from './helpers.js';
import { fixtureZip, NPM_IDS, PYPI_IDS, startMirror, type OsvMirror } from './osvMirror.js';

// The requests below go to 127.0.0.1 directly, whatever proxy the machine running the tests has.
for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[name];

const NPM_ZIP = fixtureZip(NPM_IDS);
const PYPI_ZIP = fixtureZip(PYPI_IDS);
const OSV = '.playbooks/advisories/osv';

const PLAYBOOK = `playbook: checkout
title: Checkout
owners:
  sre: "@sre"
  security: "@sec"
services:
  api:
    package: pkg:npm/lodash
    current: 4.17.21
    releases: [4.17.20, 4.17.21]
  ml:
    package: pkg:pypi/requests
    current: 2.32.2
  ledger:
    package: pkg:generic/acme/ledger
    current: 1.0.0
channels:
  security: "#sec"
steps:
  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 4.17.20
    requires: [gate]
  - id: tell
    action: notify
    channel: security
  - id: review
    action: postmortem
`;

/** The policy names the zips the update writes, so `playbook advisories` shows what is in use. */
const POLICY = 'policy: 1\nadvisories: [advisories/osv/npm.zip, advisories/osv/PyPI.zip]\n';

let mirror: OsvMirror;
const created: string[] = [];
before(async () => {
  mirror = await startMirror();
});
after(async () => {
  await mirror.close();
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mirror.requests.length = 0;
  mirror.route('npm', { kind: 'zip', body: NPM_ZIP });
  mirror.route('PyPI', { kind: 'zip', body: PYPI_ZIP });
});

function project(files: Record<string, string | Uint8Array> = {}): string {
  const dir = workspace({ '.playbooks/policy.yaml': POLICY, 'checkout.playbook.yaml': PLAYBOOK, ...files });
  created.push(dir);
  return dir;
}

interface RunOptions {
  terminal?: boolean;
  timeouts?: CliIO['downloadTimeouts'];
}

/** The CLI in process, with the test mirror unless `--mirror` is given, and short time-outs only when a test sets them. */
async function update(dir: string, args: string[] = [], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const argv = ['advisories', '--update', ...(args.includes('--mirror') ? [] : ['--mirror', mirror.url]), ...args];
  const code = await run(argv, {
    cwd: dir,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    writeFile: writeFileCreatingFolders,
    stderrIsTerminal: options.terminal ?? false,
    downloadTimeouts: options.timeouts,
  });
  return { code, stdout, stderr };
}

/** Every file of the update folder with a hash of its bytes (`only`: the files whose names start so): a failed update must leave exactly this. */
function folderState(dir: string, only = ''): Record<string, string> {
  const osv = path.join(dir, OSV);
  if (!existsSync(osv)) return {};
  return Object.fromEntries(readdirSync(osv).filter((name) => name.startsWith(only)).sort().map((name) => [name, createHash('sha256').update(readFileSync(path.join(osv, name))).digest('hex')]));
}

const sidecar = (dir: string, ecosystem: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(dir, OSV, `${ecosystem}.zip.fetch.json`), 'utf8')) as Record<string, unknown>;

/** What `playbook advisories` says of lodash 4.17.20: the records in use, whatever the update did. */
async function lodashVerdict(dir: string): Promise<string> {
  const r = await cli(['advisories', '--package', 'pkg:npm/lodash', '--version', '4.17.20'], dir);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').find((l) => l.startsWith('pkg:npm/lodash@4.17.20')) ?? r.stdout;
}

const IN_USE = 'pkg:npm/lodash@4.17.20: affected by 1 of the 2 records naming it';

/** A first, successful update; the state every failure test starts from. */
async function updated(files: Record<string, string | Uint8Array> = {}): Promise<{ dir: string; state: Record<string, string> }> {
  const dir = project(files);
  const first = await update(dir);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(await lodashVerdict(dir), IN_USE);
  return { dir, state: folderState(dir) };
}

describe('advisories --update: fetching', () => {
  test('downloads the ecosystems of the services into <policy dir>/advisories/osv, with a fetch record each; the records are then in use', async () => {
    const dir = project();
    const r = await update(dir);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.split('\n'), [
      `Downloading from ${mirror.url} (--mirror) into ${OSV}`,
      'note: pkg:generic services have no public ecosystem to download (their advisories are your own records): acme/ledger',
      'note: the mirror is plain http: anyone on the network path can change what is downloaded; prefer https',
      `PyPI: updated ${OSV}/PyPI.zip (${(PYPI_ZIP.length / 1024).toFixed(1)} KB, 2 records)`,
      `npm: updated ${OSV}/npm.zip (${(NPM_ZIP.length / 1024).toFixed(1)} KB, 3 records)`,
      '',
    ]);
    assert.deepEqual(readFileSync(path.join(dir, OSV, 'npm.zip')), Buffer.from(NPM_ZIP));
    assert.deepEqual(readFileSync(path.join(dir, OSV, 'PyPI.zip')), Buffer.from(PYPI_ZIP));
    const record = sidecar(dir, 'npm');
    assert.equal(record['url'], `${mirror.url}/npm/all.zip`);
    assert.equal(record['bytes'], NPM_ZIP.length);
    assert.match(String(record['etag']), /^"[0-9a-f]{16}"$/);
    assert.equal(record['lastModified'], 'Mon, 10 Jun 2024 08:00:00 GMT');
    assert.ok(Math.abs(Date.parse(String(record['fetchedAt'])) - Date.now()) < 60 * 60 * 1000, 'fetched now, give or take the clock');
    assert.deepEqual(mirror.requests.map((q) => [q.method, q.path, q.headers['if-none-match']]), [['GET', '/PyPI/all.zip', undefined], ['GET', '/npm/all.zip', undefined]]);
    assert.match(String(mirror.requests[0]!.headers['user-agent']), /^incident-playbook\//);
    assert.equal(await lodashVerdict(dir), IN_USE);
    assert.deepEqual(readdirSync(path.join(dir, OSV)).sort(), ['PyPI.zip', 'PyPI.zip.fetch.json', 'npm.zip', 'npm.zip.fetch.json']);
  });

  test('the next run asks conditionally: an unchanged export (304) keeps the zip and records the new fetch time', async () => {
    const { dir, state } = await updated();
    const pypiEtag = sidecar(dir, 'PyPI')['etag'];
    const old: Record<string, unknown> = { ...sidecar(dir, 'npm'), fetchedAt: '2024-01-01T00:00:00.000Z' };
    writeFileSync(path.join(dir, OSV, 'npm.zip.fetch.json'), JSON.stringify(old));
    mirror.requests.length = 0;
    const r = await update(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\nnpm: not modified since the last fetch; ${OSV}/npm.zip kept\n`));
    assert.deepEqual(mirror.requests.map((q) => [q.path, q.headers['if-none-match'], q.headers['if-modified-since']]), [
      ['/PyPI/all.zip', pypiEtag, 'Mon, 10 Jun 2024 08:00:00 GMT'],
      ['/npm/all.zip', old['etag'], 'Mon, 10 Jun 2024 08:00:00 GMT'],
    ]);
    assert.equal(folderState(dir)['npm.zip'], state['npm.zip']);
    const now = sidecar(dir, 'npm');
    assert.ok(Date.parse(String(now['fetchedAt'])) > Date.parse('2024-01-01T00:00:00.000Z'), 'the fetch time moved on');
    assert.deepEqual({ ...now, fetchedAt: '' }, { ...old, fetchedAt: '' });
  });

  test('a changed export replaces the zip', async () => {
    const { dir } = await updated();
    const grown = fixtureZip([...NPM_IDS, 'GHSA-8hc4-vh64-cxmj']);
    mirror.route('npm', { kind: 'zip', body: grown });
    const r = await update(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /npm: updated .* 4 records\)/);
    assert.deepEqual(readFileSync(path.join(dir, OSV, 'npm.zip')), Buffer.from(grown));
  });

  test('a zip removed or replaced by hand is fetched whole, not conditionally', async () => {
    const { dir } = await updated();
    rmSync(path.join(dir, OSV, 'npm.zip'));
    writeFileSync(path.join(dir, OSV, 'PyPI.zip'), fixtureZip(['GHSA-8q59-q68h-6hv4']));
    mirror.requests.length = 0;
    const r = await update(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(mirror.requests.map((q) => [q.path, q.headers['if-none-match'] ?? null]), [['/PyPI/all.zip', null], ['/npm/all.zip', null]]);
    assert.deepEqual(readFileSync(path.join(dir, OSV, 'npm.zip')), Buffer.from(NPM_ZIP));
    assert.deepEqual(readFileSync(path.join(dir, OSV, 'PyPI.zip')), Buffer.from(PYPI_ZIP));
  });

  test('a fetch record edited by hand cannot put headers into the request: its validators are not sent, and the zip is fetched whole', async () => {
    for (const etag of ['"x"\r\nX-Forged: 1', '"x"\u0000', '"caf\u00e9\u20ac"', '']) {
      const { dir } = await updated();
      writeFileSync(path.join(dir, OSV, 'npm.zip.fetch.json'), JSON.stringify({ ...sidecar(dir, 'npm'), etag }));
      mirror.requests.length = 0;
      const r = await update(dir, ['--ecosystems', 'npm']);
      assert.equal(r.code, 0, `${JSON.stringify(etag)}: ${r.stderr}`);
      assert.match(r.stdout, /\nnpm: updated /);
      assert.equal(mirror.requests.length, 1);
      assert.equal(mirror.requests[0]!.headers['if-none-match'], undefined);
      assert.equal(mirror.requests[0]!.headers['x-forged'], undefined);
    }
  });

  test('--ecosystems names them instead, exactly as OSV spells them; a name with a space is a path segment of its own', async () => {
    const dir = project();
    mirror.route('GitHub Actions', { kind: 'zip', body: NPM_ZIP });
    const r = await update(dir, ['--ecosystems', 'npm, GitHub Actions,npm']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(mirror.requests.map((q) => q.path), ['/npm/all.zip', '/GitHub%20Actions/all.zip']);
    assert.ok(existsSync(path.join(dir, OSV, 'GitHub Actions.zip')));
    assert.ok(!existsSync(path.join(dir, OSV, 'PyPI.zip')));
  });

  test('the policy\'s advisories-mirror is used (below its path), and --mirror overrides it', async () => {
    const other = await startMirror('/osv/exports');
    try {
      other.route('npm', { kind: 'zip', body: NPM_ZIP });
      other.route('PyPI', { kind: 'zip', body: PYPI_ZIP });
      const dir = project({ '.playbooks/policy.yaml': `${POLICY}advisories-mirror: ${other.url}\n` });
      const fromPolicy = await cli(['advisories', '--update'], dir);
      assert.equal(fromPolicy.code, 0, fromPolicy.stderr);
      assert.match(fromPolicy.stdout, new RegExp(`^Downloading from ${other.url.replace(/[.]/g, '\\.')} \\(the policy's advisories-mirror\\)`));
      assert.deepEqual(other.requests.map((q) => q.path), ['/osv/exports/PyPI/all.zip', '/osv/exports/npm/all.zip']);
      assert.equal(sidecar(dir, 'npm')['url'], `${other.url}/npm/all.zip`);
      mirror.requests.length = 0;
      const overridden = await update(dir, ['--mirror', mirror.url]);
      assert.equal(overridden.code, 0, overridden.stderr);
      assert.match(overridden.stdout, /\(--mirror\)/);
      assert.equal(mirror.requests.length, 2);
    } finally {
      await other.close();
    }
  });

  test('credentials in the mirror\'s URL go to the mirror as Basic authentication, and are shown and recorded nowhere', async () => {
    const dir = project();
    const withCredentials = mirror.url.replace('http://', 'http://reader:s3cr3t-Pa55@');
    const r = await update(dir, ['--mirror', withCredentials, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mirror.requests[0]!.headers['authorization'], `Basic ${Buffer.from('reader:s3cr3t-Pa55').toString('base64')}`);
    const everything = [r.stdout, r.stderr, ...readdirSync(path.join(dir, OSV)).map((name) => readFileSync(path.join(dir, OSV, name), 'latin1'))].join('\n');
    assert.ok(!everything.includes('s3cr3t-Pa55') && !everything.includes('reader:'), 'no credentials in the output or the files');
    assert.equal(sidecar(dir, 'npm')['url'], `${mirror.url}/npm/all.zip`);
  });

  test('credentials go to the mirror alone, never to where it redirects', async () => {
    const other = await startMirror();
    try {
      other.route('npm', { kind: 'zip', body: NPM_ZIP });
      mirror.route('npm', { kind: 'redirect', location: `${other.url}/npm/all.zip` });
      const dir = project();
      const r = await update(dir, ['--mirror', mirror.url.replace('http://', 'http://reader:s3cr3t-Pa55@'), '--ecosystems', 'npm']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(mirror.requests[0]!.headers['authorization']);
      assert.equal(other.requests.length, 1);
      assert.equal(other.requests[0]!.headers['authorization'], undefined);
    } finally {
      await other.close();
    }
  });

  test('a redirect to another http(s) URL is followed; the file name still comes from the ecosystem', async () => {
    const dir = project();
    mirror.route('npm', { kind: 'redirect', location: '/elsewhere/exports.bin?sig=1', status: 307 });
    mirror.routePath('/elsewhere/exports.bin', { kind: 'zip', body: NPM_ZIP });
    const r = await update(dir, ['--ecosystems', 'npm']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(path.join(dir, OSV)).sort(), ['npm.zip', 'npm.zip.fetch.json']);
    assert.equal(sidecar(dir, 'npm')['url'], `${mirror.url}/npm/all.zip`);
  });

  test('-f json: one result per ecosystem', async () => {
    const dir = project();
    mirror.route('PyPI', { kind: 'status', status: 503 });
    const r = await update(dir, ['--format', 'json']);
    assert.equal(r.code, 2);
    const out = JSON.parse(r.stdout) as { policy: string; dir: string; ecosystems: Array<Record<string, unknown>> };
    assert.equal(out.policy, '.playbooks/policy.yaml');
    assert.equal(out.dir, OSV);
    assert.deepEqual(out.ecosystems.map((e) => [e.ecosystem, e.outcome, e.file, e.problem ?? null, e.records ?? null]), [
      ['PyPI', 'failed', `${OSV}/PyPI.zip`, 'the server answered HTTP 503 (Service Unavailable)', null],
      ['npm', 'updated', `${OSV}/npm.zip`, null, 3],
    ]);
    assert.equal(r.stderr, 'playbook: PyPI: the server answered HTTP 503 (Service Unavailable)\n');
  });
});

describe('advisories --update: a failed download leaves the previous data intact and in use', () => {
  const cases: Array<{ name: string; route: () => Parameters<OsvMirror['route']>[1]; policy?: string; timeouts?: RunOptions['timeouts']; problem: RegExp }> = [
    { name: 'an error status (500)', route: () => ({ kind: 'status', status: 500 }), problem: /^the server answered HTTP 500 \(Internal Server Error\)$/ },
    { name: 'a body cut short (Content-Length not reached)', route: () => ({ kind: 'cut', body: fixtureZip([...NPM_IDS, 'GHSA-8hc4-vh64-cxmj']) }), problem: /^the connection closed before the download was complete$|^the connection closed after \d+ of the \d+ bytes declared$/ },
    { name: 'a body that ends early with nothing in HTTP to say so (chunked)', route: () => ({ kind: 'half-chunked', body: fixtureZip([...NPM_IDS, 'GHSA-8hc4-vh64-cxmj']) }), problem: /^the download is not usable: it cannot be read as a zip/ },
    { name: 'a file over maxZipBytes, declared', route: () => ({ kind: 'big', bytes: 64 * 1024, declare: true }), policy: 'limits:\n  maxZipBytes: 20000\n', problem: /^the server declares 64\.0 KB, over the 19\.5 KB limit for one zip \(the policy's limits\.maxZipBytes\)$/ },
    { name: 'a file over maxZipBytes, not declared (reading stops past the limit)', route: () => ({ kind: 'big', bytes: 8 * 1024 * 1024, declare: false }), policy: 'limits:\n  maxZipBytes: 20000\n', problem: /^the download passed 19\.5 KB, over the 19\.5 KB limit for one zip/ },
    { name: 'no answer (a time-out)', route: () => ({ kind: 'silent' }), timeouts: { headersMs: 300 }, problem: /^no answer within the time allowed$/ },
    { name: 'a body that stalls half-way (a time-out)', route: () => ({ kind: 'stall', body: fixtureZip([...NPM_IDS, 'GHSA-8hc4-vh64-cxmj']) }), timeouts: { idleMs: 300 }, problem: /^the download stalled: nothing arrived within the time allowed$/ },
    { name: 'something that is not a zip (a login page)', route: () => ({ kind: 'zip', body: Buffer.from('<html>Please sign in</html>') }), problem: /^the download is not usable: it cannot be read as a zip/ },
    { name: 'a zip without records', route: () => ({ kind: 'zip', body: declaredZip({ 'README.txt': 'nothing here' }) }), problem: /^the download is not usable: it holds no JSON records$/ },
    { name: 'a zip with more records than maxZipEntries', route: () => ({ kind: 'zip', body: fixtureZip([...NPM_IDS, 'GHSA-8hc4-vh64-cxmj']) }), policy: 'limits:\n  maxZipEntries: 3\n', problem: /^the download is not usable: it holds more than 3 JSON entries \(the limit maxZipEntries\)/ },
    { name: 'a redirect to a file: URL', route: () => ({ kind: 'redirect', location: 'file:///etc/passwd' }), problem: /^the server redirected to a file: URL; only http and https are followed$/ },
    { name: 'a redirect loop', route: () => ({ kind: 'redirect', location: '/npm/all.zip' }), problem: /^more than 5 redirects$/ },
    { name: 'a 304 to a request that was not conditional', route: () => ({ kind: 'status', status: 304 }), problem: /^the server answered 304 Not Modified to a request that was not conditional$/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { dir } = await updated(c.policy ? { '.playbooks/policy.yaml': POLICY + c.policy } : {});
      // A 304 to an unconditional request needs a zip the update will not ask about conditionally.
      if (c.name.startsWith('a 304')) rmSync(path.join(dir, OSV, 'npm.zip.fetch.json'));
      const before = folderState(dir, 'npm.');
      const names = Object.keys(folderState(dir));
      mirror.route('npm', c.route());
      const r = await update(dir, [], { timeouts: c.timeouts });
      assert.equal(r.code, 2, r.stdout);
      const lines = r.stderr.split('\n');
      assert.equal(lines.length, 2, r.stderr);
      assert.match(lines[0]!, /^playbook: npm: /);
      assert.match(lines[0]!.slice('playbook: npm: '.length), c.problem);
      assert.match(r.stdout, /\nPyPI: not modified since the last fetch/, 'the other ecosystem is still updated');
      assert.match(r.stdout, /\n1 of 2 ecosystems failed; its previous data, if any, is kept and still in use\.\n$/);
      assert.deepEqual(folderState(dir, 'npm.'), before, 'the zip and its fetch record are as they were, and no temporary file is left');
      assert.deepEqual(Object.keys(folderState(dir)), names);
      assert.equal(await lodashVerdict(dir), IN_USE);
    });
  }

  test('a first download that fails leaves nothing behind, and the other ecosystems are still fetched', async () => {
    const dir = project();
    mirror.route('npm', { kind: 'cut', body: NPM_ZIP });
    const r = await update(dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^playbook: npm: /);
    assert.deepEqual(Object.keys(folderState(dir)), ['PyPI.zip', 'PyPI.zip.fetch.json']);
  });

  test('what the server says in an error body never reaches the output', async () => {
    const { dir } = await updated();
    mirror.route('npm', { kind: 'status', status: 502 });
    const r = await update(dir);
    assert.ok(!r.stderr.includes('X-Forged') && !r.stderr.includes('something went wrong'), r.stderr);
  });
});

describe('advisories --update: what it is asked', () => {
  test('an ecosystem OSV does not have is a usage error, with the right spelling when it is near one', async () => {
    const dir = project();
    const r = await update(dir, ['--ecosystems', 'npm,pypi']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^playbook: --ecosystems 'pypi' is not an OSV ecosystem; did you mean 'PyPI'\? \(OSV's names: AlmaLinux, .*\)\nRun 'playbook --help' for usage\.\n$/);
    assert.equal(mirror.requests.length, 0);
    for (const value of ['', ',', 'npm,,PyPI', '../../etc', 'npm/../x']) {
      const bad = await update(dir, ['--ecosystems', value]);
      assert.equal(bad.code, 2, value);
      assert.match(bad.stderr, /^playbook: --ecosystems /, value);
    }
    assert.equal(mirror.requests.length, 0);
  });

  test('a mirror that is not an http(s) base URL is a usage error', async () => {
    const dir = project();
    for (const value of ['ftp://mirror.example.com', 'file:///srv/osv', 'not a url', 'https://mirror.example.com/osv?sig=abc', 'https://mirror.example.com/#x']) {
      const r = await update(dir, ['--mirror', value]);
      assert.equal(r.code, 2, value);
      assert.match(r.stderr, /^playbook: --mirror .*: (is a .* URL; the mirror must be http:\/\/ or https:\/\/|is not a URL|is a base URL: it takes no \?query or #fragment)\n/, value);
    }
  });

  test('--mirror and --ecosystems go with --update, and --update goes with no --package, --version or --write-index', async () => {
    const dir = project();
    for (const argv of [['advisories', '--mirror', 'https://x.example.com'], ['advisories', '--ecosystems', 'npm'], ['advisories', '--update', '--package', 'pkg:npm/x'], ['advisories', '--update', '--write-index']]) {
      const r = await cli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^playbook: (--mirror goes with --update|--ecosystems goes with --update|--update takes no --package|--update takes no --write-index)\n/);
    }
  });

  test('nothing to update: no playbook under the folder, or only in-house services', async () => {
    const empty = workspace({ '.playbooks/policy.yaml': POLICY });
    created.push(empty);
    const none = await update(empty);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^playbook: nothing to update: no service has a package URL in the 0 playbooks under .*; name the ecosystems with --ecosystems, e\.g\. --ecosystems npm,PyPI\n$/);
    const inHouse = project({ 'checkout.playbook.yaml': PLAYBOOK.replace('pkg:npm/lodash', 'pkg:generic/acme/api').replace('pkg:pypi/requests', 'pkg:cocoapods/AFNetworking') });
    const generic = await update(inHouse);
    assert.equal(generic.code, 2);
    assert.match(generic.stderr, /nothing to update: no service in them has a package URL of a public ecosystem \(pkg:generic services .*acme\/api, acme\/ledger; no OSV ecosystem is matched to these package URL types here: pkg:cocoapods\)/);
    assert.equal(mirror.requests.length, 0);
  });

  test('a playbook that cannot be read is one failure line: the others\' ecosystems are still updated, and the exit is 2', async () => {
    const dir = project({ 'binary.playbook.yaml': Buffer.from([0x70, 0x00, 0xff, 0xfe]) });
    const r = await update(dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^playbook: binary\.playbook\.yaml: .*; its services are not counted\n$/);
    assert.ok(existsSync(path.join(dir, OSV, 'npm.zip')));
  });

  test('advisories-update-dir: written there (relative to the policy), with a note when the policy does not load it', async () => {
    const dir = project({ '.playbooks/policy.yaml': 'policy: 1\nadvisories-update-dir: ../vendor/osv\n' });
    const r = await update(dir, ['--ecosystems', 'npm']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(dir, 'vendor/osv/npm.zip')));
    assert.match(r.stdout, /note: the policy's 'advisories' does not include .*vendor[\\/]osv, so the zips written there are not loaded; add that folder to 'advisories'/);
    const loaded = project({ '.playbooks/policy.yaml': 'policy: 1\nadvisories: [../vendor]\nadvisories-update-dir: ../vendor/osv\n' });
    const quiet = await update(loaded, ['--ecosystems', 'npm']);
    assert.ok(!quiet.stdout.includes('does not include'), quiet.stdout);
  });

  test('advisories-update-dir may not lead outside the folder that holds the policy', async () => {
    for (const value of ['../../elsewhere', '/tmp/osv']) {
      const dir = project({ '.playbooks/policy.yaml': `policy: 1\nadvisories-update-dir: ${value}\n` });
      const r = await update(dir, ['--ecosystems', 'npm']);
      assert.equal(r.code, 2, value);
      assert.match(r.stderr, /^playbook: the policy's advisories-update-dir '.*' leads outside .*; the update writes only inside the folder that holds the policy\n$/);
      assert.equal(mirror.requests.length, 0);
    }
  });

  test('nor through a link in the repository, whether the default folder or the policy\'s', async () => {
    const outside = workspace({});
    created.push(outside);
    for (const [files, link] of [
      [{ '.playbooks/policy.yaml': 'policy: 1\n' }, '.playbooks/advisories'],
      [{ '.playbooks/policy.yaml': 'policy: 1\nadvisories-update-dir: ../vendor/osv\n' }, 'vendor'],
    ] as const) {
      const dir = project(files);
      symlinkSync(outside, path.join(dir, link), 'dir');
      const r = await update(dir, ['--ecosystems', 'npm']);
      assert.equal(r.code, 2, link);
      assert.match(r.stderr, /^playbook: (the update folder \S+|the policy's advisories-update-dir '\.\.\/vendor\/osv') leads outside .* through a link \(to .*\); the update writes only inside the folder that holds the policy\n$/, link);
      assert.deepEqual(readdirSync(outside), [], 'nothing written where the link leads');
    }
    assert.equal(mirror.requests.length, 0);
  });

  test('a policy with errors is not guessed around: nothing is downloaded', async () => {
    const dir = project({ '.playbooks/policy.yaml': 'policy: 1\nadvisories-mirror: ftp://internal\n' });
    const r = await cli(['advisories', '--update'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^playbook: the policy .*policy\.yaml has errors \('playbook check' shows them\), so its mirror and folder are not known; fix it first\n$/);
  });

  test('--policy: that policy\'s folder and sources', async () => {
    const dir = project({ 'team/policy.yaml': 'policy: 1\n' });
    const r = await update(dir, ['--policy', 'team/policy.yaml', '--ecosystems', 'npm']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(dir, 'team/advisories/osv/npm.zip')));
  });
});

describe('advisories --update: progress', () => {
  test('at a terminal, progress on stderr (bytes and share per ecosystem), cleared at the end', async () => {
    const dir = project();
    const r = await update(dir, [], { terminal: true });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /\r\u001b\[Knpm: [\d.]+ KB of [\d.]+ KB \(100%\)/);
    assert.match(r.stderr, /\r\u001b\[KPyPI: [\d.]+ KB of [\d.]+ KB \(100%\)/);
    assert.ok(r.stderr.endsWith('\r\u001b[K'));
  });

  test('not at a terminal, none', async () => {
    const r = await update(project());
    assert.equal(r.stderr, '');
  });
});

describe('advisories --update and how old the data is, through `playbook check`', () => {
  /** The PB110 findings of `playbook check` on the project, as JSON. */
  async function pb110(dir: string): Promise<Array<{ severity: string; message: string }>> {
    const r = await cli(['check', '--format', 'json'], dir);
    const report = JSON.parse(r.stdout) as { files: Array<{ findings: Array<{ ruleId: string; severity: string; message: string }> }> };
    return report.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'PB110').map(({ severity, message }) => ({ severity, message }));
  }

  const age = (dir: string, ecosystem: string, days: number): void => {
    const file = path.join(dir, OSV, `${ecosystem}.zip.fetch.json`);
    writeFileSync(file, JSON.stringify({ ...sidecar(dir, ecosystem), fetchedAt: new Date(Date.now() - days * 24 * 60 * 60 * 1000 - 60_000).toISOString() }));
  };

  test('with the default policy the zips are in use; once their last fetch is older than 7 days PB110 (info) says so, and the next update clears it', async () => {
    const dir = project({ '.playbooks/policy.yaml': 'policy: 1\n' });
    const first = await update(dir);
    assert.equal(first.code, 0);
    assert.doesNotMatch(first.stdout, /does not include/, 'the default .playbooks/advisories loads the folder the first update creates');
    const check = await cli(['check', '--format', 'json'], dir);
    assert.match(check.stdout, /GHSA-35jh-r3h4-6jhm/, 'the downloaded records are what the check uses');
    assert.deepEqual(await pb110(dir), []);
    age(dir, 'npm', 12);
    age(dir, 'PyPI', 12);
    const findings = await pb110(dir);
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.equal(findings[0]!.severity, 'info');
    assert.match(findings[0]!.message, /^advisories are 12 days old: `\.playbooks\/advisories` was last fetched on \d{4}-\d\d-\d\d, and the policy's `advisories-max-age` is 7d; run `playbook advisories --update`/);
    const again = await update(dir);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await pb110(dir), [], 'a fetch that found nothing new (304) still makes the data fresh');
  });

  test('the policy\'s advisories-max-age sets the limit', async () => {
    const dir = project({ '.playbooks/policy.yaml': 'policy: 1\nadvisories-max-age: 30d\n' });
    assert.equal((await update(dir)).code, 0);
    age(dir, 'npm', 12);
    age(dir, 'PyPI', 12);
    assert.deepEqual(await pb110(dir), []);
    age(dir, 'npm', 31);
    age(dir, 'PyPI', 31);
    assert.match((await pb110(dir))[0]?.message ?? '', /^advisories are 31 days old: .*`advisories-max-age` is 30d/);
  });
});
