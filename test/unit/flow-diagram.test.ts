/**
 * The flow as a diagram (`playbook graph`, the editor's flow view): what each node is for security
 * (PB100's verdict, the policy's checkpoints, notifications to security), which edges are drawn,
 * and Mermaid and DOT texts that no step id or label can break out of.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPlaybook } from '../../server/src/core/check.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';
import { flowDiagram } from '../../server/src/core/graph/flowDiagram.js';
import { dotDiagram, mermaidDiagram } from '../../server/src/core/graph/flowDiagramText.js';

const PLAYBOOK = `playbook: api-outage
title: API outage
owners: { sre: "@sre", security: "@sec" }
services:
  api: { package: "pkg:npm/api", current: 2.0.0, releases: [1.0.0, 2.0.0] }
channels: { security: "#sec" }
steps:
  - id: triage
    action: diagnose
    run: kubectl get pods
    on-failure: restart
  - id: change-approval
    action: checkpoint
    kind: change-approval
    approvers: [sre]
  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: roll-back
    action: rollback
    service: api
    to: 1.0.0
    requires: [security-gate]
    on-failure: escalate
  - id: tell-security
    action: notify
    channel: security
    message: rolled back
  - id: restart
    action: run
    command: kubectl rollout restart deploy/api
    next: review
  - id: escalate
    action: escalate
    to: incident-commander
  - id: review
    action: postmortem
    due: 48h
`;

describe('flowDiagram', () => {
  const diagram = flowDiagram(checkPlaybook(PLAYBOOK));

  test('each step is a node of its kind for security, and the way out is the end', () => {
    assert.deepEqual(diagram.nodes.map((n) => [n.key, n.label, n.kind]), [
      ['s0', 'triage', 'step'],
      ['s1', 'change-approval', 'checkpoint'],
      ['s2', 'security-gate', 'security-checkpoint'],
      ['s3', 'roll-back', 'risky-guarded'],
      ['s4', 'tell-security', 'notify-security'],
      ['s5', 'restart', 'risky-unguarded'],
      ['s6', 'escalate', 'step'],
      ['s7', 'review', 'step'],
      ['finish', 'end', 'end'],
    ]);
  });

  test('with PB100 turned off in the policy, an unguarded step is still drawn as not guarded (the verdict is about the flow)', () => {
    const policy = { ...DEFAULT_POLICY, rules: { PB100: 'off' as const } };
    const off = flowDiagram(checkPlaybook(PLAYBOOK, { policy }));
    assert.equal(off.nodes.find((n) => n.label === 'restart')?.kind, 'risky-unguarded');
  });

  test('edges: list order and next, the on-failure written (not every step\'s abort), requires from the required step', () => {
    assert.deepEqual(diagram.edges.map((e) => `${e.from} ${e.kind} ${e.to}`), [
      's0 flow s1', 's0 failure s5', 's1 flow s2', 's2 flow s3', 's3 flow s4', 's3 failure s6', 's4 flow s5', 's5 flow s7', 's6 flow s7', 's7 flow finish',
      's2 requires s3',
    ]);
  });

  test('Mermaid: shapes, dashed failure and dotted requires edges, classes by guard status, and a highlighted path', () => {
    const text = mermaidDiagram(diagram, { highlight: ['s0', 's1', 's2', 's3', 's4'] });
    assert.match(text, /^flowchart TD\n/);
    assert.match(text, /\n {2}s2\{\{"security-gate<br\/>security checkpoint"\}\}\n/);
    assert.match(text, /\n {2}s5\["restart<br\/>run<br\/>risky, NOT guarded"\]\n/);
    assert.match(text, /\n {2}s4\[\/"tell-security<br\/>notify<br\/>notifies security"\/\]\n/);
    assert.match(text, /\n {2}s3 -\. on failure \.-> s6\n/);
    assert.match(text, /\n {2}s2 -\. requires \.-> s3\n/);
    assert.match(text, /\n {2}s2 ==> s3\n/, 'on the path');
    assert.match(text, /\n {2}s5 --> s7\n/, 'off the path');
    assert.match(text, /\n {2}class s5 unguarded\n/);
    assert.match(text, /\n {2}class s0,s1,s2,s3,s4 onPath\n/);
    assert.doesNotMatch(text, /\bend\b(?!")/, 'no node named end (a Mermaid keyword)');
  });

  test('DOT: one statement per node and edge, failure dashed and requires dotted', () => {
    const text = dotDiagram(diagram);
    assert.match(text, /^digraph playbook \{\n/);
    assert.match(text, /\n {2}s5 \[label="restart\\nrun\\nrisky, NOT guarded", shape=box, style=filled, fillcolor="#fee2e2"/);
    assert.match(text, /\n {2}s3 -> s6 \[style=dashed, label="on failure"\];\n/);
    assert.match(text, /\n {2}s2 -> s3 \[style=dotted, label="requires", color="#64748b"\];\n/);
    assert.match(text, /\n\}\n$/);
  });

  test('no label breaks out of its quotes: quotes, backslashes, markup and line breaks in step ids', () => {
    const hostile = PLAYBOOK.replace('- id: triage', '- id: "a\\"]; evil --> x; b[\\"<b>#1</b>\\\\\\nz"');
    const weird = flowDiagram(checkPlaybook(hostile));
    const mermaid = mermaidDiagram(weird);
    const line = mermaid.split('\n').find((l) => l.startsWith('  s0'))!;
    assert.equal(line, '  s0("a#34;]; evil --#62; x; b[#34;#60;b#62;#35;1#60;/b#62;#92; z<br/>diagnose")');
    const dot = dotDiagram(weird).split('\n').find((l) => l.startsWith('  s0'))!;
    assert.equal(dot, '  s0 [label="a\\"]; evil --> x; b[\\"<b>#1</b>\\\\ z\\ndiagnose", shape=box, style="rounded"];');
  });
});
