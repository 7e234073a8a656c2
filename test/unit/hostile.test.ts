/** The hostile corpus through the core: no exception, findings inside the text, refusals that say which limit. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { simulate } from '../../server/src/core/dryrun/index.js';
import { decodeBytes } from '../../server/src/core/parse/decode.js';
import { hostileCorpus, hostileFiles } from '../fixtures/hostile/corpus.js';

describe('hostile input through the core', () => {
  for (const c of hostileCorpus()) {
    // The bound is generous for a shared 2-core machine; a hang fails here instead of stalling CI.
    test(c.name, { timeout: 30_000 }, () => {
      // Twice: a second parse in the same process is where deep recursion used to turn fatal.
      for (let round = 0; round < 2; round++) {
        const result = checkPlaybook(c.text);
        for (const f of [...result.findings, ...result.suppressed]) {
          assert.ok(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= c.text.length, `${f.ruleId} range ${JSON.stringify(f.range)} inside ${c.text.length}`);
          for (const r of f.related ?? []) if (!r.file) assert.ok(r.range.end <= c.text.length, 'related range inside the text');
          assert.ok(f.message.length > 0 && f.message.length < 2000, `${f.ruleId}: a message of reasonable length`);
        }
        // The dry-run walks whatever the check accepted, or refuses it; it never throws.
        const run = simulate(result);
        assert.ok(['resolved', 'aborted', 'blocked', 'invalid'].includes(run.outcome));
      }
    });
  }

  test('pathological nesting is refused before parsing, naming the limit', () => {
    for (const text of ['['.repeat(100_000), '{'.repeat(100_000), Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')]) {
      const [f] = checkPlaybook(text).findings;
      assert.equal(f?.ruleId, 'PB008');
      assert.match(f.message, /maxNestingDepth/);
    }
  });

  test('nesting past the exact limit is refused after parsing, at the deepest point', () => {
    const text = `playbook: x\nnotes: ${'['.repeat(70)}1${']'.repeat(70)}\n`;
    const [f] = checkPlaybook(text).findings;
    assert.equal(f?.ruleId, 'PB008');
    assert.match(f.message, /nested 65 levels deep here, over the limit of 64/);
  });

  test('a line over maxLineLength is refused, naming the setting', () => {
    const text = `playbook: x\nnotes: "${'y'.repeat(1_000_001)}"\n`;
    const [f] = checkPlaybook(text).findings;
    assert.equal(f?.ruleId, 'PB008');
    assert.match(f.message, /a line here is 1000010 characters long, over the limit of 1000000 \(`limits\.maxLineLength` in the policy\)/);
    assert.equal(f.range.start, text.indexOf('notes'));
  });

  test('aliases chained deeper than maxAliasDepth are refused, apart from their count', () => {
    // Ten levels of one alias each: few aliases (the count limit would let it through), but deep.
    const lines = ['a0: &a0 x'];
    for (let i = 1; i <= 10; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    const [f] = checkPlaybook(lines.join('\n') + '\n').findings;
    assert.equal(f?.ruleId, 'PB008');
    assert.match(f.message, /aliases here nest 10 deep .* over the limit of 8 \(`limits\.maxAliasDepth` in the policy\)/);
    const shallow = ['a0: &a0 x', 'a1: &a1 [*a0]', 'a2: &a2 [*a1]'].join('\n') + '\n';
    assert.ok(!checkPlaybook(shallow).findings.some((x) => x.ruleId === 'PB008'), 'a short chain is fine');
  });

  test('a 10 MB file is refused by size', () => {
    const [f] = checkPlaybook(`a: "${'x'.repeat(10 * 1024 * 1024)}"\n`).findings;
    assert.equal(f?.ruleId, 'PB008');
    assert.match(f.message, /maxDocumentLength/);
  });

  test('emoji and right-to-left text keep ranges in UTF-16 code units', () => {
    const text = hostileCorpus().find((c) => c.name === 'emoji before findings')!.text;
    const f = checkPlaybook(text).findings.find((x) => x.ruleId === 'PB002')!;
    assert.equal(text.slice(f.range.start, f.range.end), 'diagnos');
  });

  test('the hand-written files decode or are refused with a finding', () => {
    const files = hostileFiles();
    assert.ok(files.length >= 2);
    for (const { name, bytes } of files) {
      const decoded = decodeBytes(bytes);
      if ('finding' in decoded) assert.match(decoded.finding.message, /UTF-8|binary/, name);
      else assert.doesNotThrow(() => checkPlaybook(decoded.text), name);
    }
  });
});
