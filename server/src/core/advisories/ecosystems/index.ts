/** The ecosystems advisory matching knows, by OSV ecosystem name. */
import { fallbackEcosystem } from './fallback.js';
import { go } from './go.js';
import { maven } from './maven.js';
import { npm } from './npm.js';
import { nuget } from './nuget.js';
import type { Ecosystem } from './ordering.js';
import { pypi } from './pypi.js';
import { rubygems } from './rubygems.js';

export type { Ecosystem, VersionOrdering } from './ordering.js';
export { invalidVersion, parseCheckedVersion, sortVersions } from './ordering.js';
export { SEMVER_ORDERING } from './semverAnySize.js';
export { goModuleCandidates } from './go.js';

const KNOWN: readonly Ecosystem[] = [npm, maven, pypi, go, rubygems, nuget];
const BY_LOWER_NAME = new Map(KNOWN.map((e) => [e.name.toLowerCase(), e]));

/**
 * The ecosystem for an OSV `package.ecosystem` value. Case-insensitive (hand-written in-house
 * records say `maven` as often as `Maven`), and a `:suffix` such as `Debian:12` is ignored.
 * Unknown names get the loose fallback order, named after the record's own spelling.
 */
export function ecosystemFor(osvEcosystem: string): Ecosystem {
  const base = osvEcosystem.trim().split(':')[0]!;
  return BY_LOWER_NAME.get(base.toLowerCase()) ?? fallbackEcosystem(base === '' ? 'generic' : base);
}
