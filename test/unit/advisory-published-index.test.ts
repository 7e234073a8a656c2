/**
 * The published index of an advisory zip (`<zip>.playbook-index`) changes no answer: a zip moved
 * with its index elsewhere loads from the index alone, with every path, problem and note naming
 * where the zip is now; beside a folder, the zip's records come from the index and the table is
 * assembled over both; an index older than its zip (any entry added, changed or moved), or one
 * that is damaged, from another zip, other code or other limits, is not used: the zip is parsed.
 * Each load is compared whole with a cold load of the same zip without its index.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildPublishedIndex } from '../../server/src/node/advisoryIndexBuild.js';
import { AdvisoryStore, type AdvisoryLimits, type LoadStats, type SourceRef } from '../../server/src/node/advisoryStore.js';
import { snapshotAnswers } from './helpers/advisoryProbes.js';
import { npmIds, npmRecord, recordText, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { assertSourcesHere, coldLoad, copyZipAndIndex, editIndexHeader, FIXTURES, FOLDER_RECORD, loadWithStore, PROBLEM_LIMITS, probesOf, publishedIndexPath, writeIndexedZip, zipWithProblems } from './helpers/publishedIndex.js';
import { declaredZip, type ZipContent } from './helpers/zips.js';

// Nothing here may reach the user's own cache, whatever a store is given.
process.env['PLAYBOOK_CACHE_DIR'] ||= tempFolder();
after(removeTempFolders);

const stats = (s: LoadStats | undefined) => s && { from: s.from, parsed: s.parsed, reusedFromIndex: s.reusedFromIndex };
const zipRef = (zip: string): SourceRef => ({ entry: 'all.zip', path: zip });

const CASES: [string, ZipContent, Partial<AdvisoryLimits>][] = [
  ['the real fixtures', FIXTURES, {}],
  ['the fixtures with a broken, an oversized, an unorderable, an empty record and a duplicate id', zipWithProblems(), PROBLEM_LIMITS],
];

describe('a zip moved with its index', () => {
  for (const [name, files, limits] of CASES) {
    test(`${name}: loads from the index alone, answering as a cold load of the zip where it is now`, async () => {
      const writerDir = tempFolder();
      const zip = copyZipAndIndex(await writeIndexedZip(writerDir, files, limits), tempFolder());
      const probes = probesOf(files);
      const { snapshot, store } = await loadWithStore([zipRef(zip)], limits);
      const entries = Object.keys(files).length - (limits === PROBLEM_LIMITS ? 1 : 0);
      assert.deepEqual(stats(store.lastLoad), { from: 'index', parsed: 0, reusedFromIndex: entries });
      const cold = await coldLoad([zipRef(zip)], limits);
      assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(cold, probes));
      assert.deepEqual(snapshot.sources.map(({ newestModified: _, ...s }) => s), [{ entry: 'all.zip', path: zip, kind: 'zip', records: entries - (limits === PROBLEM_LIMITS ? 2 : 0) }]);
      assert.ok(!JSON.stringify(snapshotAnswers(snapshot, probes)).includes(writerDir), 'nothing names the folder the index was written in');
      assertSourcesHere(snapshot, probes, zip, files);
    });
  }

  test('every problem and note of the zip with problems names the zip where it is now, and the policy entry that names it here', async () => {
    const writerDir = tempFolder();
    const files = zipWithProblems();
    const zip = copyZipAndIndex(await writeIndexedZip(writerDir, files, PROBLEM_LIMITS), tempFolder());
    const refs = [{ entry: 'mirror/all.zip', path: zip }];
    const { snapshot, store } = await loadWithStore(refs, PROBLEM_LIMITS);
    assert.equal(store.lastLoad?.from, 'index');
    const probes = probesOf(files);
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad(refs, PROBLEM_LIMITS), probes));
    const shown = snapshot.problems.map((p) => [p.entry, p.file.replace(zip, '<zip>'), p.severity, p.message.includes(`${zip}!`), p.message.includes(writerDir)]);
    assert.deepEqual(shown.sort(), [
      ['', '', 'info', true, false],
      ['', '', 'warning', true, false],
      ['mirror/all.zip', '<zip>!broken.json', 'warning', false, false],
      ['mirror/all.zip', '<zip>!no-affected.json', 'warning', false, false],
      ['mirror/all.zip', '<zip>!oversized.json', 'warning', false, false],
    ]);
    assert.ok(snapshot.problems.some((p) => p.severity === 'info' && p.message.includes(`using ${zip}!zz-newer-copy.json`)), 'the note names the copy it uses');
    assert.deepEqual(snapshot.sources.map((s) => s.entry), ['mirror/all.zip']);
    assert.equal(snapshot.index.counts().duplicates, 1);
  });
});

describe('an index beside other sources, and an index older than its zip', () => {
  test('an entry changed and one added: the zip is parsed whole, the new ranges used', async () => {
    const zip = copyZipAndIndex(await writeIndexedZip(tempFolder(), FIXTURES), tempFolder());
    const lodash = 'GHSA-35jh-r3h4-6jhm.json';
    const changed = { ...FIXTURES, [lodash]: FIXTURES[lodash]!.replaceAll('"fixed": "4.17.21"', '"fixed": "4.17.22"'), 'TEST-NEW.json': recordText(npmRecord('TEST-NEW', 'new-pad', '1.0.0')) };
    assert.notEqual(changed[lodash], FIXTURES[lodash]);
    writeFileSync(zip, declaredZip(changed));
    const { snapshot, store } = await loadWithStore([zipRef(zip)]);
    assert.deepEqual(stats(store.lastLoad), { from: 'parsed', parsed: Object.keys(changed).length, reusedFromIndex: 0 });
    const probes = probesOf(changed);
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad([zipRef(zip)]), probes));
    assert.ok(npmIds(snapshot, 'lodash', '4.17.21').includes('GHSA-35jh-r3h4-6jhm'), 'the changed entry is read, not the indexed one');
    assert.deepEqual(npmIds(snapshot, 'new-pad', '0.5.0'), ['TEST-NEW']);
    assertSourcesHere(snapshot, probes, zip, changed);
  });

  test('the zip beside a folder: its records are taken from the index, the folder parsed, the table assembled over both', async () => {
    const writerDir = tempFolder();
    const files = zipWithProblems();
    const zip = copyZipAndIndex(await writeIndexedZip(writerDir, files, PROBLEM_LIMITS), tempFolder());
    const folder = writeFiles(tempFolder(), FOLDER_RECORD);
    const refs = [zipRef(zip), { entry: 'osv', path: folder }];
    const { snapshot, store } = await loadWithStore(refs, PROBLEM_LIMITS);
    assert.deepEqual(stats(store.lastLoad), { from: 'parsed', parsed: 1, reusedFromIndex: Object.keys(files).length - 1 });
    const probes = probesOf(files);
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad(refs, PROBLEM_LIMITS), probes));
    assert.ok(!JSON.stringify(snapshotAnswers(snapshot, probes)).includes(writerDir), 'nothing names the folder the index was written in');
    assert.deepEqual(npmIds(snapshot, 'folder-pad', '0.5.0'), ['TEST-FOLDER']);
    assertSourcesHere(snapshot, probes, zip, files, folder);
  });

  test('a folder holding the zip and its index: the index serves the zip, under the folder\'s entry', async () => {
    const root = tempFolder();
    const zip = copyZipAndIndex(await writeIndexedZip(tempFolder(), FIXTURES), writeFiles(path.join(root, 'advisories'), FOLDER_RECORD));
    const refs = [{ entry: 'advisories', path: path.dirname(zip) }];
    const { snapshot, store } = await loadWithStore(refs);
    assert.deepEqual(stats(store.lastLoad), { from: 'parsed', parsed: 1, reusedFromIndex: Object.keys(FIXTURES).length });
    const probes = probesOf(FIXTURES);
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad(refs), probes));
    assertSourcesHere(snapshot, probes, zip, FIXTURES, path.dirname(zip));
  });

  test('the same entries in another order: the zip is parsed, with the same answers', async () => {
    const zip = copyZipAndIndex(await writeIndexedZip(tempFolder(), FIXTURES), tempFolder());
    writeFileSync(zip, declaredZip(Object.fromEntries(Object.entries(FIXTURES).reverse())));
    const { snapshot, store } = await loadWithStore([zipRef(zip)]);
    assert.deepEqual(stats(store.lastLoad), { from: 'parsed', parsed: Object.keys(FIXTURES).length, reusedFromIndex: 0 });
    const probes = probesOf(FIXTURES);
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad([zipRef(zip)]), probes));
    assertSourcesHere(snapshot, probes, zip, FIXTURES);
  });
});

/** Ways to make an index beside `zip` one no load may use. */
const SPOILED: { name: string; spoil: (zip: string) => Promise<void> | void; limits?: Partial<AdvisoryLimits> }[] = [
  { name: 'cut short by one byte', spoil: (zip) => writeFileSync(publishedIndexPath(zip), readFileSync(publishedIndexPath(zip)).subarray(0, -1)) },
  {
    name: 'one byte of the record bodies flipped',
    spoil: (zip) => {
      const bytes = readFileSync(publishedIndexPath(zip));
      const header = JSON.parse(bytes.toString('utf8', 0, bytes.indexOf(10))) as { sizes: number[] };
      assert.ok(header.sizes[2]! > 100, 'the bodies are the last section');
      bytes[bytes.length - 50]! ^= 0x01;
      writeFileSync(publishedIndexPath(zip), bytes);
    },
  },
  { name: 'read under another maxRecordBytes than it was written under', spoil: () => {}, limits: { maxRecordBytes: 1024 * 1024 } },
  { name: 'written by other code or another version of playbook (another key)', spoil: (zip) => editIndexHeader(zip, (h) => void (h['key'] = String(h['key']).replace(/^./, (c) => (c === '0' ? '1' : '0')))) },
  { name: 'not a snapshot file (another magic)', spoil: (zip) => editIndexHeader(zip, (h) => void (h['magic'] = 'incident-playbook something else')) },
  {
    name: 'of another zip whose entries have the same names',
    spoil: async (zip) => {
      const other = Object.fromEntries(Object.keys(FIXTURES).map((name, i) => [name, recordText(npmRecord(name.replace('.json', ''), `other-${i}`, '1.0.0'))]));
      writeFileSync(publishedIndexPath(zip), readFileSync(publishedIndexPath(await writeIndexedZip(tempFolder(), other))));
    },
  },
];

describe('an index no load may use', () => {
  test('the header read back and written unchanged is still used (so each edit below is what spoils it)', async () => {
    const zip = await writeIndexedZip(tempFolder(), FIXTURES);
    editIndexHeader(zip, () => {});
    const { store } = await loadWithStore([zipRef(zip)]);
    assert.equal(store.lastLoad?.from, 'index');
  });

  for (const { name, spoil, limits = {} } of SPOILED) {
    test(`${name}: ignored, the zip parsed whole`, async () => {
      const zip = await writeIndexedZip(tempFolder(), FIXTURES);
      await spoil(zip);
      const { snapshot, store } = await loadWithStore([zipRef(zip)], limits);
      assert.deepEqual(stats(store.lastLoad), { from: 'parsed', parsed: Object.keys(FIXTURES).length, reusedFromIndex: 0 });
      const probes = probesOf(FIXTURES);
      assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad([zipRef(zip)], limits), probes));
      assert.deepEqual(npmIds(snapshot, 'lodash', '4.17.20'), ['GHSA-35jh-r3h4-6jhm']);
    });
  }
});

describe('the per-user cache and the published index', () => {
  test('a lone zip served by its index writes no cache file (the index serves every load); beside a folder, the load is cached', async () => {
    const zip = copyZipAndIndex(await writeIndexedZip(tempFolder(), FIXTURES), tempFolder());
    const refs = [zipRef(zip), { entry: 'osv', path: writeFiles(tempFolder(), FOLDER_RECORD) }];
    const cacheDir = tempFolder();
    const alone = new AdvisoryStore({}, { cacheDir, workers: 0 });
    await alone.load([zipRef(zip)]);
    assert.deepEqual([alone.lastLoad?.from, alone.lastLoad?.cacheWritten], ['index', false]);
    assert.deepEqual(readdirSync(cacheDir), []);
    const withFolder = new AdvisoryStore({}, { cacheDir, workers: 0 });
    const snapshot = await withFolder.load(refs);
    assert.deepEqual([stats(withFolder.lastLoad), withFolder.lastLoad?.cacheWritten], [{ from: 'parsed', parsed: 1, reusedFromIndex: Object.keys(FIXTURES).length }, true]);
    assert.equal(readdirSync(cacheDir).length, 1);
    const probes = probesOf(FIXTURES);
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad(refs), probes));
  });

  test('an index written where the zip is: the load beside a folder is cached, and the next load reads the cache', async () => {
    const root = tempFolder();
    const zip = await writeIndexedZip(root, FIXTURES);
    const folder = writeFiles(path.join(root, 'osv'), FOLDER_RECORD);
    const refs = [zipRef(zip), { entry: 'osv', path: folder }];
    const cacheDir = tempFolder();
    const probes = probesOf(FIXTURES);
    const expected = snapshotAnswers(await coldLoad(refs), probes);
    const first = new AdvisoryStore({}, { cacheDir, workers: 0 });
    assert.deepEqual(snapshotAnswers(await first.load(refs), probes), expected);
    assert.deepEqual([stats(first.lastLoad), first.lastLoad?.cacheWritten], [{ from: 'parsed', parsed: 1, reusedFromIndex: Object.keys(FIXTURES).length }, true]);
    const second = new AdvisoryStore({}, { cacheDir, workers: 0 });
    const again = await second.load(refs);
    assert.equal(second.lastLoad?.from, 'cache');
    assert.deepEqual(snapshotAnswers(again, probes), expected);
    assertSourcesHere(again, probes, zip, FIXTURES, folder);
    const lone = new AdvisoryStore({}, { cacheDir, workers: 0 });
    const snapshot = await lone.load([zipRef(zip)]);
    assert.equal(lone.lastLoad?.from, 'index');
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad([zipRef(zip)]), probes));
  });
});

// The job that publishes the zip may start from a copy of the zip and its index made elsewhere.
describe('an index written again beside a moved copy of the zip and its index', () => {
  async function rewrittenCopy(): Promise<{ zip: string; firstWriter: string }> {
    const firstWriter = tempFolder();
    const zip = copyZipAndIndex(await writeIndexedZip(firstWriter, FIXTURES), tempFolder());
    const rebuilt = await buildPublishedIndex(zipRef(zip));
    assert.ok('file' in rebuilt && rebuilt.parsed === 0 && rebuilt.reused === Object.keys(FIXTURES).length, 'every entry taken from the previous index');
    return { zip, firstWriter };
  }

  test('a load of the zip alone names the zip where it is, not where the first index was written', async () => {
    const { zip, firstWriter } = await rewrittenCopy();
    const probes = probesOf(FIXTURES);
    const { snapshot, store } = await loadWithStore([zipRef(zip)]);
    assert.equal(store.lastLoad?.from, 'index');
    assertSourcesHere(snapshot, probes, zip, FIXTURES);
    assert.ok(!JSON.stringify(snapshotAnswers(snapshot, probes)).includes(firstWriter), 'nothing names the folder the first index was written in');
    assert.deepEqual(snapshotAnswers(snapshot, probes), snapshotAnswers(await coldLoad([zipRef(zip)]), probes));
  });

  test('a load beside a folder, then the same load from the per-user cache, names the zip where it is', async () => {
    const { zip, firstWriter } = await rewrittenCopy();
    const folder = writeFiles(tempFolder(), FOLDER_RECORD);
    const refs = [zipRef(zip), { entry: 'osv', path: folder }];
    const probes = probesOf(FIXTURES);
    const expected = snapshotAnswers(await coldLoad(refs), probes);
    const cacheDir = tempFolder();
    for (const load of ['first', 'second']) {
      const snapshot = await new AdvisoryStore({}, { cacheDir, workers: 0 }).load(refs);
      assertSourcesHere(snapshot, probes, zip, FIXTURES, folder, `${load} load`);
      assert.ok(!JSON.stringify(snapshotAnswers(snapshot, probes)).includes(firstWriter), `${load} load: nothing names the folder the first index was written in`);
      assert.deepEqual(snapshotAnswers(snapshot, probes), expected, `${load} load`);
    }
  });
});

describe('a zip whose directory starts more than 1 MB before its end', () => {
  test('is read from its directory, then whole, and loads every record', async () => {
    const count = 20_000;
    const files: ZipContent = {};
    for (let i = 0; i < count; i++) files[`osv/npm/TEST-${String(i).padStart(5, '0')}.json`] = JSON.stringify(npmRecord(`TEST-${i}`, `pad-${i % 100}`, `${1 + (i % 7)}.0.0`));
    const bytes = declaredZip(files, 0);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    assert.ok(bytes.length - view.getUint32(bytes.length - 22 + 16, true) > 1024 * 1024, 'the directory begins before the last megabyte');
    const zip = path.join(tempFolder(), 'big.zip');
    writeFileSync(zip, bytes);
    const store = new AdvisoryStore({}, { cacheDir: null, workers: 0 });
    const snapshot = await store.load([zipRef(zip)]);
    assert.deepEqual(stats(store.lastLoad), { from: 'parsed', parsed: count, reusedFromIndex: 0 });
    assert.deepEqual(snapshot.sources, [{ entry: 'all.zip', path: zip, kind: 'zip', records: count, newestModified: '2024-01-01T00:00:00Z' }]);
    assert.deepEqual(snapshot.problems, []);
    const expected = Array.from({ length: count / 100 }, (_, k) => 7 + 100 * k).filter((i) => 1 + (i % 7) > 3).map((i) => `TEST-${i}`).sort();
    assert.deepEqual(npmIds(snapshot, 'pad-7', '3.5.0').sort(), expected);
    assert.equal(snapshot.index.lookup('pkg:npm/pad-99', '0.1.0').find((m) => m.id === 'TEST-99')?.source, `${zip}!osv/npm/TEST-00099.json`);
  });
});
