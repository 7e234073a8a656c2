/**
 * Whether one version falls in an OSV `affected[]` entry, evaluated as the OSV schema specifies:
 * listed in `versions`, or inside any SEMVER/ECOSYSTEM range (a union). In a range the events are
 * sorted by version (`introduced: "0"` first) and walked: `introduced` opens, `fixed` closes before
 * itself, `last_affected` closes after itself, and `limit` events bound the whole range from above.
 */
import { invalidVersion, parseCheckedVersion, SEMVER_ORDERING, type VersionOrdering } from './ecosystems/index.js';
import { intervalWords } from './describeRanges.js';
import { eventKind } from './osvRecord.js';
import type { OsvAffected, OsvRange } from './types.js';

export interface AffectedVerdict {
  affected: boolean;
  /** "2.13.0 up to, not including, 2.15.0", "listed in versions", or why not. */
  reason: string;
  /** The index in `ranges` of the range the version is inside (absent when `versions` lists it, or it is not affected). */
  range?: number;
}

interface SortedEvent {
  kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  text: string;
  /** Undefined for `introduced: "0"` and `limit: "*"`, which need no ordering. */
  value: unknown;
}

type RangeVerdict = { inside: true; reason: string } | { inside: false; unreadable?: string };

export function isAffected(entry: OsvAffected, version: string, ordering: VersionOrdering): AffectedVerdict {
  if (isListed(entry.versions ?? [], version, ordering)) return { affected: true, reason: 'listed in versions' };
  const unreadable = new Set<string>();
  let evaluated = 0;
  for (const [index, range] of (entry.ranges ?? []).entries()) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    // SEMVER ranges are SemVer 2.0.0 whatever the ecosystem; ECOSYSTEM ranges use the ecosystem's order.
    const verdict = inRange(range, version, range.type === 'SEMVER' ? SEMVER_ORDERING : ordering, index + 1);
    if (verdict.inside) return { affected: true, reason: verdict.reason, range: index };
    if (verdict.unreadable) unreadable.add(verdict.unreadable);
    else evaluated++;
  }
  const why = [...unreadable].join('; ');
  const listed = (entry.versions?.length ?? 0) > 0;
  if (unreadable.size > 0 && evaluated === 0 && !listed) return { affected: false, reason: why };
  const outside =
    evaluated > 0 ? `outside every range${listed ? ' and not listed in versions' : ''}` : listed ? 'not listed in versions' : 'no range or version list to match';
  // What could not be checked comes first: it is what the reader has to fix.
  return { affected: false, reason: why ? `${why}; ${outside}` : outside };
}

/**
 * A record's ranges, parsed and sorted once per ordering: a record is asked about every version of
 * its package met (an SBOM's components, every release of a service). Keyed by the decoded
 * record's own range objects, which the index keeps for as long as it lives: a record is a value,
 * never changed once read.
 */
const preparedRanges = new WeakMap<OsvRange, Prepared<PreparedRange>[]>();

type PreparedRange = { events: SortedEvent[]; limits: SortedEvent[] } | { unreadable: (label: string) => string };

/** One ordering's answer; a record's arrays meet one ordering, two at most (a SEMVER range in another ecosystem), so a list, not a map per key (thousands of small WeakMaps cost the collector more than they save). */
interface Prepared<V> {
  ordering: VersionOrdering;
  value: V;
}

function cached<K extends object, V>(cache: WeakMap<K, Prepared<V>[]>, key: K, ordering: VersionOrdering, make: () => V): V {
  let known = cache.get(key);
  if (!known) cache.set(key, (known = []));
  let hit = known.find((p) => p.ordering === ordering);
  if (!hit) known.push((hit = { ordering, value: make() }));
  return hit.value;
}

/** Not cached as the ranges are: lists run to hundreds of versions, and their parsed forms for every record an SBOM touches cost more memory than the parse costs time. */
function isListed(versions: readonly string[], version: string, ordering: VersionOrdering): boolean {
  if (versions.length === 0) return false;
  if (versions.includes(version)) return true;
  const wanted = parseCheckedVersion(ordering, version);
  if (wanted === undefined) return false;
  return versions.some((listed) => {
    const value = ordering.parse(listed);
    return value !== undefined && ordering.compare(value, wanted) === 0;
  });
}

function prepareRange(range: OsvRange, ordering: VersionOrdering): PreparedRange {
  const events: SortedEvent[] = [];
  for (const event of range.events) {
    const kind = eventKind(event);
    if (!kind) continue;
    const text = event[kind]!;
    const unbounded = (kind === 'introduced' && text === '0') || (kind === 'limit' && text === '*');
    const value = unbounded ? undefined : ordering.parse(text);
    if (!unbounded && value === undefined) {
      return { unreadable: (label) => `${label} has \`${kind}: ${text}\`, which is not a valid ${ordering.name} version, so it was skipped` };
    }
    events.push({ kind, text, value });
  }
  sortEvents(events, ordering);
  return { events, limits: events.filter((e) => e.kind === 'limit') };
}

function inRange(range: OsvRange, version: string, ordering: VersionOrdering, number: number): RangeVerdict {
  const label = `${range.type} range ${number}`;
  const wanted = parseCheckedVersion(ordering, version);
  if (wanted === undefined) return { inside: false, unreadable: `${invalidVersion(ordering, version)}, so the ranges could not be checked` };
  const prepared = cached(preparedRanges, range, ordering, () => prepareRange(range, ordering));
  if ('unreadable' in prepared) return { inside: false, unreadable: prepared.unreadable(label) };
  const { events, limits } = prepared;
  if (limits.length > 0 && !limits.some((e) => e.value === undefined || ordering.compare(wanted, e.value) < 0)) return { inside: false };
  let opened = -1;
  events.forEach((event, i) => {
    const order = event.value === undefined ? 1 : ordering.compare(wanted, event.value);
    if (event.kind === 'introduced' && order >= 0) opened = i;
    else if (event.kind === 'fixed' && order >= 0) opened = -1;
    else if (event.kind === 'last_affected' && order > 0) opened = -1;
  });
  if (opened === -1) return { inside: false };
  const close = events.slice(opened + 1).find((e) => e.kind === 'fixed' || e.kind === 'last_affected');
  const interval = intervalWords(events[opened]!.text, close && { kind: close.kind as 'fixed' | 'last_affected', text: close.text });
  const bounded = limits.filter((e) => e.value !== undefined);
  const limitNote = bounded.length > 0 ? `, below ${bounded.map((e) => e.text).join(' and ')}` : '';
  return { inside: true, reason: `${interval}${limitNote}` };
}

/** By version, `introduced: "0"` first and `limit: "*"` last; equal versions keep the record's order. */
function sortEvents(events: SortedEvent[], ordering: VersionOrdering): void {
  const rank = (e: SortedEvent): number => (e.value !== undefined ? 1 : e.kind === 'introduced' ? 0 : 2);
  events.sort((a, b) => rank(a) - rank(b) || (rank(a) === 1 ? ordering.compare(a.value, b.value) : 0));
}
