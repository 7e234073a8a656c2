/** Writing YAML scalars by hand: plain when that reads back as the same text, quoted otherwise. */
import type { OffsetRange } from '../../types.js';
import type { TextEdit } from '../types.js';

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./@+-]*$/;
const PLAIN_KEYWORDS = /^(true|false|null|yes|no|on|off|~)$/i;

/** A value written as a plain scalar when YAML reads it back as that text, else double-quoted. */
export function yamlScalar(value: string): string {
  return PLAIN_SAFE.test(value) && !PLAIN_KEYWORDS.test(value) ? value : doubleQuoted(value);
}

/** JSON's string syntax is valid YAML double-quoted syntax. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value);
}

/**
 * Replaces the scalar written at `range` with `value`, in the quoting style it was written in.
 * Undefined for block scalars (`|`, `>`), which no fix rewrites.
 */
export function replaceScalar(text: string, range: OffsetRange, value: string): TextEdit | undefined {
  const first = text[range.start];
  if (first === '|' || first === '>') return undefined;
  const newText = first === '"' ? doubleQuoted(value) : first === "'" ? `'${value.replace(/'/g, "''")}'` : yamlScalar(value);
  return { range: { start: range.start, end: range.end }, newText };
}
