/**
 * Property: for any chain of random edits, the incremental re-parse of each version equals a full
 * parse of it (every node, range, plain value, model entry and finding). A fixed seed in `npm test`;
 * `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED to replay a failure).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { isMap, isScalar, type Node } from 'yaml';
import { checkParsed } from '../../server/src/core/check.js';
import type { ParsedPlaybook } from '../../server/src/core/parse/model.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { reparsePlaybook } from '../../server/src/core/parse/reparse.js';
import { parseSnapshot } from './helpers/parseSnapshot.js';
import { NEW_STEPS, structuralEdit, type StructuralEdit } from './helpers/stepEdits.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261126;

const EXAMPLES = path.join(__dirname, '../../examples');
const FIXES = path.join(__dirname, '../fixtures/fixes');
const seeds = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.playbook.yaml')).map((f) => readFileSync(path.join(EXAMPLES, f), 'utf8')),
  ...readdirSync(FIXES).filter((f) => f.endsWith('.before.playbook.yaml')).map((f) => readFileSync(path.join(FIXES, f), 'utf8')),
].filter((text) => parsePlaybook(text).incremental);

/** What a typist produces inside a playbook, YAML's special characters included. */
const SPICE = ['a', 'x', ' ', ':', '-', '- ', '\n', '\n    ', '\n  - ', '  ', '#', '# c', '[', ']', '{', '"', "'", '&a ', '*a', '|', '|\n      ', '>', '\t', '\r\n', '🔥', 'on-failure: abort', 'next: ', 'id: x', 'action: rollback', '---\n', '%YAML 1.1\n'];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.nat({ max: 30 }) }),
  insert: fc.oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9 .-]{0,4}$/) },
    { weight: 2, arbitrary: fc.constantFrom(...SPICE) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  ),
});

describe(`incremental re-parse properties (seed ${SEED}, ${RUNS} runs)`, () => {
  test('each version of a random chain of edits parses as a full parse does', () => {
    let reused = 0;
    let total = 0;
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 8 }), (seed, edits) => {
      let previous: ParsedPlaybook = parsePlaybook(seed);
      let text = seed;
      for (const e of edits) {
        const at = Math.floor(e.at * text.length);
        text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
        const tree = previous.yaml;
        const incremental = reparsePlaybook(previous, text);
        const full = parsePlaybook(text);
        total++;
        if (tree && incremental.yaml === tree) reused++;
        assert.deepEqual(parseSnapshot(incremental), parseSnapshot(full));
        assert.deepEqual(checkParsed(incremental).findings, checkParsed(full).findings);
        previous = incremental;
      }
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    // Not vacuous: some random edits land inside one step and take the fast path (most break the YAML).
    assert.ok(reused / total > 0.01, `${reused} of ${total} edits re-used the previous tree`);
  });

  test('typing inside steps: mostly the fast path, always the full parse\'s result', () => {
    typingProperty((parsed) => parsed.model.steps.map((s) => s.range), fc.stringMatching(/^[a-z0-9 :#"\n-]{0,3}$/), 2);
  });

  test('whole steps added, removed, duplicated and cut across: mostly the fast path, always the full parse\'s result', () => {
    const op = fc.record({
      kind: fc.constantFrom<StructuralEdit['kind']>('insert', 'remove', 'duplicate', 'cut'),
      pick: fc.double({ min: 0, max: 1, noNaN: true }),
      other: fc.double({ min: 0, max: 1, noNaN: true }),
      step: fc.constantFrom(...NEW_STEPS),
    });
    editProperty(op, structuralEdit, 0.3);
  });

  test('a block of steps pasted, more than one parse takes at once: mostly the fast path, always the full parse\'s result', () => {
    const paste = fc.record({ pick: fc.double({ min: 0, max: 1, noNaN: true }), count: fc.integer({ min: 33, max: 100 }), step: fc.constantFrom(...NEW_STEPS) });
    editProperty(paste, (parsed, o) => {
      const steps = Array.from({ length: o.count }, (_, i) => NEW_STEPS[(NEW_STEPS.indexOf(o.step) + i) % NEW_STEPS.length]!).join('');
      return structuralEdit(parsed, { kind: 'insert', pick: o.pick, other: 0, step: steps });
    }, 0.3);
  });

  test('typing in the blocks around the steps (title, owners, services, channels): mostly the fast path, always the full parse\'s result', () => {
    typingProperty(topLevelBlocks, fc.oneof(
      { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9 .-]{0,3}$/) },
      { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9 :#"\n.-]{0,3}$/) },
      { weight: 1, arbitrary: fc.constantFrom('\n    - 2.9.0', '\n  extra: "@x"', ', 2.5.0', '\n# note\n', '\n  ', '\nnew-key: 1\n') },
    ), 3);
  });
});

/**
 * Chains of typing inside the places `placesOf` gives (a random one each time): each version equals
 * a full parse, and more than 15% of them re-used the previous tree.
 */
function typingProperty(placesOf: (parsed: ParsedPlaybook) => Array<{ start: number; end: number }>, insert: fc.Arbitrary<string>, maxRemove: number): void {
  const typing = fc.record({ place: fc.double({ min: 0, max: 1, noNaN: true }), at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: maxRemove }), insert });
  editProperty(typing, (parsed, e) => {
    const text = parsed.text;
    const places = placesOf(parsed);
    const range = places.length ? places[Math.min(places.length - 1, Math.floor(e.place * places.length))]! : { start: 0, end: text.length };
    const at = range.start + Math.floor(e.at * (range.end - range.start));
    return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
  }, 0.15);
}

/** Chains of edits made by `apply` (undefined: none this time): each version equals a full parse, and more than `minReuse` of them re-used the previous tree. */
function editProperty<E>(edit: fc.Arbitrary<E>, apply: (parsed: ParsedPlaybook, e: E) => string | undefined, minReuse: number): void {
  let reused = 0;
  let total = 0;
  fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 8 }), (seed, edits) => {
    let previous: ParsedPlaybook = parsePlaybook(seed);
    for (const e of edits) {
      const next = apply(previous, e);
      if (next === undefined) continue;
      const tree = previous.yaml;
      const incremental = reparsePlaybook(previous, next);
      total++;
      if (tree && incremental.yaml === tree) reused++;
      assert.deepEqual(parseSnapshot(incremental), parseSnapshot(parsePlaybook(next)));
      previous = incremental;
    }
  }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  assert.ok(reused / total > minReuse, `${reused} of ${total} edits re-used the previous tree`);
}

/** The value of each top-level block but `steps` (where a typist edits a block without renaming it), to its end. */
function topLevelBlocks(parsed: ParsedPlaybook): Array<{ start: number; end: number }> {
  const root = parsed.yaml?.contents;
  if (!isMap(root)) return [];
  return root.items.flatMap((pair) => {
    const key = pair.key as Node | null;
    const range = (pair.value as Node | null)?.range;
    return range && isScalar(key) && key.value !== 'steps' ? [{ start: range[0], end: range[1] }] : [];
  });
}
