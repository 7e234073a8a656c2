/**
 * A playbook means the same written out or with aliases. Real playbooks (the examples and the
 * quick-fix fixtures) are rewritten so that values written twice or more are written once with an
 * anchor (`&a`) and used elsewhere as `*a` (scalars, flow lists and maps, keys included), and
 * every rule must say exactly what it says about the written-out text. A fixed seed in `npm test`;
 * `npm run fuzz` runs more.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { checkPlaybook } from '../../server/src/core/check.js';
import { PARSE_OPTIONS } from '../../server/src/core/parse/parseOptions.js';
import type { Finding } from '../../server/src/core/types.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261205;
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const EXAMPLES = path.join(__dirname, '../../examples');
const FIXES = path.join(__dirname, '../fixtures/fixes');
const seeds = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.playbook.yaml')).map((f) => readFileSync(path.join(EXAMPLES, f), 'utf8')),
  ...readdirSync(FIXES).filter((f) => f.endsWith('.playbook.yaml')).map((f) => readFileSync(path.join(FIXES, f), 'utf8')),
];

interface Candidate {
  start: number;
  end: number;
  isKey: boolean;
  /** Equal groups mean equal for every reader: a string's value, or the exact source otherwise (versions are read as written). */
  group: string;
}

/** Scalars written on one line and flow collections, in document order: the nodes an anchor or alias can stand in for by text alone. */
function candidates(text: string): Candidate[] {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length) return [];
  const out: Candidate[] = [];
  const visit = (node: unknown, isKey: boolean): void => {
    if (isPair(node)) {
      visit(node.key, true);
      visit(node.value, false);
      return;
    }
    const range = (node as Node | null)?.range;
    if (!range) return;
    const source = text.slice(range[0], range[1]);
    if (isScalar(node)) {
      if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' || source.includes('\n') || source === '') return;
      out.push({ start: range[0], end: range[1], isKey, group: typeof node.value === 'string' ? `s:${node.value}` : `src:${source}` });
    } else if (isMap(node) || isSeq(node)) {
      if (node.flow && !source.includes('\n') && !isKey) out.push({ start: range[0], end: range[1], isKey, group: `src:${source}` });
      for (const item of node.items) visit(item, false);
    }
  };
  visit(doc.contents, false);
  return out;
}

/** `text` with the groups picked by `picks` written once with an anchor and aliased afterwards. */
function aliasify(text: string, picks: readonly number[]): string {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates(text)) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  const repeated = [...groups.values()].filter((g) => g.length >= 2);
  if (repeated.length === 0) return text;
  const edits: Array<{ start: number; end: number; insert: string }> = [];
  const overlaps = (c: Candidate): boolean => edits.some((e) => c.start < Math.max(e.end, e.start + 1) && e.start < c.end);
  picks.forEach((pick, n) => {
    const group = repeated[pick % repeated.length]!.filter((c) => !overlaps(c));
    if (group.length < 2) return;
    const name = `a${n}`;
    edits.push({ start: group[0]!.start, end: group[0]!.start, insert: `&${name} ` });
    for (const use of group.slice(1)) edits.push({ start: use.start, end: use.end, insert: use.isKey ? `*${name} ` : `*${name}` });
  });
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

/** What a finding says, wherever it is: rule, severity, message, step and related messages. PB104 reads the written text (a secret is written once). */
const said = (findings: readonly Finding[]): string[] =>
  findings.filter((f) => f.ruleId !== 'PB104').map((f) => JSON.stringify([f.ruleId, f.severity, f.message, f.stepIndex ?? null, (f.related ?? []).map((r) => r.message)])).sort();

describe(`aliases change nothing a rule says (seed ${SEED}, ${RUNS} runs)`, () => {
  test('the rewriting itself holds: the aliased text reads as the same data', () => {
    let aliased = 0;
    for (const seed of seeds) {
      const text = aliasify(seed, [0, 1, 2, 3, 4, 5]);
      if (text === seed) continue;
      aliased++;
      assert.deepEqual(parseDocument(text, PARSE_OPTIONS).toJS(), parseDocument(seed, PARSE_OPTIONS).toJS());
    }
    assert.ok(aliased >= seeds.length / 2, `${aliased} of ${seeds.length} playbooks have values to alias`);
  });

  test('a playbook with aliases gets the findings of the written-out playbook, and the same plain data', () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (seed, picks) => {
      const text = aliasify(seed, picks);
      fc.pre(text !== seed);
      const written = checkPlaybook(seed);
      const withAliases = checkPlaybook(text);
      assert.deepEqual(withAliases.parsed.data, written.parsed.data);
      assert.deepEqual(said(withAliases.findings), said(written.findings), text);
      assert.deepEqual(said(withAliases.suppressed), said(written.suppressed), text);
    }), params);
  });
});
