/**
 * Semantic Versioning 2.0.0 precedence with numbers of any size, for Go modules and OSV `SEMVER`
 * ranges. Hand-written because node-semver (npm's own order, which npm keeps) refuses numbers
 * above 2^53 − 1, which Go's semver and the SemVer spec allow. Also the one reading of lenient
 * spellings that both share (`lenientSemVer`).
 */
import type { VersionOrdering } from './ordering.js';

export interface SemVerValue {
  release: [bigint, bigint, bigint];
  /** Dot-separated identifiers; empty for a release. Build metadata is dropped: it takes no part in precedence (§10). */
  prerelease: string[];
}

/** A version's parts as written, before any ecosystem's own checks. */
export interface SemVerText {
  release: [string, string, string];
  prerelease: string | undefined;
  build: string | undefined;
}

const IDENTIFIERS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const LENIENT = new RegExp(`^[v=]?\\s*(\\d+)(?:\\.(\\d+)(?:\\.(\\d+)([A-Za-z][0-9A-Za-z-]*(?:\\.[0-9A-Za-z-]+)*)?)?)?(?:-(${IDENTIFIERS}))?(?:\\+(${IDENTIFIERS}))?$`);
const NUMERIC = /^[0-9]+$/;

/**
 * The leniency real advisory data needs, and no more: a `v` or `=` prefix, missing minor/patch
 * parts read as 0 (GHSA-r683-j2x4-v87g writes `introduced: "1.0"`), leading zeros read as numbers,
 * and a pre-release without its hyphen after a full version (`1.2.3beta`). Unlike node-semver's
 * loose mode it never splits a number: `10.3.21.2` is no version, not `10.3.2-1.2`.
 */
export function lenientSemVer(version: string): SemVerText | undefined {
  const match = LENIENT.exec(version.trim());
  if (!match) return undefined;
  const [, major, minor = '0', patch = '0', bare, hyphenated, build] = match;
  if (bare !== undefined && hyphenated !== undefined) return undefined;
  const number = (digits: string): string => digits.replace(/^0+(?=\d)/, '');
  return { release: [number(major!), number(minor), number(patch)], prerelease: bare ?? hyphenated, build };
}

function parseSemVer(version: string): SemVerValue | undefined {
  const text = lenientSemVer(version);
  if (!text) return undefined;
  const [major, minor, patch] = text.release;
  return { release: [BigInt(major), BigInt(minor), BigInt(patch)], prerelease: text.prerelease ? text.prerelease.split('.') : [] };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  // Numeric identifiers sort below alphanumeric ones; those compare in ASCII order (§11.4).
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareSemVer(a: SemVerValue, b: SemVerValue): number {
  for (let i = 0; i < 3; i++) {
    if (a.release[i] !== b.release[i]) return a.release[i]! < b.release[i]! ? -1 : 1;
  }
  // A release sorts after its pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const order = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (order !== 0) return order;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

export function createSemVerOrdering(name: string, prepare: (version: string) => string = (v) => v): VersionOrdering<SemVerValue> {
  return { name, parse: (version) => parseSemVer(prepare(version)), compare: compareSemVer };
}

/** The order of OSV `SEMVER` ranges, whatever the ecosystem. */
export const SEMVER_ORDERING = createSemVerOrdering('SemVer');
