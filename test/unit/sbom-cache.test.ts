/**
 * Parsed SBOMs kept per user between processes (node/sbomCache.ts), and the core's memo of which
 * components matched (ComponentMatchMemo): a hit gives exactly what parsing gives, a changed SBOM
 * or a changed advisory set is never answered from what was kept, and a damaged cache file is no
 * file. Real data: the SBOMs and advisories of test/fixtures/sbom.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import { parsePlaybook, parseSbom, releaseStatus, type ComponentMatchMemo, type ReleaseData, type SbomEntry } from '../../server/src/core/index.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { CheckEnvironment } from '../../server/src/node/checkEnvironment.js';
import { ReleaseFileCache } from '../../server/src/node/releaseFiles.js';
import { workspace } from '../cli/helpers.js';
import { SBOM_ADVISORIES, SBOM_DIR } from './helpers/sbomFixtures.js';

const LIMITS = { maxBytes: 64 * 1024 * 1024, maxComponents: 200_000 };
const DROPWIZARD = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');

/** Every SBOM fixture: CycloneDX and SPDX, nested components, components without purls. */
function fixtureSboms(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, name.name);
      if (name.isDirectory() && name.name !== 'osv' && name.name !== 'vex' && name.name !== 'npm-project') walk(full);
      else if (name.isFile() && name.name.endsWith('.json')) out.push(full);
    }
  };
  walk(SBOM_DIR);
  return out.sort();
}

const cacheFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('sbom-') && f.endsWith('.cache'));

function sbomOf(entry: SbomEntry): Extract<SbomEntry, { sbom: unknown }> {
  assert.ok('sbom' in entry, JSON.stringify(entry));
  return entry;
}

describe('parsed SBOMs kept between processes', () => {
  test('a second process gets from the cache exactly what parsing gives, for every fixture SBOM', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'playbook-sbom-cache-'));
    for (const file of fixtureSboms()) {
      const first = new ReleaseFileCache(cacheDir);
      const parsed = await first.sbom(file, LIMITS);
      await new Promise((resolve) => setImmediate(resolve));
      const second = new ReleaseFileCache(cacheDir);
      const kept = await second.sbom(file, LIMITS);
      assert.deepEqual([first.sbomReads, second.sbomReads], [{ parsed: 1, fromCache: 0 }, { parsed: 0, fromCache: 1 }], file);
      const direct = parseSbom(readFileSync(file, 'utf8'));
      if ('problem' in direct) assert.deepEqual(kept, { file, problem: direct.problem });
      else assert.deepEqual([sbomOf(parsed).sbom, sbomOf(kept).sbom], [direct, direct], file);
    }
    assert.equal(cacheFiles(cacheDir).length, fixtureSboms().length, 'one file per SBOM');
  });

  test('nothing is kept without a cache folder', async () => {
    const root = workspace({ 'sbom.json': DROPWIZARD });
    const cache = new ReleaseFileCache(undefined);
    sbomOf(await cache.sbom(path.join(root, 'sbom.json'), LIMITS));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(cache.sbomReads, { parsed: 1, fromCache: 0 });
  });

  test('an SBOM written again is parsed again, even with the same size and modification time', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'playbook-sbom-cache-'));
    const root = workspace({ 'sbom.json': DROPWIZARD });
    const file = path.join(root, 'sbom.json');
    const before = sbomOf(await new ReleaseFileCache(cacheDir).sbom(file, LIMITS));
    await new Promise((resolve) => setImmediate(resolve));
    // Same length, another component version; the modification time put back as it was.
    const { mtime, atime } = statSync(file);
    writeFileSync(file, DROPWIZARD.replace('"version": "1.4.197"', '"version": "2.1.214"'));
    utimesSync(file, atime, mtime);
    const cache = new ReleaseFileCache(cacheDir);
    const after = sbomOf(await cache.sbom(file, LIMITS));
    assert.deepEqual(cache.sbomReads, { parsed: 1, fromCache: 0 });
    const h2 = (entry: typeof before): string | undefined => entry.sbom.components.find((c) => c.name === 'h2')?.version;
    assert.deepEqual([h2(before), h2(after)], ['1.4.197', '2.1.214']);
  });

  test('a damaged or foreign cache file is no file: the SBOM is parsed again and the file replaced', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'playbook-sbom-cache-'));
    const root = workspace({ 'sbom.json': DROPWIZARD });
    const file = path.join(root, 'sbom.json');
    const expected = sbomOf(await new ReleaseFileCache(cacheDir).sbom(file, LIMITS)).sbom;
    await new Promise((resolve) => setImmediate(resolve));
    const [name] = cacheFiles(cacheDir);
    const cachePath = path.join(cacheDir, name!);
    const good = readFileSync(cachePath);
    const header = good.subarray(0, good.indexOf(10) + 1).toString();
    const damages: Record<string, Buffer> = {
      'one byte of a component name changed': Buffer.from(good.toString('latin1').replace('"h2"', '"h3"'), 'latin1'),
      'cut short': good.subarray(0, good.length - 10),
      'another key': Buffer.concat([Buffer.from(header.replace(/"key":"[0-9a-f]+"/, `"key":"${'0'.repeat(64)}"`)), good.subarray(header.length)]),
      'not a cache file': Buffer.from('{"components": []}\n'),
    };
    for (const [what, bytes] of Object.entries(damages)) {
      assert.notDeepEqual(bytes, good, what);
      writeFileSync(cachePath, bytes);
      const cache = new ReleaseFileCache(cacheDir);
      assert.deepEqual(sbomOf(await cache.sbom(file, LIMITS)).sbom, expected, what);
      assert.deepEqual(cache.sbomReads, { parsed: 1, fromCache: 0 }, what);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(readFileSync(cachePath), good, `${what}: written again`);
    }
  });
});

// ---------------------------------------------------------------------------------------------

function advisoryIndex(ids: readonly string[], dataKey?: string): AdvisoryIndex {
  const inputs = ids.map((id) => {
    const parsed = parseOsvRecord(readFileSync(path.join(SBOM_DIR, 'osv', `${id}.json`), 'utf8'), id);
    assert.ok('record' in parsed, id);
    return { record: parsed.record, source: id };
  });
  return new AdvisoryIndex(inputs, dataKey);
}

const ALL_IDS = readdirSync(path.join(SBOM_DIR, 'osv')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
const SERVICE = parsePlaybook('playbook: x\nservices:\n  api:\n    package: pkg:maven/io.dropwizard/dropwizard-parent\n    sbom: sbom.json\n    releases: [1.3.15]\n').model.services.get('api')!;

class RecordingMemo implements ComponentMatchMemo {
  readonly kept = new Map<string, readonly number[]>();
  readonly sets: string[] = [];
  get(dataKey: string): readonly number[] | undefined {
    return this.kept.get(dataKey);
  }
  set(dataKey: string, components: readonly number[]): void {
    this.sets.push(dataKey);
    this.kept.set(dataKey, components);
  }
}

function dataWith(memo: ComponentMatchMemo | undefined): ReleaseData {
  const sbom = parseSbom(DROPWIZARD);
  assert.ok(!('problem' in sbom));
  return { named: new Map([['sbom.json', { file: 'sbom.json', sbom, ...(memo ? { matches: memo } : {}) }]]), found: [], vex: [] };
}

const standing = (data: ReleaseData, index: AdvisoryIndex): string[] => releaseStatus(SERVICE, '1.3.15', data, index).standing.map((s) => `${s.component?.name}:${s.match.id}`);

describe('the memo of matched components (ComponentMatchMemo)', () => {
  test('the first answer against an index keeps which components matched; an answer from the memo equals the full one', () => {
    const memo = new RecordingMemo();
    const full = standing(dataWith(undefined), advisoryIndex(ALL_IDS));
    assert.ok(full.length >= 4, 'the dropwizard SBOM has standing advisories');
    assert.deepEqual(standing(dataWith(memo), advisoryIndex(ALL_IDS, 'k1')), full);
    assert.deepEqual(memo.sets, ['k1']);
    const components = dataWith(undefined).named.get('sbom.json') as Extract<SbomEntry, { sbom: unknown }>;
    const names = memo.kept.get('k1')!.map((i) => components.sbom.components[i]!.name);
    assert.deepEqual([...new Set(names)].sort(), [...new Set(full.map((s) => s.split(':')[0]!))].sort());
    // Answered again from the memo (a new release data: nothing kept in the core), and the memo not written again.
    assert.deepEqual(standing(dataWith(memo), advisoryIndex(ALL_IDS, 'k1')), full);
    assert.deepEqual(memo.sets, ['k1']);
  });

  test('the memo decides which components are looked up: it is used only under the index\'s own key', () => {
    const memo = new RecordingMemo();
    memo.kept.set('k1', []);
    assert.deepEqual(standing(dataWith(memo), advisoryIndex(ALL_IDS, 'k1')), [], 'an empty memo under this key: nothing looked up');
    assert.ok(standing(dataWith(memo), advisoryIndex(ALL_IDS, 'k2')).length >= 4, 'another key: every component looked up');
    assert.deepEqual(memo.sets, ['k2']);
    const unkeyed = new RecordingMemo();
    unkeyed.kept.set('k1', []);
    assert.ok(standing(dataWith(unkeyed), advisoryIndex(ALL_IDS)).length >= 4, 'an index the adapter gave no key: the memo is not used');
    assert.deepEqual(unkeyed.sets, []);
  });

  test('kept numbers that cannot be this SBOM\'s are not used', () => {
    const full = standing(dataWith(undefined), advisoryIndex(ALL_IDS));
    for (const kept of [[1_000_000], [-1], [3, 2], [1.5], [2, 2]]) {
      const memo = new RecordingMemo();
      memo.kept.set('k1', kept);
      assert.deepEqual(standing(dataWith(memo), advisoryIndex(ALL_IDS, 'k1')), full, JSON.stringify(kept));
      assert.deepEqual(memo.sets, ['k1'], `${JSON.stringify(kept)} replaced`);
    }
  });
});

describe('end to end: what was kept never hides an advisory added since', () => {
  test('a release clear of the advisories at first is flagged once a record on one of its components is added', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'playbook-sbom-cache-'));
    const h2 = '.playbooks/advisories/GHSA-45hx-wfhj-473x.json';
    const { [h2]: h2Record, ...others } = SBOM_ADVISORIES;
    assert.ok(h2Record);
    const root = workspace({ ...others, '.playbooks/policy.yaml': 'policy: 1\n', 'sboms/api-1.3.15.cdx.json': DROPWIZARD });
    const text = 'playbook: x\nservices:\n  api:\n    package: pkg:maven/io.dropwizard/dropwizard-parent\n    sbom: sboms/api-{version}.cdx.json\n    releases: [1.3.15]\n';
    const service = parsePlaybook(text).model.services.get('api')!;
    const statusIn = async (): Promise<{ names: string[]; reads: ReleaseFileCache['sbomReads'] }> => {
      const environments = new CheckEnvironment(root, undefined, new AdvisoryStore({}, { cacheDir, workers: 0 }));
      const environment = await environments.environmentForFolder(root);
      const entry = await environment.releases.cache.namedSbom(path.join(root, 'sboms/api-1.3.15.cdx.json'), root, LIMITS);
      const data: ReleaseData = { named: new Map([['sboms/api-1.3.15.cdx.json', entry]]), found: [], vex: [] };
      const names = releaseStatus(service, '1.3.15', data, environment.advisories.index).standing.map((s) => s.component?.name ?? '');
      await new Promise((resolve) => setImmediate(resolve));
      return { names, reads: { ...environment.releases.cache.sbomReads } };
    };
    const first = await statusIn();
    assert.ok(!first.names.includes('h2'), 'no record on h2 yet');
    assert.deepEqual(first.reads, { parsed: 1, fromCache: 0 });
    const again = await statusIn();
    assert.deepEqual(again, { names: first.names, reads: { parsed: 0, fromCache: 1 } }, 'the same answer from what was kept');
    writeFileSync(path.join(root, h2), h2Record);
    const after = await statusIn();
    assert.deepEqual(after.reads, { parsed: 0, fromCache: 1 }, 'the SBOM itself did not change');
    assert.ok(after.names.includes('h2'), `the new advisory on h2 stands: ${after.names.join(', ')}`);
    rmSync(root, { recursive: true, force: true });
  });
});
