/**
 * Semantic Versioning 2.0.0 with the leniency real advisory data needs: a `v` or `=` prefix, and
 * missing minor/patch parts padded with zeros (GHSA-r683-j2x4-v87g writes `introduced: "1.0"`).
 * Shared by npm, Go and OSV `SEMVER` ranges.
 */
import semver, { type SemVer } from 'semver';
import type { VersionOrdering } from './ordering.js';

const SHORT_VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?([-+].*)?$/;

export function parseLenientSemver(version: string): SemVer | undefined {
  const text = version.trim();
  const strict = semver.parse(text) ?? semver.parse(text, { loose: true });
  if (strict) return strict;
  const short = SHORT_VERSION.exec(text);
  if (!short) return undefined;
  const [, major, minor = '0', patch = '0', rest = ''] = short;
  return semver.parse(`${major}.${minor}.${patch}${rest}`) ?? undefined;
}

export function createSemverOrdering(name: string, prepare: (version: string) => string = (v) => v): VersionOrdering<SemVer> {
  return {
    name,
    parse: (version) => parseLenientSemver(prepare(version)),
    // Build metadata does not take part in precedence (SemVer 2.0.0 §10).
    compare: (a, b) => a.compare(b),
  };
}

/** The order of OSV `SEMVER` ranges, whatever the ecosystem. */
export const SEMVER_ORDERING = createSemverOrdering('SemVer');
