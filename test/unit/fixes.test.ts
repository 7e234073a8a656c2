/**
 * Quick fixes against golden files: test/fixtures/fixes/<name>.before.playbook.yaml is checked, the
 * named fix is applied, and the text must equal <name>.after.playbook.yaml; re-checking it must no
 * longer show the problem and must add no PB001/PB002. `UPDATE_GOLDEN=1` rewrites the after-files
 * (review every change by eye before committing).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions, FIX_ALL_TITLE, fixAll } from '../../server/src/core/features/codeActions.js';
import { composeEdits } from '../../server/src/core/features/fixes/composeEdits.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import type { Analysis, TextEdit } from '../../server/src/core/features/types.js';
import type { Finding } from '../../server/src/core/types.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { OSV_DIR } from './helpers/osvIndex.js';
import { CASES } from '../fixtures/fixes/cases.js';

const FIXTURES = path.join(__dirname, '../fixtures/fixes');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

let snapshot: AdvisorySnapshot;
before(async () => {
  snapshot = await new AdvisoryStore().load([{ entry: 'osv', path: OSV_DIR }]);
});

const read = (file: string): string => readFileSync(path.join(FIXTURES, file), 'utf8');
const check = (text: string, advisories?: boolean): Analysis => checkPlaybook(text, advisories ? { advisories: snapshot } : {});
const WHOLE = (text: string) => ({ start: 0, end: text.length });

function stepIdOf(analysis: Analysis, finding: Finding): string {
  return finding.stepIndex === undefined ? '' : (analysis.parsed.model.steps[finding.stepIndex]?.id ?? `#${finding.stepIndex}`);
}

/** What a finding is about, stable across edits elsewhere: rule, step id, and for PB002 the flagged text, for PB106 what is missing. */
function problemOf(analysis: Analysis, finding: Finding): string {
  const detail = finding.ruleId === 'PB002' ? analysis.parsed.text.slice(finding.range.start, finding.range.end) : String(finding.data?.['missing'] ?? '');
  return `${finding.ruleId} ${stepIdOf(analysis, finding)} ${detail}`;
}

function assertValidEdits(text: string, edits: readonly TextEdit[]): void {
  assert.ok(edits.length > 0, 'the action has edits');
  edits.forEach((e, i) => {
    assert.ok(0 <= e.range.start && e.range.start <= e.range.end && e.range.end <= text.length, `edit ${i} lies inside the text`);
    if (i > 0) assert.ok(edits[i - 1]!.range.end < e.range.start, `edit ${i} starts after edit ${i - 1} ends (sorted, not overlapping, not touching)`);
  });
}

function compareGolden(name: string, actual: string): void {
  const file = `${name}.after.playbook.yaml`;
  if (UPDATE) writeFileSync(path.join(FIXTURES, file), actual);
  assert.equal(actual, read(file), `${file} (UPDATE_GOLDEN=1 rewrites it; review the change)`);
}

describe('quick fixes against golden files', () => {
  test('every before-file has a case and an after-file, and every case a before-file', () => {
    const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.before.playbook.yaml')).map((f) => f.replace('.before.playbook.yaml', '')).filter((n) => n !== 'fix-all');
    assert.deepEqual(names.sort(), CASES.map((c) => c.name).sort());
    for (const name of names) assert.ok(UPDATE || readdirSync(FIXTURES).includes(`${name}.after.playbook.yaml`), `${name}.after.playbook.yaml exists`);
  });

  for (const c of CASES) {
    test(`${c.name}: ${c.title}`, () => {
      const text = read(`${c.name}.before.playbook.yaml`);
      if (c.name.includes('crlf')) assert.ok(text.includes('\r\n') && !/[^\r]\n/.test(text), 'the before-file uses CRLF throughout (check .gitattributes if this fails)');
      const analysis = check(text, c.advisories);
      assert.deepEqual(analysis.findings.filter((f) => f.ruleId === 'PB001').map((f) => f.message), [], 'the before-file is valid YAML');
      const finding = analysis.findings.find((f) => f.ruleId === c.rule && stepIdOf(analysis, f) === (c.step ?? ''));
      assert.ok(finding, `a ${c.rule} finding on ${c.step ?? 'the playbook'}; got ${analysis.findings.map((f) => problemOf(analysis, f)).join(', ')}`);
      const actions = codeActions(analysis, finding.range);
      const action = actions.find((a) => a.title === c.title);
      assert.ok(action, `fix "${c.title}" offered; got:\n${actions.map((a) => a.title).join('\n')}`);
      assert.equal(action.kind, 'quickfix');
      assert.equal(action.finding?.ruleId, c.rule);
      assert.equal(action.isPreferred === true, c.preferred, 'preferred marking');
      assertValidEdits(text, action.edits);

      const after = applyEdits(text, action.edits);
      compareGolden(c.name, after);
      if (c.name.includes('crlf')) assert.ok(!/[^\r]\n/.test(after), 'every line of the fixed CRLF file still ends in CRLF');

      const rechecked = check(after, c.advisories);
      const fixed = problemOf(analysis, finding);
      assert.deepEqual(rechecked.findings.filter((f) => problemOf(rechecked, f) === fixed).map((f) => f.message), [], `${fixed} is gone`);
      const structural = (a: Analysis): string[] => a.findings.filter((f) => f.ruleId === 'PB001' || f.ruleId === 'PB002').map((f) => f.message);
      const old = structural(analysis);
      assert.deepEqual(structural(rechecked).filter((m) => !old.includes(m)), c.allowedNew ?? [], 'no new PB001/PB002 finding');
    });
  }
});

describe('preferred fixes', () => {
  test('PB101: one fix per safe version, best first, only the first preferred; a version two advisories affect offers each fix once', () => {
    const text = read('pb101-rollback.before.playbook.yaml');
    const analysis = check(text, true);
    const findings = analysis.findings.filter((f) => f.ruleId === 'PB101');
    assert.deepEqual(findings.map((f) => f.data?.['advisory']).sort(), ['GHSA-7rjr-3q55-vv33', 'GHSA-jfh8-c2jp-5v3q']);
    const actions = codeActions(analysis, findings[0]!.range);
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred === true]), [
      ['Roll back to 2.12.2 instead (newest unaffected release below 2.17.1; clear of all 24 loaded advisories)', true],
      ["Roll back to 2.16.0 instead (first fixed release of GHSA-7rjr-3q55-vv33; clear of all 24 loaded advisories; not yet in 'releases')", false],
      ['Suppress PB101 for step `roll-back`', false],
    ]);
    assert.equal(text.slice(actions[1]!.edits[0]!.range.start, actions[1]!.edits[0]!.range.end), '"2.14.1"');
    assert.equal(actions[1]!.edits[0]!.newText, '"2.16.0"');
  });

  test('in a playbook with many problems, each finding has at most one preferred fix, listed first, and suppressions are never preferred', () => {
    const text = read('fix-all.before.playbook.yaml');
    const analysis = check(text);
    const preferredCount = new Map<Finding, number>();
    for (const finding of analysis.findings) {
      const own = codeActions(analysis, finding.range).filter((a) => a.finding === finding);
      const preferred = own.filter((a) => a.isPreferred);
      preferredCount.set(finding, preferred.length);
      if (preferred.length) assert.equal(own[0], preferred[0], `${finding.ruleId}: the preferred fix comes first`);
      for (const a of own) if (a.title.startsWith('Suppress')) assert.notEqual(a.isPreferred, true, a.title);
    }
    assert.deepEqual(analysis.findings.filter((f) => preferredCount.get(f)! > 1).map((f) => f.ruleId), []);
    // PB106: `roll-back` fails into `escalte`, a step that does not exist, so where that way out of
    // the grant's window leads is unknown until PB004's fix lands; fix-all revokes in its next round.
    assert.deepEqual(analysis.findings.filter((f) => preferredCount.get(f) === 0).map((f) => f.ruleId).sort(), ['PB105', 'PB106', 'PB110']);
  });
});

describe('codeActions: which findings a range selects', () => {
  const text = read('pb004-reference.before.playbook.yaml');
  const analysis = check(text);
  const [finding] = analysis.findings;
  const titles = (start: number, end: number): string[] => codeActions(analysis, { start, end }).map((a) => a.title);
  const expected = ['Change `escalte` to `escalate`', 'Suppress PB004 for step `restart`'];

  test('a cursor inside, at either end of, or a selection around the finding', () => {
    assert.equal(text.slice(finding!.range.start, finding!.range.end), 'escalte');
    assert.deepEqual(titles(finding!.range.start + 2, finding!.range.start + 2), expected);
    assert.deepEqual(titles(finding!.range.end, finding!.range.end), expected);
    assert.deepEqual(titles(finding!.range.start - 20, finding!.range.start), expected);
  });

  test('a range away from every finding selects nothing', () => {
    assert.deepEqual(titles(0, 10), []);
    assert.deepEqual(titles(finding!.range.end + 1, finding!.range.end + 5), []);
  });
});

describe('fixAll', () => {
  const recheck = (text: string): Analysis => check(text);

  test('fixes every auto-fixable problem in rounds, as edits against the original text', () => {
    const text = read('fix-all.before.playbook.yaml');
    const action = fixAll(check(text), recheck);
    assert.ok(action);
    assert.equal(action.title, FIX_ALL_TITLE);
    assert.equal(action.kind, 'source.fixAll');
    assert.equal(action.finding, undefined);
    assertValidEdits(text, action.edits);
    // Fine-grained: ten places change, and no edit rewrites more than the misspelt word it fixes.
    assert.equal(action.edits.length, 10);
    assert.ok(action.edits.every((e) => e.range.end - e.range.start <= 'escalte'.length), JSON.stringify(action.edits.map((e) => text.slice(e.range.start, e.range.end))));
    const after = applyEdits(text, action.edits);
    compareGolden('fix-all', after);

    const rechecked = check(after);
    assert.deepEqual(rechecked.findings.map((f) => f.ruleId), ['PB110', 'PB105'], 'only the problems without an automatic fix remain');
    assert.deepEqual(codeActions(rechecked, WHOLE(after)).filter((a) => a.isPreferred).map((a) => a.title), []);
    assert.equal(fixAll(rechecked, recheck), undefined, 'a second fix-all has nothing to do');
  });

  test('undefined when nothing is fixable', () => {
    for (const name of ['pb101-rollback.after', 'suppress-new.before']) {
      const text = read(`${name}.playbook.yaml`);
      assert.equal(fixAll(check(text), recheck), undefined, name);
    }
  });

  test('a fix whose edit touches another waits for the next round: PB100 and PB102 on neighbouring steps both land', () => {
    const text = read('pb102-crlf.before.playbook.yaml').replace('  - id: access-review\r\n    action: checkpoint\r\n    kind: access-review\r\n    approvers: [security]\r\n', '');
    const analysis = check(text);
    assert.deepEqual(analysis.findings.map((f) => f.ruleId).sort(), ['PB100', 'PB102']);
    const action = fixAll(analysis, recheck);
    assert.ok(action);
    const after = applyEdits(text, action.edits);
    assert.deepEqual(check(after).findings.map((f) => f.message), []);
    assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
  });
});

describe('composeEdits', () => {
  /** Random sorted, non-overlapping edits against `text`. */
  const editsFor = (text: string) => fc.array(fc.tuple(fc.nat(text.length), fc.nat(3), fc.string({ maxLength: 4 })), { maxLength: 4 }).map((raw) => {
    const out: TextEdit[] = [];
    let floor = 0;
    for (const [at, length, newText] of [...raw].sort((a, b) => a[0] - b[0])) {
      const start = Math.max(at, floor);
      if (start > text.length) break;
      const end = Math.min(text.length, start + length);
      out.push({ range: { start, end }, newText });
      floor = end + 1;
    }
    return out;
  });

  test('edits made in rounds, composed, give the same text when applied once to the original', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }).chain((original) => fc.tuple(fc.constant(original), editsFor(original)).chain(([o, first]) => {
      const middle = applyEdits(o, first);
      return fc.tuple(fc.constant(o), fc.constant(first), editsFor(middle));
    })), ([original, first, second]) => {
      const middle = applyEdits(original, first);
      const composed = composeEdits(composeEdits([], first, original), second, middle);
      assert.equal(applyEdits(original, composed), applyEdits(middle, second));
      composed.forEach((e, i) => i === 0 || assert.ok(composed[i - 1]!.range.end <= e.range.start, 'sorted, not overlapping'));
    }), { numRuns: 500 });
  });
});
