/**
 * The editor's flow view data: where each node's step is, the PB100/PB102/PB106 findings, and for
 * the focused one (only) the nodes and edges of every path that breaks its rule — all of them, not
 * just the one path the message names, and none that keeps the rule. Also: agreement with the
 * findings on every example.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { checkPlaybook } from '../../server/src/core/check.js';
import { flowView, MAX_DRAWN_STEPS, type FlowView } from '../../server/src/core/features/flowView.js';
import type { Analysis } from '../../server/src/core/features/types.js';
import { violationPaths } from '../../server/src/core/graph/violationPaths.js';
import { playbook } from './helpers/findings.js';

/** The lit-up part of the finding of `rule` on step `stepId`, with it focused: node labels, and edges as "from>to (kind)". */
function lit(view: FlowView, analysis: Analysis, rule: string, stepId: string): { nodes: string[]; edges: string[] } {
  const labelOf = new Map(view.diagram.nodes.map((n) => [n.key, n.label]));
  const finding = view.findings.find((f) => f.ruleId === rule && labelOf.get(`s${f.step}`) === stepId);
  assert.ok(finding, `a ${rule} finding on ${stepId} in ${JSON.stringify(view.findings.map((f) => [f.ruleId, f.step]))}`);
  const focused = flowView(analysis, { ruleId: rule, step: finding.step });
  assert.ok(focused.highlight, `the ${rule} finding on ${stepId} lights up`);
  assert.deepEqual(focused.findings[focused.highlight.finding], finding, 'the highlight names the focused finding');
  return {
    nodes: focused.highlight.nodes.map((k) => labelOf.get(k)!).sort(),
    edges: focused.highlight.edges.map((i) => view.diagram.edges[i]!).map((e) => `${labelOf.get(e.from)}>${labelOf.get(e.to)} (${e.kind})`).sort(),
  };
}

/** The view of `text`, unfocused, with the analysis it came from (to focus it). */
function viewOf(text: string): [FlowView, Analysis] {
  const analysis = checkPlaybook(text);
  return [flowView(analysis), analysis];
}

const triage = (next: string): string => `  - {id: triage, action: diagnose, run: kubectl get pods, on-failure: ${next}}\n`;
const gate = (id: string, extra = ''): string => `  - {id: ${id}, action: checkpoint, kind: security-review, approvers: [security]${extra}}\n`;
const rollBack = '  - {id: roll-back, action: rollback, service: api, to: 1.1.0}\n';
const tell = '  - {id: tell, action: notify, channel: security, message: rolled back}\n';

describe('flowView', () => {
  test('each step node is anchored on its id, and the end has no anchor', () => {
    const text = playbook(triage('abort') + gate('gate') + rollBack + tell);
    const view = flowView(checkPlaybook(text));
    for (const node of view.diagram.nodes) {
      if (node.kind === 'end') assert.equal(view.anchors[node.key], undefined);
      else assert.equal(text.slice(view.anchors[node.key]!.start, view.anchors[node.key]!.end), node.label);
    }
    assert.equal(view.name, 'demo');
    assert.equal(view.drawn, true);
  });

  test('PB100: every path from the start that avoids an approval lights up, the guarded branch does not', () => {
    // triage fails to `quick` (straight to the rollback, unguarded); succeeds through `gate` (guarded);
    // `weak` is a checkpoint that goes on when denied: its failure edge is a second unguarded path.
    const text = playbook(`${triage('quick')}${gate('gate', ', next: roll-back')}  - {id: quick, action: diagnose, run: x, next: weak}\n${gate('weak', ', on-failure: continue')}${rollBack}${tell}`);
    assert.deepEqual(lit(...viewOf(text), 'PB100', 'roll-back'), {
      nodes: ['quick', 'roll-back', 'triage', 'weak'],
      edges: ['quick>weak (flow)', 'triage>quick (failure)', 'weak>roll-back (failure)'],
    });
  });

  test('PB102: every way from the change to the end that never tells security, and only those', () => {
    // After the rollback: verify; if it fails, escalate and end without a word; if it passes, tell security.
    const text = playbook(`${triage('abort')}${gate('gate')}${rollBack}  - {id: verify, action: diagnose, run: x, on-failure: escalate}\n${tell}  - {id: escalate, action: escalate, to: ic, next: abort}\n`);
    const { nodes, edges } = lit(...viewOf(text), 'PB102', 'roll-back');
    assert.deepEqual(nodes, ['end', 'escalate', 'roll-back', 'verify']);
    assert.deepEqual(edges, ['escalate>end (flow)', 'roll-back>verify (flow)', 'verify>escalate (failure)']);
  });

  test('PB106: the ways to the end that keep the access, past a revoke of another role', () => {
    const grant = '  - {id: grant, action: access-grant, principal: "@alice", role: admin, duration: 1h, on-failure: abort}\n';
    const text = playbook(`${triage('abort')}${gate('gate')}${grant}  - {id: fix, action: run, command: ./fix.sh, on-failure: other}\n  - {id: revoke, action: access-revoke, principal: "@alice", role: admin, next: done}\n  - {id: other, action: access-revoke, principal: "@alice", role: viewer}\n  - {id: done, action: postmortem, due: 48h}\n${tell}`);
    const { nodes, edges } = lit(...viewOf(text), 'PB106', 'grant');
    assert.ok(nodes.includes('other') && nodes.includes('fix') && !nodes.includes('revoke'), JSON.stringify(nodes));
    assert.ok(edges.includes('fix>other (failure)') && !edges.some((e) => e.startsWith('revoke>')), JSON.stringify(edges));
  });

  test('PB106\'s missing `duration` is about the grant alone: not listed, while its paths finding is', () => {
    const grant = (extra: string): string => `  - {id: grant, action: access-grant, principal: "@alice", role: admin${extra}}\n`;
    const revoke = '  - {id: revoke, action: access-revoke, principal: "@alice", role: admin}\n';
    const listed = (text: string): string[] => flowView(checkPlaybook(text)).findings.filter((f) => f.ruleId === 'PB106').map((f) => f.message);
    const revoked = playbook(`${gate('gate')}${tell}${grant(', on-failure: abort')}${revoke}`);
    assert.deepEqual(checkPlaybook(revoked).findings.filter((f) => f.ruleId === 'PB106').map((f) => (f.data as { missing: string }).missing), ['duration']);
    assert.deepEqual(listed(revoked), []);
    const both = playbook(`${gate('gate')}${tell}${grant('')}`);
    assert.deepEqual(checkPlaybook(both).findings.filter((f) => f.ruleId === 'PB106').map((f) => (f.data as { missing: string }).missing), ['duration', 'revoke']);
    const [only, ...rest] = listed(both);
    assert.deepEqual(rest, []);
    assert.match(only!, /is not revoked on every path/);
  });

  test('a suppressed finding is listed with its reason, so the view can say why it is not an error', () => {
    const text = playbook(`${triage('abort')}  # playbook-ignore PB100: lab only\n${rollBack}${tell}`);
    const view = flowView(checkPlaybook(text));
    const finding = view.findings.find((f) => f.ruleId === 'PB100');
    assert.equal(finding?.suppressed, 'lab only');
  });

  test('past the drawing limit the view is text only', () => {
    const steps = (count: number): string => Array.from({ length: count }, (_, i) => `  - {id: s${i}, action: diagnose, run: x}\n`).join('');
    const stepCount = (text: string): number => checkPlaybook(text).parsed.model.steps.length;
    const atLimit = playbook(steps(MAX_DRAWN_STEPS - 1)); // the helper adds the postmortem
    assert.equal(stepCount(atLimit), MAX_DRAWN_STEPS);
    assert.equal(flowView(checkPlaybook(atLimit)).drawn, true);
    assert.equal(flowView(checkPlaybook(playbook(steps(MAX_DRAWN_STEPS)))).drawn, false);
  });

  test('a step id holding a secret is redacted in the view, as everywhere else', () => {
    const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    // A rollback named by it: its PB100 and PB102 findings name the step, and are focused below.
    const text = playbook(`${triage('abort')}  - {id: ${secret}, action: notify, channel: security, message: "token ${secret}"}\n  - {id: x${secret}, action: rollback, service: api, to: 1.1.0}\n`);
    const analysis = checkPlaybook(text);
    const view = flowView(analysis);
    assert.ok(!JSON.stringify(view).includes(secret), JSON.stringify(view.diagram.nodes));
    assert.ok(view.findings.length > 0, 'findings to focus');
    for (const { ruleId, step } of view.findings) {
      const focused = flowView(analysis, { ruleId, step });
      assert.ok(focused.highlight && !JSON.stringify(focused).includes(secret), `focused on ${ruleId}`);
    }
  });

  test('without a focus nothing is lit up, and no finding carries paths: the view lists them only', () => {
    const text = playbook(`${triage('quick')}  - {id: quick, action: diagnose, run: x}\n${rollBack}`);
    const [view] = viewOf(text);
    assert.deepEqual(view.findings.map((f) => f.ruleId).sort(), ['PB100', 'PB102']);
    assert.equal(view.highlight, undefined);
    assert.ok(!('highlight' in view), 'no highlight key at all');
    for (const finding of view.findings) assert.deepEqual(Object.keys(finding).sort(), ['message', 'range', 'ruleId', 'severity', 'step']);
  });

  test('a focus the view does not list lights up nothing, and changes nothing else', () => {
    const text = playbook(`${triage('quick')}  - {id: quick, action: diagnose, run: x}\n${rollBack}`);
    const analysis = checkPlaybook(text);
    const plain = flowView(analysis);
    const pb100 = plain.findings.find((f) => f.ruleId === 'PB100')!;
    for (const focus of [{ ruleId: 'PB106', step: pb100.step }, { ruleId: 'PB100', step: pb100.step + 1 }, { ruleId: 'PB100', step: -1 }, { ruleId: 'PB100', step: 999 }, { ruleId: 'PB004', step: pb100.step }]) {
      assert.deepEqual(flowView(analysis, focus), plain, JSON.stringify(focus));
    }
    const focused = flowView(analysis, { ruleId: 'PB100', step: pb100.step });
    assert.ok(focused.highlight);
    const { highlight: _lit, ...rest } = focused;
    assert.deepEqual(rest, plain, 'a focus adds its highlight and nothing else');
  });

  test('on every example, each finding focused lights up what violationPaths gives, and the path it names lies inside', () => {
    const dir = path.join(__dirname, '../../examples');
    let checked = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.playbook.yaml'))) {
      const analysis = checkPlaybook(readFileSync(path.join(dir, file), 'utf8'));
      const view = flowView(analysis);
      const paths = violationPaths(analysis, view.diagram);
      const labelOf = new Map(view.diagram.nodes.map((n) => [n.key, n.label]));
      view.findings.forEach((finding, index) => {
        const { highlight } = flowView(analysis, { ruleId: finding.ruleId, step: finding.step });
        assert.ok(highlight, `${file}: ${finding.ruleId} on step ${finding.step} lights up`);
        assert.deepEqual(highlight, { finding: index, ...paths(finding.ruleId, finding.step) }, `${file}: ${finding.ruleId} on step ${finding.step}`);
        const source = [...analysis.findings, ...analysis.suppressed].find((f) => f.ruleId === finding.ruleId && f.stepIndex === finding.step);
        const named = ((source?.data as { path?: string[] } | undefined)?.path ?? []);
        const litLabels = new Set(highlight.nodes.map((k) => labelOf.get(k)));
        for (const id of named) assert.ok(litLabels.has(id), `${file}: ${finding.ruleId} names ${id} on its path, but the view does not light it up (${[...litLabels].join(', ')})`);
        checked++;
      });
    }
    assert.ok(checked >= 3, `path findings checked across the examples: ${checked}`);
  });
});
