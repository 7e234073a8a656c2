/**
 * The plain data of a playbook written with no anchor, alias or merge key is read in one walk of
 * its tree (parse/plainData.ts, `plainTreeData`) instead of by yaml's `doc.toJS()`: the two must
 * agree on every document, own properties, prototypes and value types included. Checked on every
 * example and fixture, on the shapes where a JavaScript object and a YAML map differ, and on
 * random edits of the examples. A fixed seed in `npm test`; FUZZ_RUNS and FUZZ_SEED as in
 * properties.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { mergeKeysEnabled } from '../../server/src/core/parse/expandAliases.js';
import { treeShape } from '../../server/src/core/parse/nesting.js';
import { PARSE_OPTIONS } from '../../server/src/core/parse/parseOptions.js';
import { plainTreeData } from '../../server/src/core/parse/plainData.js';
import { DEFAULT_LIMITS } from '../../server/src/core/limits.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261206;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

const ROOT = path.join(__dirname, '../..');
const CORPUS = [...yamlFiles(path.join(ROOT, 'examples')), ...yamlFiles(path.join(ROOT, 'test/fixtures'))].map((f) => readFileSync(f, 'utf8'));

/**
 * For a document as the parser reads it: whether it is one the walk is for (no anchor, alias or
 * merge key, within the depth limit), and if so whether the walk read it itself (true) or left it
 * to yaml (false). Throws when the two disagree.
 */
function compare(text: string): 'not plain' | 'walked' | 'left to yaml' {
  const doc = parseDocument(text, PARSE_OPTIONS);
  const shape = treeShape(doc.contents, DEFAULT_LIMITS.maxNestingDepth);
  if (shape.tooDeep || shape.anchorOrAlias || mergeKeysEnabled(doc)) return 'not plain';
  const walked = plainTreeData(doc.contents);
  if (!walked) return 'left to yaml';
  assert.deepStrictEqual(walked.value, doc.toJS({ maxAliasCount: DEFAULT_LIMITS.maxAliasCount }), text);
  return 'walked';
}

describe('plain data read in one walk', () => {
  test('every example and fixture gives what yaml gives', () => {
    const outcomes = CORPUS.map(compare);
    assert.ok(CORPUS.length > 40);
    assert.ok(outcomes.filter((o) => o === 'walked').length > CORPUS.length / 2, `walked: ${outcomes.filter((o) => o === 'walked').length} of ${CORPUS.length}`);
  });

  const shapes: Array<[string, string, 'walked' | 'left to yaml']> = [
    ['keys an object already has', '__proto__: {polluted: true}\ntoString: x\nconstructor: y\nhasOwnProperty: z\nvalueOf: 1\n', 'walked'],
    ['a key written twice (its last value, at its first place)', 'a: 1\nb: 2\na: 3\n', 'walked'],
    ['keys that are not strings', '1: a\n1.0: b\n0x1f: c\ntrue: d\n.inf: e\n-.nan: f\n~: g\n', 'walked'],
    ['an empty key', '? \n: x\n', 'walked'],
    ['flow collections and every scalar style', 'a: {b: [1, "two", \'three\', null, ~, true]}\nc: |\n  line\n  line\nd: >-\n  folded\n  text\ne: !!str 12\nf:\n', 'walked'],
    ['an empty document', '', 'walked'],
    ['a document that is one scalar', 'just text\n', 'walked'],
    ['a one-pair map inside a flow list', 'a: [b: 1, c]\n', 'walked'],
    ['a list as a key', '? [a, b]\n: c\n', 'left to yaml'],
    ['a map as a key', '? {a: 1}\n: c\n', 'left to yaml'],
    ['a custom tag on a map', 'a: !thing {b: 1}\n', 'left to yaml'],
    ['a custom tag on a list', 'a: !thing [1]\n', 'left to yaml'],
  ];
  // YAML 1.1 (binary, timestamps, sets, ordered maps) has merge keys on: such a document is always left to yaml.
  test('a YAML 1.1 document', () => assert.equal(compare('%YAML 1.1\n---\nbin: !!binary aGVsbG8=\nat: 2001-12-14\ns: !!set {a, b}\n'), 'not plain'));
  for (const [name, text, expected] of shapes) test(name, () => assert.equal(compare(text), expected));

  test(`random edits of the examples give what yaml gives (seed ${SEED}, ${RUNS} runs)`, () => {
    const examples = CORPUS.slice(0, yamlFiles(path.join(ROOT, 'examples')).length);
    const spice = [':', '-', ' ', '\n', '  ', '#', '[', ']', '{', '}', '"', "'", '?', ',', '|', '>', '!!str ', '__proto__: ', 'constructor', '1: ', '~', '\t', '\r\n'];
    const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 30 }), insert: fc.array(fc.constantFrom(...spice), { maxLength: 4 }).map((a) => a.join('')) });
    let walked = 0;
    fc.assert(fc.property(fc.constantFrom(...examples), fc.array(edit, { minLength: 1, maxLength: 5 }), (seed, edits) => {
      let text = seed;
      for (const e of edits) {
        const at = Math.floor(e.at * text.length);
        text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
      }
      if (compare(text) === 'walked') walked++;
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    assert.ok(walked > RUNS / 2, `walked ${walked} of ${RUNS}`);
  });
});
