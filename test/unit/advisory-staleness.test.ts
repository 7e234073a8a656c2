/**
 * How old the advisory data is (PB110, info): a source's last fetch by `playbook advisories
 * --update`, or for hand-made records the newest `modified`, against the policy's
 * `advisories-max-age`, at the time the adapter passes in. Snapshots are built by hand here, so the
 * rule is tested whatever the loaders fill in.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { advisoryAges, ageText } from '../../server/src/core/advisories/advisoryAge.js';
import { AdvisoryIndex } from '../../server/src/core/advisories/advisoryIndex.js';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';
import type { AdvisorySnapshot, SourceStatus } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { AGE_LIMIT_PATTERN, parseAgeLimit } from '../../server/src/core/policy/ageLimit.js';
import { parsePolicy } from '../../server/src/core/policy/parsePolicy.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';
import { assertFindings, playbook } from './helpers/findings.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2024-06-13T12:00:00Z');
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();

const RECORD = (() => {
  const parsed = parseOsvRecord(readFileSync(path.join(__dirname, '../fixtures/osv/GHSA-35jh-r3h4-6jhm.json'), 'utf8'), 'GHSA-35jh-r3h4-6jhm.json');
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed.record;
})();

function snapshot(sources: Array<Partial<SourceStatus>>): AdvisorySnapshot {
  return {
    index: new AdvisoryIndex([{ record: RECORD, source: 'osv/npm.zip!GHSA-35jh-r3h4-6jhm.json' }]),
    sources: sources.map((s, i) => ({ entry: `source-${i}`, path: `/repo/source-${i}`, kind: 'zip', records: 1, ...s })),
    problems: [],
  };
}

/** A rollback of lodash to a release no advisory affects: only PB110 can speak. */
const TEXT = playbook(`  - id: gate
    action: checkpoint
    kind: security-review
  - id: roll-back
    action: rollback
    service: api
    to: 4.17.21
    requires: [gate]
  - id: tell
    action: notify
    channel: security
`, { services: `  api:\n    package: pkg:npm/lodash\n    current: 4.17.21\n    releases: [4.17.20, 4.17.21]\n` });

function policyWith(lines: string): Policy {
  const parsed = parsePolicy(`policy: 1\n${lines}`);
  assert.deepEqual(parsed.findings, []);
  return parsed.policy;
}

const pb110 = (sources: Array<Partial<SourceStatus>>, options: { policy?: Policy; now?: Date | undefined } = {}): string[] =>
  checkPlaybook(TEXT, { advisories: snapshot(sources), policy: options.policy, now: 'now' in options ? options.now : NOW }).findings.filter((f) => f.ruleId === 'PB110').map((f) => f.message);

describe('PB110: advisories older than advisories-max-age', () => {
  test('a zip fetched 12 days ago is reported on the service, as info, with the age and what to run', () => {
    assertFindings(TEXT, [{
      rule: 'PB110',
      flagged: 'api',
      severity: 'info',
      message: ['advisories are 12 days old: `.playbooks/advisories/osv/npm.zip` was last fetched on 2024-06-01', "the policy's `advisories-max-age` is 7d", 'run `playbook advisories --update` (in the editor: Playbook: Update Advisories)'],
    }], ['PB110'], { advisories: snapshot([{ entry: '.playbooks/advisories/osv/npm.zip', fetchedAt: ago(12 * DAY) }]), now: NOW });
  });

  test('within the limit, nothing is said; one millisecond past it, it is', () => {
    assert.deepEqual(pb110([{ fetchedAt: ago(2 * DAY) }]), []);
    assert.deepEqual(pb110([{ fetchedAt: ago(7 * DAY) }]), []);
    assert.equal(pb110([{ fetchedAt: ago(7 * DAY + 1) }]).length, 1);
  });

  test('without the time of the check, no age is judged (the core has no clock)', () => {
    assert.deepEqual(pb110([{ fetchedAt: ago(400 * DAY) }], { now: undefined }), []);
  });

  test('hand-made records are as old as their newest `modified`, and the advice fits them', () => {
    const [message] = pb110([{ entry: 'in-house', kind: 'folder', newestModified: '2024-05-04T08:00:00Z' }]);
    assert.match(message!, /^advisories are 40 days old: the newest record in `in-house` was modified on 2024-05-04/);
    assert.match(message!, /update the records/);
  });

  test('a fetch record wins over the records\' own dates (OSV\'s `modified` says when OSV changed a record, not when it was fetched)', () => {
    assert.deepEqual(pb110([{ fetchedAt: ago(DAY), newestModified: ago(300 * DAY) }]), []);
    assert.equal(pb110([{ fetchedAt: ago(30 * DAY), newestModified: ago(DAY) }]).length, 1);
  });

  test('the oldest source is named, and how many others are over the limit too', () => {
    const messages = pb110([{ entry: 'a', fetchedAt: ago(9 * DAY) }, { entry: 'b', fetchedAt: ago(1 * DAY) }, { entry: 'c', fetchedAt: ago(20 * DAY) }, { entry: 'd', newestModified: ago(8 * DAY) }]);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^advisories are 20 days old: `c` was last fetched on .* \(2 more sources are older than 7d too\)/);
  });

  test('the policy sets the limit in days or hours; under two days the age is said in hours', () => {
    assert.deepEqual(pb110([{ fetchedAt: ago(12 * DAY) }], { policy: policyWith('advisories-max-age: 30d\n') }), []);
    const [hours] = pb110([{ fetchedAt: ago(40 * 60 * 60 * 1000) }], { policy: policyWith('advisories-max-age: 36h\n') });
    assert.match(hours!, /^advisories are 40 hours old: .*`advisories-max-age` is 36h/);
  });

  test('a date in the future cannot pass for fresh: it is named, whatever the other sources say', () => {
    const messages = pb110([{ entry: 'osv/npm.zip', fetchedAt: '2099-01-01T00:00:00.000Z' }, { entry: 'fresh', fetchedAt: ago(DAY) }]);
    assert.deepEqual(messages, ['how old the advisories in `osv/npm.zip` are cannot be told: its last fetch is dated 2099-01-01T00:00:00.000Z, in the future; run `playbook advisories --update` to fetch it again']);
    const [record] = pb110([{ entry: 'in-house', newestModified: '2099-01-01T00:00:00Z' }]);
    assert.match(record!, /in-house.*newest record's `modified` is 2099-01-01T00:00:00Z, in the future/);
    // A clock a few hours ahead is not the future.
    assert.deepEqual(pb110([{ fetchedAt: new Date(NOW.getTime() + 3 * 60 * 60 * 1000).toISOString() }]), []);
  });

  test('sources without records or a readable date, and missing ones, say nothing about age', () => {
    assert.deepEqual(pb110([{ fetchedAt: ago(DAY) }, { records: 0, fetchedAt: ago(99 * DAY) }, { kind: 'missing', records: 0, fetchedAt: ago(99 * DAY) }, { fetchedAt: 'last tuesday' }, {}]), []);
  });

  test('a source name cannot break the message into lines', () => {
    const [message] = pb110([{ entry: 'x\nPB101 forged', fetchedAt: ago(12 * DAY) }]);
    assert.ok(!message!.includes('\n'), message);
    assert.match(message!, /`x\\nPB101 forged`/);
  });

  test('no age is judged where nothing is checked against advisories, or where no records are loaded at all', () => {
    const noRollback = playbook('', { services: `  api:\n    package: pkg:npm/lodash\n    current: 4.17.21\n` });
    assert.deepEqual(checkPlaybook(noRollback, { advisories: snapshot([{ fetchedAt: ago(12 * DAY) }]), now: NOW }).findings.filter((f) => f.ruleId === 'PB110'), []);
    const empty: AdvisorySnapshot = { ...snapshot([{ fetchedAt: ago(12 * DAY), records: 0 }]), index: new AdvisoryIndex([]) };
    const messages = checkPlaybook(TEXT, { advisories: empty, now: NOW }).findings.filter((f) => f.ruleId === 'PB110').map((f) => f.message);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /^no advisory records are loaded/);
  });

  test('`rules: PB110: off` silences it, `warning` raises it', () => {
    const stale = [{ fetchedAt: ago(12 * DAY) }];
    assert.deepEqual(pb110(stale, { policy: policyWith('rules:\n  PB110: off\n') }), []);
    const raised = checkPlaybook(TEXT, { advisories: snapshot(stale), policy: policyWith('rules:\n  PB110: warning\n'), now: NOW }).findings.filter((f) => f.ruleId === 'PB110');
    assert.deepEqual(raised.map((f) => f.severity), ['warning']);
  });
});

describe('advisoryAges and ageText', () => {
  test('ages are measured from `now`, oldest first', () => {
    const ages = advisoryAges(snapshot([{ entry: 'a', fetchedAt: ago(DAY) }, { entry: 'b', fetchedAt: ago(10 * DAY) }]).sources, DEFAULT_POLICY.advisoriesMaxAge, NOW);
    assert.deepEqual(ages.stale.map((s) => [s.entry, s.ageMs]), [['b', 10 * DAY]]);
    assert.equal(ages.oldest?.entry, 'b');
    assert.deepEqual(ages.future, []);
  });

  test('days from two days on, hours below', () => {
    assert.deepEqual([ageText(12.9 * DAY), ageText(2 * DAY), ageText(47.5 * 60 * 60 * 1000), ageText(60 * 60 * 1000), ageText(0)], ['12 days', '2 days', '47 hours', '1 hour', '0 hours']);
  });
});

describe('policy: advisories-max-age, advisories-mirror, advisories-update-dir', () => {
  test('the defaults: 7 days, no mirror or folder of the policy\'s own', () => {
    const policy = parsePolicy('policy: 1\n').policy;
    assert.deepEqual(policy.advisoriesMaxAge, { written: '7d', ms: 7 * DAY });
    assert.equal(policy.advisoriesMirror, undefined);
    assert.equal(policy.advisoriesUpdateDir, undefined);
  });

  test('values the schema accepts are applied', () => {
    const policy = policyWith('advisories-max-age: 36h\nadvisories-mirror: https://osv.mirror.example.com/osv\nadvisories-update-dir: advisories/public\n');
    assert.deepEqual(policy.advisoriesMaxAge, { written: '36h', ms: 36 * 60 * 60 * 1000 });
    assert.equal(policy.advisoriesMirror, 'https://osv.mirror.example.com/osv');
    assert.equal(policy.advisoriesUpdateDir, 'advisories/public');
  });

  for (const [line, flagged] of [
    ['advisories-max-age: 7', '7'],
    ['advisories-max-age: 0d', '0d'],
    ['advisories-max-age: 2w', '2w'],
    ['advisories-max-age: -3d', '-3d'],
    ['advisories-max-age: 7 days', '7 days'],
    ['advisories-mirror: ftp://mirror.example.com', 'ftp://mirror.example.com'],
    ['advisories-mirror: file:///etc', 'file:///etc'],
    ['advisories-mirror: https://mirror.example.com/osv?token=abc', 'https://mirror.example.com/osv?token=abc'],
    ['advisories-update-dir: ""', 'advisories-update-dir'],
  ] as const) {
    test(`\`${line}\` is refused on its value, and the defaults apply`, () => {
      const text = `policy: 1\n${line}\n`;
      const parsed = parsePolicy(text);
      assert.equal(parsed.applied, false);
      assert.deepEqual(parsed.findings.map((f) => [f.ruleId, text.slice(f.range.start, f.range.end)]), [['PB002', flagged]]);
    });
  }

  test('the parse accepts exactly what the schema accepts', () => {
    const schema = JSON.parse(readFileSync(path.join(__dirname, '../../schemas/policy.schema.json'), 'utf8')) as { properties: Record<string, { pattern?: string }> };
    assert.equal(schema.properties['advisories-max-age']!.pattern, AGE_LIMIT_PATTERN);
    for (const value of ['7d', '36h', '007d', '999999h']) assert.ok(parseAgeLimit(value), value);
    for (const value of ['0d', '0h', '7', 'd', '1000000d', '7D', ' 7d']) assert.equal(parseAgeLimit(value), undefined, value);
  });
});
