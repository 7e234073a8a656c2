/** An affected entry in words, as intervals: "[2.13.0, 2.15.0) ∪ [0, 2.3.1] ∪ versions 0.7.29". */
import { eventKind } from './osvRecord.js';
import type { OsvAffected } from './types.js';

export function describeAffected(entry: OsvAffected): string {
  const parts: string[] = [];
  for (const range of entry.ranges ?? []) {
    if (range.type === 'GIT') {
      parts.push('GIT commits (not evaluated)');
      continue;
    }
    let open: string | undefined;
    for (const event of range.events) {
      const kind = eventKind(event);
      if (!kind) continue;
      const value = event[kind]!;
      if (kind === 'introduced') {
        if (open !== undefined) parts.push(`[${open}, ∞)`);
        open = value;
      } else if (open !== undefined) {
        parts.push(kind === 'last_affected' ? `[${open}, ${value}]` : `[${open}, ${value})`);
        open = undefined;
      }
    }
    if (open !== undefined) parts.push(`[${open}, ∞)`);
  }
  if (entry.versions?.length) parts.push(`versions ${entry.versions.join(', ')}`);
  return parts.length ? parts.join(' ∪ ') : 'no ranges or versions';
}
