/**
 * How old the workspace's advisories are, for the status bar (each policy judged by its own
 * `advisories-max-age`), and the key that tells the server when time alone has changed PB110's
 * findings, so open playbooks are checked again without an edit.
 */
import { advisoryAges, ageText, type SourceAge, DEFAULT_ADVISORIES_MAX_AGE } from '../core/index.js';
import type { Environment } from '../node/checkEnvironment.js';
import type { AdvisoryAgeStatus } from '../shared/protocol.js';

/** The source to warn about first: one dated in the future, else the stalest, else (not stale) the oldest. */
export function ageStatus(environments: readonly Environment[], now: Date, show: (file: string) => string): AdvisoryAgeStatus | undefined {
  let best: { rank: number; age: SourceAge; maxAge: string } | undefined;
  for (const { loaded, advisories } of environments) {
    const limit = loaded.policy.advisoriesMaxAge ?? DEFAULT_ADVISORIES_MAX_AGE;
    const ages = advisoryAges(advisories.sources, limit, now);
    const candidates: Array<[number, SourceAge | undefined]> = [[3, ages.future[0]], [2, ages.stale[0]], [1, ages.oldest]];
    for (const [rank, age] of candidates) {
      if (age && (!best || rank > best.rank || (rank === best.rank && age.ageMs > best.age.ageMs))) best = { rank, age, maxAge: limit.written };
    }
  }
  if (!best) return undefined;
  const { rank, age, maxAge } = best;
  return { text: rank === 3 ? 'of unknown age' : ageText(age.ageMs), stale: rank >= 2, source: show(age.path), basis: rank === 3 ? 'future' : age.basis, maxAge };
}

/** Changes exactly when PB110's age findings would: a source crossing its limit, or a stale one's age as the finding says it. */
export function ageFindingsKey(environments: readonly Environment[], now: Date): string {
  return JSON.stringify(environments.map(({ loaded, advisories }) => {
    const ages = advisoryAges(advisories.sources, loaded.policy.advisoriesMaxAge ?? DEFAULT_ADVISORIES_MAX_AGE, now);
    return [ages.stale.map((s) => [s.path, ageText(s.ageMs)]), ages.future.map((s) => s.path)];
  }));
}
