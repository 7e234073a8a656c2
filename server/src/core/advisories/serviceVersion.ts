/** The version order a service's own versions (`current`, `releases`, a rollback's `to`) follow. */
import { fallbackOrdering } from './ecosystems/fallback.js';
import { invalidVersion, type VersionOrdering } from './ecosystems/index.js';
import type { PurlPackage } from './purl.js';

/** The purl type's ecosystem order; in-house (`generic`) and unmapped types use the loose fallback. */
export function serviceOrdering(pkg: PurlPackage): VersionOrdering {
  return pkg.ecosystem?.ordering ?? fallbackOrdering;
}

/**
 * Why `version` cannot be checked against advisories for this package, or undefined when it can.
 * A lookup of such a version finds nothing, so a rule should say so rather than stay silent.
 */
export function unreadableVersion(pkg: PurlPackage, version: string): string | undefined {
  const invalid = invalidVersion(serviceOrdering(pkg), version);
  return invalid === undefined ? undefined : `${invalid}, so advisories cannot be checked for it`;
}
