/**
 * The policy's delivery settings for incident runs: `notify` (a channel role → the environment
 * variable holding its webhook URL) and `auto-notify-security`. A URL never belongs in the policy:
 * one written there is refused with a finding that says where it goes, and never repeated.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPolicyText } from '../../server/src/core/policy/defaultPolicyText.js';
import { parsePolicy } from '../../server/src/core/policy/parsePolicy.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';

const SECRET_URL = 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/s3cr3tT0kenValue1234';

/** The policy's findings as [rule, severity, flagged text, message]. */
function refused(body: string): { flagged: string[]; messages: string[]; applied: boolean } {
  const text = `policy: 1\n${body}\n`;
  const parsed = parsePolicy(text);
  for (const f of parsed.findings) assert.equal(f.ruleId, 'PB002', f.message);
  return { flagged: parsed.findings.map((f) => text.slice(f.range.start, f.range.end)), messages: parsed.findings.map((f) => f.message), applied: parsed.applied };
}

describe('policy: notify and auto-notify-security', () => {
  test('none by default: no role is bound and security is not notified on its own', () => {
    const { policy, findings } = parsePolicy('policy: 1\n');
    assert.deepEqual(findings, []);
    assert.deepEqual([...policy.notify], []);
    assert.equal(policy.autoNotifySecurity, false);
    assert.deepEqual([DEFAULT_POLICY.notify.size, DEFAULT_POLICY.autoNotifySecurity], [0, false]);
  });

  test('each role is bound to the environment variable named, in flow or block style', () => {
    const parsed = parsePolicy(`policy: 1
notify:
  security: { webhook-env: SEC_WEBHOOK_URL }
  sre:
    webhook-env: _sre_hook2
  constructor: { webhook-env: ODD_ROLE }
auto-notify-security: true
`);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.applied, true);
    assert.deepEqual([...parsed.policy.notify], [
      ['security', { webhookEnv: 'SEC_WEBHOOK_URL' }],
      ['sre', { webhookEnv: '_sre_hook2' }],
      ['constructor', { webhookEnv: 'ODD_ROLE' }],
    ]);
    assert.equal(parsed.policy.autoNotifySecurity, true);
    // A role the policy does not name is not bound, whatever Object.prototype holds.
    assert.equal(parsed.policy.notify.get('toString'), undefined);
  });

  test("the default policy text's example, uncommented, binds security", () => {
    const line = defaultPolicyText().split('\n').find((l) => l.startsWith('# notify:'));
    assert.equal(line, '# notify: {security: {webhook-env: SEC_WEBHOOK_URL}}    # none by default');
    const parsed = parsePolicy(`policy: 1\n${line.slice(2)}\n`);
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual([...parsed.policy.notify], [['security', { webhookEnv: 'SEC_WEBHOOK_URL' }]]);
  });

  test('a `webhook` or `url` key is refused: the message says URLs belong in the environment, and never shows the URL', () => {
    for (const key of ['webhook', 'url', 'URL', 'webhook-url', 'webhook_url', 'webhookUrl']) {
      const result = refused(`notify:\n  security:\n    ${key}: ${SECRET_URL}`);
      assert.equal(result.applied, false, key);
      assert.ok(result.flagged.includes(key), `${key}: ${JSON.stringify(result.flagged)}`);
      const message = result.messages[result.flagged.indexOf(key)]!;
      assert.match(message, new RegExp(`^\`notify\\.security\`: \`${key}\` is refused: a webhook URL is a secret: it belongs in an environment variable \\(or the editor's secret storage\\), never in the repository; name the variable that holds it with \`webhook-env\``), message);
      assert.match(message, /the built-in default policy applies until this is fixed$/);
      for (const m of result.messages) assert.ok(!m.includes('hooks.slack.com') && !m.includes('s3cr3t'), m);
    }
    // Beside a correct binding, the URL is still refused.
    const both = refused(`notify:\n  security: { webhook-env: SEC_WEBHOOK_URL, webhook: "${SECRET_URL}" }`);
    assert.deepEqual(both.flagged, ['webhook']);
  });

  test('a URL where the variable name goes is refused without being repeated', () => {
    const result = refused(`notify:\n  security: { webhook-env: "${SECRET_URL}" }`);
    // The key is flagged, not the value: an editor does not underline the secret.
    assert.deepEqual(result.flagged, ['webhook-env']);
    assert.equal(result.messages.length, 1);
    assert.match(result.messages[0]!, /^`notify\.security`: `webhook-env` names the environment variable that holds the webhook URL, not the URL itself: a webhook URL is a secret and belongs in the environment/);
    assert.ok(!result.messages[0]!.includes('hooks.slack.com'), result.messages[0]);
  });

  test('a URL given as the role itself, or as the whole of `notify`, is refused as "a URL", not repeated', () => {
    for (const body of [`notify:\n  security: ${SECRET_URL}`, `notify: ${SECRET_URL}`]) {
      const result = refused(body);
      assert.equal(result.applied, false, body);
      assert.equal(result.messages.length, 1, body);
      assert.match(result.messages[0]!, /must be a map .*not a URL;/, body);
      assert.ok(!result.messages[0]!.includes('hooks.slack.com'), result.messages[0]);
    }
    assert.match(refused(`notify:\n  security: ${SECRET_URL}`).messages[0]!, /never the URL itself/);
  });

  test('the variable name must look like one', () => {
    for (const bad of ['9LIVES', 'SEC-WEBHOOK', 'sec webhook', '""', '$SEC_WEBHOOK_URL']) {
      const result = refused(`notify:\n  security: { webhook-env: ${bad} }`);
      assert.equal(result.applied, false, bad);
      assert.equal(result.messages.length, 1, `${bad}: ${result.messages.join(' | ')}`);
      assert.match(result.messages[0]!, /`webhook-env` must name an environment variable: letters, digits and `_`, not starting with a digit, e.g. `SEC_WEBHOOK_URL`/, bad);
    }
  });

  test('unknown keys, a missing variable and wrong types are clear PB002 findings on the policy', () => {
    const typo = refused('notify:\n  security: { webhook-envv: SEC_WEBHOOK_URL }');
    assert.deepEqual(typo.flagged.sort(), ['security', 'webhook-envv']);
    assert.ok(typo.messages.some((m) => m === '`notify.security`: unknown field `webhook-envv`; did you mean `webhook-env`?; the built-in default policy applies until this is fixed'), typo.messages.join(' | '));
    assert.ok(typo.messages.some((m) => m.startsWith('`notify.security` needs `webhook-env` (the environment variable that holds the webhook URL)')), typo.messages.join(' | '));

    const other = refused('notify:\n  security: { webhook-env: SEC_WEBHOOK_URL, channel: "#sec" }');
    assert.deepEqual(other.messages, ['`notify.security`: unknown field `channel`; `security` takes `webhook-env`; the built-in default policy applies until this is fixed']);

    const notBoolean = refused('auto-notify-security: yes please');
    assert.deepEqual(notBoolean.messages, ['`auto-notify-security` must be `true` or `false` (notify security at once after the actions of `notify-security-after`), not the text `yes please`; the built-in default policy applies until this is fixed']);

    const list = refused('notify: [security]');
    assert.match(list.messages[0]!, /^`notify` must be a map .*not a list/);
  });
});
