/** PB104 reads a scalar as YAML does too: a secret spelt with escapes, doubled quotes or folded lines is still a secret. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { playbook } from './helpers/findings.js';

const step = (field: string): string => `  - id: dump
    action: diagnose
    run: ${field}
`;

describe('secrets written so that only the decoded value shows them', () => {
  const cases: Array<[string, string]> = [
    ['a `\\u` escape in the keyword', '"PGPASS\\u0057ORD=Sup3rS3cretValue psql -h db"'],
    ['a `\\x` escape in the value', '"PGPASSWORD=Sup3r\\x53ecretValue psql -h db"'],
    ['a doubled single quote', "'curl -H ''Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'' https://api'"],
    ['an escaped line break inside an AWS key', '"aws configure set aws_access_key_id AKIAQ3J7\\\n      ZK2M9XW4TB5N"'],
  ];
  for (const [name, run] of cases) {
    test(name, () => {
      const text = playbook(step(run));
      const found = checkPlaybook(text).findings.filter((f) => f.ruleId === 'PB104');
      assert.equal(found.length, 1, `${run}: ${JSON.stringify(found.map((f) => f.message))}`);
      assert.equal(found[0]!.stepIndex, 0);
    });
  }

  test('a value with escapes but no secret is not flagged', () => {
    const text = playbook(step('"echo \\u0068ello \\t world"'));
    assert.deepEqual(checkPlaybook(text).findings.filter((f) => f.ruleId === 'PB104'), []);
  });
});
