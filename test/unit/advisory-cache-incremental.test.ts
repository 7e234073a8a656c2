/**
 * A changed advisory folder is loaded file by file: the files whose name and stat (size, times,
 * inode) did not change are taken from the on-disk cache (in a new process) or from the store's
 * memory (after a warm start, then after each parse), and only the others are parsed. After each
 * change a security team makes (a file added, edited in place, removed, renamed; a duplicate id,
 * newer or older; a withdrawal; a broken file and its fix) the load answers exactly as a cold load
 * of the same folder, and says how many files it parsed and reused, so a silent full parse fails.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateOsvCorpus } from '../../bench/osvGenerator.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { AdvisoryCache } from '../../server/src/node/advisoryCache.js';
import { scanSources, sourcesOfFingerprint } from '../../server/src/node/advisoryScan.js';
import { AdvisoryStore, type LoadStats, type SourceRef } from '../../server/src/node/advisoryStore.js';
import { probesFor, snapshotAnswers } from './helpers/advisoryProbes.js';
import { npmIds, npmRecord, recordText, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { declaredZip } from './helpers/zips.js';

process.env['PLAYBOOK_CACHE_DIR'] = tempFolder();
after(removeTempFolders);

const STAMP = 1_700_000_000;
const corpus = generateOsvCorpus(60, 7);
const DUPLICATED = corpus.records.find((r) => r['withdrawn'] === undefined)!;
const DUPLICATED_ID = String(DUPLICATED['id']);

/** Every record in the folder that is JSON, so the probes reach each package named at this step. */
function recordsIn(dir: string): Record<string, unknown>[] {
  return readdirSync(dir).flatMap((name) => {
    try {
      return [JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Answers of a cold load (no cache, this thread): what every other load must give. */
async function coldAnswers(refs: SourceRef[], probes: ReturnType<typeof probesFor>): Promise<unknown> {
  return snapshotAnswers(await new AdvisoryStore({}, { cacheDir: null, workers: 0 }).load(refs), probes);
}

const counts = (stats: LoadStats | undefined) => stats && { from: stats.from, parsed: stats.parsed, reused: stats.reused, reusedFromCache: stats.reusedFromCache };

interface Step {
  name: string;
  change: (dir: string) => void;
  /** Files the load must parse; every other file is reused. */
  parsed: number;
  /** What this step is about, seen in the snapshot (so the step cannot pass without doing it). */
  shows: (snapshot: AdvisorySnapshot, dir: string) => void;
}

// Ordered so that what a step adds (a broken file, a record with an index problem, a withdrawal) is
// carried from the cache by the later steps.
const STEPS: Step[] = [
  {
    name: 'one file added',
    change: (dir) => writeFileSync(path.join(dir, 'TEST-ADDED.json'), recordText(npmRecord('TEST-ADDED', 'added-pad', '1.0.0'))),
    parsed: 1,
    shows: (s) => assert.deepEqual(npmIds(s, 'added-pad', '0.5.0'), ['TEST-ADDED']),
  },
  {
    name: 'a record with a version its ecosystem cannot order (a problem of the index, not of the file)',
    change: (dir) => writeFileSync(path.join(dir, 'TEST-ODD.json'), recordText(npmRecord('TEST-ODD', 'odd-pad', '', { ranges: [{ type: 'SEMVER', events: [{ introduced: 'not a version' }] }] }))),
    parsed: 1,
    shows: (s) => assert.ok(s.problems.some((p) => p.file === '' && p.severity === 'warning' && p.message.includes('TEST-ODD.json'))),
  },
  {
    name: 'a broken file added',
    change: (dir) => writeFileSync(path.join(dir, 'TEST-BROKEN.json'), '{ "id": "TEST-BROKEN", "affected": ['),
    parsed: 1,
    shows: (s, dir) => assert.match(s.problems.find((p) => p.file === path.join(dir, 'TEST-BROKEN.json'))?.message ?? '', /^not valid JSON/),
  },
  {
    name: 'one file edited in place: the same size, the modification time restored (only the change time moves)',
    change: (dir) => {
      const file = path.join(dir, 'TEST-EDIT.json');
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('left-pad', 'left-pod'));
      utimesSync(file, STAMP, STAMP);
    },
    parsed: 1,
    shows: (s) => assert.deepEqual([npmIds(s, 'left-pad', '0.5.0'), npmIds(s, 'left-pod', '0.5.0')], [[], ['TEST-EDIT']]),
  },
  {
    name: 'one file removed',
    change: (dir) => rmSync(path.join(dir, 'TEST-REMOVED.json')),
    parsed: 0,
    shows: (s) => assert.deepEqual(npmIds(s, 'removed-pad', '0.5.0'), []),
  },
  {
    name: 'one file renamed',
    change: (dir) => renameSync(path.join(dir, 'TEST-RENAMED.json'), path.join(dir, 'zz-renamed.json')),
    parsed: 1,
    shows: (s, dir) => assert.deepEqual(s.index.lookup('pkg:npm/renamed-pad', '0.5.0').map((m) => m.source), [path.join(dir, 'zz-renamed.json')]),
  },
  {
    name: 'a duplicate id in a new file, with a newer `modified`: it wins',
    change: (dir) => writeFileSync(path.join(dir, 'dup-newer.json'), JSON.stringify({ ...DUPLICATED, modified: '2099-01-01T00:00:00Z', summary: 'the newer copy' })),
    parsed: 1,
    shows: (s, dir) => {
      assert.equal(s.index.counts().duplicates, 1);
      assert.ok(s.problems.some((p) => p.severity === 'info' && p.message.includes(`using ${path.join(dir, 'dup-newer.json')}`)));
    },
  },
  {
    name: 'a duplicate id in another new file, with an older `modified`: it loses',
    change: (dir) => writeFileSync(path.join(dir, 'dup-older.json'), JSON.stringify({ ...DUPLICATED, modified: '2000-01-01T00:00:00Z', summary: 'the older copy' })),
    parsed: 1,
    shows: (s) => assert.equal(s.index.counts().duplicates, 2),
  },
  {
    name: 'the newer duplicate removed: the copies it had beaten, taken from the cache, compete again',
    change: (dir) => rmSync(path.join(dir, 'dup-newer.json')),
    parsed: 0,
    shows: (s, dir) => {
      assert.equal(s.index.counts().duplicates, 1);
      assert.ok(s.problems.some((p) => p.severity === 'info' && p.message.startsWith(`${DUPLICATED_ID} is in both`) && !p.message.includes('dup-newer')));
      assert.ok(!s.problems.some((p) => p.message.includes(path.join(dir, 'dup-newer.json'))));
    },
  },
  {
    name: 'a record withdrawn',
    change: (dir) => {
      const file = path.join(dir, 'TEST-WITHDRAWN.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), withdrawn: '2024-06-01T00:00:00Z' }));
    },
    parsed: 1,
    shows: (s) => assert.deepEqual(npmIds(s, 'withdrawn-pad', '0.5.0'), []),
  },
  {
    name: 'the broken file fixed',
    change: (dir) => writeFileSync(path.join(dir, 'TEST-BROKEN.json'), recordText(npmRecord('TEST-BROKEN', 'broken-pad', '1.0.0'))),
    parsed: 1,
    shows: (s, dir) => {
      assert.deepEqual(npmIds(s, 'broken-pad', '0.5.0'), ['TEST-BROKEN']);
      assert.equal(s.problems.find((p) => p.file === path.join(dir, 'TEST-BROKEN.json')), undefined);
    },
  },
];

describe('a folder changed one file at a time', () => {
  test('each load parses only what changed, and answers as a cold load of the same folder', async (t) => {
    const dir = writeFiles(tempFolder(), {
      ...Object.fromEntries(corpus.records.map((r) => [`${String(r['id'])}.json`, recordText(r)])),
      'TEST-EDIT.json': recordText(npmRecord('TEST-EDIT', 'left-pad', '1.3.0')),
      'TEST-REMOVED.json': recordText(npmRecord('TEST-REMOVED', 'removed-pad', '1.0.0')),
      'TEST-RENAMED.json': recordText(npmRecord('TEST-RENAMED', 'renamed-pad', '1.0.0')),
      'TEST-WITHDRAWN.json': recordText(npmRecord('TEST-WITHDRAWN', 'withdrawn-pad', '1.0.0')),
    });
    utimesSync(path.join(dir, 'TEST-EDIT.json'), STAMP, STAMP);
    const refs = [{ entry: 'osv', path: dir }];
    // Each CI run or editor start is a new store over the cache the previous one wrote.
    const processCache = tempFolder();
    const editorCache = tempFolder();
    for (const cacheDir of [processCache, editorCache]) await new AdvisoryStore({}, { cacheDir }).load(refs);
    // The editor started warm: its first change has no memory of its own to reuse, only the cache.
    const editor = new AdvisoryStore({}, { cacheDir: editorCache });
    const started = await editor.load(refs);
    assert.equal(editor.lastLoad?.from, 'cache');
    assert.equal(started.index.counts().withdrawn, 3, 'withdrawn records are carried from the cache at every step');

    for (const [n, step] of STEPS.entries()) {
      await t.test(step.name, async () => {
        step.change(dir);
        const files = readdirSync(dir).length;
        const reused = files - step.parsed;
        const probes = probesFor(recordsIn(dir));
        const cold = await coldAnswers(refs, probes);

        const next = new AdvisoryStore({}, { cacheDir: processCache });
        const incremental = await next.load(refs);
        assert.deepEqual(counts(next.lastLoad), { from: 'parsed', parsed: step.parsed, reused, reusedFromCache: reused }, `${step.name}: a new process reuses the cached files`);
        assert.equal(next.lastLoad?.cacheWritten, true);
        assert.deepEqual(snapshotAnswers(incremental, probes), cold, `${step.name}: a new process answers as a cold load`);
        step.shows(incremental, dir);

        const after = new AdvisoryStore({}, { cacheDir: processCache });
        assert.deepEqual(snapshotAnswers(await after.load(refs), probes), cold, `${step.name}: the cache it wrote answers as a cold load`);
        assert.equal(after.lastLoad?.from, 'cache');

        const edited = await editor.load(refs);
        assert.deepEqual(counts(editor.lastLoad), { from: 'parsed', parsed: step.parsed, reused, reusedFromCache: n === 0 ? reused : 0 }, `${step.name}: the editor reuses the cache after its warm start, then its memory`);
        assert.deepEqual(snapshotAnswers(edited, probes), cold, `${step.name}: the editor answers as a cold load`);
      });
    }
  });
});

describe('sources other than a folder', () => {
  test('an unchanged zip and file are reused whole; a changed zip is parsed again whole', async () => {
    const root = tempFolder();
    const folder = writeFiles(path.join(root, 'osv'), { 'A.json': recordText(npmRecord('TEST-A', 'left-pad', '1.3.0')), 'B.json': recordText(npmRecord('TEST-B', 'right-pad', '2.0.0')) });
    const zip = path.join(root, 'all.zip');
    const single = path.join(root, 'extra.json');
    const zipEntries = { 'Z1.json': recordText(npmRecord('TEST-Z1', 'zip-pad', '1.0.0')), 'Z2.json': recordText(npmRecord('TEST-Z2', 'zip-pad', '2.0.0')), 'Z3.json': '{ nope' };
    writeFileSync(zip, declaredZip(zipEntries));
    // The same id as A.json, newer: the duplicate spans two sources.
    writeFileSync(single, JSON.stringify({ ...npmRecord('TEST-A', 'left-pad', '1.4.0'), modified: '2030-01-01T00:00:00Z' }));
    const refs = [{ entry: 'osv', path: folder }, { entry: 'all.zip', path: zip }, { entry: 'extra.json', path: single }, { entry: 'gone', path: path.join(root, 'gone') }];
    const cacheDir = tempFolder();
    await new AdvisoryStore({}, { cacheDir }).load(refs);
    const probes = probesFor([npmRecord('X', 'left-pad', '1.4.0'), npmRecord('X', 'right-pad', '2.0.0'), npmRecord('X', 'zip-pad', '2.0.0'), npmRecord('X', 'new-pad', '2.0.0')]);

    writeFileSync(path.join(folder, 'C.json'), recordText(npmRecord('TEST-C', 'new-pad', '1.0.0')));
    const folderChanged = new AdvisoryStore({}, { cacheDir });
    const first = await folderChanged.load(refs);
    assert.deepEqual(counts(folderChanged.lastLoad), { from: 'parsed', parsed: 1, reused: 4, reusedFromCache: 4 }, 'two files, the zip and the single file reused');
    assert.deepEqual(snapshotAnswers(first, probes), await coldAnswers(refs, probes));
    assert.deepEqual(first.sources.map((s) => [s.kind, s.records]), [['folder', 3], ['zip', 2], ['file', 1], ['missing', 0]]);

    writeFileSync(zip, declaredZip({ ...zipEntries, 'Z3.json': recordText(npmRecord('TEST-Z3', 'zip-pad', '3.0.0')) }));
    const zipChanged = new AdvisoryStore({}, { cacheDir });
    const second = await zipChanged.load(refs);
    assert.deepEqual(counts(zipChanged.lastLoad), { from: 'parsed', parsed: 3, reused: 4, reusedFromCache: 4 }, 'every entry of the zip parsed; three files and the single file reused');
    assert.deepEqual(snapshotAnswers(second, probes), await coldAnswers(refs, probes));
    assert.deepEqual(npmIds(second, 'zip-pad', '0.5.0'), ['TEST-Z1', 'TEST-Z2', 'TEST-Z3']);
  });
});

describe('what the cache remembers of each file', () => {
  test('a fingerprint reads back as the sources it was made from', async () => {
    const root = writeFiles(tempFolder(), { 'osv/a.json': '{}', 'osv/sub/b.json': '{}', 'osv/ünï cödé.json': '{}', 'all.zip': declaredZip({ 'x.json': '{}' }), 'one.json': '{}' });
    const refs = ['osv', 'all.zip', 'one.json', 'gone', 'osv/sub'].map((entry) => ({ entry, path: path.join(root, entry) }));
    const scan = await scanSources(refs);
    assert.deepEqual(scan.sources.map((s) => [s.kind, s.names.length]), [['folder', 3], ['zip', 1], ['file', 1], ['missing', 0], ['folder', 1]]);
    assert.deepEqual(sourcesOfFingerprint(scan.fingerprint), scan.sources);
    for (const cut of [1, 20, scan.fingerprint.length - 1]) assert.equal(sourcesOfFingerprint(scan.fingerprint.subarray(0, cut)), undefined, `cut at ${cut}`);
    assert.equal(sourcesOfFingerprint(Buffer.from('not a fingerprint\0')), undefined);
  });

  test('a per-file section that does not fit the files means a full parse, with the same answers', async () => {
    const dir = writeFiles(tempFolder(), { 'A.json': recordText(npmRecord('TEST-A', 'left-pad', '1.3.0')), 'B.json': recordText(npmRecord('TEST-B', 'right-pad', '2.0.0')) });
    const refs = [{ entry: 'osv', path: dir }];
    const cacheDir = tempFolder();
    const cache = new AdvisoryCache(cacheDir);
    const written: Parameters<AdvisoryCache['write']>[] = [];
    const write = cache.write.bind(cache);
    const store = new AdvisoryStore({}, { cacheDir });
    Object.assign(store, { cache: Object.assign(cache, { write: (...args: Parameters<AdvisoryCache['write']>) => (written.push(args), write(...args)) }) });
    await store.load(refs);
    const [key, fingerprint, load, bodies, memory] = written[0]!;
    const probes = probesFor([npmRecord('X', 'left-pad', '1.3.0'), npmRecord('X', 'right-pad', '2.0.0'), npmRecord('X', 'new-pad', '1.0.0')]);
    writeFileSync(path.join(dir, 'C.json'), recordText(npmRecord('TEST-C', 'new-pad', '1.0.0')));

    const control = new AdvisoryStore({}, { cacheDir });
    await control.load(refs);
    assert.deepEqual(counts(control.lastLoad), { from: 'parsed', parsed: 1, reused: 2, reusedFromCache: 2 }, 'the section as written is reused');
    const misfits: [string, NonNullable<typeof memory>][] = [
      ['one file fewer than the folder had', { ...memory!, sources: [{ ...memory!.sources[0]!, items: memory!.sources[0]!.items.slice(1) }] }],
      ['a body number past the bodies', { ...memory!, bodyNumbers: memory!.bodyNumbers.map(() => 99) }],
    ];
    for (const [name, forged] of misfits) {
      assert.equal(new AdvisoryCache(cacheDir).write(key, fingerprint, load, bodies, forged), true);
      const fresh = new AdvisoryStore({}, { cacheDir });
      const snapshot = await fresh.load(refs);
      assert.deepEqual(counts(fresh.lastLoad), { from: 'parsed', parsed: 3, reused: 0, reusedFromCache: 0 }, name);
      assert.deepEqual(snapshotAnswers(snapshot, probes), await coldAnswers(refs, probes), name);
    }
  });
});
