/** `playbook check` and `dry-run` when the `security` channel a notification names is not declared: it tells no one. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, workspace } from './helpers.js';

/** A guarded rollback told to `security`; `channels` as given. PB005 (the unknown channel) is off, so PB102 alone decides. */
function files(channels: string): Record<string, string> {
  return {
    '.playbooks/policy.yaml': 'policy: 1\nrules:\n  PB005: off\n  PB002: off\n  PB110: off\n',
    'drill.playbook.yaml': `playbook: drill
title: Drill
owners:
  sre: "@sre"
  security: "@sec"
services:
  api:
    current: 1.2.0
    releases: [1.1.0, 1.2.0]
${channels}steps:
  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
  - id: tell
    action: notify
    channel: security
    message: rolled back
    on-failure: continue
  - id: review
    action: postmortem
    due: 48h
`,
  };
}

describe('a notification to an undeclared `security` channel does not count', () => {
  const CASES: ReadonlyArray<[string, string]> = [
    ['no `channels`', ''],
    ['no `security` key', 'channels:\n  incident: "#inc"\n'],
    ['an empty `security` key', 'channels:\n  security: ""\n'],
    ['`channels` as a list', 'channels: [security]\n'],
  ];
  for (const [name, channels] of CASES) {
    test(`${name}: check exits 1 with PB102 saying why; the dry-run exits 1`, async () => {
      const dir = workspace(files(channels));
      const check = await cli(['check', 'drill.playbook.yaml'], dir);
      assert.equal(check.code, 1, check.stdout);
      assert.match(check.stdout, /error PB102 step 'roll-back': after rolling 'api' back to '1\.1\.0', security is never told on the only path to the end \('roll-back' → 'tell' → 'review' → \(exit\)\): 'tell' notifies the channel 'security', which is not declared \(.*\), so the message reaches no one/);
      const dryRun = await cli(['dry-run', 'drill.playbook.yaml'], dir);
      assert.equal(dryRun.code, 1, dryRun.stdout);
      assert.match(dryRun.stdout, /^Security notified after every change: no: security was not told of roll-back$/m);
    });
  }

  test('declared: check and dry-run exit 0', async () => {
    const dir = workspace(files('channels:\n  security: "#sec-incidents"\n'));
    const check = await cli(['check', 'drill.playbook.yaml'], dir);
    assert.equal(check.code, 0, check.stdout);
    const dryRun = await cli(['dry-run', 'drill.playbook.yaml'], dir);
    assert.equal(dryRun.code, 0, dryRun.stdout);
  });
});
