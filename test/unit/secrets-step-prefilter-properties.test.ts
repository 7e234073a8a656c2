/**
 * PB104 skips a step whose text, as written, cannot hold a secret (rules/PB104.ts,
 * `cannotHoldSecret`). Property: for random steps holding secrets spelt every way YAML allows (plain,
 * quoted, escaped letter by letter, an escaped line break inside a word, doubled single quotes,
 * block scalars, keys that name a secret, escaped keys, comments, and values or keys brought by an
 * alias from another step), every step the shortcut skips is one whose full scan finds nothing.
 * A fixed seed in `npm test`; FUZZ_RUNS and FUZZ_SEED as in properties.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { cannotHoldSecret, scanStep, stepRegion } from '../../server/src/core/rules/PB104.js';
import { MAY_HOLD_SECRET } from '../../server/src/core/security/secretPatterns.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261206;

/** Command lines with a secret PB104 flags as written, and some without any. */
const VALUES = [
  'PGPASSWORD=Sup3rS3cretValue psql -h db',
  'export AWS_ACCESS_KEY_ID=AKIAZ7VRSQ5NQMXKLPTC',
  'git clone https://ghp_6OG0fLzIe36ygvsGgEckRGM13UBEDVvmEgKF@github.com/acme/ops',
  'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" https://status',
  'psql postgres://admin:ZYAatY8632rYqcrS@db.internal/orders',
  'mysql --password=Xk29vLq81mZp -h db',
  'curl -X POST https://hooks.slack.com/services/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',
  'slack-notify --token xoxb-931946173750-863151570725-5OZ7NjfgMUsC1nhvCIDNb76x',
  'stripe refunds create --api-key sk_live_xP8McqTxLZbqVCbEyOBnL6T0',
  'deploy --secret NwOfTf7926UgMiTN',
  'Hunt3r2Zq9Lm',
];
const PLAIN_VALUES = ['kubectl -n checkout get pods -l app=api-0', 'kubectl rollout undo deploy/checkout', 'echo rolled back', 'rotated-weekly', 'x7Qp29LmZr81'];
/** Keys that name a secret, spelt as written or with an escape. */
const SECRET_KEYS = ['password', 'db_password', 'api_key', 'TOKEN', '"p\\x61ssword"', '"tok\\u0065n"'];
const PLAIN_KEYS = ['run', 'notes', 'command', 'query', 'label'];

type Spelling = 'plain' | 'double' | 'escaped' | 'escape-all' | 'broken-line' | 'single' | 'literal' | 'folded';
const SPELLINGS: Spelling[] = ['plain', 'double', 'escaped', 'escape-all', 'broken-line', 'single', 'literal', 'folded'];

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** `value` as a YAML scalar written at `indent`, the way `spelling` says; `at` picks where an escape goes. */
function spell(value: string, spelling: Spelling, at: number, indent: string): string {
  const json = JSON.stringify(value);
  switch (spelling) {
    case 'plain':
      return /^[\w./-][^#:]*$/.test(value) && !/[\s]$/.test(value) ? value : json;
    case 'double':
      return json;
    case 'escaped': {
      const i = Math.floor(at * value.length);
      return JSON.stringify(value.slice(0, i)).slice(0, -1) + (/[A-Za-z]/.test(value[i] ?? '') ? hex(value[i]!) : JSON.stringify(value[i] ?? '').slice(1, -1)) + JSON.stringify(value.slice(i + 1)).slice(1);
    }
    case 'escape-all':
      return `"${[...value].map((c) => (/[A-Za-z]/.test(c) ? hex(c) : JSON.stringify(c).slice(1, -1))).join('')}"`;
    case 'broken-line': {
      // An escaped line break joins the two halves with nothing between them.
      const i = Math.max(1, Math.floor(at * value.length));
      return `${json.slice(0, i + 1)}\\\n${indent}  ${json.slice(i + 1)}`;
    }
    case 'single':
      return `'${value.replace(/'/g, "''")}'`;
    case 'literal':
      return `|\n${indent}  ${value}`;
    case 'folded':
      return `>\n${indent}  ${value}`;
  }
}

const field = fc.record({
  key: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PLAIN_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...SECRET_KEYS) }),
  value: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PLAIN_VALUES) }, { weight: 1, arbitrary: fc.constantFrom(...VALUES) }),
  spelling: fc.constantFrom(...SPELLINGS),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  /** Use the value (or the key) anchored in the first step instead. */
  alias: fc.oneof({ weight: 8, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: fc.constant('value') }, { weight: 1, arbitrary: fc.constant('key') }),
  comment: fc.option(fc.constantFrom(...VALUES, ...PLAIN_VALUES), { nil: undefined, freq: 4 }),
});
type Field = typeof field extends fc.Arbitrary<infer T> ? T : never;

/** The first step anchors a secret value (`&v`) and a secret key name (`&k`); later steps may use them. */
const FIRST_STEP = `  - id: step-0
    action: diagnose
    notes: &v "deploy --secret Wq8Zx61LmPq2Tz"
    label: &k password
`;

function stepText(index: number, fields: Field[]): string {
  const lines = [`  - id: step-${index + 1}`, '    action: diagnose'];
  fields.forEach((f, i) => {
    if (f.comment) lines.push(`    # ${f.comment}`);
    // Keys stay unique: each field after the first gets a prefix a secret key name allows (`f1_password`).
    const key = f.alias === 'key' && i === 0 ? '*k ' : i === 0 ? f.key : f.key.replace(/^("?)/, `$1f${i}_`);
    const value = f.alias === 'value' ? '*v' : spell(f.value, f.spelling, f.at, '    ');
    lines.push(`    ${key}: ${value}`);
  });
  return lines.join('\n') + '\n';
}

test(`a step PB104 skips unread holds no secret (seed ${SEED}, ${RUNS} runs)`, () => {
  let skippedSteps = 0;
  let secretsWithoutAnyLiteral = 0;
  fc.assert(fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (steps) => {
    const text = `playbook: p\ntitle: t\nsteps:\n${FIRST_STEP}${steps.map((fields, i) => stepText(i, fields)).join('')}`;
    const parsed = parsePlaybook(text);
    if (!parsed.yaml || parsed.yaml.errors.length) return; // a combination YAML refuses: nothing to compare
    for (const step of parsed.model.steps) {
      const region = stepRegion(step, text);
      const written = text.slice(region.lineStart, region.end);
      const found = scanStep(step, text, region);
      if (found.length && !MAY_HOLD_SECRET.test(written)) secretsWithoutAnyLiteral++;
      if (!cannotHoldSecret(written)) continue;
      skippedSteps++;
      assert.deepEqual(found.map((s) => s.finding.message), [], `a skipped step holds a secret:\n${written}`);
    }
  }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  // The generator must reach both sides: steps the shortcut skips, and secrets whose text shows none of the literals.
  assert.ok(skippedSteps > 0, 'no step was skipped');
  assert.ok(secretsWithoutAnyLiteral > 0, 'no secret was spelt so that its text shows none of the literals');
});
