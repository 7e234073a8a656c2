/**
 * The run report's data (docs/runs.md), from records built by hand: who started the run and when,
 * the approvals, every notification with each delivery result, the release checks with what stood
 * and who acknowledged it, deviations, the outcome, and what the chain check said, on top.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { RecordedEvent, RunEvent } from '../../server/src/core/run/events.js';
import { runReport } from '../../server/src/core/run/report.js';
import { changesOf } from '../../server/src/core/run/reportChanges.js';
import { notificationsOf } from '../../server/src/core/run/reportNotifications.js';
import { stepKnowledge } from '../../server/src/core/run/reportPlaybook.js';
import { releaseChecksOf } from '../../server/src/core/run/reportSections.js';
import { soc2RunPoints } from '../../server/src/core/run/reportSoc2.js';
import type { RecordVerification } from '../../server/src/core/run/reportTypes.js';
import { checkoutPlaybook, deliveredLater, deniedReview, LOG4SHELL, neverDelivered, resolvedRollback, RunRecord, sha256, CHECKOUT_PLAYBOOK, skippedVerify } from './helpers/runRecord.js';

const OK: RecordVerification = { ok: true };
const report = (record: RunRecord, verification = OK) => runReport(record.events, verification, { playbook: checkoutPlaybook() });

describe('run report: a resolved rollback', () => {
  const r = report(resolvedRollback());

  test('says which playbook ran, who started it, when, for how long, and how it ended', () => {
    assert.deepEqual(r.record, { verified: true, problem: null, finished: true, events: 19, warnings: [] });
    assert.deepEqual(r.playbook, { id: 'checkout-rollback', title: 'Checkout errors after a release', file: 'services/checkout.playbook.yaml', sha256: sha256(CHECKOUT_PLAYBOOK) });
    assert.deepEqual([r.tool, r.mode, r.startedBy, r.startedAt, r.endedAt], [{ name: 'playbook', version: '0.1.0' }, 'editor', 'alice', '2026-12-06T05:10:00.000Z', '2026-12-06T05:30:37.000Z']);
    assert.deepEqual([r.durationMs, r.duration], [1_237_000, '20 min 37 s']);
    assert.equal(r.outcome, 'resolved');
    assert.deepEqual(r.path, ['triage', 'open-incident', 'security-review', 'roll-back', 'tell-security', 'verify', 'review']);
    assert.deepEqual(r.problems, []);
  });

  test('docs/runs.md documents every field, and its sample lines are lines of this record', () => {
    const docs = readFileSync(path.join(__dirname, '../../docs/runs.md'), 'utf8');
    const json = docs.slice(docs.indexOf('### The JSON'), docs.indexOf('### SOC 2 mapping'));
    for (const field of Object.keys(r)) assert.match(json, new RegExp(`\\| \`${field}\`|, \`${field}\``), `docs/runs.md documents ${field}`);
    const sample = docs.slice(docs.indexOf('```json\n') + 8, docs.indexOf('```', docs.indexOf('```json\n') + 8)).trim().split('\n');
    assert.equal(sample.length, 3);
    for (const line of sample) assert.ok(resolvedRollback().lines.includes(line), `a line of the record: ${line.slice(0, 60)}…`);
  });

  test('keeps the JSON field order documented in docs/runs.md', () => {
    assert.deepEqual(Object.keys(r), ['record', 'playbook', 'tool', 'mode', 'startedBy', 'startedAt', 'endedAt', 'durationMs', 'duration', 'outcome', 'path', 'timeline', 'approvals', 'notifications', 'undelivered', 'releaseChecks', 'deviations', 'soc2Basis', 'soc2', 'problems']);
    assert.deepEqual(Object.keys(r.notifications[0]!), ['id', 'step', 'auto', 'channel', 'target', 'message', 'sentAt', 'sentBy', 'deliveries', 'status', 'deliveredAt']);
    assert.deepEqual(Object.keys(r.releaseChecks[0]!), ['step', 'service', 'version', 'at', 'by', 'standing', 'decided', 'acknowledged', 'acknowledgedBy']);
  });

  test('tells every event in words, in record order, with when and who', () => {
    assert.equal(r.timeline.length, 19);
    assert.deepEqual(r.timeline.map((e) => e.seq), [...Array(19).keys()]);
    const words = (seq: number) => r.timeline[seq]!.text;
    assert.match(words(0), /^started a run of checkout-rollback \(Checkout errors after a release\) from services\/checkout\.playbook\.yaml, SHA-256 [0-9a-f]{64}, with playbook 0\.1\.0 in the editor$/);
    assert.equal(words(2), 'marked triage done: 5xx only from 2.4.0 pods');
    assert.deepEqual(r.timeline[7], { seq: 7, at: '2026-12-06T05:15:02.000Z', by: 'bob', event: 'approval', step: 'security-review', text: 'security granted security-review: checked the VEX for 2.3.1', delivery: null });
    assert.equal(words(9), 'checked checkout 2.3.1 for roll-back: 1 advisory standing (GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL, on log4j-core 2.14.1), acknowledged; set aside by VEX: GHSA-7rjr-3q55-vv33');
    assert.equal(words(12), 'notified security (#sec-incidents) from tell-security (notification 2): delivered after 1 attempt (HTTP 200)');
    assert.equal(r.timeline[12]!.delivery, 'delivered after 1 attempt (HTTP 200)', 'the delivery result, apart');
    assert.equal(words(18), 'ended the run: resolved');
  });

  test('lists the approval with the approver, the decision and who recorded it', () => {
    assert.deepEqual(r.approvals, [{ step: 'security-review', approver: 'security', decision: 'granted', at: '2026-12-06T05:15:02.000Z', by: 'bob', note: 'checked the VEX for 2.3.1' }]);
  });

  test('lists the release check: the standing critical advisory, acknowledged by alice, and the one VEX set aside', () => {
    const [check] = r.releaseChecks;
    assert.deepEqual({ ...check, standing: undefined, decided: undefined }, { step: 'roll-back', service: 'checkout', version: '2.3.1', at: '2026-12-06T05:15:32.000Z', by: 'alice', standing: undefined, decided: undefined, acknowledged: true, acknowledgedBy: 'alice' });
    assert.deepEqual(check!.standing, [{ ...LOG4SHELL, decidedBy: null }]);
    assert.deepEqual(check!.decided.map((a) => [a.id, a.decidedBy]), [['GHSA-7rjr-3q55-vv33', { file: '.playbooks/vex/checkout.openvex.json', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }]]);
  });

  test('lists both notifications, delivered at once', () => {
    assert.deepEqual(r.notifications.map((n) => [n.id, n.step, n.channel, n.target, n.status, n.deliveredAt, n.deliveries.length]), [
      [1, 'open-incident', 'incident', '#inc-checkout', 'delivered', '2026-12-06T05:11:02.000Z', 1],
      [2, 'tell-security', 'security', '#sec-incidents', 'delivered', '2026-12-06T05:18:37.000Z', 1],
    ]);
    assert.deepEqual(r.undelivered, []);
  });
});

describe('run report: notifications and their deliveries', () => {
  test('one queued and delivered later keeps both results, in order, and counts as delivered', () => {
    const n = report(deliveredLater()).notifications[1]!;
    assert.deepEqual(n.deliveries, [
      { at: '2026-12-06T05:18:52.000Z', by: 'alice', status: 'queued', attempts: 4, httpStatus: 503, error: 'Service Unavailable' },
      { at: '2026-12-06T05:28:53.000Z', by: 'alice', status: 'delivered', attempts: 1, httpStatus: 200, error: null },
    ]);
    assert.deepEqual([n.status, n.deliveredAt], ['delivered', '2026-12-06T05:28:53.000Z']);
    assert.deepEqual(report(deliveredLater()).record.warnings, []);
  });

  test('one never delivered is given up at the end, listed as undelivered and named first thing in the report', () => {
    const r = report(neverDelivered());
    const n = r.notifications[1]!;
    assert.deepEqual(n.deliveries.map((d) => d.status), ['queued', 'queued', 'given-up']);
    assert.deepEqual([n.status, n.deliveredAt], ['given-up', null]);
    assert.deepEqual(r.undelivered, [2]);
    assert.deepEqual(r.record.warnings, ['One notification never reached anyone: notification 2 to security (#sec-incidents) from tell-security: given up.']);
    assert.deepEqual(r.problems, [], 'run-ended lists the same undelivered notification');
  });

  test('one still queued when the run ends is listed by run-ended, as the record should', () => {
    const record = neverDelivered().edited((events) => events
      .filter((e) => !(e.type === 'delivery' && e.delivery.status === 'given-up'))
      .map((e) => (e.type === 'run-ended' ? { ...e, undelivered: [2] } : e)));
    const r = report(record);
    assert.deepEqual([r.notifications[1]!.status, r.undelivered, r.problems], ['queued', [2], []]);
    assert.equal(r.timeline.at(-1)!.text, 'ended the run: resolved; undelivered: notification 2');
    assert.deepEqual(r.record.warnings, ['One notification never reached anyone: notification 2 to security (#sec-incidents) from tell-security: queued (not delivered yet) after 4 attempts.']);
  });

  test('no delivery error shows an address, whatever the record holds: a webhook URL is a credential', () => {
    const r = report(neverDelivered());
    assert.equal(r.notifications[1]!.deliveries[0]!.error, 'connect ETIMEDOUT (an address)');
    assert.doesNotMatch(JSON.stringify(r), /hooks\.example\.com/);
  });

  test('an automatic notification has no step and says it was sent after a change', () => {
    const record = new RunRecord().add('alice', { type: 'notification', id: 1, channel: 'security', target: '#sec', message: 'checkout rolled back to 2.3.1', auto: true, delivery: { status: 'not-configured', attempts: 0, error: 'the policy binds no webhook to the `security` channel (its `notify` section)' } });
    const r = runReport(record.events, OK);
    assert.deepEqual([r.notifications[0]!.step, r.notifications[0]!.auto, r.notifications[0]!.status], [null, true, 'not-configured']);
    assert.equal(r.timeline[0]!.text, 'notified security (#sec) automatically, after a change (notification 1): not sent: the policy binds no webhook to the channel', 'said once, not again from its error');
  });

  test('a run-ended that disagrees with the deliveries, and a delivery of a notification never sent, are problems', () => {
    const record = new RunRecord()
      .add('alice', { type: 'notification', id: 1, channel: 'incident', message: 'm', auto: false, delivery: { status: 'queued', attempts: 4 } })
      .add('alice', { type: 'delivery', notification: 7, delivery: { status: 'delivered', attempts: 1 } })
      .add('alice', { type: 'run-ended', outcome: 'resolved', path: [], undelivered: [3] });
    assert.deepEqual(runReport(record.events, OK).problems, [
      'the record has no run-started event: which playbook ran, and who started it, is not recorded',
      'event 1 is a delivery of notification 7, which the record never sent',
      'run-ended does not list notification 1 as undelivered, but it was still queued',
      'run-ended lists notification 3 as undelivered, but it was not queued then (delivered, failed, given up, or never sent)',
    ]);
  });
});

describe('run report: how the run went', () => {
  test('every record built here replays through the playbook\'s flow: nothing in them is out of order', () => {
    for (const record of [resolvedRollback(), deniedReview(), deliveredLater(), neverDelivered(), skippedVerify()]) assert.deepEqual(report(record).problems, []);
  });

  test('a denied checkpoint: the denial with its reason, the run aborted, nothing changed', () => {
    const r = report(deniedReview());
    assert.deepEqual(r.approvals.map((a) => [a.step, a.approver, a.decision, a.note]), [['security-review', 'security', 'denied', '2.3.1 carries Log4Shell; find another way']]);
    assert.deepEqual([r.outcome, r.path], ['aborted', ['triage', 'open-incident', 'security-review']]);
    assert.deepEqual(r.releaseChecks, []);
    assert.equal(r.timeline.at(-2)!.text, 'security denied security-review: 2.3.1 carries Log4Shell; find another way');
  });

  test('a skipped step is a deviation with its reason', () => {
    const r = report(skippedVerify());
    assert.deepEqual(r.deviations, [{ step: 'verify', kind: 'skipped', reason: 'dashboards down during the incident; support confirmed checkouts succeed', at: '2026-12-06T05:19:07.000Z', by: 'alice' }]);
    assert.equal(r.timeline.find((e) => e.event === 'deviation')!.text, 'skipped verify: dashboards down during the incident; support confirmed checkouts succeed');
  });

  test('an unfinished record: no end, no outcome, the path so far, the duration so far, and a warning', () => {
    const record = resolvedRollback();
    record.lines.splice(12);
    const r = report(record, { ok: true, unfinished: true });
    assert.deepEqual([r.record.finished, r.outcome, r.endedAt], [false, 'unfinished', null]);
    assert.deepEqual(r.path, ['triage', 'open-incident', 'security-review', 'roll-back', 'tell-security']);
    assert.equal(r.duration, '8 min 32 s so far');
    assert.deepEqual(r.record.warnings, ['The record ends before the run did (its last event is not run-ended): the run is unfinished, or its end was cut off.']);
  });

  test('a record without run-ended is unfinished even when the caller does not say so', () => {
    const record = resolvedRollback();
    record.lines.pop();
    assert.equal(report(record).outcome, 'unfinished');
  });

  test('a broken chain: the first warning says the evidence cannot be trusted, with the verifier\'s words', () => {
    const r = report(resolvedRollback(), { ok: false, problem: 'line 8: prev is not the SHA-256 of line 7' });
    assert.deepEqual([r.record.verified, r.record.problem], [false, 'line 8: prev is not the SHA-256 of line 7']);
    assert.equal(r.record.warnings[0], "Evidence that cannot be trusted: the record's hash chain does not verify (line 8: prev is not the SHA-256 of line 7). It was changed after it was written, or is damaged; nothing below can be relied on.");
    assert.equal(r.outcome, 'resolved', 'what the record says is still shown');
  });
});

describe('run report: a record that is not what it should be', () => {
  test('events of unknown types or with fields of the wrong kind are set aside, each with a problem; the rest is reported', () => {
    const events: unknown[] = [
      ...resolvedRollback().events.slice(0, 3),
      { seq: 3, type: 'shell', at: '2026-12-06T05:12:00.000Z', by: 'mallory', prev: '', command: 'rm -rf /' },
      { seq: 4, type: 'notification', at: '2026-12-06T05:12:00.000Z', by: 'alice', prev: '', id: 1, channel: 'security', message: { text: 'x' }, auto: false, delivery: { status: 'delivered', attempts: 1 } },
      { seq: 5, type: 'release-check', at: '2026-12-06T05:12:00.000Z', by: 'alice', prev: '', step: 's', service: 'c', version: '1', standing: [{ id: 'X', aliases: 'CVE-1', severity: null }], decided: [], acknowledged: true },
      { seq: 6, type: 'approval', at: '2026-12-06T05:12:00.000Z', by: 'alice', prev: '', step: 's', decision: 'maybe' },
      'not an event',
      null,
    ];
    const r = runReport(events, OK);
    assert.deepEqual(r.problems.slice(0, 6), [
      'event 3 was set aside: its type is not one a record holds',
      'event 4 was set aside: a notification event whose message is not text',
      'event 5 was set aside: a release-check event whose standing[0].aliases is not a list of text',
      'event 6 was set aside: an approval event whose decision is not one of granted, denied, failed',
      'event number 8 in the record was set aside: it is not an object',
      'event number 9 in the record was set aside: it is not an object',
    ]);
    assert.equal(r.timeline.length, 3);
    assert.equal(r.record.events, 9);
    assert.doesNotMatch(JSON.stringify(r), /rm -rf/);
  });

  test('a record that starts twice, goes on after its end, or ends before it starts says so', () => {
    const record = resolvedRollback().edited((events) => [
      { ...events[0]!, at: '2026-12-06T06:00:00.000Z' },
      ...events.slice(1),
      { ...events[0]! },
      { ...events[2]! },
    ]);
    const r = runReport(record.events, OK);
    assert.deepEqual(r.problems, [
      'the record holds more than one run-started event; the first is reported',
      '2 events come after run-ended (from event 19)',
      'the run ends (2026-12-06T05:11:00.000Z) before it starts (2026-12-06T06:00:00.000Z)',
    ]);
    assert.deepEqual([r.outcome, r.duration, r.startedAt], ['unfinished', null, '2026-12-06T06:00:00.000Z']);
    assert.match(r.record.warnings.at(-1)!, /^The record does not add up in 3 places/);
  });

  test('any JSON at all gives a report, never an exception', () => {
    for (const junk of [[], [{}], [[]], [1, 'two', true], [{ type: 'run-ended' }], [{ type: 'run-started', seq: 0, at: 'never', by: 7, prev: '' }]]) {
      const r = runReport(junk, { ok: false });
      assert.equal(r.record.verified, false);
      assert.ok(r.soc2.every((p) => !p.evidenced));
    }
  });
});

const AT = '2026-12-06T05:10:00.000Z';

describe('run report: a long record', () => {
  /** A record of `n` gated, checked rollbacks, each told to security by a message that never arrives (built as objects: the chain plays no part here). */
  function longRecord(n: number): RecordedEvent[] {
    const events: RunEvent[] = [
      { type: 'run-started', at: AT, by: 'alice', playbook: { id: 'many', file: 'many.playbook.yaml', sha256: 'abc' }, tool: { name: 'playbook', version: '0.1.0' }, mode: 'answers' },
      { type: 'notification', at: AT, by: 'alice', id: 0, channel: 'incident', message: 'incident open', auto: false, delivery: { status: 'delivered', attempts: 1 } },
    ];
    for (let i = 0; i < n; i++) {
      events.push(
        { type: 'approval', at: AT, by: 'bob', step: `gate-${i}`, approver: 'security', decision: 'granted' },
        { type: 'step-started', at: AT, by: 'alice', step: `roll-back-${i}`, index: i },
        { type: 'release-check', at: AT, by: 'alice', step: `roll-back-${i}`, service: 'checkout', version: '2.3.1', standing: [LOG4SHELL], decided: [], acknowledged: true },
        { type: 'step-done', at: AT, by: 'alice', step: `roll-back-${i}` },
        { type: 'notification', at: AT, by: 'alice', id: i + 1, step: `tell-${i}`, channel: 'security', message: `rolled back ${i}`, auto: false, delivery: { status: 'queued', attempts: 4 } },
      );
    }
    return events.map((e, seq) => ({ ...e, seq, prev: '' }));
  }

  /** `items` behind a proxy that counts how many times an element is read. */
  function counted<T>(items: readonly T[]): { items: readonly T[]; reads: () => number } {
    let reads = 0;
    const proxy = new Proxy(items, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { items: proxy, reads: () => reads };
  }

  test('the SOC 2 judgement reads each event a few times, never once per change: a long record costs in proportion', () => {
    // Counted rather than timed, so that a loaded machine cannot fail it: relating each change by
    // going back over the record would read it once per change (here, 2,000 times over).
    const record = counted(longRecord(2_000));
    const events = record.items;
    const { notifications } = notificationsOf(events);
    const steps = stepKnowledge(events, undefined);
    const changes = changesOf(events, notifications, steps);
    const points = soc2RunPoints({ events, verified: true, problem: null, outcome: 'resolved', path: [], changes, notifications, releaseChecks: releaseChecksOf(events), deviations: [], steps, flowBreak: undefined });
    assert.ok(record.reads() < 30 * events.length, `${record.reads()} reads of ${events.length} events`);
    assert.equal(changes.length, 2_000);
    assert.ok(changes.every((c, i) => c.gatedBy?.step === `gate-${i}` && c.toldBy === null && c.triedBy?.id === i + 1));
    assert.match(points[0]!.evidence, /^security was to be told of roll-back-0 by notification 1, never delivered \(still queued\); /);
    assert.equal(points[0]!.evidence.split('; ').length, 2_000, 'each change named once');
    assert.equal(points[2]!.evidenced, true, 'each rollback came after a grant');
  });

  test('a long record is reported whole', () => {
    const r = runReport(longRecord(2_000), OK);
    assert.equal(r.timeline.length, 10_002);
    assert.equal(r.undelivered.length, 2_000);
  });
});
