/** The step limit is applied from the text before the YAML parser runs, and agrees with what YAML reads. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { DEFAULT_LIMITS } from '../../server/src/core/limits.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { scanStepItems } from '../../server/src/core/parse/stepCount.js';

const head = 'playbook: big\ntitle: Big\nowners: {sre: "@sre", security: "@sec"}\nsteps:\n';
const step = (i: number): string => `  - id: s${i}\n    action: wait\n    duration: 1s\n`;

describe('maxSteps from a pre-scan', () => {
  test('a playbook over the limit is refused without parsing it: a YAML error after the steps is never seen', () => {
    const limits = { ...DEFAULT_LIMITS, maxSteps: 1000 };
    const text = head + Array.from({ length: 1500 }, (_, i) => step(i)).join('') + 'oops: [unclosed\n';
    const parsed = parsePlaybook(text, limits);
    assert.deepEqual(parsed.parseFindings.map((f) => f.ruleId), ['PB008'], 'only the limit: the parser never ran');
    assert.match(parsed.parseFindings[0]!.message, /the playbook has 1500 steps, over the limit of 1000 \(maxSteps\)/);
    assert.equal(text.slice(parsed.parseFindings[0]!.range.start, parsed.parseFindings[0]!.range.start + 9), 'id: s1000');
    assert.equal(parsed.yaml, undefined);
  });

  test('at the limit the playbook is parsed and checked', () => {
    const limits = { ...DEFAULT_LIMITS, maxSteps: 50 };
    const parsed = parsePlaybook(head + Array.from({ length: 50 }, (_, i) => step(i)).join(''), limits);
    assert.equal(parsed.model.steps.length, 50);
    assert.deepEqual(parsed.parseFindings, []);
  });

  const line = fc.oneof(
    fc.constantFrom('  - id: a', '  -', '  - [x]', '  -\tid: t', '    action: wait', '    run: |', '      - not a step', '  # - comment', '', '  ', '- top', 'other: 1', '  "quoted', '  - bar"', '\r', '    - nested', 'steps:', '  steps:'),
    fc.string({ maxLength: 8 }),
  );

  test('the scan never counts more items than YAML reads in the steps list', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('steps:', '"steps":', 'steps: # the list', 'steps: &s'), (lines, key) => {
      const text = `title: x\n${key}\n${lines.join('\n')}\n`;
      const doc = parseDocument(text, { uniqueKeys: false });
      let steps: unknown;
      try {
        steps = (doc.toJS({ maxAliasCount: -1 }) as { steps?: unknown } | null)?.steps;
      } catch {
        return; // not data at all (an alias to nothing): the parser reports it
      }
      const read = Array.isArray(steps) ? steps.length : 0;
      assert.ok(scanStepItems(text, 0).count <= Math.max(read, 0) || doc.errors.length > 0, `${scanStepItems(text, 0).count} counted, ${read} read:\n${text}`);
    }), { numRuns: Number(process.env["FUZZ_RUNS"] ?? 2000), seed: process.env["FUZZ_RUNS"] ? Date.now() : 20261205 });
  });
});
