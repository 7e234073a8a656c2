/** `advisories-max-age` as the policy writes it (`7d`, `36h`) → a duration the staleness check compares with. */
import type { AgeLimit } from './policy.js';

const UNIT_MS: Readonly<Record<string, number>> = { h: 60 * 60 * 1000, d: 24 * 60 * 60 * 1000 };

/** The schema's pattern for the key; kept here so the parse and the schema agree (test/unit/advisory-staleness.test.ts). */
export const AGE_LIMIT_PATTERN = '^0*[1-9][0-9]{0,5}[hd]$';

/** Undefined for anything the schema refuses: a zero or negative age, another unit, a number without a unit. */
export function parseAgeLimit(written: string): AgeLimit | undefined {
  if (!new RegExp(AGE_LIMIT_PATTERN).test(written)) return undefined;
  return { written, ms: Number(written.slice(0, -1)) * UNIT_MS[written.slice(-1)]! };
}
