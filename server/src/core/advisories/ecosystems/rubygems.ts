/**
 * RubyGems' version order, as `Gem::Version#<=>` implements it. Hand-written because the port in
 * @renovatebot/ruby-semver orders letter segments with `localeCompare` (Ruby compares bytes, so
 * `1.B` < `1.a`) and numbers as doubles (two 30-digit releases come out equal).
 *
 * A version is cut into numbers and letter runs (`-` reads as `.pre.`); any letter makes a
 * pre-release (`1.11.0.rc4` < `1.11.0`), and trailing zeros of the numeric part and of the
 * pre-release part do not count (`1.0` == `1.0.0`). One leniency beyond Gem::Version, as OSV's own
 * tools allow: letters straight after the first number (`1beta`, which reads as `1.beta`).
 */
import type { Ecosystem, VersionOrdering } from './ordering.js';

type Segment = bigint | string;

/** Gem::Version's ANCHORED_VERSION_PATTERN, with `[0-9a-zA-Z]*` added after the first number. */
const GEM_VERSION = /^[0-9]+[0-9a-zA-Z]*(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === 0n) end--;
  return segments.slice(0, end);
}

/** `canonical_segments`: the numeric part and the part from the first letter on, each without trailing zeros. */
function parseGemVersion(version: string): Segment[] | undefined {
  const text = version.trim();
  if (!GEM_VERSION.test(text)) return undefined;
  const segments = (text.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((s): Segment => (/^[0-9]/.test(s) ? BigInt(s) : s));
  const firstLetters = segments.findIndex((s) => typeof s === 'string');
  const split = firstLetters === -1 ? segments.length : firstLetters;
  return [...dropTrailingZeros(segments.slice(0, split)), ...dropTrailingZeros(segments.slice(split))];
}

function compareGemVersions(left: Segment[], right: Segment[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const a = left[i] ?? 0n;
    const b = right[i] ?? 0n;
    if (a === b) continue;
    // A letter run sorts before any number at the same place: that is what makes a pre-release.
    if (typeof a !== typeof b) return typeof a === 'string' ? -1 : 1;
    return a < b ? -1 : 1;
  }
  return 0;
}

const rubygemsOrdering: VersionOrdering<Segment[]> = { name: 'RubyGems', parse: parseGemVersion, compare: compareGemVersions };

export const rubygems: Ecosystem = {
  name: 'RubyGems',
  ordering: rubygemsOrdering,
  // Gem names are case-sensitive and `-`/`_` are distinct on rubygems.org.
  normalizeName: (name) => name.trim(),
};
