/**
 * npm's version order, by node-semver (npm's own library). Spellings are first read as
 * `lenientSemVer` reads them (a `v` or `=` prefix, `1.0` for `1.0.0`), then node-semver's strict
 * parse decides, so npm's own limits hold (no number above 2^53 − 1). Go and OSV `SEMVER` ranges
 * use semverAnySize.ts, which has no such limit.
 */
import semver, { type SemVer } from 'semver';
import type { VersionOrdering } from './ordering.js';
import { lenientSemVer } from './semverAnySize.js';

function parseLenientSemver(version: string): SemVer | undefined {
  const text = lenientSemVer(version);
  if (!text) return undefined;
  const canonical = `${text.release.join('.')}${text.prerelease === undefined ? '' : `-${text.prerelease}`}${text.build === undefined ? '' : `+${text.build}`}`;
  return semver.parse(canonical) ?? undefined;
}

export function createSemverOrdering(name: string): VersionOrdering<SemVer> {
  return {
    name,
    parse: (version) => parseLenientSemver(version),
    // Build metadata does not take part in precedence (SemVer 2.0.0 §10).
    compare: (a, b) => a.compare(b),
  };
}
