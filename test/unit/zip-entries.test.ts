/**
 * A zip entry's data is exactly the size it declares, or that entry is refused with a problem
 * of its own: a stored entry cannot bring more than it declares (and so more than the limit,
 * which is checked on the declared size), nor can a deflated one, and one that inflates to less
 * is refused too. Crafted zips, through the advisory store and through `playbook advisories`.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { listZipJsonEntries, readZipEntry } from '../../server/src/node/zipEntries.js';
import { cli, workspace } from '../cli/helpers.js';
import { OSV_DIR } from './helpers/osvIndex.js';
import { npmIds, npmRecord, recordText, removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { declaredZip, lieAboutSize } from './helpers/zips.js';

after(removeTempFolders);

const KB = 1024;
const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core';
const LOG4SHELL = readFileSync(path.join(OSV_DIR, 'GHSA-jfh8-c2jp-5v3q.json'), 'utf8');
const LIMITS = { maxEntryBytes: 64 * KB, maxEntries: 100, maxZipBytes: 64 * 1024 * KB };

/** A valid record for `smuggled` padded with spaces to `bytes`: if it were read whole, `smuggled` would match. */
function paddedRecord(bytes: number): string {
  const [head, tail] = recordText(npmRecord('TEST-SMUGGLED', 'smuggled', '9.0.0', { details: '@@' })).split('@@');
  return head! + ' '.repeat(bytes - head!.length - tail!.length) + tail!;
}

async function load(zip: Uint8Array, limits = { maxRecordBytes: 64 * KB, maxZipEntries: 100 }): Promise<{ zipPath: string; snapshot: Awaited<ReturnType<AdvisoryStore['load']>> }> {
  const zipPath = path.join(writeFiles(tempFolder(), { 'osv.zip': zip }), 'osv.zip');
  return { zipPath, snapshot: await new AdvisoryStore(limits, { cacheDir: null }).load([{ entry: 'osv.zip', path: zipPath }]) };
}

describe('zip entries: the declared size is the size', () => {
  test('a stored entry that declares 10 bytes but holds 100 KB is refused for it; it is not read past its size or the limit', async () => {
    const zip = lieAboutSize(declaredZip({ 'SMUGGLED.json': paddedRecord(100 * KB), 'GOOD.json': LOG4SHELL }, 0), 'SMUGGLED.json', 10);
    const { zipPath, snapshot } = await load(zip);
    assert.deepEqual(snapshot.problems, [{ entry: 'osv.zip', file: `${zipPath}!SMUGGLED.json`, message: 'declares 10 bytes but stores 102400 bytes; skipped', severity: 'warning' }]);
    assert.deepEqual(npmIds(snapshot, 'smuggled', '1.0.0'), [], 'the 100 KB record was never parsed');
    assert.deepEqual(snapshot.index.lookup(LOG4J, '2.14.1').map((m) => m.id), ['GHSA-jfh8-c2jp-5v3q']);
  });

  test('a stored entry that declares more than it holds is refused too', async () => {
    const zip = lieAboutSize(declaredZip({ 'SHORT.json': LOG4SHELL }, 0), 'SHORT.json', LOG4SHELL.length + 500);
    const { zipPath, snapshot } = await load(zip);
    assert.deepEqual(snapshot.problems.map((p) => [p.file, p.message]), [[`${zipPath}!SHORT.json`, `declares ${LOG4SHELL.length + 500} bytes but stores ${Buffer.byteLength(LOG4SHELL)} bytes; skipped`]]);
  });

  test('a deflated entry that inflates to more than it declares is refused, whatever it holds', async () => {
    const zip = lieAboutSize(declaredZip({ 'SMUGGLED.json': paddedRecord(100 * KB), 'GOOD.json': LOG4SHELL }, 6), 'SMUGGLED.json', 10);
    const { zipPath, snapshot } = await load(zip);
    assert.deepEqual(snapshot.problems.map((p) => [p.file, p.message, p.severity]), [[`${zipPath}!SMUGGLED.json`, 'inflates to more than the 10 bytes it declares; skipped', 'warning']]);
    assert.deepEqual(npmIds(snapshot, 'smuggled', '1.0.0'), []);
    assert.deepEqual(snapshot.sources[0]?.records, 1);
  });

  test('a deflated entry that inflates to fewer bytes than it declares is refused', async () => {
    const zip = lieAboutSize(declaredZip({ 'LONG.json': LOG4SHELL }, 6), 'LONG.json', 40 * KB);
    const { zipPath, snapshot } = await load(zip);
    assert.deepEqual(snapshot.problems.map((p) => [p.file, p.message]), [[`${zipPath}!LONG.json`, `inflates to ${Buffer.byteLength(LOG4SHELL)} bytes, not the ${40 * KB} bytes it declares; skipped`]]);
    assert.equal(snapshot.index.counts().records, 0);
  });

  test('honest entries, stored and deflated, of every size up to the limit read back exactly', () => {
    for (const level of [0, 6] as const) {
      const files = Object.fromEntries([0, 1, 2, 1000, 64 * KB].map((n) => [`F${n}.json`, 'x'.repeat(n)]));
      const bytes = declaredZip(files, level);
      const listed = listZipJsonEntries(bytes, LIMITS);
      assert.equal(listed.entries.length, 5);
      for (const ref of listed.entries) {
        const read = readZipEntry(bytes, ref);
        assert.ok('data' in read, `${ref.name} at level ${level}: ${JSON.stringify(read)}`);
        assert.equal(read.data.length, ref.size);
        assert.equal(Buffer.from(read.data).toString(), files[ref.name]);
      }
    }
  });

  test('readZipEntry never hands back more than the entry declares, for any declared size', () => {
    const bytes = declaredZip({ 'A.json': 'y'.repeat(5000) }, 6);
    const [ref] = listZipJsonEntries(bytes, LIMITS).entries;
    for (const size of [0, 1, 100, 4999, 5001, 100000]) {
      const read = readZipEntry(bytes, { ...ref!, size });
      if ('data' in read) assert.equal(read.data.length, size);
      else assert.match(read.problem, new RegExp(`the ${size} bytes? it declares$`));
    }
  });

  test('playbook advisories lists the refused entry as a warning, and the rest of the zip is used', async () => {
    const zip = lieAboutSize(declaredZip({ 'SMUGGLED.json': paddedRecord(100 * KB), 'GOOD.json': LOG4SHELL }, 0), 'SMUGGLED.json', 10);
    const dir = workspace({ '.playbooks/policy.yaml': 'policy: 1\nadvisories: [osv.zip]\n', '.playbooks/osv.zip': zip });
    const r = await cli(['advisories'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}warning \.playbooks\/osv\.zip!SMUGGLED\.json: declares 10 bytes but stores 102400 bytes; skipped$/m);
    assert.match(r.stdout, /^Records: 1 in use \(Maven 1\)/m);
  });
});
