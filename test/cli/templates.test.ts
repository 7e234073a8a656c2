/**
 * The templates of "Playbook: New Playbook…" (templates/*.playbook.yaml): each checks clean, with
 * advisories loaded (the examples' policy), and each is the story its name says: a security
 * checkpoint before the risky change, security told after it, a postmortem on the happy path.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkPlaybook } from '../../server/src/core/check.js';
import { cli } from './helpers.js';

const ROOT = path.join(__dirname, '../..');
const TEMPLATES = path.join(ROOT, 'templates');

describe('the New Playbook templates', () => {
  const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.playbook.yaml')).sort();

  test('there are the four the command offers', () => {
    assert.deepEqual(files, ['break-glass-access.playbook.yaml', 'failover.playbook.yaml', 'rollback.playbook.yaml', 'secret-rotation.playbook.yaml']);
  });

  test('each checks clean with advisories loaded', async () => {
    const result = await cli(['check', 'templates', '--policy', 'examples/.playbooks/policy.yaml'], ROOT);
    assert.equal(result.stdout.trim(), 'no problems in 4 playbooks');
    assert.equal(result.code, 0);
  });

  for (const file of files) {
    test(`${file}: a risky change behind a security checkpoint, security told, a postmortem`, () => {
      const { parsed } = checkPlaybook(readFileSync(path.join(TEMPLATES, file), 'utf8'));
      const actions = parsed.model.steps.map((s) => s.action);
      assert.ok(actions.includes('checkpoint'), 'a checkpoint');
      assert.ok(parsed.model.steps.some((s) => s.action === 'notify' && /channel: security/.test(parsed.text.slice(s.range.start, s.range.end))), 'security is told');
      assert.equal(actions[actions.length - 1], 'postmortem', 'the last step is the postmortem');
      assert.ok(actions.indexOf('escalate') > 0, 'escalation is there, for failures');
    });
  }
});
