/**
 * The order used for ecosystems without a known one (in-house `generic` services, unfamiliar OSV
 * ecosystems). Like a coerced semver: the leading dotted numbers compare numerically with missing
 * parts as 0; a `-suffix` (or a letter suffix) marks a pre-release that sorts below the bare release;
 * `+build` is ignored; suffixes compare in natural order (digit runs as numbers). Text with no leading
 * number sorts below every numbered version, in natural order. Every non-empty string parses.
 */
import type { Ecosystem, VersionOrdering } from './ordering.js';

interface LooseVersion {
  numbers: bigint[];
  /** Undefined for a release. */
  suffix: string | undefined;
}

const LEADING_NUMBERS = /^v?(\d+(?:\.\d+)*)(.*)$/;

function parseLoose(version: string): LooseVersion | undefined {
  const text = version.trim();
  if (text === '') return undefined;
  const match = LEADING_NUMBERS.exec(text);
  if (!match) return { numbers: [], suffix: text };
  const rest = match[2]!.replace(/\+.*$/, '').replace(/^[-.]/, '');
  return { numbers: match[1]!.split('.').map((n) => BigInt(n)), suffix: rest === '' ? undefined : rest };
}

/**
 * Natural order, case-insensitive: `rc2` < `rc10`, and `rc01` == `rc1` (digit runs compare by
 * value, so the order stays total: equal values go on to the next part instead of deciding).
 */
function naturalCompare(a: string, b: string): number {
  const partsA = a.toLowerCase().match(/\d+|\D+/g) ?? [];
  const partsB = b.toLowerCase().match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const x = partsA[i]!;
    const y = partsB[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const [p, q] = [BigInt(x), BigInt(y)];
      if (p !== q) return p < q ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return Math.sign(partsA.length - partsB.length);
}

function compareLoose(a: LooseVersion, b: LooseVersion): number {
  if ((a.numbers.length === 0) !== (b.numbers.length === 0)) return a.numbers.length === 0 ? -1 : 1;
  for (let i = 0; i < Math.max(a.numbers.length, b.numbers.length); i++) {
    const x = a.numbers[i] ?? 0n;
    const y = b.numbers[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.suffix === undefined || b.suffix === undefined) {
    return a.suffix === b.suffix ? 0 : a.suffix === undefined ? 1 : -1;
  }
  return naturalCompare(a.suffix, b.suffix);
}

export const fallbackOrdering: VersionOrdering<LooseVersion> = { name: 'generic', parse: parseLoose, compare: compareLoose };

/** An ecosystem the matcher has no rules for: versions by the loose order, names as written. */
export function fallbackEcosystem(name: string): Ecosystem {
  return { name, ordering: { ...fallbackOrdering, name }, normalizeName: (n) => n.trim() };
}
