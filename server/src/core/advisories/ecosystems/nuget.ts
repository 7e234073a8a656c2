/**
 * NuGet's version order: `Major.Minor.Patch[.Revision][-prerelease][+metadata]`. Missing numeric
 * parts are 0 (`1.0` == `1.0.0.0`), leading zeros are allowed (`01.2` == `1.2`), pre-release labels
 * compare case-insensitively as in SemVer 2.0.0, and metadata is ignored.
 */
import type { Ecosystem, VersionOrdering } from './ordering.js';

interface NuGetVersion {
  numbers: bigint[];
  /** Dot-separated labels, lower-cased; empty for a release. */
  prerelease: string[];
}

const NUGET_VERSION = /^v?(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const NUMERIC = /^\d+$/;

function parseNuGetVersion(version: string): NuGetVersion | undefined {
  const match = NUGET_VERSION.exec(version.trim());
  if (!match) return undefined;
  const numbers = match[1]!.split('.').map((part) => BigInt(part));
  while (numbers.length < 4) numbers.push(0n);
  return { numbers, prerelease: match[2] ? match[2].toLowerCase().split('.') : [] };
}

function compareLabel(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(BigInt(a) - BigInt(b)));
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNuGet(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    if (a.numbers[i] !== b.numbers[i]) return a.numbers[i]! < b.numbers[i]! ? -1 : 1;
  }
  // A release sorts after its pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return Math.sign(b.prerelease.length - a.prerelease.length);
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const result = compareLabel(a.prerelease[i]!, b.prerelease[i]!);
    if (result !== 0) return result;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

const nugetOrdering: VersionOrdering<NuGetVersion> = { name: 'NuGet', parse: parseNuGetVersion, compare: compareNuGet };

export const nuget: Ecosystem = {
  name: 'NuGet',
  ordering: nugetOrdering,
  // Package ids are case-insensitive on nuget.org (`System.Text.Json` == `system.text.json`).
  normalizeName: (name) => name.trim().toLowerCase(),
};
