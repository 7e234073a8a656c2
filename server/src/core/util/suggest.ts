/** "Did you mean" suggestions: the nearest known name by edit distance, if it is near enough. */
import { distance } from 'fastest-levenshtein';

export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const lowered = word.toLowerCase().replace(/_/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(lowered, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestDistance > 0 && bestDistance <= allowed ? best : bestDistance === 0 ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = nearest(word, candidates);
  return s !== undefined && s !== word ? `; did you mean \`${s}\`?` : '';
}
