/**
 * Every question the rules, features, dry-run and CLI ask an advisory index or snapshot, asked
 * about every package a set of records names and every version they mention, so two loads can be
 * compared whole: answers equal means no caller can tell them apart.
 */
import { PackageURL } from 'packageurl-js';
import type { AdvisoryIndex } from '../../../server/src/core/advisories/advisoryIndex.js';
import { parsePurl } from '../../../server/src/core/advisories/purl.js';
import type { AdvisorySnapshot } from '../../../server/src/core/advisories/snapshot.js';

export interface Probe {
  purl: string;
  versions: string[];
}

const PURL_TYPES: Readonly<Record<string, string>> = { npm: 'npm', maven: 'maven', pypi: 'pypi', go: 'golang', rubygems: 'gem', nuget: 'nuget' };

type LooseRecord = Record<string, unknown>;
type LooseAffected = { package?: { ecosystem?: string; name?: string; purl?: string }; ranges?: { events?: Record<string, unknown>[] }[]; versions?: unknown[] };

/** One probe per package named (by name and by purl), with every version the records mention plus two outside them. */
export function probesFor(records: readonly LooseRecord[]): Probe[] {
  const byPurl = new Map<string, Set<string>>();
  for (const record of records) {
    for (const entry of (Array.isArray(record['affected']) ? record['affected'] : []) as LooseAffected[]) {
      const versions = new Set<string>(['0.0.1', '999.0.0']);
      for (const range of entry.ranges ?? []) for (const event of range.events ?? []) for (const v of Object.values(event)) if (typeof v === 'string') versions.add(v);
      for (const v of entry.versions ?? []) if (typeof v === 'string') versions.add(v);
      for (const purl of purlsOf(entry)) {
        const set = byPurl.get(purl) ?? new Set<string>();
        for (const v of versions) set.add(v);
        byPurl.set(purl, set);
      }
    }
  }
  return [...byPurl].sort(([a], [b]) => a.localeCompare(b)).map(([purl, versions]) => ({ purl, versions: [...versions].sort() }));
}

function purlsOf(entry: LooseAffected): string[] {
  const out: string[] = [];
  if (entry.package?.purl) out.push(entry.package.purl);
  const { ecosystem, name } = entry.package ?? {};
  const type = PURL_TYPES[(ecosystem ?? '').split(':')[0]!.toLowerCase()];
  if (!type || !name) return out;
  const at = type === 'maven' ? name.indexOf(':') : name.lastIndexOf('/');
  const [namespace, last] = at > 0 ? [name.slice(0, at), name.slice(at + 1)] : [undefined, name];
  try {
    out.push(new PackageURL(type, namespace, last, undefined, undefined, undefined).toString());
  } catch {
    // A name no purl can spell is reached by its record's own purl, if any.
  }
  return out;
}

/** What an index answers: counts, load notes, and per probe every explanation and lookup (with dates). */
export function indexAnswers(index: AdvisoryIndex, probes: readonly Probe[]): unknown {
  return {
    counts: index.counts(),
    problems: index.problems,
    notes: index.notes,
    answers: probes.map(({ purl, versions }) => {
      const parsed = parsePurl(purl);
      if (!('package' in parsed)) return { purl, problem: parsed.problem };
      return {
        purl,
        explain: index.explain(parsed.package),
        perVersion: versions.map((version) => ({ version, explain: index.explain(parsed.package, version), lookup: index.lookup(purl, version, { dates: true }) })),
      };
    }),
  };
}

/** What a snapshot answers: its sources, its problems and its index's answers. */
export function snapshotAnswers(snapshot: AdvisorySnapshot, probes: readonly Probe[]): unknown {
  return { sources: snapshot.sources, problems: snapshot.problems, index: indexAnswers(snapshot.index, probes) };
}
