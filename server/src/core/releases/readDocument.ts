/**
 * An SBOM or VEX file's text → its top-level JSON object, or a problem in plain words. Only JSON is
 * read (spec sections 8 and 9), so the other forms people keep next to it — CycloneDX XML, SPDX
 * tag-value — are named as such rather than reported as a JSON syntax error at line 1.
 */
import { oneLine } from '../util/oneLine.js';
import { readJson, type JsonObject, type JsonReadOptions, type TextPosition } from './jsonTree.js';

export interface JsonObjectDocument {
  root: JsonObject;
  positions: Map<JsonObject, TextPosition>;
  /** The read stopped where `enough` said (the rest of the text was not read). */
  partial?: true;
}

/** `what`: how the problem names what was expected, e.g. "an SBOM (CycloneDX or SPDX JSON)". */
export function readJsonObject(text: string, options: JsonReadOptions, what: string): JsonObjectDocument | { problem: string } {
  const read = readJson(text, options);
  if ('problem' in read) {
    const start = text.slice(0, 4096).replace(/^\ufeff/, '');
    if (/^\s*</.test(start)) return { problem: `the file is XML, not JSON; only JSON is read: expected ${what}` };
    if (/^\s*SPDXVersion\s*:/m.test(start)) return { problem: `the file is SPDX tag-value text, not JSON; only JSON is read: expected ${what}` };
    return read;
  }
  const { value } = read;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { problem: `the file holds ${kind}, not a JSON object: expected ${what}` };
  }
  return { root: value, positions: read.positions, ...(read.partial ? { partial: true as const } : {}) };
}

/** A value from the document, quoted for a message: short, on one line. */
export function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return `\`${oneLine(text.length > 80 ? `${text.slice(0, 77)}…` : text)}\``;
}

/** At most `limit` objects of one kind are built; the ones after are read but left out. */
export interface Budget {
  matches: (path: readonly (string | number)[]) => boolean;
  limit: number;
  /** Objects of this kind met so far, those past the limit included. */
  seen: number;
}

/**
 * A `keep` for the reader that spends the budgets: an object past its kind's limit is not built.
 * An object of no budgeted kind is built when `others` says so (by default, always).
 */
export function keepWithin(budgets: readonly Budget[], others: (path: readonly (string | number)[]) => boolean = () => true): (path: readonly (string | number)[]) => boolean {
  return (path) => {
    for (const budget of budgets) {
      if (budget.matches(path)) return ++budget.seen <= budget.limit;
    }
    return others(path);
  };
}
