/**
 * Affected versions in words, for people: "2.13.0 up to, not including, 2.15.0", "every version up
 * to and including 29.0", "1.2.0 and later". One wording for why a version is affected (rangeEval.ts)
 * and for what an advisory affects (`playbook advisories --package`, hover).
 */
import { eventKind } from './osvRecord.js';
import type { OsvAffected } from './types.js';

/** An interval of a range: from `introduced` (`0`: the first version) to a `fixed` (excluded) or `last_affected` (included) event, or open. */
export function intervalWords(introduced: string, close?: { kind: 'fixed' | 'last_affected'; text: string }): string {
  const from = introduced === '0' ? undefined : introduced;
  if (!close) return from === undefined ? 'every version' : `${from} and later`;
  const upTo = close.kind === 'fixed' ? `up to, not including, ${close.text}` : `up to and including ${close.text}`;
  return from === undefined ? `every version ${close.kind === 'fixed' ? `before ${close.text}` : upTo}` : `${from} ${upTo}`;
}

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
      if (!kind || kind === 'limit') continue;
      const value = event[kind]!;
      if (kind === 'introduced') {
        if (open !== undefined) parts.push(intervalWords(open));
        open = value;
      } else if (open !== undefined) {
        parts.push(intervalWords(open, { kind, text: value }));
        open = undefined;
      }
    }
    if (open !== undefined) parts.push(intervalWords(open));
  }
  if (entry.versions?.length) parts.push(`the versions listed: ${entry.versions.join(', ')}`);
  return parts.length ? parts.join('; and ') : 'no ranges or versions';
}
