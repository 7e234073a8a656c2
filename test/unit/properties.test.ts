/**
 * Property tests: random edits of real playbooks. A fixed seed in `npm test`; `npm run fuzz` runs
 * many more cases with a fresh seed (FUZZ_RUNS, FUZZ_SEED to replay a failure).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions, fixAll } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import type { Finding } from '../../server/src/core/types.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261126;
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const EXAMPLES = path.join(__dirname, '../../examples');
const FIXES = path.join(__dirname, '../fixtures/fixes');
const seeds = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.playbook.yaml')).map((f) => readFileSync(path.join(EXAMPLES, f), 'utf8')),
  ...readdirSync(FIXES).filter((f) => f.endsWith('.before.playbook.yaml')).map((f) => readFileSync(path.join(FIXES, f), 'utf8')),
];

/** Characters that matter to YAML and to the rules, plus some that test ranges (emoji, CR). */
const SPICE = [':', '-', ' ', '\n', '  ', '#', '[', ']', '{', '}', '"', "'", '&a', '*a', '|', '>', '\t', '\r\n', '🔥', 'ﻻ', '\u0000', 'on-failure: ', 'next: ', 'requires: [', 'action: rollback', 'id: x'];

/** An edit as an editor would make it: delete a span, insert text, or both, at a random place. */
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 40 }),
  insert: fc.oneof(fc.constantFrom(...SPICE), fc.string({ maxLength: 12 }), fc.array(fc.constantFrom(...SPICE), { maxLength: 5 }).map((a) => a.join(''))),
});

function applyRandomEdits(text: string, edits: Array<{ at: number; remove: number; insert: string }>): string {
  let out = text;
  for (const e of edits) {
    const at = Math.floor(e.at * out.length);
    out = out.slice(0, at) + e.insert + out.slice(Math.min(out.length, at + e.remove));
  }
  return out;
}

function assertSound(text: string, findings: readonly Finding[]): void {
  for (const f of findings) {
    assert.ok(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= text.length, `${f.ruleId} range ${JSON.stringify(f.range)} inside a text of ${text.length}`);
  }
}

const structural = (findings: readonly Finding[]): number => findings.filter((f) => f.ruleId === 'PB001' || f.ruleId === 'PB002').length;

describe(`properties (seed ${SEED}, ${RUNS} runs)`, () => {
  test('random edits never make the core throw, and every range lies inside the text', () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 }), (seed, edits) => {
      const text = applyRandomEdits(seed, edits);
      const result = checkPlaybook(text);
      assertSound(text, result.findings);
      assertSound(text, result.suppressed);
    }), params);
  });

  test('a quick fix applied to its own finding removes it and adds no PB001/PB002', () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.nat(), (seed, pick) => {
      const analysis = checkPlaybook(seed);
      const fixable = analysis.findings.flatMap((f) => codeActions(analysis, f.range).filter((a) => a.finding === f && a.isPreferred).map((a) => ({ f, a })));
      fc.pre(fixable.length > 0);
      const { f, a } = fixable[pick % fixable.length]!;
      const after = checkPlaybook(applyEdits(seed, a.edits));
      const same = (x: Finding): boolean => x.ruleId === f.ruleId && x.message === f.message;
      assert.equal(after.findings.filter(same).length, 0, `"${a.title}" removes: ${f.message}`);
      assert.ok(structural(after.findings) <= structural(analysis.findings), `"${a.title}" adds no PB001/PB002`);
    }), params);
  });

  test('check → fix-all → check converges: a second fix-all has nothing left to do', () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 2 }), (seed, edits) => {
      const text = applyRandomEdits(seed, edits);
      const recheck = (t: string) => checkPlaybook(t);
      const first = fixAll(recheck(text), recheck);
      fc.pre(first !== undefined);
      const fixed = applyEdits(text, first.edits);
      assertSound(fixed, recheck(fixed).findings);
      assert.equal(fixAll(recheck(fixed), recheck), undefined, 'fix-all reached a fixed point');
    }), params);
  });
});
