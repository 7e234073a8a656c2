/**
 * The on-disk advisory cache and the parallel parse change nothing a caller can see: a load that
 * writes the cache, a later load from it, a load without it (in this thread) and an index built in
 * memory from the parsed records give the same counts, problems, explanations and lookups, over
 * every real OSV fixture and over a generated corpus (with broken files, duplicates and withdrawn
 * records) read from a folder and from a zip.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { AdvisoryIndex, parseOsvRecord, type AdvisoryInput } from '../../server/src/core/advisories/index.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { AdvisoryStore, type SourceRef } from '../../server/src/node/advisoryStore.js';
import { generateOsvCorpus } from '../../bench/osvGenerator.js';
import { indexAnswers, probesFor, snapshotAnswers, type Probe } from './helpers/advisoryProbes.js';
import { OSV_DIR } from './helpers/osvIndex.js';
import { removeTempFolders, tempFolder } from './helpers/osvRecords.js';

// Nothing here may reach the user's own cache, whatever a store is given.
process.env['PLAYBOOK_CACHE_DIR'] ||= tempFolder();
after(removeTempFolders);

/** The same sources loaded three ways, and a fourth (nothing changed) that must be the third's snapshot itself; each must give `uncached`'s answers. */
async function fourWays(refs: SourceRef[], workers: number): Promise<{ uncached: AdvisorySnapshot; cold: AdvisorySnapshot; warm: AdvisorySnapshot }> {
  const cacheDir = tempFolder();
  const uncachedStore = new AdvisoryStore({}, { cacheDir: null, workers: 0 });
  const uncached = await uncachedStore.load(refs);
  const coldStore = new AdvisoryStore({}, { cacheDir, workers });
  const cold = await coldStore.load(refs);
  assert.deepEqual([coldStore.lastLoad?.from, coldStore.lastLoad?.cacheWritten, coldStore.lastLoad?.workers], ['parsed', true, workers]);
  const warmStore = new AdvisoryStore({}, { cacheDir });
  const warm = await warmStore.load(refs);
  assert.equal(warmStore.lastLoad?.from, 'cache');
  assert.equal(await warmStore.load(refs), warm, 'nothing changed: the same snapshot');
  assert.equal(warmStore.lastLoad?.from, 'memory');
  return { uncached, cold, warm };
}

/** Every load's answers (each computed once), asserted equal to the uncached load's; the index part of them, to compare further. */
function assertSameAnswers(loads: Record<string, AdvisorySnapshot>, probes: Probe[]): unknown {
  const [head, ...rest] = Object.entries(loads).map(([name, snapshot]) => [name, snapshotAnswers(snapshot, probes)] as const);
  assert.ok(head, 'at least one load to compare');
  const first = head[1];
  for (const [name, answers] of rest) assert.deepEqual(answers, first, `${name} answers differently`);
  return (first as { index: unknown }).index;
}

/** The index the records make in memory, as the core builds it without the store. */
function inMemory(texts: { name: string; source: string; text: string }[]): AdvisoryIndex {
  const inputs: AdvisoryInput[] = texts.flatMap(({ name, source, text }) => {
    const parsed = parseOsvRecord(text, name);
    return 'record' in parsed ? [{ record: parsed.record, source, text }] : [];
  });
  return new AdvisoryIndex(inputs);
}

describe('every real OSV fixture', () => {
  const names = readdirSync(OSV_DIR).filter((f) => f.endsWith('.json')).sort();
  const texts = names.map((name) => ({ name, source: path.join(OSV_DIR, name), text: readFileSync(path.join(OSV_DIR, name), 'utf8') }));
  const records = texts.map(({ text }) => JSON.parse(text) as Record<string, unknown>);
  const probes = probesFor(records);

  test('written to the cache, read from it, and read without it: the same answers', async () => {
    const loads = await fourWays([{ entry: 'osv', path: OSV_DIR }], 0);
    const answers = assertSameAnswers(loads, probes);
    assert.deepEqual(answers, indexAnswers(inMemory(texts), probes), 'the compact cached records answer as the full ones');
    // The probes reach every record that is not withdrawn, so no record escaped the comparison.
    const reached = new Set((answers as { answers: { explain?: { id: string }[] }[] }).answers.flatMap((a) => (a.explain ?? []).map((e) => e.id)));
    const live = records.filter((r) => r['withdrawn'] === undefined).map((r) => String(r['id']));
    assert.deepEqual(live.filter((id) => !reached.has(id)), []);
    assert.equal(reached.size, loads.warm.index.counts().records);
  });
});

describe('a generated corpus with broken files, duplicates and withdrawn records', () => {
  const corpus = generateOsvCorpus(400, 99);
  const texts = corpus.records.map((record) => ({ name: `${String(record['id'])}.json`, text: JSON.stringify(record, null, 2) }));
  const first = corpus.records[0]!;
  const extra = [
    // The same id twice: the newer `modified` wins, and a note says so.
    { name: 'dup-old.json', text: JSON.stringify({ ...first, modified: '2000-01-01T00:00:00Z', summary: 'older copy' }) },
    { name: 'zz-dup-new.json', text: JSON.stringify({ ...first, modified: '2099-01-01T00:00:00Z', summary: 'newer copy' }) },
    { name: 'broken.json', text: '{ "id": "BROKEN", "affected": [' },
    { name: 'no-affected.json', text: JSON.stringify({ id: 'NO-AFFECTED', modified: '2024-01-01T00:00:00Z' }) },
    { name: 'bad-version.json', text: JSON.stringify({ id: 'BAD-VERSION', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'odd' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: 'not a version' }] }] }] }) },
  ];
  const all = [...texts, ...extra];
  const probes = probesFor(all.flatMap(({ text }) => {
    try {
      return [JSON.parse(text) as Record<string, unknown>];
    } catch {
      return [];
    }
  }));

  test('a folder, parsed on worker threads, then read from the cache: the same answers as in this thread', async () => {
    const dir = tempFolder();
    for (const { name, text } of all) writeFileSync(path.join(dir, name), text);
    const loads = await fourWays([{ entry: 'osv', path: dir }], 2);
    const answers = assertSameAnswers(loads, probes);
    assert.deepEqual(answers, indexAnswers(inMemory(all.map((t) => ({ ...t, source: path.join(dir, t.name) })).sort((a, b) => (a.source < b.source ? -1 : 1))), probes), 'the store orders files as a plain sort of their paths');
    const counts = loads.warm.index.counts();
    assert.deepEqual([counts.records, counts.withdrawn, counts.duplicates], [corpus.records.length - corpus.withdrawn + 1, corpus.withdrawn, 2]);
    // Two notes (the duplicates) and one index problem (the bad version) belong to no file.
    assert.deepEqual(loads.warm.problems.map((p) => `${path.basename(p.file) || '(the set)'} ${p.severity}`).sort(), ['(the set) info', '(the set) info', '(the set) warning', 'broken.json warning', 'no-affected.json warning']);
    assert.equal(loads.warm.index.lookup('pkg:npm/odd', '1.0.0').length, 0);
  });

  test('a zip and a single file, parsed on worker threads, then read from the cache: the same answers as in this thread', async () => {
    const dir = tempFolder();
    const zip = path.join(dir, 'all.zip');
    writeFileSync(zip, zipSync(Object.fromEntries(all.map(({ name, text }) => [name, strToU8(text)])), { level: 6 }));
    const single = path.join(dir, 'extra.json');
    writeFileSync(single, extra[1]!.text);
    const loads = await fourWays([{ entry: 'all.zip', path: zip }, { entry: 'extra.json', path: single }], 2);
    assertSameAnswers(loads, probes);
    assert.deepEqual(loads.warm.sources.map((s) => [s.kind, s.records]), [['zip', all.length - 2], ['file', 1]]);
  });
});
