/**
 * The Node advisory store: folders and zips of OSV records, broken and oversized files, zip
 * bombs, what it remembers between loads, and how its problems land on the policy file (PB110).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { advisoryProblemFindings } from '../../server/src/core/advisories/problemFindings.js';
import type { AdvisoryProblem } from '../../server/src/core/advisories/snapshot.js';
import { parsePolicy } from '../../server/src/core/policy/parsePolicy.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { OSV_DIR } from './helpers/osvIndex.js';
import { npmIds, npmRecord, recordText, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { declaredZip, lieAboutSize, noise, streamedZip, zeroBombZip } from './helpers/zips.js';

// The stores below use an on-disk cache, as they do by default, in a folder of their own.
const CACHE_DIR = tempFolder();
const cachedStore = (limits: ConstructorParameters<typeof AdvisoryStore>[0] = {}): AdvisoryStore => new AdvisoryStore(limits, { cacheDir: CACHE_DIR });
after(removeTempFolders);

const MB = 1024 * 1024;
const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core';
const LOG4SHELL = readFileSync(path.join(OSV_DIR, 'GHSA-jfh8-c2jp-5v3q.json'), 'utf8');
/** Over the limit, found from the zip's directory ("is") or while inflating ("inflates to more than"). */
const OVER_LIMIT = (mb: number) => new RegExp(`^(is|inflates to more than) \\d+\\.\\d MB, over the ${mb} MB limit for one record \\(maxRecordBytes\\); skipped$`);
/** A header that under-states the size inflates no further than it says, and the entry is refused for it. */
const LYING_HEADER = /^inflates to more than the 200 bytes it declares; skipped$/;

/** A valid record for `huge-pkg` padded to over 50 MB with spaces inside `details`: if it were parsed, `huge-pkg` would match. */
function hugeRecord(): Buffer {
  const [head, tail] = recordText(npmRecord('TEST-HUGE', 'huge-pkg', '9.0.0', { details: '@@' })).split('@@');
  return Buffer.concat([Buffer.from(head!), Buffer.alloc(50 * MB, ' '), Buffer.from(tail!)]);
}

const rangeTypes = [{ type: 'WEIRD', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }, { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }];

describe('AdvisoryStore: a folder with broken files next to good ones', () => {
  test('every problem names its file, in words, as a warning; the good records are still indexed', async () => {
    const dir = writeFiles(tempFolder(), {
      'good-1.json': recordText(npmRecord('TEST-GOOD-1', 'left-pad', '1.3.0')),
      'npm/good-2.json': recordText(npmRecord('TEST-GOOD-2', 'right-pad', '2.0.0')),
      'bad.json': '{"id": "TEST-BAD", "affected": [',
      'no-affected.json': JSON.stringify({ id: 'TEST-NO-AFFECTED', modified: '2024-01-01T00:00:00Z' }),
      'odd-range.json': recordText(npmRecord('TEST-ODD', 'odd-pkg', '', { ranges: rangeTypes })),
      'huge.json': hugeRecord(),
      'README.md': 'not a record',
    });
    const snapshot = await cachedStore().load([{ entry: 'osv', path: dir }]);
    const byFile = (name: string): AdvisoryProblem | undefined => snapshot.problems.find((p) => p.file === path.join(dir, name));

    assert.deepEqual(snapshot.problems.map((p) => path.relative(dir, p.file)).sort(), ['bad.json', 'huge.json', 'no-affected.json', 'odd-range.json']);
    for (const problem of snapshot.problems) assert.deepEqual([problem.entry, problem.severity], ['osv', 'warning'], problem.message);
    assert.match(byFile('bad.json')!.message, /^not valid JSON \(.+\); skipped$/);
    assert.equal(byFile('no-affected.json')!.message, 'has no `affected` list, so it cannot match any package; skipped');
    assert.equal(byFile('odd-range.json')!.message, '`affected[0].ranges[0].type` must be SEMVER, ECOSYSTEM or GIT, not `WEIRD`; that range is skipped');
    assert.equal(byFile('huge.json')!.message, 'is 50.0 MB, over the 5 MB limit for one record (maxRecordBytes); skipped');

    assert.deepEqual(snapshot.sources, [{ entry: 'osv', path: dir, kind: 'folder', records: 3, newestModified: '2024-01-01T00:00:00Z' }]);
    assert.deepEqual(npmIds(snapshot, 'left-pad', '1.2.9'), ['TEST-GOOD-1']);
    assert.deepEqual(npmIds(snapshot, 'right-pad', '1.0.0'), ['TEST-GOOD-2']);
    assert.deepEqual(npmIds(snapshot, 'odd-pkg', '0.5.0'), ['TEST-ODD'], 'the record with an unknown range type is kept');
    assert.deepEqual(npmIds(snapshot, 'odd-pkg', '1.5.0'), [], 'only by its good range');
    assert.deepEqual(npmIds(snapshot, 'huge-pkg', '1.0.0'), [], 'the 50 MB file is skipped by its size, never parsed');
  });

  test('a missing source, and one that is neither a folder, a zip nor a .json file, are sources of kind `missing`', async () => {
    const dir = writeFiles(tempFolder(), { 'notes.txt': 'hello' });
    const snapshot = await cachedStore().load([
      { entry: 'gone', path: path.join(dir, 'gone') },
      { entry: 'notes.txt', path: path.join(dir, 'notes.txt') },
    ]);
    assert.deepEqual(snapshot.sources, [
      { entry: 'gone', path: path.join(dir, 'gone'), kind: 'missing', records: 0, problem: 'no such file or directory' },
      { entry: 'notes.txt', path: path.join(dir, 'notes.txt'), kind: 'missing', records: 0, problem: 'is neither a folder, a .zip nor a .json file' },
    ]);
    assert.deepEqual(snapshot.problems, []);
    assert.equal(snapshot.index.counts().records, 0);
  });
});

describe('AdvisoryStore: zips', () => {
  test("a zip in OSV's all.zip layout (one <ID>.json per record at the root) loads like the folder", async () => {
    const names = readdirSync(OSV_DIR).filter((f) => f.endsWith('.json'));
    const zipPath = path.join(writeFiles(tempFolder(), { 'all.zip': declaredZip(Object.fromEntries(names.map((n) => [n, readFileSync(path.join(OSV_DIR, n))]))) }), 'all.zip');
    const [fromFolder, fromZip] = await Promise.all([cachedStore().load([{ entry: 'osv', path: OSV_DIR }]), cachedStore().load([{ entry: 'all', path: zipPath }])]);
    assert.deepEqual(fromZip.problems, []);
    assert.deepEqual(fromZip.sources, [{ ...fromFolder.sources[0]!, entry: 'all', path: zipPath, kind: 'zip', records: names.length }]);
    assert.deepEqual(fromZip.index.counts(), fromFolder.index.counts());
    const matches = fromZip.index.lookup(LOG4J, '2.14.1');
    assert.deepEqual(matches.map((m) => m.id), fromFolder.index.lookup(LOG4J, '2.14.1').map((m) => m.id));
    assert.deepEqual(matches.map((m) => m.source), [`${zipPath}!GHSA-7rjr-3q55-vv33.json`, `${zipPath}!GHSA-jfh8-c2jp-5v3q.json`]);
  });

  test('an entry declaring 1 GB (zeros, ~5 MB compressed) is skipped by its declared size; the good entry after it loads', async () => {
    const zip = await zeroBombZip({ bombName: 'BOMB.json', bytes: 1024 * MB, after: { 'GHSA-jfh8-c2jp-5v3q.json': LOG4SHELL }, declareSizes: true });
    assert.ok(zip.byteLength < 6 * MB, `the bomb is small on disk: ${zip.byteLength} bytes`);
    const zipPath = path.join(writeFiles(tempFolder(), { 'osv.zip': zip }), 'osv.zip');
    const snapshot = await cachedStore().load([{ entry: 'osv.zip', path: zipPath }]);
    assert.deepEqual(snapshot.problems, [{ entry: 'osv.zip', file: `${zipPath}!BOMB.json`, message: 'is 1024.0 MB, over the 5 MB limit for one record (maxRecordBytes); skipped', severity: 'warning' }]);
    assert.deepEqual(snapshot.sources, [{ entry: 'osv.zip', path: zipPath, kind: 'zip', records: 1, newestModified: (JSON.parse(LOG4SHELL) as { modified: string }).modified }]);
    assert.deepEqual(snapshot.index.lookup(LOG4J, '2.14.1').map((m) => m.id), ['GHSA-jfh8-c2jp-5v3q']);
  });

  test('an entry without declared size (data descriptor) that inflates past the limit is caught while inflating', async () => {
    const zip = await zeroBombZip({ bombName: 'BOMB.json', bytes: 16 * MB, before: { 'GOOD.json': LOG4SHELL }, declareSizes: false });
    const zipPath = path.join(writeFiles(tempFolder(), { 'osv.zip': zip }), 'osv.zip');
    const snapshot = await cachedStore({ maxRecordBytes: MB, maxZipEntries: 100 }).load([{ entry: 'osv.zip', path: zipPath }]);
    assert.deepEqual(snapshot.problems.map((p) => [p.file, p.severity]), [[`${zipPath}!BOMB.json`, 'warning']]);
    assert.match(snapshot.problems[0]!.message, OVER_LIMIT(1));
    assert.deepEqual(snapshot.index.lookup(LOG4J, '2.14.1').map((m) => m.id), ['GHSA-jfh8-c2jp-5v3q']);
  });

  test('a header that lies (declares 200 bytes, inflates to 8 MB) is caught while inflating', async () => {
    const zip = lieAboutSize(declaredZip({ 'BOMB.json': new Uint8Array(8 * MB), 'GOOD.json': LOG4SHELL }), 'BOMB.json', 200);
    const zipPath = path.join(writeFiles(tempFolder(), { 'osv.zip': zip }), 'osv.zip');
    const snapshot = await cachedStore().load([{ entry: 'osv.zip', path: zipPath }]);
    assert.deepEqual(snapshot.problems.map((p) => [p.file, p.severity]), [[`${zipPath}!BOMB.json`, 'warning']]);
    assert.match(snapshot.problems[0]!.message, LYING_HEADER);
    assert.deepEqual(snapshot.index.lookup(LOG4J, '2.14.1').map((m) => m.id), ['GHSA-jfh8-c2jp-5v3q']);
  });

  test('an oversized entry whose compressed data spans several reads is reported once', async () => {
    const zipPath = path.join(writeFiles(tempFolder(), { 'osv.zip': streamedZip({ 'NOISE.json': noise(3 * MB), 'GOOD.json': LOG4SHELL }) }), 'osv.zip');
    const snapshot = await cachedStore({ maxRecordBytes: MB, maxZipEntries: 100 }).load([{ entry: 'osv.zip', path: zipPath }]);
    assert.deepEqual(snapshot.problems.map((p) => p.file), [`${zipPath}!NOISE.json`]);
    assert.deepEqual(snapshot.index.lookup(LOG4J, '2.14.1').map((m) => m.id), ['GHSA-jfh8-c2jp-5v3q']);
  });

  test('a streamed entry of 1 GB of zeros (no size in its local header) is reported once and skipped, within the limit of memory', async () => {
    const zip = await zeroBombZip({ bombName: 'BOMB.json', bytes: 1024 * MB, after: { 'GOOD.json': LOG4SHELL }, declareSizes: false });
    const zipPath = path.join(writeFiles(tempFolder(), { 'osv.zip': zip }), 'osv.zip');
    const snapshot = await cachedStore().load([{ entry: 'osv.zip', path: zipPath }]);
    assert.deepEqual(snapshot.problems.map((p) => p.file), [`${zipPath}!BOMB.json`]);
    assert.match(snapshot.problems[0]!.message, OVER_LIMIT(5));
    assert.deepEqual(snapshot.index.lookup(LOG4J, '2.14.1').map((m) => m.id), ['GHSA-jfh8-c2jp-5v3q']);
    assert.ok(process.memoryUsage().rss < 1024 * MB, `resident memory stays far below the 1 GB entry: ${Math.round(process.memoryUsage().rss / MB)} MB`);
  });

  test('an entry in an unknown compression method, or whose data does not inflate, makes the zip unreadable (as fflate reads it)', async () => {
    const good = recordText(npmRecord('TEST-GOOD', 'left-pad', '1.3.0'));
    const unknownMethod = declaredZip({ 'A.json': good, 'B.json': good }, 0);
    const second = entryOffsets(unknownMethod)[1]!;
    unknownMethod[second.central + 10] = 12; // the method, in the central directory and the local header
    unknownMethod[second.local + 8] = 12;
    const badBlock = declaredZip({ 'A.json': good, 'B.json': good }, 6);
    badBlock[entryOffsets(badBlock)[0]!.data] = 0x07; // a final block of the reserved type 3
    const dir = writeFiles(tempFolder(), { 'method.zip': unknownMethod, 'block.zip': badBlock });
    for (const [name, why] of [['method.zip', 'unknown compression type 12'], ['block.zip', 'invalid block type']] as const) {
      const snapshot = await cachedStore().load([{ entry: name, path: path.join(dir, name) }]);
      assert.deepEqual(snapshot.problems, [{ entry: name, file: path.join(dir, name), message: `it cannot be read as a zip (${why})`, severity: 'warning' }]);
      assert.deepEqual(snapshot.sources[0]?.records, 0);
    }
  });
});

/** Where each entry's central record, local header and data start. */
function entryOffsets(zip: Uint8Array): { central: number; local: number; data: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.byteLength - 22;
  const out: { central: number; local: number; data: number }[] = [];
  let central = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const local = view.getUint32(central + 42, true);
    out.push({ central, local, data: local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true) });
    central += 46 + view.getUint16(central + 28, true) + view.getUint16(central + 30, true) + view.getUint16(central + 32, true);
  }
  return out;
}

describe('AdvisoryStore: parsing on worker threads', () => {
  test('a folder with broken files and a zip give the same snapshot on two workers as in this thread', async () => {
    const files: Record<string, string | Uint8Array> = { 'bad.json': '{ nope', 'odd-range.json': recordText(npmRecord('TEST-ODD', 'odd-pkg', '', { ranges: rangeTypes })) };
    for (let i = 0; i < 450; i++) files[`npm/rec-${i}.json`] = recordText(npmRecord(`TEST-${i}`, `pad-${i % 40}`, `${1 + (i % 7)}.0.0`));
    const root = writeFiles(tempFolder(), { 'all.zip': declaredZip(Object.fromEntries(Object.entries(files).map(([name, text]) => [path.basename(name), text]))) });
    const dir = writeFiles(path.join(root, 'osv'), files);
    const refs = [{ entry: 'osv', path: dir }, { entry: 'all.zip', path: path.join(root, 'all.zip') }];
    const here = new AdvisoryStore({}, { cacheDir: null, workers: 0 });
    const there = new AdvisoryStore({}, { cacheDir: null, workers: 2 });
    const [a, b] = [await here.load(refs), await there.load(refs)];
    assert.deepEqual([here.lastLoad?.workers, there.lastLoad?.workers], [0, 2]);
    assert.deepEqual(b.sources, a.sources);
    assert.deepEqual(b.problems, a.problems);
    assert.deepEqual(b.problems.filter((p) => p.file.endsWith('bad.json')).map((p) => p.file), [path.join(dir, 'bad.json'), `${path.join(root, 'all.zip')}!bad.json`]);
    for (let i = 0; i < 40; i++) assert.deepEqual(b.index.lookup(`pkg:npm/pad-${i}`, '0.5.0'), a.index.lookup(`pkg:npm/pad-${i}`, '0.5.0'));
    assert.equal(npmIds(b, 'pad-3', '0.5.0').length, 12, 'pad-3 has 12 records (450 / 40, rounded up): each once, though read twice');
  });
});

describe('AdvisoryStore: what it remembers between loads', () => {
  const STAMP = 1_700_000_000; // seconds: a whole number survives the round trip through mtimeMs
  const pad = (name: string): string => recordText(npmRecord('TEST-CACHE', name, '1.3.0'));

  test('a load with nothing changed parses nothing; an edit is seen even with the same size and mtime, and the folder read again', async () => {
    const dir = writeFiles(tempFolder(), { 'cache.json': pad('left-pad'), 'other.json': recordText(npmRecord('TEST-OTHER', 'right-pad', '1.0.0')) });
    const file = path.join(dir, 'cache.json');
    utimesSync(file, STAMP, STAMP);
    const store = new AdvisoryStore({}, { cacheDir: null });
    const first = await store.load([{ entry: 'osv', path: dir }]);
    assert.deepEqual(npmIds(first, 'left-pad', '1.0.0'), ['TEST-CACHE']);
    assert.deepEqual([store.lastLoad?.from, store.lastLoad?.parsed], ['parsed', 2]);

    assert.equal(await store.load([{ entry: 'osv', path: dir }]), first, 'nothing changed: the same snapshot');
    assert.equal(store.lastLoad?.from, 'memory');

    writeFileSync(file, pad('left-pod')); // same length, another package
    utimesSync(file, STAMP, STAMP); // and the same modification time: the change time still moves
    const edited = await store.load([{ entry: 'osv', path: dir }]);
    assert.deepEqual([npmIds(edited, 'left-pad', '1.0.0'), npmIds(edited, 'left-pod', '1.0.0')], [[], ['TEST-CACHE']], 'the new content is used');
    assert.deepEqual([store.lastLoad?.from, store.lastLoad?.parsed], ['parsed', 2], 'a changed folder is parsed whole');
  });

  test('a zip is remembered the same way', async () => {
    const dir = tempFolder();
    const zipPath = path.join(dir, 'osv.zip');
    const write = (name: string): void => {
      writeFileSync(zipPath, declaredZip({ 'TEST-CACHE.json': pad(name) }, 0));
      utimesSync(zipPath, STAMP, STAMP);
    };
    write('left-pad');
    const store = new AdvisoryStore({}, { cacheDir: null });
    assert.deepEqual(npmIds(await store.load([{ entry: 'z', path: zipPath }]), 'left-pad', '1.0.0'), ['TEST-CACHE']);
    assert.deepEqual(npmIds(await store.load([{ entry: 'z', path: zipPath }]), 'left-pad', '1.0.0'), ['TEST-CACHE']);
    assert.equal(store.lastLoad?.from, 'memory');
    write('left-pod'); // stored, not deflated: the same size, and the same modification time
    assert.deepEqual(npmIds(await store.load([{ entry: 'z', path: zipPath }]), 'left-pod', '1.0.0'), ['TEST-CACHE']);
    assert.deepEqual([store.lastLoad?.from, store.lastLoad?.parsed], ['parsed', 1]);
  });

  test('other limits are another load: a record skipped under a small maxRecordBytes is read under the default', async () => {
    const dir = writeFiles(tempFolder(), { 'big.json': recordText(npmRecord('TEST-BIG', 'big-pkg', '2.0.0', { details: 'x'.repeat(3000) })) });
    const store = new AdvisoryStore({}, { cacheDir: null });
    const small = await store.load([{ entry: 'osv', path: dir }], { maxRecordBytes: 1024 });
    assert.deepEqual([npmIds(small, 'big-pkg', '1.0.0'), small.problems.map((p) => p.message)], [[], ['is 0.0 MB, over the 0 MB limit for one record (maxRecordBytes); skipped']]);
    const full = await store.load([{ entry: 'osv', path: dir }]);
    assert.deepEqual([npmIds(full, 'big-pkg', '1.0.0'), full.problems], [['TEST-BIG'], []]);
  });

  test('a deleted file disappears on the next load', async () => {
    const dir = writeFiles(tempFolder(), { 'a.json': recordText(npmRecord('TEST-A', 'left-pad', '1.3.0')), 'b.json': recordText(npmRecord('TEST-B', 'right-pad', '1.3.0')) });
    const store = cachedStore();
    assert.equal((await store.load([{ entry: 'osv', path: dir }])).index.counts().records, 2);
    rmSync(path.join(dir, 'a.json'));
    const after = await store.load([{ entry: 'osv', path: dir }]);
    assert.deepEqual([npmIds(after, 'left-pad', '1.0.0'), npmIds(after, 'right-pad', '1.0.0')], [[], ['TEST-B']]);
    assert.deepEqual(after.sources[0]?.records, 1);
  });
});

describe('advisoryProblemFindings: PB110 on the policy file', () => {
  const POLICY = `policy: 1
advisories:
  - .playbooks/advisories
  - vendor/osv.zip
  - .playbooks/gone
`;

  async function loadProblems(): Promise<{ root: string; snapshot: Awaited<ReturnType<AdvisoryStore['load']>> }> {
    const root = writeFiles(tempFolder(), {
      '.playbooks/advisories/good.json': recordText(npmRecord('TEST-GOOD', 'left-pad', '1.3.0')),
      '.playbooks/advisories/bad.json': '{ nope',
      '.playbooks/advisories/odd-range.json': recordText(npmRecord('TEST-ODD', 'odd-pkg', '', { ranges: rangeTypes })),
      'vendor/osv.zip': declaredZip({ 'GOOD-2.json': recordText(npmRecord('TEST-GOOD-2', 'right-pad', '1.0.0')), 'broken.json': JSON.stringify({ id: 'X', modified: '2024-01-01T00:00:00Z' }) }),
    });
    const entries = ['.playbooks/advisories', 'vendor/osv.zip', '.playbooks/gone'];
    return { root, snapshot: await cachedStore().load(entries.map((entry) => ({ entry, path: path.join(root, entry) }))) };
  }

  test('each problem lands on the `advisories` item of its source, with the file named relative to the workspace', async () => {
    const { root, snapshot } = await loadProblems();
    const parsed = parsePolicy(POLICY);
    assert.deepEqual(parsed.findings, []);
    const findings = advisoryProblemFindings(snapshot, POLICY, parsed.policy, (file) => path.relative(root, file));
    const shown = findings.map((f) => [f.ruleId, f.severity, POLICY.slice(f.range.start, f.range.end), f.message]);
    assert.deepEqual(shown.map(([rule, severity, flagged]) => [rule, severity, flagged]), [
      ['PB110', 'info', '.playbooks/gone'],
      ['PB110', 'warning', '.playbooks/advisories'],
      ['PB110', 'warning', '.playbooks/advisories'],
      ['PB110', 'warning', 'vendor/osv.zip'],
    ]);
    assert.equal(shown[0]![3], 'advisory source `.playbooks/gone` does not exist, so its advisories are not checked');
    assert.match(shown[1]![3]!, /^\.playbooks\/advisories\/bad\.json: not valid JSON \(.+\); skipped$/);
    assert.equal(shown[2]![3], '.playbooks/advisories/odd-range.json: `affected[0].ranges[0].type` must be SEMVER, ECOSYSTEM or GIT, not `WEIRD`; that range is skipped');
    assert.equal(shown[3]![3], 'vendor/osv.zip!broken.json: has no `affected` list, so it cannot match any package; skipped');
    assert.deepEqual(findings[1]!.data, { file: path.join(root, '.playbooks/advisories/bad.json') });
  });

  test('`rules: PB110: off` drops them all; `PB110: error` raises them all', async () => {
    const { snapshot } = await loadProblems();
    const check = (rules: string) => {
      const text = `${POLICY}rules:\n  PB110: ${rules}\n`;
      return advisoryProblemFindings(snapshot, text, parsePolicy(text).policy, (file) => file).map((f) => f.severity);
    };
    assert.deepEqual(check('off'), []);
    assert.deepEqual(check('error'), ['error', 'error', 'error', 'error']);
  });
});
