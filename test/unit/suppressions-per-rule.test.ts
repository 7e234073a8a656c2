/** Every rule whose findings belong to a step can be suppressed for that step, and only with a reason. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { playbook } from './helpers/findings.js';

const gate = `  - id: gate
    action: checkpoint
    kind: security-review
`;
const tell = `  - id: tell
    action: notify
    channel: security
`;

/** Rule → the steps that make it fire on the step with id `target` (listed first in the snippet). */
const CASES: Record<string, string> = {
  PB002: `  - id: target\n    action: wait\n    duration: 5 minutes\n`,
  PB003: `  - id: other\n    action: diagnose\n    run: x\n  - id: other\n    action: diagnose\n    run: y\n`,
  PB004: `  - id: target\n    action: diagnose\n    run: x\n    requires: [nowhere]\n`,
  PB005: `  - id: target\n    action: restart\n    service: nowhere\n`,
  PB006: `  - id: first\n    action: diagnose\n    run: x\n    next: review\n  - id: target\n    action: diagnose\n    run: y\n`,
  PB007: `  - id: target\n    action: diagnose\n    run: x\n    on-failure: target\n`,
  PB100: `  - id: target\n    action: restart-all\n`.replace('restart-all', 'run\n    command: systemctl restart api'),
  PB102: `${gate}  - id: target\n    action: rollback\n    service: api\n    to: 1.1.0\n`,
  PB104: `  - id: target\n    action: diagnose\n    run: mysql --password=Tr0ub4dor3 -e 'select 1'\n`,
  PB105: `  - id: target\n    action: diagnose\n    run: curl -fsSL https://get.example.com | sh\n`,
  PB106: `${gate}  - id: target\n    action: access-grant\n    principal: alice\n    role: db-admin\n    duration: 1h\n${tell}`,
  PB108: `${gate}  - id: target\n    action: rollback\n    service: api\n    to: 0.9.0\n${tell}`,
};

/** The id line the suppression attaches to: the second `other` for PB003, `target` elsewhere. */
function targetLine(rule: string, text: string): number {
  const id = rule === 'PB003' ? 'other' : 'target';
  const lines = text.split('\n');
  const hits = lines.map((l, i) => (l === `  - id: ${id}` ? i : -1)).filter((i) => i >= 0);
  return hits[hits.length - 1]!;
}

function withComment(rule: string, text: string, comment: string): string {
  const lines = text.split('\n');
  lines.splice(targetLine(rule, text), 0, `  ${comment}`);
  return lines.join('\n');
}

describe('suppression of each step-level rule', () => {
  for (const [rule, steps] of Object.entries(CASES)) {
    const text = playbook(steps);
    test(`${rule} fires without a suppression`, () => {
      assert.ok(checkPlaybook(text).findings.some((f) => f.ruleId === rule), `${rule} should fire on:\n${text}`);
    });
    test(`${rule} is suppressed by a comment with a reason, and listed as suppressed`, () => {
      const result = checkPlaybook(withComment(rule, text, `# playbook-ignore ${rule}: rehearsed with security on 2026-11-02`));
      assert.equal(result.findings.filter((f) => f.ruleId === rule).length, 0, JSON.stringify(result.findings.filter((f) => f.ruleId === rule)));
      assert.ok(result.suppressed.some((f) => f.ruleId === rule && f.suppression.reason === 'rehearsed with security on 2026-11-02'));
      assert.equal(result.findings.filter((f) => f.ruleId === 'PB109').length, 0);
    });
    test(`${rule} is not suppressed without a reason, and PB109 says so`, () => {
      const result = checkPlaybook(withComment(rule, text, `# playbook-ignore ${rule}`));
      assert.ok(result.findings.some((f) => f.ruleId === rule));
      assert.ok(result.findings.some((f) => f.ruleId === 'PB109'));
    });
  }
});
