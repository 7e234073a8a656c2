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

/**
 * The last redaction built, by the secrets it redacts: an edit that changes no secret (nearly every
 * keystroke) keeps it, and with it the strings already redacted, so re-checking a large playbook
 * does not redact every unchanged message again.
 */
let last: { key: string; redact: Redact } | undefined;

/** The redaction for one parse of a playbook (built once per parse). */
export function redactorFor(parsed: ParsedPlaybook): Redact {
  let redact = byParse.get(parsed);
  if (!redact) {
    const values = secretValues(parsed);
    const key = values.join('\0');
    if (last?.key !== key) last = { key, redact: remembering(redactor(values)) };
    redact = last.redact;
    byParse.set(parsed, redact);
  }
  return redact;
}

/** Most strings remembered at once; past it the memory starts afresh. */
const REMEMBERED = 50_000;

function remembering(redact: Redact): Redact {
  const done = new Map<string, string>();
  return (text) => {
    let out = done.get(text);
    if (out === undefined) {
      out = redact(text);
      if (done.size >= REMEMBERED) done.clear();
      done.set(text, out);
    }
    return out;
  };
}

/** Every form in which each flagged secret can show: as written, and as YAML reads it. */
function secretValues(parsed: ParsedPlaybook): string[] {
  const values = new Set<string>();
  for (const { finding, node, decoded } of plainTextSecrets(parsed)) {
    if (decoded !== undefined) {
      values.add(decoded); // its finding covers the whole scalar, which is more than the secret
      continue;
    }
    const written = parsed.text.slice(finding.range.start, finding.range.end);
    values.add(written);
    const read = readAs(written, node);
    if (read !== undefined) values.add(read);
  }
  return [...values];
}

/** A function replacing each of `values` (and whatever the secret patterns find) by REDACTED. */
export function redactor(values: readonly string[]): Redact {
  const byValue = valueReplacer(values);
  return (text) => (text ? redactShapes(byValue(text)) : text);
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
 * Replaces every value, longest first where two start at the same place. A hostile playbook can hold
 * thousands of secrets, so values are not one alternation tried at every offset: values without
 * blanks are grouped by their first characters and their lengths, so each offset costs one map
 * lookup and one set lookup per length in its group; only values with blanks inside (a private
 * key), whose blanks match any run of blanks, go through a regex.
 */
function valueReplacer(values: readonly string[]): Redact {
  const groups = new Map<string, { lengths: number[]; values: Set<string> }>();
  const spaced = new Set<string>();
  for (const value of values) {
    const pieces = value.split(/\s+/).filter(Boolean);
    if (pieces.length > 1) {
      spaced.add(pieces.map(escapeRegExp).join('\\s+'));
    } else if (pieces.length === 1) {
      const piece = pieces[0]!;
      const key = piece.slice(0, PREFIX);
      const group = groups.get(key) ?? { lengths: [], values: new Set<string>() };
      group.values.add(piece);
      groups.set(key, group);
    }
  }
  for (const group of groups.values()) group.lengths = [...new Set([...group.values].map((v) => v.length))].sort((a, b) => b - a);
  const blanks = spaced.size ? new RegExp([...spaced].sort((a, b) => b.length - a.length).join('|'), 'g') : undefined;
  const shortKeys = [...new Set([...groups.keys()].filter((key) => key.length < PREFIX).map((key) => key.length))].sort((a, b) => b - a);
  const lengthAt = (text: string, at: number): number | undefined => {
    for (const keyLength of [PREFIX, ...shortKeys]) {
      const group = groups.get(text.slice(at, at + keyLength));
      const length = group?.lengths.find((l) => group.values.has(text.slice(at, at + l)));
      if (length !== undefined) return length;
    }
    return undefined;
  };
  return (text) => {
    const unspaced = blanks ? text.replace(blanks, REDACTED) : text;
    if (!groups.size) return unspaced;
    let out = '';
    let copied = 0;
    for (let i = 0; i < unspaced.length; i++) {
      const length = lengthAt(unspaced, i);
      if (length === undefined) continue;
      out += unspaced.slice(copied, i) + REDACTED;
      copied = i + length;
      i = copied - 1;
    }
    return copied === 0 ? unspaced : out + unspaced.slice(copied);
  };
}

/** Values are grouped by their first PREFIX characters (PB104 flags nothing shorter); a shorter value is its own key. */
const PREFIX = 4;

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
