/**
 * Hover, data-driven: a place in a playbook (a snippet of its text with `$0` at the cursor) → the
 * markdown shown and the exact text the hover range covers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook, type CheckOptions } from '../../server/src/core/check.js';
import { hover } from '../../server/src/core/features/hover.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';

const CURSOR = '$0';

const PLAYBOOK = `playbook: checkout-outage
title: Checkout down
owners:
  sre: "@payments-sre"
  security: "@secops"
severity: sev1
services:
  logger:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.12.2, 2.14.1, 2.15.0, 2.17.1]
  checkout:
    current: 2.4.0
channels:
  security: "#sec-incidents"
  incident: "#inc-checkout"
steps:
  - id: hotfix
    action: deploy
    service: logger
    version: 2.17.1
    requires: [security-gate]
  - id: clear-cache
    action: run
    command: redis-cli FLUSHALL
  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: logger
    to: 2.14.1
    requires: [security-gate]
    on-failure: missing-step
  - id: approve-change
    action: checkpoint
    kind: change-approval
  - id: tell-security
    action: notify
    channel: security
    on-failure: continue
  - id: flag-off
    action: feature-flag
    flag: new-pricing
    state: "off"
    next: review
  - id: review
    action: postmortem
    due: 48h  # within two days
`;

interface Case {
  name: string;
  /** A unique piece of the text with `$0` where the cursor is. */
  at: string;
  /** The exact text under the hover range; undefined when no hover is expected. */
  range?: string;
  includes?: string[];
  excludes?: string[];
  text?: string;
  options?: CheckOptions;
}

function run(c: Case): void {
  const text = c.text ?? PLAYBOOK;
  const probe = c.at.replace(CURSOR, '');
  const at = text.indexOf(probe);
  assert.ok(at >= 0 && (probe === '' || text.indexOf(probe, at + 1) === -1), `${JSON.stringify(probe)} occurs once in the text`);
  const offset = at + c.at.indexOf(CURSOR);
  const result = hover(checkPlaybook(text, c.options), offset);
  if (c.range === undefined) {
    assert.equal(result, undefined, `no hover expected, got ${result?.markdown}`);
    return;
  }
  assert.ok(result, 'a hover');
  assert.equal(text.slice(result.range.start, result.range.end), c.range);
  assert.ok(result.range.start <= offset && offset <= result.range.end, 'the range holds the cursor');
  for (const part of c.includes ?? []) assert.ok(result.markdown.includes(part), `hover lacks ${JSON.stringify(part)}:\n${result.markdown}`);
  for (const part of c.excludes ?? []) assert.ok(!result.markdown.includes(part), `hover has ${JSON.stringify(part)}:\n${result.markdown}`);
}

function withPolicy(changes: Partial<Policy>, advisories?: AdvisorySnapshot): CheckOptions {
  return { policy: { ...DEFAULT_POLICY, ...changes }, advisories };
}

function log4jAdvisories(): AdvisorySnapshot {
  const file = path.join(__dirname, '../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json');
  const parsed = parseOsvRecord(readFileSync(file, 'utf8'), file);
  assert.ok('record' in parsed, 'the fixture record parses');
  return { index: new AdvisoryIndex([{ record: parsed.record, source: file }]), sources: [], problems: [] };
}

describe('hover on keys: the field documentation', () => {
  const cases: Case[] = [
    {
      name: 'a step field, required by the action',
      at: '    t$0o: 2.14.1',
      range: 'to',
      includes: ['**`to`**: the version to roll back to', 'The release to roll back to.', 'Required in a `rollback` step.'],
    },
    { name: 'a field with allowed values', at: '    st$0ate: "off"', range: 'state', includes: ['**`state`**', 'Allowed values: `on`, `off`.'] },
    { name: 'an optional step field', at: '    approvers$0: [security]', range: 'approvers', includes: ['**`approvers`**: who must approve'], excludes: ['Required'] },
    { name: 'a top-level field', at: 'sev$0erity: sev1', range: 'severity', includes: ['**`severity`**: the incident severity', 'Allowed values: `sev1`, `sev2`, `sev3`, `sev4`.'] },
    { name: 'an owner role', at: '  secu$0rity: "@secops"', range: 'security', includes: ['the security owner', 'PB103'] },
    { name: 'a field of a service', at: '    pack$0age: pkg:maven', range: 'package', includes: ['**`package`**: the package URL (purl)'] },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('hover on actions and checkpoint kinds: what the policy makes of them', () => {
  const cases: Case[] = [
    {
      name: 'a risky action',
      at: '    action: roll$0back',
      range: 'rollback',
      includes: ['**action `rollback`**: Roll a service back to an earlier release.', 'Risky by default: a security checkpoint must be approved', 'Fields: **`service`**, **`to`**'],
    },
    {
      name: 'an action the policy makes risky',
      at: '    action: feature-fl$0ag',
      range: 'feature-flag',
      options: withPolicy({ riskyActions: new Set(['feature-flag']) }),
      includes: ['Risky under your policy'],
    },
    {
      name: 'a risky-by-default action the policy does not count',
      at: '    action: roll$0back',
      range: 'rollback',
      options: withPolicy({ riskyActions: new Set() }),
      includes: ['Not risky under your policy (it is risky by default)'],
    },
    { name: 'a security checkpoint kind', at: 'kind: security-rev$0iew', range: 'security-review', includes: ['**checkpoint kind `security-review`**', 'A security checkpoint: a risky step is guarded'] },
    {
      name: 'a kind that is not a security checkpoint by default',
      at: 'kind: change-appr$0oval',
      range: 'change-approval',
      includes: ['Not a security checkpoint: it guards no risky step.', '`security-review`, `vulnerability-scan` and `access-review`'],
    },
    {
      name: 'a kind the policy counts',
      at: 'kind: change-appr$0oval',
      range: 'change-approval',
      options: withPolicy({ securityCheckpoints: new Set(['change-approval']) }),
      includes: ['A security checkpoint under your policy'],
    },
    { name: 'an enum value without its own description', at: 'state: "o$0ff"', range: '"off"', includes: ['**`off`**', 'The state to set the flag to'] },
    { name: 'an enum value with its description', at: 'severity: se$0v1', range: 'sev1', includes: ['**`sev1`**: Critical: major outage or breach.'] },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('hover on versions: their advisories', () => {
  const advisories = log4jAdvisories();
  const cases: Case[] = [
    {
      name: 'an affected rollback target names the advisory, its alias, severity, summary, fix and link',
      at: '    to: 2.1$04.1',
      range: '2.14.1',
      options: { advisories },
      includes: [
        '**`logger` 2.14.1**',
        'Affected by an advisory',
        '[GHSA-jfh8-c2jp-5v3q](https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q)',
        '[CVE-2021-44228](https://osv.dev/vulnerability/CVE-2021-44228)',
        'CRITICAL: Remote code injection in Log4j.',
        'Fixed in 2.3.1, 2.12.2, 2.15.0.',
        // PB101's suggestion, with how much data it rests on.
        'Instead: **2.15.0** (newest unaffected release below 2.17.1, and first fixed release of GHSA-jfh8-c2jp-5v3q), clear of the one loaded advisory; newer data (`playbook advisories --update`) may change that.',
      ],
      excludes: ['PB108'],
    },
    { name: 'a safe deploy version that is the current release', at: 'version: 2.17$0.1', range: '2.17.1', options: { advisories }, includes: ['(the release running now)', 'No known advisory affects it. It is clear of the one loaded advisory; newer data (`playbook advisories --update`) may change that.'], excludes: ['Instead:'] },
    { name: 'a service’s current release', at: 'current: 2.1$07.1', range: '2.17.1', options: { advisories }, includes: ['**`logger` 2.17.1** (the release running now)', 'No known advisory affects it. It is clear of the one loaded advisory'] },
    { name: 'an affected item of the releases suggests nothing: only a step\'s version is replaced', at: '[2.12.2, 2.14$0.1,', range: '2.14.1', options: { advisories }, includes: ['Affected by an advisory'], excludes: ['Instead:'] },
    { name: 'an item of the releases', at: '[2.12.2, 2.14$0.1,', range: '2.14.1', options: { advisories }, includes: ['GHSA-jfh8-c2jp-5v3q', 'CRITICAL'] },
    { name: 'without advisory data the version is not checked', at: '    to: 2.1$04.1', range: '2.14.1', includes: ['Not checked for advisories: no advisory data is loaded.'] },
    {
      name: 'a version that is not one of the releases',
      at: '    to: 2.1$03.0',
      text: PLAYBOOK.replace('to: 2.14.1', 'to: 2.13.0'),
      range: '2.13.0',
      options: { advisories },
      includes: ['GHSA-jfh8-c2jp-5v3q', 'Not one of the releases of `logger` (PB108).'],
    },
    { name: 'a service without a package cannot be checked', at: '    current: 2.4$0.0', range: '2.4.0', options: { advisories }, includes: ['names no `package`'] },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('hover on step ids: what the step does and what guards it', () => {
  const cases: Case[] = [
    {
      name: 'a step’s own id, guarded by the checkpoint on every path',
      at: '- id: roll-b$0ack',
      range: 'roll-back',
      includes: ['**step `roll-back`** rolls `logger` back to 2.14.1.', 'Action `rollback`, risky by default.', 'Guarded by the security checkpoint `security-gate`: its approval is on every path'],
    },
    {
      name: 'a reference to a step guarded only by its `requires`',
      at: 'id: hot$0fix',
      range: 'hotfix',
      includes: ['deploys 2.17.1 of `logger`', 'Guarded by the security checkpoint `security-gate` in its `requires`.'],
    },
    {
      name: 'an unguarded risky step',
      at: 'id: clear-ca$0che',
      range: 'clear-cache',
      includes: ['runs `redis-cli FLUSHALL`', 'Not guarded', '(PB100)'],
    },
    {
      name: 'a reference in `requires` describes the checkpoint',
      at: '    to: 2.14.1\n    requires: [security-g$0ate]',
      range: 'security-gate',
      includes: ['**step `security-gate`** waits for `security-review` approval from `security`.', 'A security checkpoint under your policy'],
    },
    { name: 'a `next` reference', at: 'next: rev$0iew', range: 'review', includes: ['**step `review`** schedules the postmortem, due within 48h.'] },
    { name: 'an unknown reference', at: 'on-failure: missing$0-step', range: 'missing-step', includes: ['No step has the id `missing-step` (PB004).'] },
    { name: 'an `on-failure` keyword', at: 'on-failure: cont$0inue', range: 'continue', includes: ['**`continue`**: when this step fails'] },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('hover on services and channels: their declaration', () => {
  const cases: Case[] = [
    {
      name: 'a service named by a step',
      at: '    action: rollback\n    service: log$0ger',
      range: 'logger',
      includes: ['**service `logger`**', '- package: `pkg:maven/org.apache.logging.log4j/log4j-core`', '- current: 2.17.1', '- releases: 2.12.2, 2.14.1, 2.15.0, 2.17.1'],
    },
    { name: 'a service key', at: '  check$0out:', range: 'checkout', includes: ['**service `checkout`**', '- package: none (advisories cannot be matched)', '- releases: none listed'] },
    {
      name: 'the security channel named by a notify step',
      at: 'channel: secur$0ity',
      range: 'security',
      includes: ['**channel `security`**: #sec-incidents', 'The channel PB102 looks for: after `rollback`, `deploy` and `access-grant`'],
    },
    { name: 'another channel key', at: '  incid$0ent: "#inc-checkout"', range: 'incident', includes: ['**channel `incident`**: #inc-checkout'], excludes: ['PB102'] },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('hover elsewhere', () => {
  const cases: Case[] = [
    { name: 'nothing on a comment', at: '# with$0in two days', range: undefined },
    { name: 'nothing on a free-text value', at: 'command: redis-cli FLU$0SHALL', range: undefined },
    { name: 'nothing in an empty file', at: '$0', text: '', range: undefined },
    {
      name: 'CRLF line breaks: the same hover and an exact range',
      at: '    to: 2.1$04.1\r\n',
      text: PLAYBOOK.replace(/\n/g, '\r\n'),
      range: '2.14.1',
      options: { advisories: log4jAdvisories() },
      includes: ['GHSA-jfh8-c2jp-5v3q'],
    },
    { name: 'a cursor right after a word still names it', at: '    action: rollback$0\n    service: logger\n    to: 2.14.1', range: 'rollback', includes: ['**action `rollback`**'] },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('hover on step ids: every action in words', () => {
  const steps: Array<[string, string, string]> = [
    ['look', 'action: diagnose\n    query: rate(errors[5m])', 'looks at the system: queries `rate(errors[5m])`'],
    ['migrate', 'action: run\n    command: ./migrate.sh --dry-run', 'runs `./migrate.sh --dry-run`'],
    ['bounce', 'action: restart\n    service: checkout', 'restarts `checkout`'],
    ['grow', 'action: scale\n    service: checkout\n    replicas: 12', 'scales `checkout` to 12 replicas'],
    ['move', 'action: failover\n    service: checkout\n    to: eu-west-1', 'fails `checkout` over to `eu-west-1`'],
    ['flip', 'action: feature-flag\n    flag: new-pricing\n    state: "on"', 'turns the feature flag `new-pricing` on'],
    ['tune', 'action: config-change\n    service: checkout\n    change: pool size 20', 'changes the configuration of `checkout`'],
    ['grant', 'action: access-grant\n    principal: alice\n    role: db-read', 'grants `db-read` to `alice` with no `duration`'],
    ['revoke', 'action: access-revoke\n    principal: alice\n    role: db-read', 'revokes `db-read` from `alice`'],
    ['rotate', 'action: rotate-secret\n    secret: stripe-key', 'rotates the secret `stripe-key`'],
    ['block', 'action: block-traffic\n    rule: deny 10.0.0.0/8', 'blocks traffic with the rule `deny 10.0.0.0/8`'],
    ['tell', 'action: notify\n    channel: incident', 'notifies the channel `incident` (#inc-checkout)'],
    ['page', 'action: escalate\n    to: incident-commander', 'escalates to `incident-commander`'],
    ['pause', 'action: wait\n    duration: 10m', 'waits 10m'],
    ['half-written', 'action: rollback', 'rolls `?` back to ?'],
    ['no-action', 'title: nothing yet', 'has no `action` yet'],
  ];
  const text = `playbook: words\nchannels:\n  incident: "#inc-checkout"\nsteps:\n${steps.map(([id, body]) => `  - id: ${id}\n    ${body}\n`).join('')}`;
  for (const [id, , words] of steps) {
    test(`step \`${id}\` ${words}`, () => run({ name: id, text, at: `- id: ${id}$0\n`, range: id, includes: [`**step \`${id}\`** ${words}.`] }));
  }
});
