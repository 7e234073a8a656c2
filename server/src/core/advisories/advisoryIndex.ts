/**
 * Parsed advisories indexed for lookup by a service's package URL (spec section 6): by OSV ecosystem
 * and normalised package name, and by the purl that in-house records put on `affected[].package`.
 * A lookup touches only the entries filed under that package, never the whole set.
 */
import { ecosystemFor, goModuleCandidates, SEMVER_ORDERING, sortVersions, type Ecosystem } from './ecosystems/index.js';
import { eventKind } from './osvRecord.js';
import { parsePurl, type PurlPackage } from './purl.js';
import { describeAffected } from './describeRanges.js';
import { isAffected } from './rangeEval.js';
import { advisorySeverity, type SeverityVerdict } from './severity.js';
import type { AdvisorySeverity, OsvAffected, OsvRecord } from './types.js';

/** A record as read, with the file (or zip entry) it came from. */
export interface AdvisoryInput {
  record: OsvRecord;
  source: string;
}

export interface AdvisoryMatch {
  id: string;
  aliases: string[];
  /** `summary`, else the first line of `details`. */
  summary: string | undefined;
  severity: AdvisorySeverity | undefined;
  severitySource: SeverityVerdict['source'];
  /** The CVSS base score when the severity comes from a vector. */
  cvssScore?: number;
  /** Every `fixed` version the record gives for the matched package, oldest first. */
  fixed: string[];
  /** The package as the record spells it (`Axios`, `golang.org/x/crypto/ssh`). */
  package: string;
  source: string;
  /** Why the version is affected: "in [2.13.0, 2.15.0) of ECOSYSTEM range 1", "listed in versions". */
  reason: string;
  /** Only with `{ dates: true }`: the record's `published` (when it has one) and `modified`, to replay what was known on a day. */
  published?: string;
  modified?: string;
}

export interface LookupOptions {
  /** Add the record's `published` and `modified` dates to each match (the dry-run's "as of"). */
  dates?: boolean;
}

export interface AdvisoryExplanation {
  id: string;
  aliases: string[];
  severity: AdvisorySeverity | undefined;
  summary: string | undefined;
  source: string;
  /** Per affected entry of the package: "lodash: [0, 4.17.12)". */
  affects: string[];
  verdict?: { affected: boolean; reason: string };
}

export interface AdvisoryCounts {
  /** Records in the index (withdrawn and duplicate ones excluded). */
  records: number;
  withdrawn: number;
  /** Records whose id appeared again in another source; the newest `modified` was kept. */
  duplicates: number;
  /** Indexed records per ecosystem (a record naming two ecosystems counts in both). */
  byEcosystem: Record<string, number>;
}

interface IndexedRecord extends AdvisoryInput {
  severity: SeverityVerdict;
}

interface IndexedEntry {
  record: IndexedRecord;
  entry: OsvAffected;
  ecosystem: Ecosystem;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { CRITICAL: 0, HIGH: 1, MODERATE: 2, LOW: 3 };

function nameKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem.name.toLowerCase()}\u0000${ecosystem.normalizeName(name)}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class AdvisoryIndex {
  /** Data that is wrong in a way that hides advisories (worth a warning). */
  readonly problems: string[] = [];
  /** Things skipped on purpose (worth an info note). */
  readonly notes: string[] = [];
  private readonly byName = new Map<string, IndexedEntry[]>();
  private readonly byPurl = new Map<string, IndexedEntry[]>();
  private readonly tally: AdvisoryCounts = { records: 0, withdrawn: 0, duplicates: 0, byEcosystem: {} };

  constructor(inputs: Iterable<AdvisoryInput>) {
    for (const input of this.newestPerId(inputs)) {
      if (input.record.withdrawn !== undefined) {
        this.tally.withdrawn++;
        continue;
      }
      this.add({ ...input, severity: advisorySeverity(input.record) });
    }
  }

  /** Advisories that affect `version` of the package `purl` names, most severe first. An invalid purl matches nothing. */
  lookup(purl: string, version: string, options: LookupOptions = {}): AdvisoryMatch[] {
    const parsed = parsePurl(purl);
    return 'package' in parsed ? this.lookupPackage(parsed.package, version, options) : [];
  }

  lookupPackage(pkg: PurlPackage, version: string, options: LookupOptions = {}): AdvisoryMatch[] {
    const matches: AdvisoryMatch[] = [];
    for (const [record, entries] of this.candidates(pkg)) {
      const match = matchRecord(record, entries, pkg, version, options);
      if (match) matches.push(match);
    }
    return matches.sort((a, b) => (SEVERITY_RANK[a.severity ?? ''] ?? 4) - (SEVERITY_RANK[b.severity ?? ''] ?? 4) || a.id.localeCompare(b.id));
  }

  /**
   * Every record filed under the package, with its affected ranges in words and, when a version is
   * given, whether it affects that version and why: how the security team checks its own records.
   */
  explain(pkg: PurlPackage, version?: string): AdvisoryExplanation[] {
    const out: AdvisoryExplanation[] = [];
    for (const [record, entries] of this.candidates(pkg)) {
      const match = version === undefined ? undefined : matchRecord(record, entries, pkg, version);
      out.push({
        id: record.record.id,
        aliases: [...(record.record.aliases ?? [])],
        severity: record.severity.severity,
        summary: record.record.summary?.trim() || firstLine(record.record.details),
        source: record.source,
        affects: entries.map(({ entry }) => `${entry.package.name}: ${describeAffected(entry)}`),
        ...(version === undefined ? {} : { verdict: match ? { affected: true, reason: match.reason } : { affected: false, reason: `\`${version}\` is outside every range and list` } }),
      });
    }
    return out.sort((a, b) => (SEVERITY_RANK[a.severity ?? ''] ?? 4) - (SEVERITY_RANK[b.severity ?? ''] ?? 4) || a.id.localeCompare(b.id));
  }

  /** The entries filed under a package (by purl, and by ecosystem name), grouped per record. */
  private candidates(pkg: PurlPackage): Map<IndexedRecord, IndexedEntry[]> {
    const candidates = new Set<IndexedEntry>(this.byPurl.get(pkg.key) ?? []);
    if (pkg.ecosystem) for (const entry of this.byName.get(nameKey(pkg.ecosystem, pkg.name)) ?? []) candidates.add(entry);
    const perRecord = new Map<IndexedRecord, IndexedEntry[]>();
    for (const candidate of candidates) pushTo(perRecord, candidate.record, candidate);
    return perRecord;
  }

  counts(): AdvisoryCounts {
    return { ...this.tally, byEcosystem: { ...this.tally.byEcosystem } };
  }

  /** One record per id: the newest `modified` wins, so a later withdrawal or fix is honoured. */
  private newestPerId(inputs: Iterable<AdvisoryInput>): AdvisoryInput[] {
    const byId = new Map<string, AdvisoryInput>();
    for (const input of inputs) {
      const kept = byId.get(input.record.id);
      if (!kept) {
        byId.set(input.record.id, input);
        continue;
      }
      this.tally.duplicates++;
      const newer = Date.parse(input.record.modified) > Date.parse(kept.record.modified) ? input : kept;
      byId.set(input.record.id, newer);
      const why = newer === input ? 'its `modified` is newer' : 'the other is not newer';
      this.notes.push(`${input.record.id} is in both ${kept.source} and ${input.source}; using ${newer.source} (${why})`);
    }
    return [...byId.values()];
  }

  private add(record: IndexedRecord): void {
    this.tally.records++;
    const ecosystems = new Set<string>();
    record.record.affected.forEach((entry, i) => {
      const ecosystem = ecosystemFor(entry.package.ecosystem);
      ecosystems.add(ecosystem.name);
      const indexed: IndexedEntry = { record, entry, ecosystem };
      this.checkEventVersions(indexed, i);
      // A Go advisory may name a package inside a module; file it under each module that may hold it.
      const names = ecosystem.name === 'Go' ? goModuleCandidates(entry.package.name.trim()) : [entry.package.name];
      for (const name of names) pushTo(this.byName, nameKey(ecosystem, name), indexed);
      if (entry.package.purl !== undefined) this.addPurl(indexed, entry.package.purl, i);
    });
    for (const name of ecosystems) this.tally.byEcosystem[name] = (this.tally.byEcosystem[name] ?? 0) + 1;
  }

  private addPurl(indexed: IndexedEntry, purl: string, entryIndex: number): void {
    const parsed = parsePurl(purl);
    if ('package' in parsed) pushTo(this.byPurl, parsed.package.key, indexed);
    else this.problems.push(`${indexed.record.source}: \`affected[${entryIndex}].package.purl\`: ${parsed.problem}; matched by name only`);
  }

  /** Event versions the ecosystem cannot order make their range unusable; say so once, at load. */
  private checkEventVersions({ record, entry, ecosystem }: IndexedEntry, entryIndex: number): void {
    (entry.ranges ?? []).forEach((range, j) => {
      const ordering = range.type === 'SEMVER' ? SEMVER_ORDERING : ecosystem.ordering;
      for (const event of range.events) {
        const kind = eventKind(event);
        const text = kind ? event[kind]! : '';
        if (!kind || (kind === 'introduced' && text === '0') || (kind === 'limit' && text === '*')) continue;
        if (ordering.parse(text) === undefined) {
          this.problems.push(
            `${record.source}: \`affected[${entryIndex}].ranges[${j}]\` has \`${kind}: ${text}\`, which is not a valid ${ordering.name} version; that range cannot match`,
          );
          break;
        }
      }
    });
  }
}

function matchRecord(record: IndexedRecord, entries: IndexedEntry[], pkg: PurlPackage, version: string, options: LookupOptions = {}): AdvisoryMatch | undefined {
  // The first entry that matches explains the match; the others (overlapping backports) add nothing a reader needs.
  let reason: string | undefined;
  for (const { entry, ecosystem } of entries) {
    const verdict = isAffected(entry, version, ecosystem.ordering);
    if (!verdict.affected) continue;
    const inside = ecosystem.name === 'Go' && pkg.ecosystem === ecosystem && entry.package.name.trim() !== pkg.name;
    reason = inside ? `${verdict.reason} (the advisory names \`${entry.package.name}\`, inside \`${pkg.name}\`)` : verdict.reason;
    break;
  }
  if (reason === undefined) return undefined;
  const { record: osv, source, severity } = record;
  const fixed = entries.flatMap(({ entry }) => (entry.ranges ?? []).flatMap((r) => r.events.flatMap((e) => (e.fixed === undefined ? [] : [e.fixed]))));
  return {
    id: osv.id,
    aliases: [...(osv.aliases ?? [])],
    summary: osv.summary?.trim() || firstLine(osv.details),
    severity: severity.severity,
    severitySource: severity.source,
    ...(severity.score !== undefined ? { cvssScore: severity.score } : {}),
    fixed: sortVersions(entries[0]!.ecosystem.ordering, fixed),
    package: entries[0]!.entry.package.name,
    source,
    reason,
    ...(options.dates ? { ...(osv.published !== undefined ? { published: osv.published } : {}), modified: osv.modified } : {}),
  };
}

function firstLine(details: string | undefined): string | undefined {
  const line = details?.trim().split('\n')[0]?.trim();
  if (!line) return undefined;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
