/**
 * Property: a long playbook parsed in pieces (its text without all but the first step, then the
 * other steps a few dozen at a time) gives exactly what one parse of the whole text gives: every
 * node, range, plain value, model entry, parse finding and rule finding. The seeds are the
 * examples and fixtures with their steps repeated past several batches, then broken by random
 * edits (YAML's special characters, tabs, CRLF, indentation, comments, anchors, directives). A
 * fixed seed in `npm test`; `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED to replay).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkParsed } from '../../server/src/core/check.js';
import { DEFAULT_LIMITS } from '../../server/src/core/limits.js';
import { parseInPieces, parsePlaybook, parseWhole } from '../../server/src/core/parse/parsePlaybook.js';
import { scanStepItems, type StepListLayout } from '../../server/src/core/parse/stepCount.js';
import { parseSnapshot } from './helpers/parseSnapshot.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261206;

const EXAMPLES = path.join(__dirname, '../../examples');
const FIXES = path.join(__dirname, '../fixtures/fixes');
const texts = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.playbook.yaml')).map((f) => readFileSync(path.join(EXAMPLES, f), 'utf8')),
  ...readdirSync(FIXES).filter((f) => f.endsWith('.before.playbook.yaml')).map((f) => readFileSync(path.join(FIXES, f), 'utf8')),
];

/** The steps list's layout as the parse scans it. */
function layoutOf(text: string): StepListLayout {
  const layout: StepListLayout = { dashLines: [], end: 0 };
  scanStepItems(text, DEFAULT_LIMITS.maxSteps, layout);
  return layout;
}

/** `text` with its steps repeated until there are at least `count`, so that they span several batches. */
function withManySteps(text: string, count: number): string | undefined {
  const { dashLines, end } = layoutOf(text);
  if (dashLines.length === 0) return undefined;
  const items = text.slice(dashLines[0], end);
  const ending = items.endsWith('\n') ? items : `${items}\n`;
  const copies = Math.ceil(count / dashLines.length);
  return text.slice(0, dashLines[0]) + ending.repeat(copies - 1) + items + text.slice(end);
}

const seeds = texts.flatMap((text) => [withManySteps(text, 70), withManySteps(text, 140)]).filter((t): t is string => t !== undefined);

/** What a typist or a hostile file puts anywhere in a playbook. */
const SPICE = ['a', ' ', ':', '- ', '\n', '\n  - ', '\n- ', '\n    ', '#', '# c\n', '"', "'", '"a\nb"', '[', '{', '&a ', '*a', '|\n', '>-\n', '\t', '\r\n', '\r', '🔥', '---\n', '...\n', '%YAML 1.1\n', '<<: ', '!!set ', '? ', 'steps:\n', '\u0000', '\uFEFF'];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 2 }) }, { weight: 1, arbitrary: fc.nat({ max: 40 }) }),
  insert: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...SPICE) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }),
});

function applyEdits(text: string, edits: ReadonlyArray<{ at: number; remove: number; insert: string }>): string {
  for (const e of edits) {
    const at = Math.floor(e.at * text.length);
    text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
  }
  return text;
}

/** The parse in pieces equals the whole parse wherever it answers; `parsePlaybook` always does. Whether the pieces answered. */
function assertSameAsWhole(text: string): boolean {
  const whole = parseWhole(text);
  const layout = layoutOf(text);
  // Only a text the parse reads at all (no NUL byte, no limit far exceeded) reaches the pieces.
  const pieces = layout.dashLines.length > 1 && whole.yaml ? parseInPieces(text, DEFAULT_LIMITS, layout) : undefined;
  if (pieces) {
    assert.equal(pieces.change, undefined);
    assert.ok(pieces.incremental && !pieces.incremental.consumed);
    sameJson(parseSnapshot(pieces), parseSnapshot(whole), text);
    sameJson(checkParsed(pieces).findings, checkParsed(whole).findings, text);
  }
  sameJson(parseSnapshot(parsePlaybook(text)), parseSnapshot(whole), text);
  return pieces !== undefined;
}

/** Equal as JSON; a failure shows where they part and the text's length, not two copies of a long playbook. */
function sameJson(actual: unknown, expected: unknown, text: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a === b) return;
  let at = 0;
  while (a[at] === b[at]) at++;
  assert.fail(`differs from the whole parse at ${at} of its snapshot (text of ${text.length} characters): …${a.slice(Math.max(0, at - 120), at + 120)}… vs …${b.slice(Math.max(0, at - 120), at + 120)}…; text: ${JSON.stringify(text.slice(0, 300))}`);
}

describe(`parse in pieces properties (seed ${SEED}, ${RUNS} runs)`, () => {
  test('every example and fixture, its steps repeated past several batches, parses in pieces as it does whole', () => {
    assert.ok(seeds.length >= 10);
    for (const text of seeds) {
      // Steps written as flow maps (`- {id: …}`) are left to the whole parse, as an edit inside one is.
      const flowSteps = /^ *- \{/m.test(text);
      assert.ok(assertSameAsWhole(text) || flowSteps || parseWhole(text).parseFindings.length > 0, 'a clean playbook is parsed in pieces');
    }
  });

  test('random edits anywhere: the pieces give the whole parse\'s result or nothing', () => {
    let answered = 0;
    let total = 0;
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 }), (seed, edits) => {
      total++;
      if (assertSameAsWhole(applyEdits(seed, edits))) answered++;
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    // Not vacuous: many random edits leave the YAML clean enough for the pieces.
    assert.ok(answered / total > 0.2, `the pieces answered ${answered} of ${total} times`);
  });
});

describe('parse in pieces: shapes it must read as the whole parse does', () => {
  const step = (i: number, body = ''): string => `  - id: s${i}\n    action: diagnose\n    run: echo ${i}\n${body}`;
  const list = (n: number, body: (i: number) => string = () => ''): string => Array.from({ length: n }, (_, i) => step(i, body(i))).join('');
  const head = 'id: big\ntitle: Big\nowners: [sre]\nsteps:\n';
  const cases: Record<string, string> = {
    'steps last': head + list(80),
    'steps between blocks, comments and blank lines at the end of the list': head + list(80) + '\n# trailing\n\n' + 'services:\n  api:\n    purl: pkg:npm/api\n',
    'comments at column 0 and blank lines between items': head + list(80, (i) => (i % 7 === 0 ? '# note\n\n' : '')),
    'comments indented as the step\'s keys, and deeper, after every step': head + list(80, (i) => `    # after ${i}\n\n      # deeper\n`),
    'a block scalar keeping its trailing blank lines at the end of every step': head + list(80, () => '    notes: |+\n      kept\n\n\n'),
    'a list at the key\'s own column': head + list(80).replace(/^ {2}/gm, ''),
    'CRLF line ends': (head + list(80)).replace(/\n/g, '\r\n'),
    'block scalars holding dash lines deeper in': head + list(80, (i) => (i % 5 === 0 ? '    notes: |\n      - not an item\n       - nor this\n' : '')),
    'a quoted scalar across lines': head + list(80, (i) => (i === 40 ? '    notes: "one\n      two"\n' : '')),
    'a flow map across lines': head + list(80, (i) => (i === 33 ? '    notes: {a: 1,\n      b: 2}\n' : '')),
    'no final line break': (head + list(80)).slice(0, -1),
    'a document start and end marker': `---\n${head}${list(80)}...\n`,
    'a byte order mark': `\uFEFF${head}${list(80)}`,
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      assert.ok(assertSameAsWhole(text), 'parsed in pieces');
    });
  }

  const refused: Record<string, string> = {
    'an anchor in the first step, an alias in a later one': head + list(80, (i) => (i === 0 ? '    owner: &o sre\n' : i === 50 ? '    owner: *o\n' : '')),
    'a YAML error in a late step': head + list(80, (i) => (i === 70 ? '    run: [unclosed\n' : '')),
    'a dash line at the list\'s column inside a quoted scalar': head + list(80, (i) => (i === 40 ? '    notes: "one\n  - two"\n' : '')),
    'a dash line at the list\'s column inside a flow list': head + list(80, (i) => (i === 31 || i === 40 ? '    notes: [one,\n  - two]\n' : '')),
    'a dash line at the list\'s column inside a plain scalar': head + list(80, (i) => (i === 31 || i === 40 ? '    notes: one\n  - two\n' : '')),
    'a tab before a dash': head + list(80).replace('  - id: s50', '\t- id: s50'),
    'a second steps key': head + list(40) + 'steps:\n' + list(40),
    'a directive': `%YAML 1.2\n---\n${head}${list(80)}`,
    'a flow steps list after the block one': head + list(80) + 'notes: [a,\n  - b]\n',
  };
  for (const [name, text] of Object.entries(refused)) {
    test(`${name}: the whole parse's result`, () => {
      assertSameAsWhole(text);
    });
  }
});
