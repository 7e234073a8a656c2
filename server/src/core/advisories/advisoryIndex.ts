/**
 * Parsed advisories indexed for lookup by a service's package URL (spec section 6): by OSV ecosystem
 * and normalised package name, and by the purl that in-house records put on `affected[].package`.
 * A lookup touches only the entries filed under that package, never the whole set.
 */
import { describeAffected } from './describeRanges.js';
import { ecosystemFor, sortVersions, type Ecosystem } from './ecosystems/index.js';
import { assembleTable, type AdvisoryCounts, type IndexTable } from './indexTable.js';

export type { AdvisoryCounts } from './indexTable.js';
import { firstLine, nameKey, prepareRecord, purlKey, type RecordBody } from './preparedRecord.js';
import { parsePurl, type PurlPackage } from './purl.js';
import { isAffected } from './rangeEval.js';
import { worstSeverity, type SeverityVerdict } from './severity.js';
import type { AdvisorySeverity, OsvAffected, OsvRecord } from './types.js';

/** A record as read, with the file (or zip entry) it came from, and its text when there is one (for where its entries are). */
export interface AdvisoryInput {
  record: OsvRecord;
  source: string;
  text?: string;
}

export interface AdvisoryMatch {
  id: string;
  aliases: string[];
  /** `summary`, else the first line of `details`. */
  summary: string | undefined;
  severity: AdvisorySeverity | undefined;
  severitySource: SeverityVerdict['source'];
  /** The field the severity was read from: `database_specific.severity`, `affected[0].severity[1]`. */
  severityField?: string;
  /** The CVSS base score when the severity comes from a vector. */
  cvssScore?: number;
  /** Every `fixed` version the record gives for the matched package, oldest first. */
  fixed: string[];
  /** The package as the record spells it (`Axios`, `golang.org/x/crypto/ssh`). */
  package: string;
  source: string;
  /** Why the version is affected: "2.13.0 up to, not including, 2.15.0", "listed in versions". */
  reason: string;
  /** Where in `source` the `affected` entry (its `ranges` item, when a range matched) that says so starts; absent when the record's text was not at hand. */
  position?: { line: number; character: number };
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

/**
 * An index read elsewhere: the package table, and the body of each indexed record by number
 * (undefined when it cannot be read: that record is then left out of answers).
 */
export interface PreparedIndex {
  table: Omit<IndexTable, 'kept'>;
  body(record: number): RecordBody | undefined;
}

interface IndexedEntry {
  entry: OsvAffected;
  /** Its place in the record's `affected`. */
  index: number;
  ecosystem: Ecosystem;
  /** This entry's severity: its own, else the record's. */
  severity: SeverityVerdict;
}

interface IndexedRecord extends RecordBody {
  entries: IndexedEntry[];
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { CRITICAL: 0, HIGH: 1, MODERATE: 2, LOW: 3 };

/**
 * Built from records in memory (`new AdvisoryIndex(inputs)`), or over a prepared table whose
 * bodies are read on first lookup (a worker's output, the on-disk cache): a lookup reads only the
 * records filed under its package, so it costs the same with 1,000 records or 500,000.
 */
export class AdvisoryIndex {
  /** Data that is wrong in a way that hides advisories (worth a warning). */
  readonly problems: string[];
  /** Things skipped on purpose (worth an info note). */
  readonly notes: string[];
  private readonly filings: Map<string, number[]>;
  private readonly tally: AdvisoryCounts;
  private readonly bodyOf: (record: number) => RecordBody | undefined;
  /** Records read so far; null when one could not be read. */
  private readonly records: (IndexedRecord | null | undefined)[] = [];

  /**
   * @param dataKey What the adapter knows this data by (its cache key: the code, the sources as
   * they were on disk, the limits): the same key means the same answers to every lookup, so an
   * answer kept under it elsewhere (which SBOM components have advisories) holds for this index.
   */
  constructor(
    source: Iterable<AdvisoryInput> | PreparedIndex,
    readonly dataKey?: string,
  ) {
    const prepared = isPreparedIndex(source) ? source : prepareInMemory(source);
    this.filings = prepared.table.filings;
    this.tally = prepared.table.counts;
    this.problems = prepared.table.problems;
    this.notes = prepared.table.notes;
    this.bodyOf = (record) => prepared.body(record);
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
      const explained = version === undefined ? undefined : explainVerdict(entries, pkg, version);
      out.push({
        id: record.record.id,
        aliases: [...(record.record.aliases ?? [])],
        // The matching entries' when the version is affected, else the worst of every entry filed under the package.
        severity: (explained?.severity ?? worstSeverity(entries.map((e) => e.severity))).severity,
        summary: record.record.summary?.trim() || firstLine(record.record.details),
        source: record.source,
        affects: entries.map(({ entry }) => `${entry.package.name}: ${describeAffected(entry)}`),
        ...(explained ? { verdict: explained.verdict } : {}),
      });
    }
    return out.sort((a, b) => (SEVERITY_RANK[a.severity ?? ''] ?? 4) - (SEVERITY_RANK[b.severity ?? ''] ?? 4) || a.id.localeCompare(b.id));
  }

  counts(): AdvisoryCounts {
    return { ...this.tally, byEcosystem: { ...this.tally.byEcosystem } };
  }

  /** The entries filed under a package (by purl, and by ecosystem name), grouped per record in the order first met. */
  private candidates(pkg: PurlPackage): Map<IndexedRecord, IndexedEntry[]> {
    const perRecord = new Map<number, number[]>();
    const collect = (pairs: readonly number[] | undefined): void => {
      for (let i = 0; pairs && i + 1 < pairs.length; i += 2) {
        const entries = perRecord.get(pairs[i]!);
        if (!entries) perRecord.set(pairs[i]!, [pairs[i + 1]!]);
        else if (!entries.includes(pairs[i + 1]!)) entries.push(pairs[i + 1]!);
      }
    };
    collect(this.filings.get(purlKey(pkg.key)));
    if (pkg.ecosystem) collect(this.filings.get(nameKey(pkg.ecosystem.name, pkg.ecosystem.normalizeName(pkg.name))));
    const out = new Map<IndexedRecord, IndexedEntry[]>();
    for (const [number, entryIndexes] of perRecord) {
      const record = this.record(number);
      const entries = record ? entryIndexes.flatMap((i) => record.entries[i] ?? []) : [];
      if (record && entries.length > 0) out.set(record, entries);
    }
    return out;
  }

  private record(number: number): IndexedRecord | undefined {
    let record = this.records[number];
    if (record === undefined) {
      const body = Number.isInteger(number) && number >= 0 ? this.bodyOf(number) : undefined;
      record = body ? { ...body, entries: body.record.affected.map((entry, i) => ({ entry, index: i, ecosystem: ecosystemFor(entry.package.ecosystem), severity: body.entrySeverities?.[i] ?? body.severity })) } : null;
      this.records[number] = record;
    }
    return record ?? undefined;
  }
}

function isPreparedIndex(source: Iterable<AdvisoryInput> | PreparedIndex): source is PreparedIndex {
  return 'table' in source && typeof (source).body === 'function';
}

function prepareInMemory(inputs: Iterable<AdvisoryInput>): PreparedIndex {
  const prepared = Array.from(inputs, (input) => prepareRecord(input.record, input.source, input.text === undefined ? {} : { text: input.text }));
  const table = assembleTable(prepared.map((p) => p.meta));
  return { table, body: (record) => prepared[table.kept[record]!]?.body };
}

const PLAIN_MISSES = new Set(['outside every range', 'outside every range and not listed in versions', 'not listed in versions', 'no range or version list to match']);

/**
 * Why a version is or is not affected. A miss only says "outside" when every range could be
 * read; otherwise it says what could not be (an invalid version, an unreadable event), since
 * "outside every range" would read as "not affected".
 */
function explainVerdict(entries: IndexedEntry[], pkg: PurlPackage, version: string): { verdict: { affected: boolean; reason: string }; severity?: SeverityVerdict } {
  const match = matchEntries(entries, pkg, version);
  if (match) return { verdict: { affected: true, reason: match.reason }, severity: match.severity };
  const reasons = new Set(entries.map(({ entry, ecosystem }) => isAffected(entry, version, ecosystem.ordering).reason).filter((reason) => !PLAIN_MISSES.has(reason)));
  return { verdict: { affected: false, reason: reasons.size > 0 ? [...reasons].join('; ') : `\`${version}\` is outside every range and list` } };
}

/** Why the version is affected (the first entry that matches explains it) and the severity for it. */
interface EntriesMatch {
  reason: string;
  /** The entry that explains it (its index in `affected`), and the range of it that matched. */
  entry: number;
  range?: number;
  /** The matching entries' own severity (their package's), the worst when several match. */
  severity: SeverityVerdict;
}

function matchEntries(entries: IndexedEntry[], pkg: PurlPackage, version: string): EntriesMatch | undefined {
  let first: Omit<EntriesMatch, 'severity'> | undefined;
  const matched: SeverityVerdict[] = [];
  for (const { entry, index, ecosystem, severity } of entries) {
    const verdict = isAffected(entry, version, ecosystem.ordering);
    if (!verdict.affected) continue;
    matched.push(severity);
    // Other matching entries (overlapping backports) add nothing a reader needs to the reason.
    if (first !== undefined) continue;
    const inside = ecosystem.name === 'Go' && pkg.ecosystem === ecosystem && entry.package.name.trim() !== pkg.name;
    const reason = inside ? `${verdict.reason} (the advisory names \`${entry.package.name}\`, inside \`${pkg.name}\`)` : verdict.reason;
    first = { reason, entry: index, ...(verdict.range !== undefined ? { range: verdict.range } : {}) };
  }
  return first === undefined ? undefined : { ...first, severity: worstSeverity(matched) };
}

/** Where the matched entry (its range, when one matched) starts in the record's file. */
function positionOf(record: IndexedRecord, { entry, range }: Pick<EntriesMatch, 'entry' | 'range'>): { line: number; character: number } | undefined {
  const at = record.positions?.[entry];
  if (!at) return undefined;
  const k = range === undefined ? 0 : 2 + 2 * range;
  const [line, character] = [at[k], at[k + 1]];
  return line === undefined || character === undefined ? undefined : { line, character };
}

function matchRecord(record: IndexedRecord, entries: IndexedEntry[], pkg: PurlPackage, version: string, options: LookupOptions = {}): AdvisoryMatch | undefined {
  const match = matchEntries(entries, pkg, version);
  if (!match) return undefined;
  const { record: osv, source } = record;
  const { severity, reason } = match;
  const position = positionOf(record, match);
  const fixed = entries.flatMap(({ entry }) => (entry.ranges ?? []).flatMap((r) => r.events.flatMap((e) => (e.fixed === undefined ? [] : [e.fixed]))));
  return {
    id: osv.id,
    aliases: [...(osv.aliases ?? [])],
    summary: osv.summary?.trim() || firstLine(osv.details),
    severity: severity.severity,
    severitySource: severity.source,
    ...(severity.field !== undefined ? { severityField: severity.field } : {}),
    ...(severity.score !== undefined ? { cvssScore: severity.score } : {}),
    fixed: sortVersions(entries[0]!.ecosystem.ordering, fixed),
    package: entries[0]!.entry.package.name,
    source,
    reason,
    ...(position ? { position } : {}),
    ...(options.dates ? { ...(osv.published !== undefined ? { published: osv.published } : {}), modified: osv.modified } : {}),
  };
}
