/**
 * Every rule has its page: each diagnostic, SARIF result and `playbook rules` line links to
 * docs/rules/<id>.md, so a rule without one sends users to a 404. The page names the rule as the
 * code does, and the index lists every rule once with its name and default severity.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/core/rules/index.js';

const DOCS = path.join(__dirname, '../../docs/rules');

describe('rule documentation', () => {
  test('each rule has docs/rules/<id>.md, headed "<id> — <name>"', () => {
    const missing = RULES.filter((r) => !existsSync(path.join(DOCS, `${r.id}.md`))).map((r) => r.id);
    assert.deepEqual(missing, [], 'rules without a page');
    for (const rule of RULES) {
      const first = readFileSync(path.join(DOCS, `${rule.id}.md`), 'utf8').split('\n')[0];
      assert.equal(first, `# ${rule.id} — ${rule.name}`, `${rule.id}.md's heading`);
    }
  });

  test('no page for a rule that does not exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const pages = readdirSync(DOCS).filter((f) => /^PB\d+\.md$/.test(f)).map((f) => f.slice(0, -3));
    assert.deepEqual(pages.filter((id) => !ids.has(id)), []);
  });

  test('the index lists every rule once, with its name and default severity', () => {
    const index = readFileSync(path.join(DOCS, 'README.md'), 'utf8');
    for (const rule of RULES) {
      const rows = index.split('\n').filter((line) => line.startsWith(`| [${rule.id}](${rule.id}.md) |`));
      assert.equal(rows.length, 1, `${rule.id} is listed once`);
      const [, , name, severity] = rows[0]!.split('|').map((c) => c.trim());
      assert.equal(name, rule.name, `${rule.id}'s name in the index`);
      assert.ok(severity?.startsWith(rule.defaultSeverity), `${rule.id}'s default severity in the index: ${severity}`);
    }
  });
});
