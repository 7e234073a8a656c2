/**
 * Versions to offer instead of an affected one (spec section 6, the PB101 quick fix), best first:
 * the newest known release below `current` that no advisory affects, then the lowest `fixed`
 * version of the matching advisories that is at or below `current` and that no advisory affects.
 * With SBOMs, "no advisory affects" covers every component too (the caller's `clear`).
 */
import type { AdvisoryIndex } from './advisoryIndex.js';
import { parseCheckedVersion, sortVersions, type VersionOrdering } from './ecosystems/index.js';
import { parsePurl, type PurlPackage } from './purl.js';
import { serviceOrdering } from './serviceVersion.js';

export interface ServiceVersions {
  purl: string;
  current: string;
  releases: readonly string[];
}

export interface SafeVersion {
  version: string;
  /** "newest unaffected release below 2.4.0", "first fixed release of GHSA-jfh8-c2jp-5v3q". */
  why: string;
  /** Whether the version is one of the service's `releases` (a fixed version may not be). */
  known: boolean;
}

export interface SafeVersionOptions {
  /**
   * The affected version being replaced (a rollback's `to`). When given, fixed versions come from
   * the advisories that affect it and must be above it: the fix of the range it sits in, not the
   * fix of an older backport line. Without it, from the advisories affecting any known release.
   */
  target?: string;
  /** Whether no advisory stands against a version, in place of the package's own lookup: with SBOM components and security's VEX decisions (spec sections 8 and 9). */
  clear?: (version: string) => boolean;
}

/**
 * How much data a suggestion's "no advisory affects it" rests on, said with it: "clear of all 3
 * loaded advisories". Newer data (an advisory update) may change the verdict.
 */
export function clearOfLoaded(records: number): string {
  return records === 1 ? 'clear of the one loaded advisory' : `clear of all ${records} loaded advisories`;
}

export function safeVersions(service: ServiceVersions, index: AdvisoryIndex, options: SafeVersionOptions = {}): SafeVersion[] {
  const parsed = parsePurl(service.purl);
  if (!('package' in parsed)) return [];
  const pkg = parsed.package;
  const ordering = serviceOrdering(pkg);
  const current = parseCheckedVersion(ordering, service.current);
  if (current === undefined) return [];
  // A version that cannot be checked (`latest`, a PyPI legacy version) matches no advisory, which is not the same as safe.
  const isSafe = (version: string): boolean => parseCheckedVersion(ordering, version) !== undefined && (options.clear ? options.clear(version) : index.lookupPackage(pkg, version).length === 0);
  const isKnown = (version: string): boolean => service.releases.some((r) => sameVersion(ordering, r, version));

  const out: SafeVersion[] = [];
  const belowCurrent = sortVersions(ordering, service.releases).filter((r) => ordering.compare(ordering.parse(r), current) < 0);
  const newestSafe = belowCurrent.reverse().find(isSafe);
  if (newestSafe !== undefined) out.push({ version: newestSafe, why: `newest unaffected release below ${service.current}`, known: true });

  const fix = lowestSafeFix(pkg, service, index, ordering, current, options.target, isSafe);
  if (fix) {
    const same = out.find((s) => sameVersion(ordering, s.version, fix.version));
    if (same) same.why += `, and ${fix.why}`;
    else out.push({ ...fix, known: isKnown(fix.version) });
  }
  return out;
}

function lowestSafeFix(
  pkg: PurlPackage,
  service: ServiceVersions,
  index: AdvisoryIndex,
  ordering: VersionOrdering,
  current: unknown,
  target: string | undefined,
  isSafe: (version: string) => boolean,
): { version: string; why: string } | undefined {
  const affectedVersions = target !== undefined ? [target] : [...service.releases, service.current];
  const fixedBy = new Map<string, Set<string>>();
  for (const version of affectedVersions) {
    for (const match of index.lookupPackage(pkg, version)) {
      for (const fixed of match.fixed) {
        const ids = fixedBy.get(fixed) ?? new Set<string>();
        fixedBy.set(fixed, ids.add(match.id));
      }
    }
  }
  const floor = target === undefined ? undefined : ordering.parse(target);
  const candidates = sortVersions(ordering, fixedBy.keys()).filter((fixed) => {
    const value = ordering.parse(fixed);
    return ordering.compare(value, current) <= 0 && (floor === undefined || ordering.compare(value, floor) > 0);
  });
  const lowest = candidates.find(isSafe);
  if (lowest === undefined) return undefined;
  // Equal spellings (`2.4` and `2.4.0`) were merged by sortVersions; collect the ids of all of them.
  const ids = [...fixedBy].filter(([fixed]) => sameVersion(ordering, fixed, lowest)).flatMap(([, set]) => [...set]);
  return { version: lowest, why: `first fixed release of ${[...new Set(ids)].sort().join(', ')}` };
}

function sameVersion(ordering: VersionOrdering, a: string, b: string): boolean {
  const pa = ordering.parse(a);
  const pb = ordering.parse(b);
  return pa !== undefined && pb !== undefined && ordering.compare(pa, pb) === 0;
}
