/**
 * The run report's SOC 2 points (docs/runs.md, "SOC 2 mapping"): each evidenced on a complete run,
 * and each flipping to "not evidenced" when the evidence it stands on is taken out of the record
 * (the security notification never delivered, the advisory not acknowledged, the checkpoint missing
 * or unnamed, a skip without a reason, the run not resolved, the chain broken).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordedEvent } from '../../server/src/core/run/events.js';
import { runReport } from '../../server/src/core/run/report.js';
import type { RecordVerification } from '../../server/src/core/run/reportTypes.js';
import { checkoutPlaybook, CHECKOUT_PLAYBOOK, deliveredLater, deniedReview, neverDelivered, resolvedRollback, RunRecord, skippedVerify } from './helpers/runRecord.js';

const OK: RecordVerification = { ok: true };

function points(record: RunRecord, verification = OK, playbook = checkoutPlaybook()) {
  const r = runReport(record.events, verification, { playbook });
  return Object.fromEntries(r.soc2.map((p) => [p.criterion, p]));
}

const verdicts = (record: RunRecord, verification = OK) => Object.fromEntries(Object.entries(points(record, verification)).map(([c, p]) => [c, p.evidenced]));

const ALL = { 'CC2.2': true, 'CC7.3': true, 'CC7.4': true, 'CC7.5': true };

/** The resolved rollback with `edit` applied to its events. */
const rollbackWith = (edit: (events: RecordedEvent[]) => RecordedEvent[]) => resolvedRollback().edited(edit);
const is = (type: string, step?: string) => (e: RecordedEvent) => e.type === type && (step === undefined || ('step' in e && e.step === step));

describe('SOC 2 points of a complete run', () => {
  test('a resolved rollback, gated, checked, acknowledged and told, evidences all four, with the evidence in words', () => {
    const p = points(resolvedRollback());
    assert.deepEqual(Object.fromEntries(Object.entries(p).map(([c, v]) => [c, v.evidenced])), ALL);
    assert.equal(p['CC2.2']!.evidence, 'information was communicated: incident (#inc-checkout) by notification 1; security (#sec-incidents) by notification 2; security was told of roll-back by notification 2, delivered at 2026-12-06T05:18:37.000Z');
    assert.equal(p['CC7.3']!.evidence, 'checkout 2.3.1 was checked for roll-back at 2026-12-06T05:15:32.000Z: GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL, on log4j-core 2.14.1 standing, acknowledged by alice; the event was evaluated by triage and verify');
    assert.equal(p['CC7.4']!.evidence, "the response was made: roll-back; security-review was granted by security at 2026-12-06T05:15:02.000Z, before roll-back; the record replays through the playbook's flow; no step was skipped");
    assert.equal(p['CC7.5']!.evidence, 'the run resolved, ending with review, and the postmortem review was done');
  });

  test('names and claims: the criteria by name, claimed as the playbook\'s compliance tags say', () => {
    const p = Object.values(points(resolvedRollback()));
    assert.deepEqual(p.map((x) => [x.criterion, x.name, x.claimed]), [
      ['CC2.2', 'Internal communication of information needed for internal control', false],
      ['CC7.3', 'Evaluation of security events', false],
      ['CC7.4', 'Response to security incidents', true],
      ['CC7.5', 'Recovery from security incidents', true],
    ]);
  });
});

describe('CC2.2: security hears of each change, and the message arrives', () => {
  test('never delivered (given up): not evidenced', () => {
    const p = points(neverDelivered());
    assert.deepEqual([p['CC2.2']!.evidenced, p['CC2.2']!.evidence], [false, 'security was to be told of roll-back by notification 2, never delivered (given up)']);
    assert.deepEqual(verdicts(neverDelivered()), { ...ALL, 'CC2.2': false });
  });

  test('queued, then delivered by a later retry: evidenced, at the time it arrived', () => {
    assert.match(points(deliveredLater())['CC2.2']!.evidence, /security was told of roll-back by notification 2, delivered at 2026-12-06T05:28:53\.000Z/);
    assert.deepEqual(verdicts(deliveredLater()), ALL);
  });

  test('no notification to security after the change: not evidenced, though the incident channel heard', () => {
    const record = rollbackWith((events) => events.filter((e) => !(e.type === 'notification' && e.channel === 'security')));
    assert.deepEqual([points(record)['CC2.2']!.evidenced, points(record)['CC2.2']!.evidence], [false, 'security was not told of roll-back']);
  });

  test('security told only before the change: not evidenced', () => {
    const record = rollbackWith((events) => {
      const tell = events.find(is('notification', 'tell-security'))!;
      const rest = events.filter((e) => e !== tell);
      rest.splice(rest.findIndex(is('step-started', 'roll-back')), 0, tell);
      return rest;
    });
    assert.equal(points(record)['CC2.2']!.evidenced, false);
  });

  test('an automatic notification to security after the change, delivered, is evidence', () => {
    const record = rollbackWith((events) => events.map((e) => (e.type === 'notification' && e.id === 2 ? { ...e, step: undefined, auto: true } : e)));
    assert.equal(points(record)['CC2.2']!.evidenced, true);
  });

  test('nothing delivered at all: not evidenced, each notification\'s fate given', () => {
    const record = rollbackWith((events) => events.map((e) => (e.type === 'notification' ? { ...e, delivery: { status: 'not-configured' as const, attempts: 0 } } : e)));
    assert.equal(points(record)['CC2.2']!.evidence, 'no notification was delivered: notification 1 to incident: not sent: the policy binds no webhook to the channel; notification 2 to security: not sent: the policy binds no webhook to the channel');
  });
});

describe('CC7.3: releases checked when they mattered, what stood acknowledged by a named person', () => {
  test('a standing critical advisory nobody acknowledged: not evidenced, naming it', () => {
    const p = points(resolvedRollback({ acknowledged: false }));
    assert.deepEqual([p['CC7.3']!.evidenced, p['CC7.3']!.evidence], [false, 'GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL, on log4j-core 2.14.1 stood on checkout 2.3.1 at roll-back and nobody acknowledged it']);
  });

  test('acknowledged by nobody named: not evidenced', () => {
    const record = rollbackWith((events) => events.map((e) => (e.type === 'release-check' ? { ...e, by: ' ' } : e)));
    assert.equal(points(record)['CC7.3']!.evidenced, false);
  });

  test('a rollback marked done without its release checked: not evidenced', () => {
    const record = rollbackWith((events) => events.filter((e) => e.type !== 'release-check'));
    assert.deepEqual([points(record)['CC7.3']!.evidenced, points(record)['CC7.3']!.evidence], [false, 'roll-back was marked done without its release being checked']);
  });

  test('a run that only diagnosed before security said no was still evaluated', () => {
    assert.deepEqual([points(deniedReview())['CC7.3']!.evidenced, points(deniedReview())['CC7.3']!.evidence], [true, 'the event was evaluated by triage']);
  });
});

describe('CC7.4: changes after a named approver\'s grant, deviations explained', () => {
  test('a denied review that ends the run: no response was made', () => {
    const p = points(deniedReview());
    assert.deepEqual([p['CC7.4']!.evidenced, p['CC7.4']!.evidence], [false, 'no change or escalation was made during the run']);
    assert.deepEqual(verdicts(deniedReview()), { 'CC2.2': true, 'CC7.3': true, 'CC7.4': false, 'CC7.5': false });
  });

  test('a rollback with no grant before it: not evidenced', () => {
    const record = rollbackWith((events) => events.filter((e) => e.type !== 'approval'));
    assert.deepEqual([points(record)['CC7.4']!.evidenced, points(record)['CC7.4']!.evidence], [false, "the record does not follow the playbook's flow from event 7 (the step to do now is 'security-review', not 'roll-back'); roll-back was done with no security checkpoint granted by a named approver before it"]);
  });

  test('a grant that names no approver, or comes once the rollback has started, is no gate', () => {
    const unnamed = rollbackWith((events) => events.map((e) => (e.type === 'approval' ? { ...e, approver: undefined } : e)));
    assert.equal(points(unnamed)['CC7.4']!.evidenced, false);
    const late = rollbackWith((events) => {
      const grant = events.find(is('approval'))!;
      const rest = events.filter((e) => e !== grant);
      rest.splice(rest.findIndex(is('step-done', 'roll-back')), 0, grant);
      return rest;
    });
    assert.equal(points(late)['CC7.4']!.evidenced, false);
  });

  test('a record the playbook\'s flow does not allow (the security review skipped) is a problem, and no response is evidenced', () => {
    const record = rollbackWith((events) => events.map((e) => (e.type === 'approval' ? { type: 'deviation' as const, at: e.at, by: e.by, seq: e.seq, prev: e.prev, step: e.step, kind: 'skipped' as const, reason: 'security on leave' } : e)));
    const r = runReport(record.events, OK, { playbook: checkoutPlaybook() });
    assert.deepEqual(r.problems, ["event 7 is not what the playbook's flow allowed then: checkpoint 'security-review' cannot be skipped: someone decides it"]);
    assert.match(r.soc2[2]!.evidence, /^the record does not follow the playbook's flow from event 7 \(checkpoint 'security-review' cannot be skipped: someone decides it\)/);
    assert.equal(r.soc2[2]!.evidenced, false);
  });

  test('a skip with its reason keeps the response evidenced and is named; one without a reason does not', () => {
    const explained = points(skippedVerify());
    assert.equal(explained['CC7.4']!.evidenced, true);
    assert.match(explained['CC7.4']!.evidence, /every deviation has its reason: verify skipped \(dashboards down during the incident; support confirmed checkouts succeed\)$/);
    const bare = points(skippedVerify('  '));
    assert.deepEqual([bare['CC7.4']!.evidenced, bare['CC7.4']!.evidence], [false, 'verify was skipped without a reason']);
  });
});

describe('CC7.5: the run resolved', () => {
  test('aborted: not evidenced, saying where it ended', () => {
    assert.equal(points(deniedReview())['CC7.5']!.evidence, 'the run ended aborted after security-review');
  });

  test('an unfinished record evidences neither the response nor the recovery', () => {
    const record = resolvedRollback();
    record.lines.pop();
    const p = points(record, { ok: true, unfinished: true });
    assert.deepEqual([p['CC7.4']!.evidence, p['CC7.5']!.evidence], ['the record ends before the run did, so the response is not shown to its end', 'the record ends before the run did: it has no outcome']);
    assert.deepEqual(verdicts(record, { ok: true, unfinished: true }), { 'CC2.2': true, 'CC7.3': true, 'CC7.4': false, 'CC7.5': false });
  });
});

describe('a record that cannot be trusted, or judged without its playbook', () => {
  test('a broken chain evidences nothing, and says what the record would have shown', () => {
    const p = points(resolvedRollback(), { ok: false, problem: 'line 8: prev is not the SHA-256 of line 7' });
    assert.deepEqual(Object.values(p).map((x) => x.evidenced), [false, false, false, false]);
    assert.equal(p['CC7.5']!.evidence, "the record's hash chain does not verify (line 8: prev is not the SHA-256 of line 7), so it is no evidence; unverified, it says: the run resolved, ending with review, and the postmortem review was done");
  });

  test('without the playbook, the record alone: the checked release is the change, the decided checkpoint its gate', () => {
    const r = runReport(resolvedRollback().events, OK);
    assert.match(r.soc2[2]!.evidence, /; the record was not replayed through the playbook's flow \(the playbook was not given\); /);
    assert.match(r.soc2Basis, /^the record alone, as the playbook was not given: /);
    assert.deepEqual(r.soc2.map((p) => p.evidenced), [true, true, true, true]);
    assert.deepEqual(r.soc2.map((p) => p.claimed), [false, false, false, false], 'the compliance tags are the playbook\'s');
    assert.equal(runReport(neverDelivered().events, OK).soc2[0]!.evidenced, false, 'the security notification is still required after the checked rollback');
    assert.equal(runReport(resolvedRollback().edited((events) => events.filter((e) => e.type !== 'approval')).events, OK).soc2[2]!.evidenced, false);
  });

  test('a playbook edited since the run is not used: the record alone is', () => {
    const edited = checkoutPlaybook(`${CHECKOUT_PLAYBOOK}  - id: extra\n    action: wait\n    duration: 5m\n`);
    const r = runReport(resolvedRollback().events, OK, { playbook: edited });
    assert.match(r.soc2Basis, /^the record alone, as the playbook given is not the one the run followed \(its SHA-256 is [0-9a-f]{64}, the run's [0-9a-f]{64}\)/);
    assert.ok(!r.soc2.some((p) => p.claimed));
  });
});
