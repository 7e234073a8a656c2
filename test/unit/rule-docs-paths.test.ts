/**
 * The pages of the path rules (PB100, PB102, PB106) show a playbook and the exact message the rule
 * gives it, with the paths it counts and lists: the message is checked against the rule, and the
 * quick fix the page describes against what it does to that playbook.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';

const DOCS = path.join(__dirname, '../../docs/rules');

/** The steps a page shows are put in a playbook with the service and channels they name. */
const HEADER = `playbook: doc-example
title: Example
owners:
  sre: "@sre"
  security: "@secops"
services:
  checkout:
    package: pkg:npm/checkout
    current: 2.4.0
    releases: [2.3.1, 2.4.0]
channels:
  security: "#sec-incidents"
  incident: "#inc"
steps:
`;

/** The first YAML block and the first text block of the page's section on messages. */
function example(rule: string): { text: string; message: string } {
  const page = readFileSync(path.join(DOCS, `${rule}.md`), 'utf8');
  const section = page.split(/^## /m).find((s) => s.startsWith('The message and the paths it lists'));
  assert.ok(section, `${rule}.md has a section "The message and the paths it lists"`);
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  const message = /```text\n([\s\S]*?)\n```/.exec(section)?.[1];
  assert.ok(yaml && message, `${rule}.md shows a playbook and its message`);
  return { text: HEADER + yaml, message };
}

const finding = (rule: string, text: string) => {
  const analysis = checkPlaybook(text);
  const found = analysis.findings.filter((f) => f.ruleId === rule && f.data?.['missing'] !== 'duration');
  assert.equal(found.length, 1, `one ${rule} finding: ${found.map((f) => f.message).join('\n')}`);
  return { analysis, finding: found[0]! };
};

describe('the path rules\' pages show what the rules say', () => {
  for (const rule of ['PB100', 'PB102', 'PB106']) {
    test(`${rule}: the message on the page is the rule's, and the fix clears it`, () => {
      const { text, message } = example(rule);
      const { analysis, finding: f } = finding(rule, text);
      assert.equal(f.message, message);
      const fix = codeActions(analysis, f.range).find((a) => a.finding === f && a.isPreferred);
      assert.ok(fix, 'a preferred fix');
      const after = applyEdits(text, fix.edits);
      assert.deepEqual(checkPlaybook(after).findings.filter((g) => g.ruleId === rule && g.data?.['missing'] !== 'duration').map((g) => g.message), []);
    });
  }

  test('PB100: the fix does to the example what the page says', () => {
    const { text } = example('PB100');
    const { analysis, finding: f } = finding('PB100', text);
    const after = applyEdits(text, codeActions(analysis, f.range).find((a) => a.finding === f && a.isPreferred)!.edits);
    assert.match(after, / {2}- id: roll-back-security-review\n {4}action: checkpoint\n {4}kind: security-review\n {4}approvers: \[security\]\n {4}on-failure: escalate\n {2}- id: roll-back\n/);
    assert.match(after, /- id: check-errors\n(?: {4}.*\n)* {4}on-failure: roll-back-security-review\n/);
    assert.match(after, /- id: check-latency\n(?: {4}.*\n)* {4}next: roll-back-security-review\n/);
  });

  test('PB106: the fix does to the example what the page says', () => {
    const { text } = example('PB106');
    const { analysis, finding: f } = finding('PB106', text);
    const fix = codeActions(analysis, f.range).find((a) => a.finding === f && a.isPreferred)!;
    const after = applyEdits(text, fix.edits);
    assert.match(after, /- id: verify\n(?: {4}.*\n)* {4}on-failure: revoke-superuser\n/);
    assert.match(after, /- id: escalate\n(?: {4}.*\n)* {4}on-failure: revoke-superuser-2\n {2}- id: revoke-superuser-2\n {4}action: access-revoke\n/);
    assert.ok(after.trimEnd().endsWith('on-failure: continue'), 'the new revoke is last in the list');
  });
});
