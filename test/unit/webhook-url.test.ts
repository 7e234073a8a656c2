/**
 * Where a run's notifications go: the policy names a variable, the environment (or the editor's
 * secret storage) holds the URL, which must be https or loopback. Every reason a URL cannot be
 * used is given in words that never repeat it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy } from '../../server/src/core/index.js';
import { resolveWebhook, notConfigured } from '../../server/src/node/webhookUrl.js';
import { isLoopback, webhookUrlProblem } from '../../server/src/shared/webhookAddress.js';

const policy = parsePolicy('policy: 1\nnotify:\n  security: { webhook-env: SEC_WEBHOOK_URL }\n  odd: { webhook-env: toString }\n').policy;
const SECRET_HTTP = 'http://hooks.example.com/services/T0SECRET/B0SECRET/t0kenS3cr3tValue?token=qu3ryS3cr3t';

describe('the webhook URL rule: https, or http to loopback only', () => {
  test('https anywhere is accepted, as is http to 127.0.0.0/8, ::1 and localhost', () => {
    for (const url of [
      'https://hooks.slack.com/services/T0/B0/x',
      'https://10.1.2.3:8443/hook',
      'HTTPS://Hooks.Example.COM/x?token=1',
      'http://127.0.0.1:8080/hook',
      'http://127.200.3.4/hook',
      'http://127.1/hook', // the URL parser writes it 127.0.0.1
      'http://localhost:3000/hook',
      'http://LOCALHOST/hook',
      'http://[::1]:9000/hook',
      '  http://127.0.0.1/x  ',
    ]) assert.equal(webhookUrlProblem(url), undefined, url);
  });

  test('http to any other host, another scheme, or no URL at all is refused, in words that do not repeat it', () => {
    const cases: Array<[string, RegExp]> = [
      [SECRET_HTTP, /^holds a plain http URL to a host that is not this machine: a webhook must be https/],
      ['http://10.0.0.1/hook', /plain http/],
      ['http://128.0.0.1/hook', /plain http/],
      ['http://[::ffff:127.0.0.1]/hook', /plain http/],
      ['http://localhost.example.com/hook', /plain http/],
      ['http://127.0.0.1.nip.io/hook', /plain http/],
      ['ftp://127.0.0.1/hook', /^holds a ftp URL: a webhook must be https$/],
      ['file:///etc/passwd', /^holds a file URL/],
      ['hooks.example.com/services/T0SECRET', /^does not hold a URL$/],
      ['', /^does not hold a URL$/],
    ];
    for (const [url, words] of cases) {
      const problem = webhookUrlProblem(url);
      assert.match(problem ?? '', words, url);
      assert.ok(!/hooks|T0SECRET|example|nip\.io|passwd/.test(problem ?? ''), problem);
    }
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost, as the URL parser writes hosts', () => {
    assert.deepEqual(['127.0.0.1', '127.255.255.254', 'localhost', '[::1]', '10.0.0.1', '[::2]', 'localhost.', 'mylocalhost', '127.0.0.1.example'].map(isLoopback), [true, true, true, true, false, false, false, false, false]);
  });
});

describe('resolveWebhook', () => {
  test('the URL from the variable the policy names', () => {
    assert.deepEqual(resolveWebhook(policy, 'security', { SEC_WEBHOOK_URL: 'https://hooks.example.com/x' }), { url: 'https://hooks.example.com/x' });
  });

  test('a role the policy does not bind is not-configured', () => {
    const target = resolveWebhook(policy, 'incident', { SEC_WEBHOOK_URL: 'https://hooks.example.com/x' });
    assert.deepEqual(target, { unavailable: 'not-configured', reason: 'the policy binds no webhook to the `incident` channel (its `notify` section)' });
    assert.deepEqual(notConfigured('incident'), { status: 'not-configured', attempts: 0, error: target.reason });
  });

  test('an unset or empty variable is unusable, and says which variable', () => {
    for (const env of [{}, { SEC_WEBHOOK_URL: '' }, { SEC_WEBHOOK_URL: '   ' }, { sec_webhook_url: 'https://x.example/h' }]) {
      assert.deepEqual(resolveWebhook(policy, 'security', env), { unavailable: 'unusable', reason: '`SEC_WEBHOOK_URL` (the webhook of the `security` channel) is not set in the environment' });
    }
    // A variable named like a property every object has is still just unset.
    assert.deepEqual(resolveWebhook(policy, 'odd', {}), { unavailable: 'unusable', reason: '`toString` (the webhook of the `odd` channel) is not set in the environment' });
  });

  test("the editor's secret is used before the environment; the reason names both places", () => {
    const secrets = new Map([['SEC_WEBHOOK_URL', 'https://secret.example/hook']]);
    assert.deepEqual(resolveWebhook(policy, 'security', { SEC_WEBHOOK_URL: 'https://env.example/hook' }, secrets), { url: 'https://secret.example/hook' });
    assert.deepEqual(resolveWebhook(policy, 'security', { SEC_WEBHOOK_URL: 'https://env.example/hook' }, new Map()), { url: 'https://env.example/hook' });
    assert.deepEqual(resolveWebhook(policy, 'security', {}, new Map([['SEC_WEBHOOK_URL', '']])), { unavailable: 'unusable', reason: "`SEC_WEBHOOK_URL` (the webhook of the `security` channel) is not set in the environment or the editor's secret storage" });
  });

  test('a URL that is not https or loopback is unusable, and its reason never repeats it', () => {
    const target = resolveWebhook(policy, 'security', { SEC_WEBHOOK_URL: SECRET_HTTP });
    assert.ok('unavailable' in target);
    assert.equal(target.unavailable, 'unusable');
    assert.match(target.reason, /^`SEC_WEBHOOK_URL` \(the webhook of the `security` channel\) holds a plain http URL to a host that is not this machine/);
    for (const piece of ['hooks.example', 'T0SECRET', 't0kenS3cr3t', 'qu3ryS3cr3t']) assert.ok(!target.reason.includes(piece), piece);
  });
});
