/**
 * Zips of advisory records with their published index (`<zip>.playbook-index`), for the tests of
 * that index: the real OSV fixtures, a zip with every kind of problem, copying a zip and its index
 * elsewhere (so the index's paths are another machine's), and the cold load a load from an index
 * must equal (the same zip at the same path, its index set aside).
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parsePurl } from '../../../server/src/core/advisories/purl.js';
import type { AdvisorySnapshot } from '../../../server/src/core/advisories/snapshot.js';
import { buildPublishedIndex } from '../../../server/src/node/advisoryIndexBuild.js';
import { PUBLISHED_INDEX_SUFFIX } from '../../../server/src/node/advisoryLoad.js';
import { AdvisoryStore, type AdvisoryLimits, type SourceRef } from '../../../server/src/node/advisoryStore.js';
import { probesFor, type Probe } from './advisoryProbes.js';
import { OSV_DIR } from './osvIndex.js';
import { npmRecord, recordText } from './osvRecords.js';
import { declaredZip, type ZipContent } from './zips.js';

export const publishedIndexPath = (zip: string): string => zip + PUBLISHED_INDEX_SUFFIX;

/** Every real OSV fixture: entry name (`<ID>.json`) → text. */
export const FIXTURES: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(OSV_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name, readFileSync(path.join(OSV_DIR, name), 'utf8')]),
);

/** The limits the zip with problems is indexed and loaded under: `oversized.json` is over them. */
export const PROBLEM_LIMITS: Partial<AdvisoryLimits> = { maxRecordBytes: 64 * 1024 };

const LODASH_TEMPLATE = 'GHSA-35jh-r3h4-6jhm.json';

/**
 * The fixtures and, beside them: a broken entry, one over `PROBLEM_LIMITS`, a record whose range
 * holds a version npm cannot order (a problem of the table), one without `affected` (a problem of
 * its entry), and a newer copy of a real record under another name (a note about the duplicate).
 */
export function zipWithProblems(): ZipContent {
  const [head, tail] = recordText(npmRecord('TEST-OVERSIZED', 'oversized-pad', '9.0.0', { details: '@@' })).split('@@');
  const newer = { ...(JSON.parse(FIXTURES[LODASH_TEMPLATE]!) as Record<string, unknown>), modified: '2099-01-01T00:00:00Z', summary: 'the newer copy' };
  return {
    ...FIXTURES,
    'broken.json': '{ "id": "TEST-BROKEN", "affected": [',
    'oversized.json': head + ' '.repeat(100 * 1024) + tail,
    'bad-version.json': recordText(npmRecord('TEST-BAD-VERSION', 'odd-pad', '', { ranges: [{ type: 'SEMVER', events: [{ introduced: 'not a version' }] }] })),
    'no-affected.json': JSON.stringify({ id: 'TEST-NO-AFFECTED', modified: '2024-01-01T00:00:00Z' }),
    'zz-newer-copy.json': JSON.stringify(newer, null, 2),
  };
}

/** Writes `files` as `<dir>/all.zip` and its index (under `limits`); returns the zip's path. */
export async function writeIndexedZip(dir: string, files: ZipContent, limits: Partial<AdvisoryLimits> = {}): Promise<string> {
  const zip = path.join(dir, 'all.zip');
  writeFileSync(zip, declaredZip(files));
  const built = await buildPublishedIndex({ entry: 'all.zip', path: zip }, limits);
  assert.ok('file' in built, `no index written: ${'problem' in built ? built.problem : ''}`);
  assert.equal(built.file, publishedIndexPath(zip));
  return zip;
}

/** Copies the zip and its index into `dir` (the index then names paths that are not there). */
export function copyZipAndIndex(zip: string, dir: string): string {
  const moved = path.join(dir, path.basename(zip));
  copyFileSync(zip, moved);
  copyFileSync(publishedIndexPath(zip), publishedIndexPath(moved));
  return moved;
}

/** A load by a fresh store without the per-user cache, on this thread. */
export async function loadWithStore(refs: readonly SourceRef[], limits: Partial<AdvisoryLimits> = {}): Promise<{ snapshot: AdvisorySnapshot; store: AdvisoryStore }> {
  const store = new AdvisoryStore(limits, { cacheDir: null, workers: 0 });
  return { snapshot: await store.load(refs), store };
}

/** The same sources loaded with every zip's index (beside a zip source or in a folder source) set aside, then put back: what any load must answer. */
export async function coldLoad(refs: readonly SourceRef[], limits: Partial<AdvisoryLimits> = {}): Promise<AdvisorySnapshot> {
  const inFolder = (dir: string): string[] => (statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? readdirSync(dir).filter((n) => n.endsWith(PUBLISHED_INDEX_SUFFIX)).map((n) => path.join(dir, n)) : []);
  const indexes = refs.flatMap((ref) => [publishedIndexPath(ref.path), ...inFolder(ref.path)]).filter((file) => existsSync(file));
  for (const file of indexes) renameSync(file, `${file}.aside`);
  try {
    const { snapshot, store } = await loadWithStore(refs, limits);
    assert.deepEqual([store.lastLoad?.from, store.lastLoad?.reusedFromIndex], ['parsed', 0], 'the cold load reads no index');
    return snapshot;
  } finally {
    for (const file of indexes) renameSync(`${file}.aside`, file);
  }
}

/** Rewrites the index's header line (its first line of JSON) by `edit`, leaving every other byte as it was. */
export function editIndexHeader(zip: string, edit: (header: Record<string, unknown>) => void): void {
  const file = publishedIndexPath(zip);
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(10);
  const header = JSON.parse(bytes.toString('utf8', 0, newline)) as Record<string, unknown>;
  edit(header);
  writeFileSync(file, Buffer.concat([Buffer.from(JSON.stringify(header)), bytes.subarray(newline)]));
}

/** The record of the folder some loads read beside the zip. */
export const FOLDER_RECORD = { 'TEST-FOLDER.json': recordText(npmRecord('TEST-FOLDER', 'folder-pad', '1.0.0')) };

/** Every record of `files` that is JSON (and the folder's), so the probes ask about each package they name. */
export function probesOf(files: ZipContent): Probe[] {
  const records = [...Object.values(files), ...Object.values(FOLDER_RECORD)].flatMap((text) => {
    try {
      return [JSON.parse(String(text)) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
  return probesFor([...records, npmRecord('X', 'oversized-pad', '9.0.0')]);
}

/** The entry each live record is read from: the last entry holding its id (the newer copy wins, and comes last). */
function entryOfEachId(files: ZipContent): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) {
    try {
      out.set(String((JSON.parse(String(text)) as { id: unknown }).id), name);
    } catch {
      // Broken: no record.
    }
  }
  return out;
}

/**
 * Every record in use is reached by the probes and read from where the load found it: `<zip>!<its
 * entry>`, or `folder` for the folder's record.
 */
export function assertSourcesHere(snapshot: AdvisorySnapshot, probes: Probe[], zip: string, files: ZipContent, folder?: string, context = ''): void {
  const entryOf = entryOfEachId(files);
  const sourceOf = new Map<string, string>();
  for (const { purl } of probes) {
    const parsed = parsePurl(purl);
    if (!('package' in parsed)) continue;
    for (const { id, source } of snapshot.index.explain(parsed.package)) sourceOf.set(id, source);
  }
  assert.equal(sourceOf.size, snapshot.index.counts().records, `${context} the probes reach every record in use`);
  for (const [id, source] of sourceOf) assert.equal(source, id === 'TEST-FOLDER' ? path.join(folder!, 'TEST-FOLDER.json') : `${zip}!${entryOf.get(id)}`, `${context} ${id}`);
}
