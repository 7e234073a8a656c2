/**
 * Every ecosystem's version order against osv-scanner's published vectors
 * (test/fixtures/version-ordering, see its README): each line is compared both ways.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fallbackOrdering } from '../../server/src/core/advisories/ecosystems/fallback.js';
import { ecosystemFor, SEMVER_ORDERING, type VersionOrdering } from '../../server/src/core/advisories/ecosystems/index.js';

const VECTORS = path.join(__dirname, '../fixtures/version-ordering');

interface Vector {
  line: number;
  text: string;
  a: string;
  b: string;
  expected: -1 | 0 | 1;
}

function readVectors(file: string): Vector[] {
  const out: Vector[] = [];
  readFileSync(path.join(VECTORS, file), 'utf8').split('\n').forEach((text, i) => {
    if (text === '' || text.startsWith('# ') || text.startsWith('// ')) return;
    const parts = text.split(' ');
    assert.equal(parts.length, 3, `${file}:${i + 1}: \`${text}\` is not \`a op b\``);
    const [a, op, b] = parts as [string, string, string];
    const expected = ({ '<': -1, '=': 0, '>': 1 } as const)[op as '<' | '=' | '>'];
    assert.notEqual(expected, undefined, `${file}:${i + 1}: unknown comparator \`${op}\``);
    out.push({ line: i + 1, text, a, b, expected });
  });
  return out;
}

/** Why a line is skipped for an ordering: the vector disagrees with that ecosystem's own tool. */
type Skips = Readonly<Record<string, string>>;

const NOT_SEMVER = 'five parts are not a SemVer version: node-semver, Go\'s x/mod/semver and the SemVer spec all refuse `1.1.3.4.5` (osv-scanner reads the extra parts as build metadata)';
const NATURAL = 'the fallback (in-house and unknown ecosystems) compares suffixes case-insensitively in natural order on purpose (`release-2` < `release-10`), where SemVer compares ASCII';
const NPM_LIMIT = 'node-semver, npm\'s own library, refuses numbers above 2^53 - 1, so npm cannot publish such a version';

const SUITES: readonly { name: string; ordering: VersionOrdering; file: string; skips?: Skips }[] = [
  {
    name: 'npm',
    ordering: ecosystemFor('npm').ordering,
    file: 'semver-versions.txt',
    skips: {
      '1.1.3.4.5 = 1.1.3.4.5': NOT_SEMVER,
      '999999999999999999999999999991 < 999999999999999999999999999999': NPM_LIMIT,
      '999999999999999999999999999991.999999999999999999999999999991.999999999999999999999999999991 < 999999999999999999999999999999.999999999999999999999999999991.999999999999999999999999999991': NPM_LIMIT,
    },
  },
  { name: 'Go', ordering: ecosystemFor('Go').ordering, file: 'semver-versions.txt', skips: { '1.1.3.4.5 = 1.1.3.4.5': NOT_SEMVER } },
  { name: 'OSV SEMVER ranges', ordering: SEMVER_ORDERING, file: 'semver-versions.txt', skips: { '1.1.3.4.5 = 1.1.3.4.5': NOT_SEMVER } },
  { name: 'RubyGems', ordering: ecosystemFor('RubyGems').ordering, file: 'rubygems-versions.txt' },
  { name: 'NuGet', ordering: ecosystemFor('NuGet').ordering, file: 'nuget-versions.txt' },
  { name: 'PyPI', ordering: ecosystemFor('PyPI').ordering, file: 'pypi-versions.txt' },
  {
    name: 'Maven',
    ordering: ecosystemFor('Maven').ordering,
    file: 'maven-versions.txt',
    skips: {
      // maven-artifact 3.8.7 and 3.9.6 both print `1-1 > 1-ga-1` (tokens [1, [1]] and [1, [[1]]]): `ga` is dropped, its list is not.
      '1-1 = 1-ga-1': 'Maven\'s ComparableVersion itself orders `1-1` above `1-ga-1`',
    },
  },
  {
    name: 'fallback',
    ordering: fallbackOrdering,
    file: 'semver-versions.txt',
    skips: {
      '1.2.3-5-foo > 1.2.3-5-Foo': NATURAL,
      '1.2.3-5-Foo < 1.2.3-5-foo': NATURAL,
      '1.2.3-r2 > 1.2.3-r100': NATURAL,
      '1.2.3-r100 < 1.2.3-r2': NATURAL,
    },
  },
  { name: 'fallback', ordering: fallbackOrdering, file: 'nuget-versions.txt' },
];

describe('version order against osv-scanner\'s vectors', () => {
  for (const { name, ordering, file, skips = {} } of SUITES) {
    const vectors = readVectors(file);
    test(`${name}: every line of ${file} (${vectors.length - Object.keys(skips).length} of ${vectors.length}; skipped lines are named)`, () => {
      for (const skipped of Object.keys(skips)) assert.ok(vectors.some((v) => v.text === skipped), `${name}: the skipped line \`${skipped}\` is not in ${file}`);
      const wrong: string[] = [];
      for (const v of vectors) {
        if (skips[v.text] !== undefined) continue;
        const a = ordering.parse(v.a);
        const b = ordering.parse(v.b);
        if (a === undefined || b === undefined) {
          wrong.push(`${file}:${v.line} \`${v.text}\`: \`${a === undefined ? v.a : v.b}\` does not parse`);
          continue;
        }
        const forward = Math.sign(ordering.compare(a, b));
        const backward = Math.sign(ordering.compare(b, a));
        if (forward !== v.expected || backward !== -v.expected) wrong.push(`${file}:${v.line} \`${v.text}\`: compare gives ${forward} and ${backward} the other way`);
      }
      assert.deepEqual(wrong, []);
    });
  }
});
