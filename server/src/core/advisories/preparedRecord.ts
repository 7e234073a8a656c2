/**
 * What the index needs of one record, worked out once per record: where it is filed (the lookup
 * keys), what is wrong with it, its severity, and a compact copy holding only the fields a lookup
 * or an explanation reads. Preparing is the costly part of indexing, so it can run where the
 * record was parsed (a worker thread), and its result can be stored (the on-disk cache).
 */
import { ecosystemFor, goModuleCandidates, SEMVER_ORDERING } from './ecosystems/index.js';
import { eventKind } from './osvRecord.js';
import { parsePurl } from './purl.js';
import { affectedPositions, type AffectedPositions } from './recordPositions.js';
import { advisorySeverity, entrySeverity, worstSeverity, type SeverityVerdict } from './severity.js';
import { severityProblems } from './severityProblems.js';
import type { OsvAffected, OsvEvent, OsvRecord } from './types.js';

/** The small facts the index is assembled from; a record's body is only read on lookup. */
export interface RecordMeta {
  id: string;
  modified: string;
  withdrawn: boolean;
  source: string;
  /** Lookup keys (see `nameKey`, `purlKey`), each with the `affected` entry filed under it. */
  keys: string[];
  entries: number[];
  /** Data that hides advisories, reported once at load (only if the record ends up indexed). */
  problems: string[];
  /** Ecosystem names of its entries, for the counts. */
  ecosystems: string[];
}

/** What a lookup reads of a record. */
export interface RecordBody {
  source: string;
  /** The worst of `entrySeverities`: the record's severity when no entry is named. */
  severity: SeverityVerdict;
  /**
   * The severity for each `affected` entry (its own, else the record's), worked out once, since
   * the compact record keeps none of the fields it is read from. Absent in bodies that predate it:
   * `severity` then stands for every entry.
   */
  entrySeverities?: SeverityVerdict[];
  record: OsvRecord;
  /** Where each `affected` entry and its `ranges` start in the record's file, when it was prepared from its text (recordPositions.ts). */
  positions?: AffectedPositions;
}

export interface PreparedRecord {
  meta: RecordMeta;
  body: RecordBody;
}

/** The key a name lookup uses: OSV ecosystem and the ecosystem's normal form of the name. */
export function nameKey(ecosystemName: string, normalizedName: string): string {
  return `n${ecosystemName.toLowerCase()}\u0000${normalizedName}`;
}

/** The key a purl lookup uses (`PurlPackage.key`); the prefix keeps it apart from name keys. */
export function purlKey(key: string): string {
  return `p${key}`;
}

/**
 * `compact`: keep only what lookups read (a lookup on the compact record gives the same answer).
 * `text`: the record's text as read, for where its entries are (PB101 points at the one that matched).
 */
export function prepareRecord(record: OsvRecord, source: string, options: { compact?: boolean; text?: string } = {}): PreparedRecord {
  const meta: RecordMeta = { id: record.id, modified: record.modified, withdrawn: record.withdrawn !== undefined, source, keys: [], entries: [], problems: [], ecosystems: [] };
  if (meta.withdrawn) return { meta, body: { source, severity: { severity: undefined, source: undefined }, record } };
  const ecosystems = new Set<string>();
  record.affected.forEach((entry, i) => {
    const ecosystem = ecosystemFor(entry.package.ecosystem);
    ecosystems.add(ecosystem.name);
    checkEventVersions(entry, i, ecosystem.ordering, source, meta.problems);
    // A Go advisory may name a package inside a module; file it under each module that may hold it.
    const names = ecosystem.name === 'Go' ? goModuleCandidates(entry.package.name.trim()) : [entry.package.name];
    for (const name of names) file(meta, nameKey(ecosystem.name, ecosystem.normalizeName(name)), i);
    if (entry.package.purl !== undefined) {
      const parsed = parsePurl(entry.package.purl);
      if ('package' in parsed) file(meta, purlKey(parsed.package.key), i);
      else meta.problems.push(`${source}: \`affected[${i}].package.purl\`: ${parsed.problem}; matched by name only`);
    }
  });
  meta.ecosystems = [...ecosystems];
  for (const problem of severityProblems(record)) meta.problems.push(`${source}: ${problem}`);
  const recordLevel = advisorySeverity(record);
  const entrySeverities = record.affected.map((_, i) => entrySeverity(record, i, recordLevel));
  // Most records give no entry a severity of its own: then the record's stands for all, and the body stays small.
  const ownSeverities = entrySeverities.some((s) => s !== recordLevel);
  const positions = options.text === undefined ? undefined : affectedPositions(options.text, record.affected);
  const body: RecordBody = {
    source,
    severity: ownSeverities ? worstSeverity(entrySeverities) : recordLevel,
    ...(ownSeverities ? { entrySeverities } : {}),
    record: options.compact ? compactRecord(record) : record,
    ...(positions ? { positions } : {}),
  };
  return { meta, body };
}

function file(meta: RecordMeta, key: string, entry: number): void {
  meta.keys.push(key);
  meta.entries.push(entry);
}

/** Event versions the ecosystem cannot order make their range unusable; say so once, at load. */
function checkEventVersions(entry: OsvAffected, entryIndex: number, ordering: ReturnType<typeof ecosystemFor>['ordering'], source: string, problems: string[]): void {
  (entry.ranges ?? []).forEach((range, j) => {
    const rangeOrdering = range.type === 'SEMVER' ? SEMVER_ORDERING : ordering;
    for (const event of range.events) {
      const kind = eventKind(event);
      const text = kind ? event[kind]! : '';
      if (!kind || (kind === 'introduced' && text === '0') || (kind === 'limit' && text === '*')) continue;
      if (rangeOrdering.parse(text) === undefined) {
        problems.push(`${source}: \`affected[${entryIndex}].ranges[${j}]\` has \`${kind}: ${text}\`, which is not a valid ${rangeOrdering.name} version; that range cannot match`);
        break;
      }
      // Ordered, but by the old tools' guess: a typo such as `2.O` would quietly sort below every release.
      const legacy = rangeOrdering.legacy?.(text);
      if (legacy !== undefined) {
        problems.push(`${source}: \`affected[${entryIndex}].ranges[${j}]\` has \`${kind}: ${text}\`, which is ${legacy}; the range is evaluated with it sorted there`);
        break;
      }
    }
  });
}

/**
 * The fields matches and explanations read: `summary` becomes the text they show (the summary,
 * else the first line of `details`), and references, details and database fields are dropped.
 */
function compactRecord(record: OsvRecord): OsvRecord {
  const summary = record.summary?.trim() || firstLine(record.details);
  return {
    id: record.id,
    modified: record.modified,
    ...(record.published !== undefined ? { published: record.published } : {}),
    ...(record.aliases !== undefined ? { aliases: record.aliases } : {}),
    ...(summary ? { summary } : {}),
    affected: record.affected.map((entry) => ({
      package: { ecosystem: entry.package.ecosystem, name: entry.package.name, ...(entry.package.purl !== undefined ? { purl: entry.package.purl } : {}) },
      ...(entry.ranges ? { ranges: entry.ranges.map((range) => ({ type: range.type, events: range.events.map(compactEvent) })) } : {}),
      ...(entry.versions ? { versions: entry.versions } : {}),
    })),
  };
}

function compactEvent(event: OsvEvent): OsvEvent {
  const out: OsvEvent = {};
  if (event.introduced !== undefined) out.introduced = event.introduced;
  if (event.fixed !== undefined) out.fixed = event.fixed;
  if (event.last_affected !== undefined) out.last_affected = event.last_affected;
  if (event.limit !== undefined) out.limit = event.limit;
  return out;
}

/** The first line of `details`, cut at 120 characters: the summary of a record that has none. */
export function firstLine(details: string | undefined): string | undefined {
  const line = details?.trim().split('\n')[0]?.trim();
  if (!line) return undefined;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
