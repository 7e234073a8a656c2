/**
 * How old the advisory data is, for PB110 and the status bar. A source's age is its last fetch by
 * `playbook advisories --update` (its `.fetch.json`), or for a hand-made source its newest record's
 * `modified`. The time comes in from the adapter (`now`): the core has no clock.
 */
import { DEFAULT_ADVISORIES_MAX_AGE, type AgeLimit } from '../policy/policy.js';
import type { SourceStatus } from './snapshot.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Clocks disagree a little (a mirror's `modified`, a laptop's clock): only a date further ahead than this is "in the future". */
const CLOCK_SKEW_MS = DAY_MS;

export interface SourceAge {
  entry: string;
  path: string;
  /** Which date the age comes from. */
  basis: 'fetched' | 'modified';
  /** The date as the source gave it. */
  date: string;
  ageMs: number;
}

export interface AdvisoryAges {
  /** Sources older than the limit, oldest first. */
  stale: SourceAge[];
  /** Sources dated in the future, whose age cannot be told: they must not pass for fresh. */
  future: SourceAge[];
  /** The oldest dated source (stale or not), for the status bar's tooltip; undefined when no source is dated. */
  oldest?: SourceAge;
}

/**
 * Every source with records and a date that parses is weighed. A source without either says
 * nothing about age (a missing source and an empty one are PB110's other findings).
 */
export function advisoryAges(sources: readonly SourceStatus[], limit: AgeLimit = DEFAULT_ADVISORIES_MAX_AGE, now: Date): AdvisoryAges {
  const dated: SourceAge[] = [];
  for (const source of sources) {
    if (source.kind === 'missing' || source.records === 0) continue;
    const basis = source.fetchedAt !== undefined ? 'fetched' : source.newestModified !== undefined ? 'modified' : undefined;
    const date = basis === 'fetched' ? source.fetchedAt : source.newestModified;
    const at = date === undefined ? NaN : Date.parse(date);
    if (basis === undefined || date === undefined || Number.isNaN(at)) continue;
    dated.push({ entry: source.entry, path: source.path, basis, date, ageMs: now.getTime() - at });
  }
  dated.sort((a, b) => b.ageMs - a.ageMs);
  return {
    stale: dated.filter((s) => s.ageMs > limit.ms),
    future: dated.filter((s) => s.ageMs < -CLOCK_SKEW_MS),
    oldest: dated[0],
  };
}

/** "12 days", or hours under two days ("30 hours" says more than "1 day" against a 24h limit). */
export function ageText(ageMs: number): string {
  const days = Math.floor(ageMs / DAY_MS);
  if (days >= 2) return `${days} days`;
  const hours = Math.max(0, Math.floor(ageMs / HOUR_MS));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
