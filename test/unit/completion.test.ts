/**
 * Completion, data-driven: a playbook with the cursor marked `$0` → the offered labels and the
 * exact range each replaces. Many cases are lines being typed, which the document cannot parse.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook, type CheckOptions } from '../../server/src/core/check.js';
import { completions, type SnippetDefinition } from '../../server/src/core/features/completion.js';
import type { CompletionEntry } from '../../server/src/core/features/types.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';

const CURSOR = '$0';

const HEAD = `playbook: checkout-outage
title: Checkout down
owners:
  sre: "@payments-sre"
services:
  checkout:
    package: pkg:npm/checkout
    current: 2.4.0
    releases: [2.2.0, 2.3.1, 2.4.0]
  ledger:
    package: pkg:generic/acme/ledger
channels:
  security: "#sec-incidents"
  incident: "#inc-checkout"
steps:
  - id: triage
    action: diagnose
    run: kubectl get pods
  - id: security-gate
    action: checkpoint
    kind: security-review
`;

const SNIPPETS: SnippetDefinition[] = [
  { name: 'Guarded rollback', prefix: 'guarded-rollback', body: '- id: ${1:gate}\n  action: checkpoint\n  kind: security-review', description: 'A security review before a rollback.' },
  { name: 'Notify security', prefix: 'notify-security', body: 'id: tell-security\naction: notify\nchannel: security' },
  { name: 'Gate and roll back', prefix: 'gated-rollback', body: '    - id: gate\n      action: checkpoint\n    - id: roll-back\n      action: rollback\n' },
];

const ALL_ACTIONS = ['diagnose', 'run', 'rollback', 'deploy', 'restart', 'scale', 'failover', 'feature-flag', 'config-change', 'access-grant', 'access-revoke', 'rotate-secret', 'block-traffic', 'notify', 'escalate', 'checkpoint', 'wait', 'postmortem'];
const TOP_LEVEL = ['playbook', 'title', 'version', 'owners', 'severity', 'compliance', 'trigger', 'services', 'channels', 'steps'];

interface Case {
  name: string;
  /** The text with `$0` at the cursor. */
  text: string;
  /** The exact labels, in the order an editor shows them (by sortText). */
  labels?: string[];
  includes?: string[];
  excludes?: string[];
  /** The text every entry replaces, with `$0` where the cursor is in it. */
  replaces: string;
  options?: CheckOptions;
  /** The text does not parse (asserted, so the case keeps testing what it says). */
  unparseable?: boolean;
  /** Further checks on the entries, by label. */
  check?: (byLabel: Map<string, CompletionEntry>, entries: CompletionEntry[]) => void;
}

function run(c: Case): void {
  const cursor = c.text.indexOf(CURSOR);
  assert.ok(cursor >= 0, 'the case marks the cursor');
  const text = c.text.slice(0, cursor) + c.text.slice(cursor + CURSOR.length);
  const analysis = checkPlaybook(text, c.options);
  if (c.unparseable) assert.ok(analysis.parsed.parseFindings.length > 0, 'the text does not parse');
  const entries = completions(analysis, cursor, SNIPPETS);
  const sorted = [...entries].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
  const labels = sorted.map((e) => e.label);
  if (c.labels) assert.deepEqual(labels, c.labels);
  for (const label of c.includes ?? []) assert.ok(labels.includes(label), `offers ${label}: ${labels.join(', ')}`);
  for (const label of c.excludes ?? []) assert.ok(!labels.includes(label), `does not offer ${label}: ${labels.join(', ')}`);
  const before = c.replaces.indexOf(CURSOR);
  const expected = { start: cursor - before, end: cursor - before + c.replaces.length - CURSOR.length };
  for (const e of entries) {
    assert.deepEqual(e.replace, expected, `${e.label} replaces ${JSON.stringify(text.slice(e.replace.start, e.replace.end))}`);
  }
  c.check?.(new Map(entries.map((e) => [e.label, e])), sorted);
}

function policy(changes: Partial<Policy>): CheckOptions {
  return { policy: { ...DEFAULT_POLICY, ...changes } };
}

function log4jAdvisories(): AdvisorySnapshot {
  const file = path.join(__dirname, '../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json');
  const parsed = parseOsvRecord(readFileSync(file, 'utf8'), file);
  assert.ok('record' in parsed, 'the fixture record parses');
  return { index: new AdvisoryIndex([{ record: parsed.record, source: file }]), sources: [], problems: [] };
}

const LOG4J_SERVICE = `services:
  logger:
    package: pkg:maven/org.apache.logging.log4j/log4j-core
    current: 2.17.1
    releases: [2.12.2, 2.14.1, 2.15.0, 2.17.1]
`;

describe('completion of keys', () => {
  const cases: Case[] = [
    {
      name: 'an empty file offers the whole-playbook skeleton first, then every top-level field',
      text: '$0',
      labels: ['playbook', ...TOP_LEVEL],
      replaces: '$0',
      check: (_e, entries) => {
        const first = [...entries].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0]!;
        assert.equal(first.kind, 'snippet');
        assert.equal(first.detail, 'Playbook skeleton');
        assert.match(first.insertText, /^playbook: \$\{1:service-outage\}\ntitle: /);
      },
    },
    {
      name: 'inside a step, field completion offers fields only: no snippet, the skeleton least of all',
      text: `${HEAD}  - id: roll-back\n    action: rollback\n    p$0\n`,
      replaces: 'p$0',
      excludes: ['playbook'],
      check: (_e, entries) => assert.deepEqual(entries.filter((e) => e.kind === 'snippet').map((e) => e.label), []),
    },
    {
      name: 'top-level fields not written yet, on a line being typed',
      text: `${HEAD}sev$0`,
      labels: ['version', 'severity', 'compliance', 'trigger'],
      replaces: 'sev$0',
      check: (e) => {
        assert.equal(e.get('severity')!.insertText, 'severity: $1');
        assert.equal(e.get('severity')!.isSnippet, true);
        assert.equal(e.get('severity')!.detail, 'the incident severity');
        assert.match(e.get('severity')!.documentation!, /`sev1` \(worst\) to `sev4`/);
        assert.equal(e.get('compliance')!.insertText, 'compliance: [$1]');
        assert.equal(e.get('trigger')!.insertText, 'trigger:\n  $1');
      },
    },
    {
      name: 'a step field typed without its colon (the document does not parse)',
      text: `${HEAD}  - id: roll-back\n    act$0\n`,
      unparseable: true,
      labels: ['action', 'title', 'notes', 'timeout', 'requires', 'next', 'on-failure'],
      replaces: 'act$0',
      check: (e) => {
        assert.equal(e.get('action')!.insertText, 'action: $1');
        assert.equal(e.get('requires')!.insertText, 'requires: [$1]');
        assert.equal(e.get('action')!.kind, 'field');
      },
    },
    {
      name: 'an empty list item starts a step: id and action first, then the snippets',
      text: `${HEAD}  - $0\n`,
      labels: ['id', 'action', 'title', 'notes', 'timeout', 'requires', 'next', 'on-failure', 'guarded-rollback', 'notify-security', 'gated-rollback', 'rollback-gated', 'break-glass', 'checkpoint-security', 'evidence', 'postmortem'],
      replaces: '$0',
      check: (e) => {
        assert.equal(e.get('guarded-rollback')!.kind, 'snippet');
        assert.equal(e.get('guarded-rollback')!.isSnippet, true);
        // The line has its `- ` already: the body follows it, later lines indented under it.
        assert.equal(e.get('guarded-rollback')!.insertText, 'id: ${1:gate}\n  action: checkpoint\n  kind: security-review');
        assert.equal(e.get('notify-security')!.insertText, 'id: tell-security\n  action: notify\n  channel: security');
        // Several steps: the later ones stay level with the first.
        assert.equal(e.get('gated-rollback')!.insertText, 'id: gate\n  action: checkpoint\n- id: roll-back\n  action: rollback');
        assert.equal(e.get('guarded-rollback')!.detail, 'Guarded rollback');
        assert.match(e.get('guarded-rollback')!.documentation!, /^A security review before a rollback\.\n\n```yaml\n- id: \$\{1:gate\}\n/);
      },
    },
    {
      name: 'an empty line at the column of the steps offers the snippets, with their `- `',
      text: `${HEAD}  $0`,
      labels: ['guarded-rollback', 'notify-security', 'gated-rollback', 'rollback-gated', 'break-glass', 'checkpoint-security', 'evidence', 'postmortem'],
      replaces: '$0',
      check: (e) => {
        assert.equal(e.get('gated-rollback')!.insertText, '- id: gate\n  action: checkpoint\n- id: roll-back\n  action: rollback');
        assert.equal(e.get('guarded-rollback')!.insertText, '- id: ${1:gate}\n  action: checkpoint\n  kind: security-review');
        assert.equal(e.get('notify-security')!.insertText, '- id: tell-security\n  action: notify\n  channel: security');
      },
    },
    {
      name: 'the fields of the step action, required first, without those written above or below',
      text: `${HEAD}  - id: roll-back\n    $0\n    action: rollback\n    on-failure: abort\n  - id: next-one\n    action: wait\n`,
      labels: ['service', 'to', 'title', 'notes', 'timeout', 'requires', 'next'],
      replaces: '$0',
    },
    {
      name: 'no snippets on a `- ` line whose item already has fields',
      text: `${HEAD}  - $0\n    action: rollback\n`,
      labels: ['id', 'service', 'to', 'title', 'notes', 'timeout', 'requires', 'next', 'on-failure'],
      replaces: '$0',
    },
    {
      name: 'a field typed in front of its colon is inserted bare',
      text: `${HEAD}  - id: roll-back\n    act$0: rollback\n`,
      includes: ['action'],
      excludes: ['id'],
      replaces: 'act$0',
      check: (e) => assert.equal(e.get('action')!.insertText, 'action'),
    },
    {
      name: 'a dash with no space yet gets one before the key',
      text: `${HEAD}  -$0`,
      includes: ['id', 'action'],
      replaces: '$0',
      check: (e) => assert.equal(e.get('id')!.insertText, ' id: $1'),
    },
    {
      name: 'a sequence written at the indentation of its key',
      text: 'steps:\n- id: a\n  action: notify\n  $0\n',
      labels: ['channel', 'title', 'notes', 'timeout', 'requires', 'next', 'on-failure', 'message'],
      replaces: '$0',
    },
    {
      name: 'owners offers the security role when only sre is written',
      text: `${HEAD.split('services:')[0]}  $0\nservices: {}\n`,
      labels: ['security'],
      replaces: '$0',
    },
    {
      name: 'a service offers its fields not written yet',
      text: `${HEAD.replace('  ledger:\n    package: pkg:generic/acme/ledger\n', '  ledger:\n    package: pkg:generic/acme/ledger\n    re$0\n')}`,
      labels: ['current', 'sbom', 'releases'],
      replaces: 're$0',
      check: (e) => assert.equal(e.get('releases')!.insertText, 'releases: [$1]'),
    },
    {
      name: 'CRLF line breaks: the same keys and an exact range',
      text: `${HEAD}  - id: roll-back\n    action: rollback\n    ser$0\n`.replace(/\n/g, '\r\n'),
      labels: ['service', 'to', 'title', 'notes', 'timeout', 'requires', 'next', 'on-failure'],
      replaces: 'ser$0',
    },
    {
      name: 'a broken line above does not stop completion',
      text: `${HEAD}  - id: broken\n    action: [unclosed\n  - id: roll-back\n    act$0\n`,
      unparseable: true,
      includes: ['action', 'title'],
      excludes: ['id'],
      replaces: 'act$0',
    },
    { name: 'nothing inside a comment', text: `${HEAD}  # act$0\n`, labels: [], replaces: '$0' },
    { name: 'nothing inside a block scalar', text: `${HEAD}  - id: x\n    notes: |\n      act$0\n`, labels: [], replaces: '$0' },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('completion of values', () => {
  const step = (lines: string): string => `${HEAD}  - id: roll-back\n${lines}`;
  const cases: Case[] = [
    {
      name: 'actions after `action: `, marked risky by default',
      text: step('    action: $0\n'),
      labels: ALL_ACTIONS,
      replaces: '$0',
      check: (e) => {
        assert.equal(e.get('rollback')!.detail, 'risky by default');
        assert.equal(e.get('restart')!.detail, undefined);
        assert.equal(e.get('rollback')!.kind, 'action');
        assert.match(e.get('rollback')!.documentation!, /^Roll a service back to an earlier release/);
      },
    },
    {
      name: 'a half-typed action is replaced whole',
      text: step('    action: rol$0\n'),
      includes: ['rollback'],
      replaces: 'rol$0',
      check: (e) => assert.equal(e.get('rollback')!.insertText, 'rollback'),
    },
    {
      name: 'right after the colon, the value brings its space',
      text: step('    action:$0\n'),
      includes: ['diagnose'],
      replaces: '$0',
      check: (e) => assert.equal(e.get('diagnose')!.insertText, ' diagnose'),
    },
    {
      name: 'the policy decides which actions are risky',
      text: step('    action: $0\n'),
      replaces: '$0',
      options: policy({ riskyActions: new Set(['restart', 'rollback']) }),
      check: (e) => {
        assert.equal(e.get('restart')!.detail, 'risky under your policy');
        assert.equal(e.get('rollback')!.detail, 'risky by default');
        assert.equal(e.get('run')!.detail, 'not risky under your policy');
      },
    },
    {
      name: 'checkpoint kinds, marked by whether the policy counts them',
      text: `${HEAD}  - id: gate\n    action: checkpoint\n    kind: $0\n`,
      labels: ['security-review', 'vulnerability-scan', 'access-review', 'change-approval', 'evidence-capture'],
      replaces: '$0',
      options: policy({ securityCheckpoints: new Set(['security-review', 'change-approval']) }),
      check: (e) => {
        assert.equal(e.get('security-review')!.detail, 'security checkpoint');
        assert.equal(e.get('change-approval')!.detail, 'security checkpoint under your policy');
        assert.equal(e.get('access-review')!.detail, 'not a security checkpoint under your policy');
        assert.equal(e.get('evidence-capture')!.detail, 'not a security checkpoint');
      },
    },
    { name: '`on` and `off` after `state:`', text: step('    action: feature-flag\n    state: o$0\n'), labels: ['on', 'off'], replaces: 'o$0' },
    { name: 'severities after the top-level `severity:`', text: `playbook: x\nseverity: $0\n`, labels: ['sev1', 'sev2', 'sev3', 'sev4'], replaces: '$0' },
    {
      name: 'step ids after `requires: [`, without the step itself',
      text: step('    action: rollback\n    requires: [$0]\n'),
      labels: ['triage', 'security-gate'],
      replaces: '$0',
      check: (e) => {
        assert.equal(e.get('security-gate')!.kind, 'step');
        assert.equal(e.get('security-gate')!.detail, 'checkpoint');
        assert.match(e.get('security-gate')!.documentation!, /waits for `security-review` approval/);
      },
    },
    { name: 'step ids in a flow list leave out those listed', text: step('    requires: [triage, sec$0]\n'), labels: ['security-gate'], replaces: 'sec$0' },
    { name: 'step ids in a block list leave out those listed', text: step('    requires:\n      - triage\n      - $0\n'), labels: ['security-gate'], replaces: '$0' },
    {
      name: 'a step id typed right after `requires:` becomes a list',
      text: step('    requires: tri$0\n'),
      labels: ['triage', 'security-gate'],
      replaces: 'tri$0',
      check: (e) => assert.equal(e.get('triage')!.insertText, '[triage]'),
    },
    { name: 'step ids after `next:`', text: step('    next: $0\n'), labels: ['triage', 'security-gate'], replaces: '$0' },
    {
      name: 'step ids and the two keywords after `on-failure:`',
      text: step('    on-failure: ab$0\n'),
      labels: ['triage', 'security-gate', 'abort', 'continue'],
      replaces: 'ab$0',
      check: (e) => assert.equal(e.get('abort')!.kind, 'keyword'),
    },
    { name: 'service names after `service:`', text: step('    action: restart\n    service: $0\n'), labels: ['checkout', 'ledger'], replaces: '$0' },
    {
      name: 'channel names after `channel:` in a notify step',
      text: step('    action: notify\n    channel: "sec$0"\n'),
      labels: ['security', 'incident'],
      replaces: 'sec$0',
      check: (e) => assert.equal(e.get('security')!.detail, '#sec-incidents'),
    },
    {
      name: 'versions without advisory data are offered newest first, current marked',
      text: step('    action: rollback\n    service: checkout\n    to: 2.$0\n'),
      labels: ['2.4.0', '2.3.1', '2.2.0'],
      replaces: '2.$0',
      check: (e) => {
        assert.equal(e.get('2.4.0')!.detail, 'not checked (current)');
        assert.equal(e.get('2.3.1')!.kind, 'version');
      },
    },
    { name: 'a failover `to` is a region, not a version', text: step('    action: failover\n    service: checkout\n    to: 2.$0\n'), labels: [], replaces: '2.$0' },
    { name: 'no versions for an unknown service', text: step('    action: rollback\n    service: nope\n    to: $0\n'), labels: [], replaces: '$0' },
  ];
  for (const c of cases) test(c.name, () => run(c));
});

describe('completion of versions with their advisories (GHSA-jfh8-c2jp-5v3q, Log4Shell)', () => {
  const advisories = log4jAdvisories();
  const expectAdvisoryLabels = (e: Map<string, CompletionEntry>): void => {
    assert.equal(e.get('2.17.1')!.detail, 'clear (current)');
    assert.equal(e.get('2.15.0')!.detail, 'clear');
    assert.equal(e.get('2.14.1')!.detail, '1 standing advisory (1 critical)');
    assert.equal(e.get('2.14.1')!.deprecated, true);
    assert.equal(e.get('2.15.0')!.deprecated, undefined);
    const doc = e.get('2.14.1')!.documentation!;
    for (const part of ['CVE-2021-44228', 'Remote code injection in Log4j', 'Fixed in 2.3.1, 2.12.2, 2.15.0', 'https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q']) {
      assert.ok(doc.includes(part), `documentation names ${part}: ${doc}`);
    }
  };
  const cases: Case[] = [
    {
      name: 'a rollback target: safe versions first, newest first, the affected one last',
      text: `playbook: x\n${LOG4J_SERVICE}steps:\n  - id: roll-back\n    action: rollback\n    service: logger\n    to: 2.1$0\n`,
      labels: ['2.17.1', '2.15.0', '2.12.2', '2.14.1'],
      replaces: '2.1$0',
      options: { advisories },
      check: expectAdvisoryLabels,
    },
    {
      name: 'a deploy version, in a CRLF file, with `service` written below',
      text: `playbook: x\n${LOG4J_SERVICE}steps:\n  - id: ship\n    action: deploy\n    version: $0\n    service: logger\n`.replace(/\n/g, '\r\n'),
      labels: ['2.17.1', '2.15.0', '2.12.2', '2.14.1'],
      replaces: '$0',
      options: { advisories },
      check: expectAdvisoryLabels,
    },
    {
      name: 'the `current` of a service',
      text: `playbook: x\n${LOG4J_SERVICE.replace('current: 2.17.1', 'current: $0')}`,
      labels: ['2.17.1', '2.15.0', '2.12.2', '2.14.1'],
      replaces: '$0',
      options: { advisories },
      check: (e) => assert.equal(e.get('2.14.1')!.detail, '1 standing advisory (1 critical)'),
    },
  ];
  for (const c of cases) test(c.name, () => run(c));
});
