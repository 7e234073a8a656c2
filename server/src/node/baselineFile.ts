/**
 * Baseline files on disk: read through the one bounded reader, written atomically, and each
 * playbook's entries found by its path relative to the baseline file's folder (forward slashes),
 * so a baseline written in one checkout matches in another, whatever folder each check runs from.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { decodeBytes, entriesByFile, formatBaseline, parseBaseline, type BaselineEntry, type Policy } from '../core/index.js';
import { sizeText } from './advisoryDownload.js';
import { policyPaths } from './policyPaths.js';
import { readFileSafely } from './readFile.js';
import { writeFileAtomically } from './writeFile.js';

/** Far above a real baseline (a thousand playbooks with twenty findings each write about 4 MB), far below what would strain memory. */
const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

export interface LoadedBaseline {
  /** Absolute path. */
  file: string;
  /** Each playbook's entries, by its path relative to the baseline's folder; absent when the file cannot be used. */
  byFile?: ReadonlyMap<string, readonly BaselineEntry[]>;
  /** Why it cannot be used, in words: `cannot be read (no such file or directory)`, `is not valid JSON (…)`. */
  problem?: string;
  /** It could not be read: a moment later it may be, so the language server reads it again. */
  readFailed?: true;
}

const NO_ENTRIES: readonly BaselineEntry[] = Object.freeze([]);

export async function loadBaseline(file: string): Promise<LoadedBaseline> {
  const read = await readFileSafely(file, MAX_BASELINE_BYTES);
  if ('error' in read) return { file, problem: `cannot be read (${read.error})`, readFailed: true };
  if (read.size > MAX_BASELINE_BYTES) return { file, problem: `is ${sizeText(read.size)}, over the ${sizeText(MAX_BASELINE_BYTES)} limit for a baseline` };
  const decoded = decodeBytes(read.bytes);
  if ('finding' in decoded) return { file, problem: 'is not UTF-8 text, so not a baseline' };
  const parsed = parseBaseline(decoded.text);
  if ('problem' in parsed) return { file, problem: parsed.problem };
  return { file, byFile: entriesByFile(parsed.baseline) };
}

/** The baseline file a policy names, on disk; undefined when it names none. */
export function policyBaselineFile(policy: Policy, policyFile: string | undefined, rootDir: string): string | undefined {
  return policy.baseline === undefined ? undefined : policyPaths([policy.baseline], policyFile, rootDir)[0];
}

/** A playbook's path as a baseline beside `baselineFile` names it: relative to its folder, with forward slashes. */
export function pathInBaseline(baselineFile: string, playbookFile: string): string {
  return path.relative(path.dirname(path.resolve(baselineFile)), path.resolve(playbookFile)).split(path.sep).join('/');
}

/** The entries of one playbook (none when the baseline could not be used, or lists none for it). */
export function baselineEntriesFor(baseline: LoadedBaseline, playbookFile: string): readonly BaselineEntry[] {
  return baseline.byFile?.get(pathInBaseline(baseline.file, playbookFile)) ?? NO_ENTRIES;
}

/**
 * What an editor check passes as `CheckOptions.baseline`: the file's entries when its baseline lists
 * any, else nothing (so no key is computed for a playbook no entry can match).
 */
export function baselineOption(baseline: LoadedBaseline | undefined, playbookFile: string): { baseline?: readonly BaselineEntry[] } {
  const entries = baseline ? baselineEntriesFor(baseline, playbookFile) : NO_ENTRIES;
  return entries.length ? { baseline: entries } : {};
}

/** Writes the baseline atomically (a reader never sees half of it), creating its folder. Throws what the file system says. */
export function writeBaselineFile(file: string, entries: readonly BaselineEntry[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomically(file, [formatBaseline(entries)], 0o644);
}
