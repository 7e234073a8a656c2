import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { parsePolicy, withRuleOverrides } from '../../server/src/core/policy/parsePolicy.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';
import { playbook } from './helpers/findings.js';

describe('parsePolicy', () => {
  test('the spec example policy applies its values', () => {
    const parsed = parsePolicy(`policy: 1
risky-actions: [run, rollback]
security-checkpoints: [security-review]
notify-security-after: [deploy]
advisories:
  - .playbooks/advisories
rules:
  PB107: off
  PB105: error
snippets: .playbooks/snippets
`);
    assert.equal(parsed.applied, true);
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual([...parsed.policy.riskyActions], ['run', 'rollback']);
    assert.deepEqual([...parsed.policy.securityCheckpoints], ['security-review']);
    assert.deepEqual([...parsed.policy.notifySecurityAfter], ['deploy']);
    assert.deepEqual(parsed.policy.rules, { PB107: 'off', PB105: 'error' });
    assert.equal(parsed.policy.snippets, '.playbooks/snippets');
  });

  test('keys left out keep the built-in defaults', () => {
    const parsed = parsePolicy('policy: 1\nrules:\n  PB108: error\n');
    assert.deepEqual([...parsed.policy.riskyActions], [...DEFAULT_POLICY.riskyActions]);
    assert.deepEqual(parsed.policy.rules, { PB108: 'error' });
  });

  test('SBOM and VEX settings (spec sections 8 and 9): folders, require-sbom and their limits', () => {
    const defaults = parsePolicy('policy: 1\n').policy;
    assert.deepEqual([defaults.sboms, defaults.vex, defaults.requireSbom, defaults.limits], [['.playbooks/sboms'], ['.playbooks/vex'], false, {}]);
    const parsed = parsePolicy('policy: 1\nsboms: [sboms, ../shared-sboms]\nvex: [security/vex]\nrequire-sbom: true\nlimits:\n  maxSbomBytes: 1048576\n  maxSbomComponents: 5000\n');
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual([parsed.policy.sboms, parsed.policy.vex, parsed.policy.requireSbom], [['sboms', '../shared-sboms'], ['security/vex'], true]);
    assert.deepEqual(parsed.policy.limits, { maxSbomBytes: 1048576, maxSbomComponents: 5000 });
    for (const bad of ['require-sbom: yes please', 'sboms: .playbooks/sboms', 'vex: [""]', 'limits:\n  maxSbomBytes: 0']) {
      const refused = parsePolicy(`policy: 1\n${bad}\n`);
      assert.equal(refused.applied, false, bad);
      assert.equal(refused.findings[0]?.ruleId, 'PB002', bad);
    }
  });

  test('baseline: a .json file relative to the policy; none by default', () => {
    assert.equal(parsePolicy('policy: 1\n').policy.baseline, undefined);
    const parsed = parsePolicy('policy: 1\nbaseline: .playbooks/baseline.json\n');
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.policy.baseline, '.playbooks/baseline.json');
    for (const [bad, message] of [['baseline: ""', 'must not be empty'], ['baseline: baseline.yaml', 'must name a `.json` file'], ['baseline: [a.json]', 'must be a text']]) {
      const refused = parsePolicy(`policy: 1\n${bad}\n`);
      assert.equal(refused.applied, false, bad);
      assert.equal(refused.findings[0]?.ruleId, 'PB002', bad);
      assert.ok(refused.findings[0]?.message.includes(message!), refused.findings[0]?.message);
    }
  });

  test('an invalid policy is reported on the offending value and the defaults apply', () => {
    const text = 'policy: 1\nrisky-actions: [rollback, rolback]\nrules:\n  PB107: loud\n';
    const parsed = parsePolicy(text);
    assert.equal(parsed.applied, false);
    assert.equal(parsed.policy, DEFAULT_POLICY);
    const flagged = parsed.findings.map((f) => [f.ruleId, text.slice(f.range.start, f.range.end)]);
    assert.deepEqual(flagged, [['PB002', 'rolback'], ['PB002', 'loud']]);
    assert.match(parsed.findings[0]!.message, /did you mean `rollback`\?.*default policy applies/);
  });

  test('broken YAML is a PB001 finding and the defaults apply', () => {
    const parsed = parsePolicy('policy: 1\nrules: [\n');
    assert.equal(parsed.applied, false);
    assert.equal(parsed.findings[0]!.ruleId, 'PB001');
  });

  test('an unknown rule id is a warning, the rest still applies', () => {
    const text = 'policy: 1\nrules:\n  PB990: off\n  PB105: error\n';
    const parsed = parsePolicy(text);
    assert.equal(parsed.applied, true);
    assert.equal(parsed.policy.rules.PB105, 'error');
    assert.equal(parsed.findings.length, 1);
    assert.equal(text.slice(parsed.findings[0]!.range.start, parsed.findings[0]!.range.end), 'PB990');
    assert.match(parsed.findings[0]!.message, /`PB990` is not a rule id, so this line configures nothing/);
  });

  test('a missing `policy: 1` version is required', () => {
    const parsed = parsePolicy('rules:\n  PB107: off\n');
    assert.equal(parsed.applied, false);
    assert.match(parsed.findings[0]!.message, /the policy needs `policy`/);
  });
});

describe('policy severities change the findings', () => {
  const text = playbook('').replace('    due: 48h\n', '    due: 48 hours\n');
  test('a rule turned off is gone and a severity override applies', () => {
    const base = checkPlaybook(text).findings.filter((f) => f.ruleId === 'PB002');
    assert.equal(base.length, 1);
    assert.equal(base[0]!.severity, 'error');
    const off = checkPlaybook(text, { policy: withRuleOverrides(DEFAULT_POLICY, { PB002: 'off' }) }).findings;
    assert.equal(off.filter((f) => f.ruleId === 'PB002').length, 0);
    const info = checkPlaybook(text, { policy: withRuleOverrides(DEFAULT_POLICY, { PB002: 'info' }) }).findings;
    assert.equal(info.find((f) => f.ruleId === 'PB002')!.severity, 'info');
  });
});
