/**
 * Property tests: every version order is a total order over the odd spellings real data holds
 * (leading zeros, pre-release tags with and without dots, PyPI legacy strings, empty segments,
 * huge numbers). A fixed seed in `npm test`; FUZZ_RUNS and FUZZ_SEED as in properties.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fallbackOrdering } from '../../server/src/core/advisories/ecosystems/fallback.js';
import { ecosystemFor, SEMVER_ORDERING, type VersionOrdering } from '../../server/src/core/advisories/ecosystems/index.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 400);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261205;
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const NUMBERS = ['0', '1', '2', '9', '10', '01', '00', '007', '20220314234659', '9007199254740993', '999999999999999999999999999991'];
const WORDS = ['a', 'b', 'c', 'm', 'r', 'x', 'alpha', 'Alpha', 'beta', 'rc', 'RC', 'cr', 'pre', 'preview', 'dev', 'post', 'rev', 'snapshot', 'SNAPSHOT', 'ga', 'final', 'release', 'sp', 'jre', 'foo', 'Foo', 'bulbasaur', 'incompatible'];
const SEPARATORS = ['.', '.', '-', '', '_', '+', '!', '..', '.-'];
const PREFIXES = ['', '', '', 'v', 'V', '=', ' ', '-'];

const token = fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...WORDS), fc.stringMatching(/^[0-9a-zA-Z]{1,3}$/));
/** A version-like string: a prefix, then tokens joined by separators (empty ones included). */
const versionish = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.constantFrom(...NUMBERS), fc.array(fc.tuple(fc.constantFrom(...SEPARATORS), token), { maxLength: 5 }))
  .map(([prefix, first, rest]) => prefix + first + rest.map(([sep, t]) => sep + t).join(''));
/** Spellings near a version, which orders often call equal: `.0` added, case changed, a leading zero, a separator swapped. */
const variant = (text: string): fc.Arbitrary<string> =>
  fc.constantFrom(text, `${text}.0`, `${text}-0`, text.toUpperCase(), text.toLowerCase(), text.replace(/\d+/, (d) => `0${d}`), text.replace('.', '-'), text.replace('-', '.'), `v${text}`, `${text}.`);
const family = versionish.chain((base) => fc.tuple(variant(base), variant(base), versionish));

const ORDERINGS: readonly VersionOrdering[] = [
  ...['npm', 'Go', 'PyPI', 'Maven', 'RubyGems', 'NuGet'].map((name) => ecosystemFor(name).ordering),
  SEMVER_ORDERING,
  fallbackOrdering,
];

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

for (const ordering of ORDERINGS) {
  describe(`${ordering.name} order is total`, () => {
    const cmp = (a: string, b: string): number | undefined => {
      const x = ordering.parse(a);
      const y = ordering.parse(b);
      return x === undefined || y === undefined ? undefined : sign(ordering.compare(x, y));
    };

    test('reflexive: every parsed version equals itself', () => {
      fc.assert(fc.property(versionish, (a) => cmp(a, a) === undefined || cmp(a, a) === 0), params);
    });

    test('antisymmetric: compare(a, b) = -compare(b, a)', () => {
      fc.assert(
        fc.property(family, ([a, b, c]) => {
          for (const [x, y] of [[a, b], [a, c], [b, c]] as const) {
            const forward = cmp(x, y);
            const backward = cmp(y, x);
            if (forward !== undefined) assert.ok(forward + backward! === 0, `compare(${JSON.stringify(x)}, ${JSON.stringify(y)}) = ${forward}, and the other way ${backward}`);
          }
        }),
        params,
      );
    });

    test('transitive: a ≤ b and b ≤ c give a ≤ c, strictly when either is strict', () => {
      fc.assert(
        fc.property(family, ([a, b, c]) => {
          const all = [a, b, c].filter((v) => ordering.parse(v) !== undefined);
          if (all.length < 3) return;
          // Every order of the three: wherever the first two hold, the conclusion must too.
          for (const [x, y, z] of [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]] as const) {
            const xy = cmp(x, y)!;
            const yz = cmp(y, z)!;
            if (xy > 0 || yz > 0) continue;
            const xz = cmp(x, z)!;
            const label = `${JSON.stringify(x)} ${xy} ${JSON.stringify(y)} ${yz} ${JSON.stringify(z)}, yet compare(x, z) = ${xz}`;
            assert.ok(xy === 0 && yz === 0 ? xz === 0 : xz < 0, label);
          }
        }),
        params,
      );
    });
  });
}
