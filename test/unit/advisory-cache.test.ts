/**
 * The on-disk advisory cache as an untrusted file: where it lives, what a damaged, foreign or
 * forged file does (it is ignored and rewritten, or at worst loses a record; never a crash), that
 * any change to the sources is seen, that an unwritable folder only means no cache, and that the
 * limits are part of its key.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import type { RecordMeta } from '../../server/src/core/advisories/preparedRecord.js';
import { parsePurl } from '../../server/src/core/advisories/purl.js';
import { encodeRecordBody } from '../../server/src/core/advisories/recordBody.js';
import { advisoryCacheDir } from '../../server/src/node/advisoryCacheDir.js';
import { encodeSnapshot } from '../../server/src/node/advisorySnapshotFile.js';
import { AdvisoryStore, type SourceRef } from '../../server/src/node/advisoryStore.js';
import { probesFor, snapshotAnswers } from './helpers/advisoryProbes.js';
import { npmIds, npmRecord, recordText, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { declaredZip } from './helpers/zips.js';

process.env['PLAYBOOK_CACHE_DIR'] ||= tempFolder();
after(removeTempFolders);

const RECORDS = [npmRecord('TEST-A', 'left-pad', '1.3.0'), npmRecord('TEST-B', 'right-pad', '2.0.0'), npmRecord('TEST-C', 'left-pad', '0.9.0', { details: 'an older one' })];
const PROBES = probesFor(RECORDS);

function sources(): SourceRef[] {
  const dir = writeFiles(tempFolder(), { ...Object.fromEntries(RECORDS.map((r) => [`${String(r['id'])}.json`, recordText(r)])), 'broken.json': '{ nope' });
  return [{ entry: 'osv', path: dir }];
}

function cacheFile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cache'));
  assert.equal(files.length, 1, `one cache file in ${dir}: ${files.join(', ')}`);
  return path.join(dir, files[0]!);
}

/** A fresh store (as a new process would have) over the cache folder. */
async function loadFresh(cacheDir: string, refs: SourceRef[], limits = {}): Promise<{ store: AdvisoryStore; answers: unknown; snapshot: Awaited<ReturnType<AdvisoryStore['load']>> }> {
  const store = new AdvisoryStore({}, { cacheDir });
  const snapshot = await store.load(refs, limits);
  return { store, snapshot, answers: snapshotAnswers(snapshot, PROBES) };
}

describe('where the cache lives', () => {
  const cases: [string, NodeJS.ProcessEnv, string | undefined][] = [
    ['PLAYBOOK_CACHE_DIR wins', { PLAYBOOK_CACHE_DIR: '/var/tmp/pb', XDG_CACHE_HOME: '/xdg' }, '/var/tmp/pb'],
    ['PLAYBOOK_CACHE_DIR=off turns it off', { PLAYBOOK_CACHE_DIR: 'off', XDG_CACHE_HOME: '/xdg' }, undefined],
    ['PLAYBOOK_CACHE_DIR=OFF too', { PLAYBOOK_CACHE_DIR: 'OFF' }, undefined],
    ["then the platform's cache folder: XDG_CACHE_HOME", { XDG_CACHE_HOME: '/xdg' }, '/xdg/incident-playbook'],
    ['a relative XDG_CACHE_HOME is ignored (XDG says absolute)', { XDG_CACHE_HOME: 'rel' }, path.join(os.homedir(), '.cache', 'incident-playbook')],
    ["then the home folder's .cache", {}, path.join(os.homedir(), '.cache', 'incident-playbook')],
  ];
  for (const [name, env, expected] of cases) {
    test(name, { skip: process.platform !== 'linux' && 'the XDG convention is Linux\'s' }, () => {
      const saved = process.env['XDG_CACHE_HOME'];
      if (env['XDG_CACHE_HOME'] === undefined) delete process.env['XDG_CACHE_HOME'];
      else process.env['XDG_CACHE_HOME'] = env['XDG_CACHE_HOME'];
      try {
        assert.equal(advisoryCacheDir(env), expected);
      } finally {
        if (saved === undefined) delete process.env['XDG_CACHE_HOME'];
        else process.env['XDG_CACHE_HOME'] = saved;
      }
    });
  }
});

/** A cache file's header and sections: the load JSON, the records JSON (empty in a cache), the bodies. */
function sectionsOf(bytes: Buffer): { header: { key: string; sizes: number[]; crc: number }; load: Buffer; records: Buffer; bodies: Buffer } {
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.toString('utf8', 0, newline)) as { key: string; sizes: number[]; crc: number };
  const [a, b] = [newline + 1 + header.sizes[0]!, newline + 1 + header.sizes[0]! + header.sizes[1]!];
  return { header, load: bytes.subarray(newline + 1, a), records: bytes.subarray(a, b), bodies: bytes.subarray(b) };
}

/** The file with its load JSON edited, and its sizes and checksum made right again: only its shape can tell. */
function reshaped(bytes: Buffer, edit: (load: Record<string, any>) => void): Buffer {
  const { header, records, bodies } = sectionsOf(bytes);
  const load = JSON.parse(sectionsOf(bytes).load.toString('utf8')) as Record<string, unknown>;
  edit(load);
  const sections = [Buffer.from(JSON.stringify(load)), records, bodies];
  const fixed = { ...header, sizes: sections.map((s) => s.length), crc: sections.reduce((sum, s) => crc32(s, sum), 0) };
  return Buffer.concat([Buffer.from(`${JSON.stringify(fixed)}\n`), ...sections]);
}

describe('a cache file that cannot be trusted is ignored and rewritten', () => {
  const flip = (bytes: Buffer, at: number): Buffer => {
    bytes[at] = bytes[at]! ^ 0x20;
    return bytes;
  };
  const headerEnd = (bytes: Buffer): number => bytes.indexOf(10);
  const damages: [string, (bytes: Buffer) => Buffer | string][] = [
    ['truncated to half', (b) => b.subarray(0, b.length >> 1)],
    ['empty', () => Buffer.alloc(0)],
    ['one byte of a record body changed', (b) => flip(b, b.length - 10)],
    ['one byte of the package table changed', (b) => flip(b, b.indexOf('"counts"') + 2)],
    ['bytes appended', (b) => Buffer.concat([b, Buffer.from('{}')])],
    ['written by other code, another version of the tool or for other files (another key)', (b) => b.toString('latin1').replace(/"key":"(.)/, (_, c: string) => `"key":"${c === '0' ? '1' : '0'}`)],
    ['a header that is not JSON', (b) => Buffer.concat([Buffer.from('not json'), b.subarray(headerEnd(b))])],
    ['not a cache at all', () => 'PK\u0003\u0004 something else entirely'],
    ['a filing past the last record (checksum made right)', (b) => reshaped(b, (l) => void (l['table'].pairs[0][0] = 99))],
    ['a negative entry (checksum made right)', (b) => reshaped(b, (l) => void (l['table'].pairs[0][1] = -1))],
    ['a problem of no known severity (checksum made right)', (b) => reshaped(b, (l) => void (l['problems'][0].severity = 'fatal'))],
    ['body offsets going back (checksum made right)', (b) => reshaped(b, (l) => void (l['offsets'][1] = 1e9))],
    ['a source of no known kind (checksum made right)', (b) => reshaped(b, (l) => void (l['sources'][0].kind = 'pipe'))],
  ];
  for (const [name, damage] of damages) {
    test(name, async () => {
      const cacheDir = tempFolder();
      const refs = sources();
      const uncached = snapshotAnswers(await new AdvisoryStore({}, { cacheDir: null }).load(refs), PROBES);
      await loadFresh(cacheDir, refs);
      const file = cacheFile(cacheDir);
      writeFileSync(file, damage(readFileSync(file)), 'latin1');
      const damaged = await loadFresh(cacheDir, refs);
      assert.deepEqual([damaged.store.lastLoad?.from, damaged.store.lastLoad?.cacheWritten], ['parsed', true], 'ignored, parsed again and rewritten');
      assert.deepEqual(damaged.answers, uncached);
      const next = await loadFresh(cacheDir, refs);
      assert.deepEqual([next.store.lastLoad?.from, next.answers], ['cache', uncached], 'the rewritten file is used');
    });
  }

  test('the file read back and written unchanged, its checksum made right again, is used (so each edit above is what spoils it)', async () => {
    const cacheDir = tempFolder();
    const refs = sources();
    await loadFresh(cacheDir, refs);
    const file = cacheFile(cacheDir);
    writeFileSync(file, reshaped(readFileSync(file), () => undefined));
    assert.equal((await loadFresh(cacheDir, refs)).store.lastLoad?.from, 'cache');
  });

  test("a file owned by another user (a shared cache folder) is not believed", { skip: process.getuid?.() !== 0 && 'needs root, to give the file away' }, async () => {
    const cacheDir = tempFolder();
    const refs = sources();
    await loadFresh(cacheDir, refs);
    chownSync(cacheFile(cacheDir), 4242, 4242);
    const other = await loadFresh(cacheDir, refs);
    assert.equal(other.store.lastLoad?.from, 'parsed');
  });

  test('a body forged with a valid checksum loses that record, and no lookup throws', async () => {
    const cacheDir = tempFolder();
    const refs = sources();
    await loadFresh(cacheDir, refs);
    const file = cacheFile(cacheDir);
    const { key } = sectionsOf(readFileSync(file)).header;
    const valid = encodeRecordBody({ source: 'kept', severity: { severity: 'HIGH', source: 'database_specific' }, record: { id: 'TEST-OK', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }] } });
    const bodies = ['{"source":"x","severity":{},"record":{"id":"X","modified":"m","affected":[{"package":null}]}}', 'null', '{"source":1}', valid];
    const meta = (id: string, entries: number[]): RecordMeta => ({ id, modified: '2024-01-01T00:00:00Z', withdrawn: false, source: id, keys: entries.map(() => 'nnpm\u0000left-pad'), entries, problems: [], ecosystems: ['npm'] });
    const records = bodies.map((body, i) => ({ meta: meta(`F${i}`, i === 3 ? [7, 0] : [0]), body: Buffer.from(body) }));
    writeFileSync(file, Buffer.concat(encodeSnapshot({ sources: [], problems: [], records }, key, '', false).chunks));
    const store = new AdvisoryStore({}, { cacheDir });
    const loaded = await store.load(refs);
    assert.equal(store.lastLoad?.from, 'cache');
    const leftPad = parsePurl('pkg:npm/left-pad');
    assert.ok('package' in leftPad);
    assert.deepEqual([npmIds(loaded, 'left-pad', '1.0.0'), loaded.index.explain(leftPad.package).map((e) => e.id)], [['TEST-OK'], ['TEST-OK']], 'only the well-formed body answers');
  });
});

describe('a change to the sources after caching is seen by the next process', () => {
  const STAMP = 1_700_000_000;
  const changes: [string, (dir: string) => void, [string, string[]][]][] = [
    ['a file added', (dir) => writeFileSync(path.join(dir, 'TEST-D.json'), recordText(npmRecord('TEST-D', 'new-pad', '1.0.0'))), [['new-pad', ['TEST-D']]]],
    ['a file removed', (dir) => rmSync(path.join(dir, 'TEST-B.json')), [['right-pad', []]]],
    [
      'a file edited in place, with the same size and modification time',
      (dir) => {
        const file = path.join(dir, 'TEST-B.json');
        writeFileSync(file, readFileSync(file, 'utf8').replaceAll('right-pad', 'right-pod'));
        utimesSync(file, STAMP, STAMP);
      },
      [['right-pad', []], ['right-pod', ['TEST-B']]],
    ],
  ];
  for (const [name, change, expected] of changes) {
    test(name, async () => {
      const cacheDir = tempFolder();
      const refs = sources();
      utimesSync(path.join(refs[0]!.path, 'TEST-B.json'), STAMP, STAMP);
      assert.deepEqual(npmIds((await loadFresh(cacheDir, refs)).snapshot, 'right-pad', '1.0.0'), ['TEST-B']);
      assert.equal((await loadFresh(cacheDir, refs)).store.lastLoad?.from, 'cache');
      change(refs[0]!.path);
      const after = await loadFresh(cacheDir, refs);
      assert.equal(after.store.lastLoad?.from, 'parsed');
      for (const [pkg, ids] of expected) assert.deepEqual(npmIds(after.snapshot, pkg, '0.5.0'), ids, pkg);
    });
  }

  test('a zip rewritten with the same size and modification time', async () => {
    const cacheDir = tempFolder();
    const zip = path.join(tempFolder(), 'osv.zip');
    const write = (name: string): void => {
      writeFileSync(zip, declaredZip({ 'TEST-Z.json': recordText(npmRecord('TEST-Z', name, '1.3.0')) }, 0));
      utimesSync(zip, STAMP, STAMP);
    };
    write('left-pad');
    await loadFresh(cacheDir, [{ entry: 'z', path: zip }]);
    write('left-pod');
    const after = await loadFresh(cacheDir, [{ entry: 'z', path: zip }]);
    assert.deepEqual([after.store.lastLoad?.from, npmIds(after.snapshot, 'left-pod', '1.0.0')], ['parsed', ['TEST-Z']]);
  });
});

describe('writing the cache', () => {
  test('an unwritable cache folder only means no cache', async () => {
    const blocker = path.join(tempFolder(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    for (const cacheDir of [path.join(blocker, 'cache'), blocker]) {
      const refs = sources();
      const { store, answers } = await loadFresh(cacheDir, refs);
      assert.deepEqual([store.lastLoad?.from, store.lastLoad?.cacheWritten], ['parsed', false]);
      assert.deepEqual(answers, snapshotAnswers(await new AdvisoryStore({}, { cacheDir: null }).load(refs), PROBES));
    }
  });

  test('PLAYBOOK_CACHE_DIR=off: nothing is written', async () => {
    const saved = process.env['PLAYBOOK_CACHE_DIR'];
    const envDir = tempFolder();
    const refs = sources();
    try {
      process.env['PLAYBOOK_CACHE_DIR'] = 'off';
      const store = new AdvisoryStore();
      await store.load(refs);
      assert.equal(store.lastLoad?.cacheWritten, false);
      process.env['PLAYBOOK_CACHE_DIR'] = envDir;
      const control = new AdvisoryStore();
      await control.load(refs);
      assert.deepEqual([control.lastLoad?.cacheWritten, readdirSync(envDir).length], [true, 1], 'without `off`, the same load writes there');
    } finally {
      if (saved === undefined) delete process.env['PLAYBOOK_CACHE_DIR'];
      else process.env['PLAYBOOK_CACHE_DIR'] = saved;
    }
  });

  test('the file is private, no temporary file is left, and files unused for 30 days are removed', { skip: process.platform === 'win32' }, async () => {
    const cacheDir = tempFolder();
    const old = path.join(cacheDir, 'advisories-0000.cache');
    const recent = path.join(cacheDir, 'advisories-1111.cache');
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(old, 'x');
    writeFileSync(recent, 'x');
    const daysAgo = (days: number): number => Date.now() / 1000 - days * 24 * 3600;
    utimesSync(old, daysAgo(31), daysAgo(31));
    utimesSync(recent, daysAgo(29), daysAgo(29));
    await loadFresh(cacheDir, sources());
    const [written, ...others] = readdirSync(cacheDir).sort((a, b) => (a === 'advisories-1111.cache' ? 1 : b === 'advisories-1111.cache' ? -1 : 0));
    assert.deepEqual(others, ['advisories-1111.cache'], 'the old file is gone, the recent one and the new one stay; no temporary file');
    assert.match(written!, /^advisories-[0-9a-f]{32}\.cache$/);
    assert.equal(statSync(path.join(cacheDir, written!)).mode & 0o777, 0o600);
  });

  test('the limits are part of the key: each load keeps its own problems', async () => {
    const cacheDir = tempFolder();
    const refs = sources();
    const small = await loadFresh(cacheDir, refs, { maxRecordBytes: 100 });
    const normal = await loadFresh(cacheDir, refs);
    assert.equal(normal.store.lastLoad?.from, 'parsed', 'not served from the small-limit load');
    const again = [await loadFresh(cacheDir, refs, { maxRecordBytes: 100 }), await loadFresh(cacheDir, refs)];
    assert.deepEqual(again.map((l) => l.store.lastLoad?.from), ['cache', 'cache']);
    assert.deepEqual(again.map((l) => l.answers), [small.answers, normal.answers]);
    assert.equal(small.snapshot.problems.filter((p) => p.message.includes('(maxRecordBytes)')).length, 3);
    assert.deepEqual(npmIds(again[0]!.snapshot, 'left-pad', '1.0.0'), []);
  });
});
