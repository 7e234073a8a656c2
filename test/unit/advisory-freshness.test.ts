/**
 * What a load tells of how fresh its advisories are, and the zips `advisories --update` writes:
 * a folder source loads the zips inside it (`.playbooks/advisories/osv/<Ecosystem>.zip`) and
 * takes neither their fetch records nor published indexes for records; each source says when it
 * was last fetched (the newest fetch record of its zips, read at every load, so a 304 that only
 * refreshes it is seen without a parse) and the newest `modified` among its records (kept in the
 * cache and the published index alike).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeFetchRecord } from '../../server/src/node/advisoryFetchRecord.js';
import { buildPublishedIndex } from '../../server/src/node/advisoryIndexBuild.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { npmIds, npmRecord, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { declaredZip } from './helpers/zips.js';

process.env['PLAYBOOK_CACHE_DIR'] ||= tempFolder();
after(removeTempFolders);

const dated = (id: string, name: string, modified: string, extra: object = {}): string => JSON.stringify({ ...npmRecord(id, name, '2.0.0'), modified, ...extra });
const fetched = (zip: string, fetchedAt: string): void => writeFetchRecord(zip, { url: `https://mirror.example/${path.basename(zip)}`, fetchedAt, bytes: 1 });

/** `.playbooks/advisories` as `--update` leaves it beside a hand-made record: two ecosystems' zips, their fetch records, and an index beside one. */
function updatedFolder(): string {
  const dir = writeFiles(tempFolder(), {
    'in-house.json': dated('TEST-HAND', 'hand-pad', '2023-05-01T00:00:00Z'),
    'osv/npm.zip': declaredZip({ 'A.json': dated('TEST-A', 'a-pad', '2024-03-01T00:00:00Z'), 'W.json': dated('TEST-W', 'w-pad', '2025-01-01T00:00:00Z', { withdrawn: '2025-01-01T00:00:00Z' }) }),
    'osv/PyPI.zip': declaredZip({ 'B.json': dated('TEST-B', 'b-pad', '2024-02-01T00:00:00Z') }),
    'osv/npm.zip.playbook-index': '{ not an index, and not a record either',
  });
  fetched(path.join(dir, 'osv/npm.zip'), '2025-06-01T10:00:00Z');
  fetched(path.join(dir, 'osv/PyPI.zip'), '2025-06-03T10:00:00Z');
  return dir;
}

describe('a folder holding the zips `advisories --update` writes', () => {
  test('loads every zip inside it with the hand-made records; fetch records and indexes are no records', async () => {
    const dir = updatedFolder();
    const snapshot = await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: '.playbooks/advisories', path: dir }]);
    assert.deepEqual(snapshot.problems, []);
    assert.deepEqual([npmIds(snapshot, 'hand-pad', '1.0.0'), npmIds(snapshot, 'a-pad', '1.0.0'), npmIds(snapshot, 'b-pad', '1.0.0'), npmIds(snapshot, 'w-pad', '1.0.0')], [['TEST-HAND'], ['TEST-A'], ['TEST-B'], []]);
    assert.equal(snapshot.index.lookup('pkg:npm/a-pad', '1.0.0')[0]?.source, `${path.join(dir, 'osv/npm.zip')}!A.json`);
    // The newest fetch of its zips; the newest `modified` of its records, the withdrawn one's included.
    assert.deepEqual(snapshot.sources, [{ entry: '.playbooks/advisories', path: dir, kind: 'folder', records: 4, fetchedAt: '2025-06-03T10:00:00Z', newestModified: '2025-01-01T00:00:00Z' }]);
  });

  test('a zip that cannot be read is reported on its folder\'s entry; the rest still loads', async () => {
    const dir = updatedFolder();
    writeFileSync(path.join(dir, 'osv/PyPI.zip'), 'not a zip at all');
    const snapshot = await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: 'advisories', path: dir }]);
    assert.deepEqual(snapshot.problems.map((p) => [p.entry, path.relative(dir, p.file), p.message.replace(/\(.*\)/, '(…)')]), [['advisories', 'osv/PyPI.zip', 'it cannot be read as a zip (…)']]);
    assert.deepEqual(npmIds(snapshot, 'a-pad', '1.0.0'), ['TEST-A']);
  });
});

describe('when a source was last fetched', () => {
  test('a zip source gives its own fetch record; one that does not check out, or none, gives no time', async () => {
    const dir = updatedFolder();
    const store = new AdvisoryStore({}, { cacheDir: null });
    const zip = (name: string) => ({ entry: name, path: path.join(dir, 'osv', name) });
    writeFileSync(path.join(dir, 'osv/PyPI.zip.fetch.json'), '{ "url": 1 }');
    const snapshot = await store.load([zip('npm.zip'), zip('PyPI.zip'), { entry: 'in-house.json', path: path.join(dir, 'in-house.json') }]);
    assert.deepEqual(snapshot.sources.map((s) => [s.entry, s.fetchedAt, s.newestModified]), [
      ['npm.zip', '2025-06-01T10:00:00Z', '2025-01-01T00:00:00Z'],
      ['PyPI.zip', undefined, '2024-02-01T00:00:00Z'],
      ['in-house.json', undefined, '2023-05-01T00:00:00Z'],
    ]);
  });

  test('a fetch record refreshed alone (a 304) is seen at the next load, with nothing parsed: in this process and from the cache', async () => {
    const dir = updatedFolder();
    const refs = [{ entry: 'advisories', path: dir }];
    const cacheDir = tempFolder();
    const store = new AdvisoryStore({}, { cacheDir });
    const first = await store.load(refs);
    assert.equal(first.sources[0]?.fetchedAt, '2025-06-03T10:00:00Z');
    assert.equal(await store.load(refs), first, 'nothing changed: the same snapshot');
    fetched(path.join(dir, 'osv/npm.zip'), '2025-06-09T10:00:00Z');
    const refreshed = await store.load(refs);
    assert.deepEqual([store.lastLoad?.from, refreshed.sources[0]?.fetchedAt, refreshed.index], ['memory', '2025-06-09T10:00:00Z', first.index]);
    const another = new AdvisoryStore({}, { cacheDir });
    assert.deepEqual([(await another.load(refs)).sources, another.lastLoad?.from], [refreshed.sources, 'cache']);
  });
});

describe('the newest `modified` of a source', () => {
  test('is kept in the cache and in a published index', async () => {
    const root = writeFiles(tempFolder(), { 'all.zip': declaredZip({ 'A.json': dated('TEST-A', 'a-pad', '2024-03-01T00:00:00Z'), 'B.json': dated('TEST-B', 'b-pad', '2021-01-01T00:00:00Z') }) });
    const ref = { entry: 'all.zip', path: path.join(root, 'all.zip') };
    assert.ok('file' in (await buildPublishedIndex(ref)));
    const cacheDir = tempFolder();
    for (const expected of ['index', 'index']) {
      const store = new AdvisoryStore({}, { cacheDir });
      assert.deepEqual([(await store.load([ref])).sources[0]?.newestModified, store.lastLoad?.from], ['2024-03-01T00:00:00Z', expected]);
    }
    const withFolder = [ref, { entry: 'osv', path: writeFiles(path.join(root, 'osv'), { 'C.json': dated('TEST-C', 'c-pad', '2020-01-01T00:00:00Z') }) }];
    for (const expected of ['parsed', 'cache']) {
      const store = new AdvisoryStore({}, { cacheDir });
      const snapshot = await store.load(withFolder);
      assert.deepEqual([snapshot.sources.map((s) => s.newestModified), store.lastLoad?.from], [['2024-03-01T00:00:00Z', '2020-01-01T00:00:00Z'], expected]);
    }
    assert.equal(readdirSync(cacheDir).length, 1);
  });
});
