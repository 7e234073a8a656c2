/**
 * The flow view request: the view of the editor's text (not the file's), ranges that find each
 * step, the findings listed without their paths and the paths of the focused one only, a new view
 * after each change, and null for a document the server does not have.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flowViewRequest, type FlowViewParams, type FlowViewResult } from '../../server/src/shared/protocol.js';
import { startSession, type Session } from './harness.js';

const TEXT = `playbook: db-failover
title: Database failover
owners: { sre: "@sre", security: "@sec" }
services:
  db: { package: pkg:generic/acme/db, current: 2.0.0, releases: [1.9.0, 2.0.0] }
channels: { security: "#sec" }
steps:
  - id: triage
    action: diagnose
    run: pg_isready
    on-failure: fail-over
  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: fail-over
    action: rollback
    service: db
    to: 1.9.0
  - id: tell-security
    action: notify
    channel: security
    message: failed over
`;

let s: Session;
after(() => s?.dispose());

function lineOf(view: FlowViewResult, label: string): number | undefined {
  return view.nodes.find((n) => n.label === label)?.range?.start.line;
}

describe('the flow view request', () => {
  test('the editor text: nodes with ranges on their ids, and the findings listed without any paths', async () => {
    s = await startSession();
    const uri = await s.open('failover.playbook.yaml', TEXT);
    const view = await s.client.sendRequest(flowViewRequest, { uri });
    assert.ok(view);
    assert.equal(view.name, 'db-failover');
    assert.deepEqual(view.nodes.map((n) => n.label), ['triage', 'security-gate', 'fail-over', 'tell-security', 'end']);
    assert.deepEqual([lineOf(view, 'triage'), lineOf(view, 'security-gate'), lineOf(view, 'fail-over')], [7, 11, 15]);
    assert.deepEqual(view.nodes.find((n) => n.label === 'fail-over')?.caption, ['fail-over', 'rollback', 'risky, NOT guarded']);
    const pb100 = view.findings.find((f) => f.ruleId === 'PB100');
    assert.ok(pb100, JSON.stringify(view.findings));
    assert.deepEqual(pb100.range.start.line, 16);
    assert.equal(pb100.step, 2);
    assert.ok(!('highlight' in view), 'no focus asked for, none lit up');
    for (const finding of view.findings) assert.deepEqual(Object.keys(finding).sort(), ['message', 'range', 'ruleId', 'severity', 'step'], 'a listed finding carries no paths');
  });

  test('with a focus: exactly that finding\'s paths, the PB100 one that skips the gate', async () => {
    const uri = s.uri('failover.playbook.yaml');
    const view = await s.client.sendRequest(flowViewRequest, { uri, focus: { ruleId: 'PB100', step: 2 } });
    assert.ok(view?.highlight, JSON.stringify(view));
    const finding = view.findings[view.highlight.finding];
    assert.deepEqual([finding?.ruleId, finding?.step], ['PB100', 2]);
    // Only triage's failure edge skips the gate: that path lights up, the approved one does not.
    const lit = view.highlight.edges.map((i) => view.edges[i]!).map((e) => `${e.from}>${e.to} ${e.kind}`);
    assert.deepEqual(lit, ['s0>s2 failure']);
    assert.deepEqual([...view.highlight.nodes].sort(), ['s0', 's2']);
    assert.deepEqual(Object.keys(view.highlight).sort(), ['edges', 'finding', 'nodes']);
    for (const f of view.findings) assert.ok(!('nodes' in f) && !('edges' in f), 'the other findings still carry no paths');
  });

  test('an unknown or malformed focus: no highlight, no error, the same view', async () => {
    const uri = s.uri('failover.playbook.yaml');
    const plain = await s.client.sendRequest(flowViewRequest, { uri });
    for (const focus of [{ ruleId: 'PB102', step: 2 }, { ruleId: 'PB100', step: 0 }, { ruleId: 'PB100', step: 99 }, { ruleId: 'PB100', step: 2.5 }, { ruleId: 2, step: 2 }, null, 'PB100']) {
      const view = await s.client.sendRequest(flowViewRequest, { uri, focus } as unknown as FlowViewParams);
      assert.deepEqual(view, plain, JSON.stringify(focus));
    }
  });

  test('after a change, the view is of the new text and its version', async () => {
    const uri = s.uri('failover.playbook.yaml');
    const version = await s.change(uri, TEXT.replace('    on-failure: fail-over\n', ''));
    const view = await s.client.sendRequest(flowViewRequest, { uri });
    assert.ok(view);
    assert.equal(view.version, version);
    assert.deepEqual(view.findings.filter((f) => f.ruleId === 'PB100'), [], 'every path now passes the gate');
    assert.equal(lineOf(view, 'fail-over'), 14);
  });

  test('a document the server does not have: null, not an error', async () => {
    assert.equal(await s.client.sendRequest(flowViewRequest, { uri: s.uri('nowhere.playbook.yaml') }), null);
  });
});
