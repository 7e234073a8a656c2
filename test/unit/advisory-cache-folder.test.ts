/**
 * The advisory cache's folder and its temporary files: what a process killed while writing left
 * behind is removed at the next write (by its writer being gone, or by its age), what a live
 * writer is writing is not; a folder that is not ours, not a folder, or on /proc is no cache.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { prepareCacheDir } from '../../server/src/node/advisoryCacheDir.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { writeFileAtomically } from '../../server/src/node/writeFile.js';
import { npmRecord, recordText, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';

after(removeTempFolders);

/** The pid of a process that has just exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(pid !== undefined && pid > 0);
  return pid;
}

const minutesAgo = (minutes: number): number => Date.now() / 1000 - minutes * 60;

describe('temporary files left by a killed writer', () => {
  test('are removed at the next cache write when their writer is gone or they are a minute old; a live writer keeps its own', async () => {
    const cacheDir = tempFolder();
    const dead = deadPid();
    const names = {
      deadWriter: `advisories-aaaa.cache.${dead}-0123abcd.tmp`,
      liveWriter: `advisories-bbbb.cache.${process.pid}-0123abcd.tmp`,
      liveButIdle: `advisories-cccc.cache.${process.pid}-4567abcd.tmp`,
      parentWriter: `advisories-dddd.cache.${process.ppid}-0123abcd.tmp`,
      notOurs: `notes.${dead}-0123abcd.tmp`,
    };
    for (const name of Object.values(names)) writeFileSync(path.join(cacheDir, name), 'half a file');
    utimesSync(path.join(cacheDir, names.liveButIdle), minutesAgo(2), minutesAgo(2));

    const sources = writeFiles(tempFolder(), { 'A.json': recordText(npmRecord('TEST-A', 'left-pad', '1.3.0')) });
    const store = new AdvisoryStore({}, { cacheDir });
    await store.load([{ entry: 'osv', path: sources }]);
    assert.equal(store.lastLoad?.cacheWritten, true);

    const left = readdirSync(cacheDir).filter((n) => n.endsWith('.tmp')).sort();
    assert.deepEqual(left, [names.liveWriter, names.parentWriter, names.notOurs].sort());
  });

  test('a file written atomically removes its own abandoned temporaries, not another file\'s', () => {
    const dir = tempFolder();
    const target = path.join(dir, 'osv.zip.playbook-index');
    const dead = deadPid();
    writeFileSync(`${target}.${dead}-89abcdef.tmp`, 'half an index');
    writeFileSync(path.join(dir, `other.playbook-index.${dead}-89abcdef.tmp`), 'another file\'s');
    writeFileAtomically(target, ['whole'], 0o644);
    assert.deepEqual(readdirSync(dir).sort(), ['osv.zip.playbook-index', `other.playbook-index.${dead}-89abcdef.tmp`]);
  });
});

describe('the cache folder', () => {
  test('is created private, one level at a time', { skip: process.platform === 'win32' }, () => {
    const dir = path.join(tempFolder(), 'a', 'b', 'cache');
    assert.equal(prepareCacheDir(dir), undefined);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  test('is refused when it is a file, under a file, on /proc or /sys', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
    const file = path.join(tempFolder(), 'a-file');
    writeFileSync(file, 'x');
    assert.match(prepareCacheDir(file) ?? '', /is not a folder$/);
    assert.match(prepareCacheDir(path.join(file, 'cache')) ?? '', /a part of its path is not a directory$/);
    for (const dir of ['/proc/playbook-cache/a/b', '/proc/self', '/sys/playbook-cache', '/proc']) {
      assert.match(prepareCacheDir(dir) ?? '', /is on a system file system/, dir);
    }
  });

  test('is refused when it belongs to another user', { skip: process.getuid?.() !== 0 && 'needs root, to give the folder away' }, () => {
    const dir = path.join(tempFolder(), 'shared');
    mkdirSync(dir);
    chownSync(dir, 65534, 65534);
    assert.match(prepareCacheDir(dir) ?? '', /belongs to another user$/);
  });
});
