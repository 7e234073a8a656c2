/**
 * The one redaction every output that echoes playbook text goes through (dry-run reports, hover,
 * code lens, finding messages): each secret PB104 flags is replaced by `•••` wherever it shows.
 *
 * A secret is matched by value, not only by where it is written: as written, as YAML reads it (a
 * double-quoted `\x74` is a `t`, a block scalar loses its indentation), with its line breaks and
 * indentation turned into any run of blanks (a report puts a command on one line), and wherever
 * else that value shows (twice, or at a YAML alias that stands for it). Then the same patterns PB104
 * uses run over the output text itself, so a secret PB104 could not see as written (one spelt with
 * YAML escapes, `"pass\u0077ord=…"`) is still redacted once the report shows it decoded. A
 * suppression or a policy that turns PB104 off hides the finding; it never un-redacts the output.
 */
import { parseDocument, type Scalar } from 'yaml';
import type { ParsedPlaybook } from '../parse/model.js';
import { plainTextSecrets } from '../rules/PB104.js';
import { findSecrets } from './secretPatterns.js';

/** What a redacted secret reads as. Three bullets: PB104 reads them as a placeholder, never as a secret. */
export const REDACTED = '•••';

export type Redact = (text: string) => string;

const byParse = new WeakMap<ParsedPlaybook, Redact>();

/** The redaction for one parse of a playbook (built once per parse). */
export function redactorFor(parsed: ParsedPlaybook): Redact {
  let redact = byParse.get(parsed);
  if (!redact) {
    redact = redactor(secretValues(parsed));
    byParse.set(parsed, redact);
  }
  return redact;
}

/** Every form in which each flagged secret can show: as written, and as YAML reads it. */
export function secretValues(parsed: ParsedPlaybook): string[] {
  const values = new Set<string>();
  for (const { finding, node } of plainTextSecrets(parsed)) {
    const written = parsed.text.slice(finding.range.start, finding.range.end);
    values.add(written);
    const read = readAs(written, node);
    if (read !== undefined) values.add(read);
  }
  return [...values];
}

/** A function replacing each of `values` (and whatever the secret patterns find) by REDACTED. */
export function redactor(values: readonly string[]): Redact {
  const matcher = valueMatcher(values);
  return (text) => {
    if (!text) return text;
    const byValue = matcher ? text.replace(matcher, REDACTED) : text;
    return redactShapes(byValue);
  };
}

/** Strings anywhere in plain data (the dry-run's result, a finding's `data`) redacted; other values kept. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactDeep(item, redact);
    return out as T;
  }
  return value;
}

/** Secrets the patterns find in the text itself, each replaced by REDACTED. */
function redactShapes(text: string): string {
  const found = findSecrets(text);
  let out = text;
  for (let i = found.length - 1; i >= 0; i--) out = out.slice(0, found[i]!.start) + REDACTED + out.slice(found[i]!.end);
  return out;
}

/**
 * One global regex for all values, longest first so that a secret inside a longer one does not
 * leave the rest showing. Blanks inside a value match any run of blanks: literal pieces joined by
 * `\s+` cannot backtrack more than once per piece.
 */
function valueMatcher(values: readonly string[]): RegExp | undefined {
  const patterns = new Set<string>();
  for (const value of values) {
    const pieces = value.split(/\s+/).filter(Boolean);
    if (pieces.length) patterns.add(pieces.map(escapeRegExp).join('\\s+'));
  }
  if (!patterns.size) return undefined;
  return new RegExp([...patterns].sort((a, b) => b.length - a.length).join('|'), 'g');
}

/** The part of a quoted scalar as YAML reads it, when that differs from how it is written. */
function readAs(written: string, node: Scalar | undefined): string | undefined {
  if (node?.type === 'QUOTE_SINGLE') return written.replace(/''/g, "'");
  if (node?.type !== 'QUOTE_DOUBLE' || !written.includes('\\')) return undefined;
  // The escapes are YAML's own (\x74, \u0077, \N, \_ …): let the parser read them.
  const doc = parseDocument(`"${written}"`);
  const value = doc.errors.length ? undefined : (doc.contents as Scalar | null)?.value;
  return typeof value === 'string' ? value : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
