/**
 * OSV range evaluation on the real `affected[]` entries of test/fixtures/osv, and on entries
 * derived from them to reach the shapes the fixtures lack (limit, unsorted events, one range
 * holding many intervals, SEMVER type).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ecosystemFor } from '../../server/src/core/advisories/ecosystems/index.js';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';
import { isAffected } from '../../server/src/core/advisories/rangeEval.js';
import type { OsvAffected, OsvRecord } from '../../server/src/core/advisories/types.js';

function record(id: string): OsvRecord {
  const file = `${id}.json`;
  const parsed = parseOsvRecord(readFileSync(path.join(__dirname, '../fixtures/osv', file), 'utf8'), file);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.record;
}

/** The verdict's answer and reason (which range matched is checked on its own, below). */
function check(entry: OsvAffected, version: string): { affected: boolean; reason: string } {
  const { affected, reason } = isAffected(entry, version, ecosystemFor(entry.package.ecosystem).ordering);
  return { affected, reason };
}

/** [record id, affected[] index, version, affected?, reason]. */
const CASES: readonly [string, number, string, boolean, string][] = [
  ['GHSA-jfh8-c2jp-5v3q', 0, '2.14.1', true, '2.13.0 up to, not including, 2.15.0'],
  ['GHSA-jfh8-c2jp-5v3q', 0, '2.15.0', false, 'outside every range'],
  ['GHSA-jfh8-c2jp-5v3q', 1, '2.3.0', true, 'every version before 2.3.1'],
  ['GHSA-jfh8-c2jp-5v3q', 2, '2.4.0', true, '2.4 up to, not including, 2.12.2'],
  ['GHSA-jfh8-c2jp-5v3q', 2, '2.3.9', false, 'outside every range'],
  ['GHSA-5mg8-w23w-74h3', 0, '29.0', true, 'every version up to and including 29.0'],
  ['GHSA-5mg8-w23w-74h3', 0, '29.0.1', false, 'outside every range'],
  ['GHSA-fp5r-v3w9-4333', 0, '1.2.17', true, '1.2.0 and later'],
  ['GHSA-fp5r-v3w9-4333', 0, '1.1.3', false, 'outside every range'],
  ['GHSA-pjwm-rvh2-c87w', 0, '0.7.29', true, 'listed in versions'],
  ['GHSA-pjwm-rvh2-c87w', 0, '0.7.30', false, 'outside every range and not listed in versions'],
  ['GHSA-333g-rpr4-7hxq', 2, '0.1.4', true, 'listed in versions'],
  ['GHSA-333g-rpr4-7hxq', 2, '1.0.13', false, 'not listed in versions'],
  ['GHSA-333g-rpr4-7hxq', 1, '1.0.14', true, '1.0.13 up to and including 1.0.14'],
  ['GHSA-r683-j2x4-v87g', 0, '2.6.7', true, '1.0 up to, not including, 3.1.1'],
  ['GHSA-r683-j2x4-v87g', 1, '2.6.7', false, 'outside every range'],
  ['GHSA-w73w-5m7g-f7qc', 0, 'v3.2.0+incompatible', true, '0.0.0-20150717181359-44718f8a89b0 up to and including 3.2.0'],
  ['GHSA-qw6h-vgh9-j6wx', 0, 'latest', false, '`latest` is not a valid npm version, so the ranges could not be checked'],
  ['GHSA-jfh8-c2jp-5v3q', 0, '', false, 'an empty version is not a valid Maven version, so the ranges could not be checked'],
];

describe('isAffected on real entries', () => {
  for (const [id, index, version, affected, reason] of CASES) {
    test(`${id} affected[${index}] ${JSON.stringify(version)} → ${affected}: ${reason}`, () => {
      assert.deepEqual(check(record(id).affected[index]!, version), { affected, reason });
    });
  }
});

describe('which range matched (where PB101 points in the record)', () => {
  const range = (entry: OsvAffected, version: string): number | undefined => isAffected(entry, version, ecosystemFor(entry.package.ecosystem).ordering).range;

  test('the index of the range the version is inside; none when `versions` lists it or nothing matches', () => {
    assert.equal(range(record('GHSA-jfh8-c2jp-5v3q').affected[0]!, '2.14.1'), 0);
    assert.equal(range(record('GHSA-pjwm-rvh2-c87w').affected[0]!, '0.7.29'), undefined, 'listed in versions');
    assert.equal(range(record('GHSA-jfh8-c2jp-5v3q').affected[0]!, '2.15.0'), undefined, 'not affected');
  });

  test('of several ranges, the one that holds the version', () => {
    const qs = record('GHSA-hrpp-h998-j3pp');
    const entry: OsvAffected = { package: qs.affected[0]!.package, ranges: qs.affected.map((a) => a.ranges![0]!) };
    for (const [i, a] of qs.affected.entries()) {
      const introduced = a.ranges![0]!.events.find((e) => e.introduced !== undefined && e.introduced !== '0')?.introduced;
      if (introduced !== undefined) assert.equal(range(entry, introduced), i, `${introduced} is in range ${i}`);
    }
  });
});

describe('isAffected on entries derived from real ones', () => {
  test('events listed out of order are sorted before the walk (GHSA-jfh8 range reversed)', () => {
    const entry = structuredClone(record('GHSA-jfh8-c2jp-5v3q').affected[0]!);
    entry.ranges![0]!.events.reverse();
    assert.deepEqual(entry.ranges![0]!.events, [{ fixed: '2.15.0' }, { introduced: '2.13.0' }]);
    assert.deepEqual(check(entry, '2.14.1'), { affected: true, reason: '2.13.0 up to, not including, 2.15.0' });
    assert.deepEqual(check(entry, '2.15.0'), { affected: false, reason: 'outside every range' });
    assert.deepEqual(check(entry, '2.12.0'), { affected: false, reason: 'outside every range' });
  });

  test('the nine qs backport ranges as one range of interleaved events give the same answers', () => {
    const qs = record('GHSA-hrpp-h998-j3pp');
    const entry: OsvAffected = { package: qs.affected[0]!.package, ranges: [{ type: 'ECOSYSTEM', events: qs.affected.flatMap((a) => a.ranges![0]!.events) }] };
    const expected: [string, boolean, string][] = [
      ['6.7.0', true, '6.7.0 up to, not including, 6.7.3'],
      ['6.10.2', true, '6.10.0 up to, not including, 6.10.3'],
      ['6.2.3', true, 'every version before 6.2.4'],
      ['6.2.4', false, 'outside every range'],
      ['6.3.3', false, 'outside every range'],
      ['6.9.7', false, 'outside every range'],
      ['6.10.3', false, 'outside every range'],
    ];
    for (const [version, affected, reason] of expected) assert.deepEqual(check(entry, version), { affected, reason }, version);
  });

  test('a limit bounds a range that has no fix (GHSA-fp5r with limit 1.3)', () => {
    const entry = structuredClone(record('GHSA-fp5r-v3w9-4333').affected[0]!);
    entry.ranges![0]!.events.push({ limit: '1.3' });
    assert.deepEqual(check(entry, '1.2.17'), { affected: true, reason: '1.2.0 and later, below 1.3' });
    assert.deepEqual(check(entry, '1.3.0'), { affected: false, reason: 'outside every range' });
    // A record is a value (what it says about a range is kept per range): another one for another range.
    const unbounded = structuredClone(entry);
    unbounded.ranges![0]!.events.push({ limit: '*' });
    assert.equal(check(unbounded, '1.3.0').affected, true, 'limit "*" leaves the range unbounded');
  });

  test('a SEMVER range is compared as SemVer whatever the ecosystem (guava: 29.0-jre is a pre-release there)', () => {
    const entry = structuredClone(record('GHSA-5mg8-w23w-74h3').affected[0]!);
    assert.equal(check(entry, '29.0-jre').affected, false, 'Maven order: an unknown qualifier sorts after the release');
    entry.ranges![0]!.type = 'SEMVER';
    assert.deepEqual(check(entry, '29.0-jre'), { affected: true, reason: 'every version up to and including 29.0' });
  });

  test('a range with an event version the ecosystem cannot order is skipped, and the reason says so', () => {
    const entry = structuredClone(record('GHSA-qw6h-vgh9-j6wx').affected[0]!);
    entry.ranges![0]!.events[1] = { fixed: 'next' };
    assert.deepEqual(check(entry, '4.19.2'), {
      affected: false,
      reason: 'ECOSYSTEM range 1 has `fixed: next`, which is not a valid npm version, so it was skipped',
    });
  });

  test('GIT ranges are never evaluated', () => {
    const entry = structuredClone(record('GHSA-qw6h-vgh9-j6wx').affected[0]!);
    entry.ranges![0]!.type = 'GIT';
    assert.deepEqual(check(entry, '4.19.2'), { affected: false, reason: 'no range or version list to match' });
  });

  test('versions match by the ecosystem order too (Maven `1.2` is the listed `1.2.0`)', () => {
    const entry: OsvAffected = { package: record('GHSA-fp5r-v3w9-4333').affected[0]!.package, versions: ['1.2.0'] };
    assert.deepEqual(check(entry, '1.2'), { affected: true, reason: 'listed in versions' });
    assert.deepEqual(check(entry, '1.2.1'), { affected: false, reason: 'not listed in versions' });
  });
});
