/**
 * The baseline file: the findings a repository had when it adopted the checks, so that only new
 * ones fail CI. It is committed and reviewed in pull requests, so it is JSON that reads well and
 * diffs small: a format version, the tool's name, and one entry per finding (its playbook relative
 * to the baseline file's folder, with forward slashes; rule; fingerprint; a redacted hint; a count
 * when the same fingerprint occurs more than once), sorted by file, rule and fingerprint in
 * code-unit order, so the same findings always write the same bytes on every machine.
 */
import type { BaselineKey, Finding } from '../types.js';

const BASELINE_FORMAT_VERSION = 1;
const BASELINE_TOOL = 'playbook';

export interface BaselineEntry extends BaselineKey {
  /** The playbook, relative to the baseline file's folder, with forward slashes. */
  file: string;
  ruleId: string;
  /** How many findings of the file have this rule and fingerprint (written only above 1). */
  count: number;
}

export interface Baseline {
  entries: BaselineEntry[];
}

const RULE_ID = /^PB\d{3}$/;
const FINGERPRINT = /^[0-9a-f]{16}$/;

/** The entries of one playbook's findings that carry a key (`file` as the baseline names it), equal keys counted once. */
export function baselineEntries(file: string, findings: readonly Finding[]): BaselineEntry[] {
  return merged(findings.flatMap((f) => (f.baselineKey ? [{ file, ruleId: f.ruleId, ...f.baselineKey, count: 1 }] : [])));
}

/** The file's text: entries merged and sorted, two-space JSON, one trailing newline. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = merged(entries).sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  const written = sorted.map(({ file, ruleId, fingerprint, hint, count }) => ({ file, ruleId, fingerprint, hint, ...(count > 1 ? { count } : {}) }));
  return `${JSON.stringify({ version: BASELINE_FORMAT_VERSION, tool: BASELINE_TOOL, entries: written }, null, 2)}\n`;
}

/** The baseline in a file's text, or what is wrong with it in words (one line, for `playbook: <file>: …`). */
export function parseBaseline(text: string): { baseline: Baseline } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problem: `is not valid JSON (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})` };
  }
  if (!isObject(data) || data['tool'] !== BASELINE_TOOL) return { problem: 'is not a playbook baseline: it has no `"tool": "playbook"`; write one with `playbook check --write-baseline FILE`' };
  if (data['version'] !== BASELINE_FORMAT_VERSION) {
    return { problem: `is a baseline of format version ${JSON.stringify(data['version'] ?? null)}, and this playbook reads version ${BASELINE_FORMAT_VERSION}: write it again with \`playbook check --write-baseline FILE\`` };
  }
  if (!Array.isArray(data['entries'])) return { problem: 'has no `entries` list' };
  const entries: BaselineEntry[] = [];
  for (const [index, item] of (data['entries'] as unknown[]).entries()) {
    const entry = entryOf(item);
    if (typeof entry === 'string') return { problem: `entry ${index + 1}: ${entry}` };
    entries.push(entry);
  }
  return { baseline: { entries: merged(entries) } };
}

/** The entries of each file, for the adapters to give each playbook's check its own. */
export function entriesByFile(baseline: Baseline): Map<string, BaselineEntry[]> {
  const byFile = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.entries) {
    const list = byFile.get(entry.file) ?? [];
    list.push(entry);
    byFile.set(entry.file, list);
  }
  return byFile;
}

/**
 * Each finding whose rule and fingerprint the entries list is marked `baselined`, in document
 * order, and each entry covers as many findings as its count: a second identical finding where
 * the baseline had one is new.
 */
export function markBaselined<F extends Finding>(findings: readonly F[], entries: readonly BaselineEntry[]): F[] {
  const left = new Map<string, number>();
  for (const e of entries) left.set(keyOf(e.ruleId, e.fingerprint), (left.get(keyOf(e.ruleId, e.fingerprint)) ?? 0) + e.count);
  return findings.map((f) => {
    if (!f.baselineKey) return f;
    const key = keyOf(f.ruleId, f.baselineKey.fingerprint);
    const n = left.get(key) ?? 0;
    if (n === 0) return f;
    left.set(key, n - 1);
    return { ...f, baselined: true };
  });
}

/** An entry as written, or why it cannot be one. */
function entryOf(item: unknown): BaselineEntry | string {
  if (!isObject(item)) return 'is not an object';
  const { file, ruleId, fingerprint, hint, count } = item;
  if (typeof file !== 'string' || !file) return '`file` must be a path';
  if (file.includes('\\') || file.startsWith('/') || /^[A-Za-z]:/.test(file)) return `\`file\` must be relative to the baseline's folder, with forward slashes (got ${JSON.stringify(file)})`;
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) return `\`ruleId\` must be a rule id such as PB105 (got ${JSON.stringify(ruleId ?? null)})`;
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) return `\`fingerprint\` must be 16 hexadecimal digits (got ${JSON.stringify(fingerprint ?? null)})`;
  if (hint !== undefined && typeof hint !== 'string') return '`hint` must be text';
  if (count !== undefined && !(Number.isInteger(count) && (count as number) >= 1)) return `\`count\` must be a whole number from 1 (got ${JSON.stringify(count)})`;
  return { file, ruleId, fingerprint, hint: hint ?? '', count: (count as number | undefined) ?? 1 };
}

/** Entries with the same file, rule and fingerprint as one, counts added (a baseline merged by hand may hold both). */
function merged(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const byKey = new Map<string, BaselineEntry>();
  for (const e of entries) {
    const key = `${e.file}\u0000${keyOf(e.ruleId, e.fingerprint)}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, count: seen.count + e.count } : { ...e });
  }
  return [...byKey.values()];
}

function keyOf(ruleId: string, fingerprint: string): string {
  return `${ruleId}\u0000${fingerprint}`;
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
