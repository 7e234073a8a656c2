/**
 * PB104's quick fix: the secret replaced by a reference to the secret store, as the policy's
 * `secret-reference` writes it, in every place a secret is found (plain, quoted and block
 * scalars, comments, a secret only the decoded value spells). After the fix the playbook parses
 * to the same structure, PB104 is gone, and the secret is nowhere in the text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { parsePolicy } from '../../server/src/core/policy/parsePolicy.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';
import { secondStepPlaybook } from './helpers/runRule.js';

const VAULT = '{{ vault:secret/incidents/NAME }}';

function policyWith(template: string): Policy {
  const parsed = parsePolicy(`policy: 1\nsecret-reference: "${template}"\n`);
  assert.ok(parsed.applied && parsed.findings.length === 0, JSON.stringify(parsed.findings));
  return parsed.policy;
}

/** The fixed text, after checking that the fix is offered with this title and leaves no PB104, no new structural finding and no trace of the secret. */
function fixed(text: string, secret: string, policy: Policy, title: string): string {
  const before = checkPlaybook(text, { policy });
  const finding = before.findings.find((f) => f.ruleId === 'PB104');
  assert.ok(finding, `PB104 on ${secret}`);
  const action = codeActions(before, finding.range).find((a) => a.finding?.ruleId === 'PB104' && !a.title.startsWith('Suppress'));
  assert.equal(action?.title, title);
  assert.equal(action.isPreferred, true);
  const after = applyEdits(text, action.edits);
  assert.ok(!after.includes(secret), after);
  const rechecked = checkPlaybook(after, { policy });
  const structural = (r: typeof before): string[] => r.findings.filter((f) => f.ruleId === 'PB001' || f.ruleId === 'PB002').map((f) => f.message);
  assert.deepEqual(structural(rechecked).filter((m) => !structural(before).includes(m)), [], 'no new PB001/PB002');
  assert.deepEqual(rechecked.findings.filter((f) => f.ruleId === 'PB104').map((f) => f.message), []);
  return after;
}

const run = (value: string): string => secondStepPlaybook(`    action: run\n    command: ${value}\n`);
const titleFor = (reference: string): string => `Replace the secret with ${reference} (and rotate it: the file's history keeps the old value)`;

describe('PB104 quick fix: a reference to the secret store in place of the secret', () => {
  test('inside a plain scalar, with the default ${NAME}: only the secret changes', () => {
    const after = fixed(run('mysql -u root --password=hunter2 -e "select 1"'), 'hunter2', DEFAULT_POLICY, titleFor('${FIX_PASSWORD}'));
    assert.match(after, /\n {4}command: mysql -u root --password=\$\{FIX_PASSWORD\} -e "select 1"\n/);
  });

  test('inside a double-quoted scalar, and in a comment', () => {
    const quoted = fixed(run('"PGPASSWORD=Sup3rS3cret psql -h db"'), 'Sup3rS3cret', DEFAULT_POLICY, titleFor('${FIX_PASSWORD}'));
    assert.match(quoted, /command: "PGPASSWORD=\$\{FIX_PASSWORD\} psql -h db"/);
    const comment = fixed(secondStepPlaybook('    action: run\n    command: psql -h db   # PGPASSWORD=Sup3rS3cret\n'), 'Sup3rS3cret', DEFAULT_POLICY, titleFor('${FIX_PASSWORD}'));
    assert.match(comment, /# PGPASSWORD=\$\{FIX_PASSWORD\}\n/);
  });

  test('the policy\'s template (vault): a plain value it would turn into a flow mapping is quoted whole', () => {
    const policy = policyWith(VAULT);
    const reference = '{{ vault:secret/incidents/FIX_STRIPE_KEY }}';
    const after = fixed(run('sk_live_4eC39HqLyjWDarjtT1zdp7dc'), 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', policy, titleFor(reference));
    assert.match(after, /\n {4}command: "\{\{ vault:secret\/incidents\/FIX_STRIPE_KEY \}\}"\n/);
    const inside = fixed(run('STRIPE_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc ./charge'), 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', policy, titleFor(reference));
    assert.match(inside, /command: STRIPE_KEY=\{\{ vault:secret\/incidents\/FIX_STRIPE_KEY \}\} \.\/charge/);
  });

  test('a secret only the decoded value spells (an escape in a double-quoted scalar): the scalar is written again, decoded, with the reference', () => {
    const after = fixed(run('"mysql --pass\\u0077ord=hunter2"'), 'hunter2', DEFAULT_POLICY, titleFor('${FIX_PASSWORD}'));
    assert.match(after, /command: "mysql --password=\$\{FIX_PASSWORD\}"/);
  });

  test('in a block scalar the secret alone changes', () => {
    const text = secondStepPlaybook('    action: run\n    command: |\n      export AWS_ACCESS_KEY_ID=AKIAZ7VRSQ5NQMXKLPTC\n      aws s3 ls\n');
    const after = fixed(text, 'AKIAZ7VRSQ5NQMXKLPTC', DEFAULT_POLICY, titleFor('${FIX_AWS_ACCESS_KEY_ID}'));
    assert.match(after, /\n {6}export AWS_ACCESS_KEY_ID=\$\{FIX_AWS_ACCESS_KEY_ID\}\n {6}aws s3 ls\n/);
  });

  test('a template without NAME is refused by the policy\'s schema', () => {
    const parsed = parsePolicy('policy: 1\nsecret-reference: "{{ vault:secret/incidents }}"\n');
    assert.ok(parsed.findings.some((f) => /secret-reference/.test(f.message)), JSON.stringify(parsed.findings));
  });
});
