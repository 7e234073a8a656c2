/**
 * PB106's revoke fix closes the access window where it ends: after the work the access was granted
 * for, with every other way out routed to the revoke. Each fixed playbook is checked again
 * (helpers/revokeFix.ts): the finding is gone, nothing new is reported, the happy path still runs
 * its work before the revoke, and the text keeps its comments, line endings and indentation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';
import { accessWindow, assertRevokeFix, assertTextKept, revokeAction } from './helpers/revokeFix.js';

const HEADER = `playbook: db-locks
title: Database blocked by locks
owners:
  sre: "@db-sre"
  security: "@secops"
channels:
  security: "#sec-incidents"
  incident: "#inc-db"
steps:
`;

const playbook = (steps: string): string => HEADER + steps;

/** Ids of the steps in list order. */
const ids = (text: string): string[] => checkPlaybook(text).parsed.model.steps.map((s) => s.id ?? '?');

/** A step's field as the fixed text writes it. */
function field(text: string, stepId: string, key: string): string | undefined {
  const step = checkPlaybook(text).parsed.model.steps.find((s) => s.id === stepId);
  const node = step?.pairs.get(key)?.value as { range?: [number, number] } | undefined;
  return node?.range ? text.slice(node.range[0], node.range[1]) : undefined;
}

const REVIEW = `  - id: access-review
    action: checkpoint
    kind: access-review
    approvers: [security]
`;
const GRANT = `  - id: grant-superuser
    action: access-grant
    principal: dba-oncall@acme.example
    role: db-superuser
    duration: 1h
  - id: tell-security
    action: notify
    channel: security
    message: dba-oncall has db-superuser for 1h
    on-failure: continue
`;

describe('PB106 revoke fix: the revoke closes the window after the work', () => {
  test('no revoke anywhere: the revoke goes after the last step of the work, above the postmortem, and the work that aborts is routed to it', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
  - id: verify
    action: diagnose
    query: pg_locks_waiting == 0
  - id: review
    action: postmortem
    due: 48h
`);
    const { action, after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(action.title, 'Revoke `db-superuser` from `dba-oncall@acme.example` after step `verify`, also when step `kill-blockers` or step `verify` fails');
    assert.deepEqual(ids(after), ['access-review', 'grant-superuser', 'tell-security', 'kill-blockers', 'verify', 'revoke-superuser', 'review']);
    assert.equal(field(after, 'kill-blockers', 'on-failure'), 'revoke-superuser');
    assert.equal(field(after, 'verify', 'on-failure'), 'revoke-superuser');
    assert.equal(field(after, 'revoke-superuser', 'on-failure'), 'continue');
  });

  test('a revoke on one branch only: the branch that misses it is routed to it, and no second revoke is written', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
  - id: revoke-superuser
    action: access-revoke
    principal: dba-oncall@acme.example
    role: db-superuser
  - id: review
    action: postmortem
`);
    const { action, after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(action.title, 'Revoke `db-superuser` from `dba-oncall@acme.example` in step `revoke-superuser` on every path, also when step `kill-blockers` fails');
    assert.deepEqual(ids(after), ids(text));
    assert.equal(field(after, 'kill-blockers', 'on-failure'), 'revoke-superuser');
  });

  test('an existing `on-failure: abort` is rewritten in its own quoting', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
    on-failure: "abort"
  - id: review
    action: postmortem
`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(field(after, 'kill-blockers', 'on-failure'), '"revoke-superuser"');
  });

  test('the happy path jumps to the postmortem (`next`): the jump goes to the revoke, which sits above the postmortem', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
    on-failure: escalate
  - id: all-clear
    action: notify
    channel: incident
    next: review
    on-failure: continue
  - id: escalate
    action: escalate
    to: incident-commander
  - id: review
    action: postmortem
`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(field(after, 'all-clear', 'next'), 'revoke-superuser');
    assert.equal(field(after, 'escalate', 'on-failure'), 'revoke-superuser');
    assert.deepEqual(ids(after).slice(-3), ['escalate', 'revoke-superuser', 'review']);
  });

  test('an escalation written after the postmortem: its way out gets a revoke at the end, since the first revoke leads to it', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
    on-failure: escalate
  - id: review
    action: postmortem
  - id: escalate
    action: escalate
    to: incident-commander
`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    // The happy path falls through to `escalate` as written: the window ends at the end of the list.
    assert.deepEqual(ids(after).slice(-3), ['review', 'escalate', 'revoke-superuser']);
    assert.equal(field(after, 'escalate', 'on-failure'), 'revoke-superuser');
  });

  test('the grant is the last step: the revoke follows it', () => {
    const text = playbook(`${REVIEW}  - id: grant-superuser
    action: access-grant
    principal: dba-oncall@acme.example
    role: db-superuser
    duration: 1h`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.deepEqual(ids(after), ['access-review', 'grant-superuser', 'revoke-superuser']);
  });

  test('the grant jumps on (`next`): the revoke goes where the jump leads and the work ends, not between the grant and the work', () => {
    const text = playbook(`${REVIEW}  - id: grant-superuser
    action: access-grant
    principal: dba-oncall@acme.example
    role: db-superuser
    duration: 1h
    next: tell-security
  - id: unused-notes
    action: diagnose
    run: echo skipped by the jump
    next: review
  - id: tell-security
    action: notify
    channel: security
    on-failure: continue
  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
  - id: review
    action: postmortem
`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(field(after, 'grant-superuser', 'next'), 'tell-security', 'the grant still jumps to its work');
    assert.deepEqual(ids(after).slice(-3), ['kill-blockers', 'revoke-superuser', 'review']);
    assert.equal(field(after, 'kill-blockers', 'on-failure'), 'revoke-superuser');
  });

  test('two grants of the same access: one revoke after the later work closes both windows', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
    on-failure: continue
  - id: grant-superuser-again
    action: access-grant
    principal: dba-oncall@acme.example
    role: db-superuser
    duration: 1h
  - id: vacuum
    action: run
    command: ./vacuum.sh
    on-failure: continue
  - id: review
    action: postmortem
`);
    const { rechecked } = assertRevokeFix(text, 'grant-superuser');
    assert.deepEqual(rechecked.findings.filter((f) => f.ruleId === 'PB106').map((f) => f.message), [], 'the second grant is closed by the same revoke');
  });

  test('principal and role written quoted, or through an alias: quoting kept, an alias written as its value', () => {
    const text = playbook(`${REVIEW}  - id: grant-superuser
    action: access-grant
    principal: 'dba-oncall@acme.example'
    role: &role "db-superuser"
    duration: 1h
  - id: tell-security
    action: notify
    channel: security
    message: granted
    on-failure: continue
  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
    on-failure: continue
  - id: grant-reader
    action: access-grant
    principal: dba-oncall@acme.example
    role: *role
    duration: 1h
  - id: read
    action: diagnose
    run: psql -c 'select 1'
    on-failure: continue
`);
    const first = assertRevokeFix(text, 'grant-superuser');
    assert.equal(field(first.after, 'revoke-superuser', 'principal'), "'dba-oncall@acme.example'");
    assert.equal(field(first.after, 'revoke-superuser', 'role'), '"db-superuser"');
    const second = assertRevokeFix(text.replace("principal: 'dba-oncall@acme.example'\n    role: &role \"db-superuser\"", 'principal: ops@acme.example\n    role: &role "db-superuser"'), 'grant-reader');
    assert.equal(field(second.after, 'revoke-reader', 'role'), 'db-superuser', 'the alias is written as the value it stands for');
  });

  test('CRLF, comments and steps written as flow maps are kept', () => {
    const text = playbook(`${REVIEW}  # Break-glass access for the on-call.
  - {id: grant-superuser, action: access-grant, principal: dba@acme.example, role: db-superuser, duration: 1h}
  - {id: tell-security, action: notify, channel: security, on-failure: continue}
  # The work itself.
  - {id: kill-blockers, action: run, command: ./kill-blockers.sh}
  # Close the incident.
  - {id: review, action: postmortem}
`).replace(/\n/g, '\r\n');
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.ok(after.includes('  - {id: kill-blockers, action: run, command: ./kill-blockers.sh, on-failure: revoke-superuser}\r\n'), after);
    assert.ok(after.includes('  - {id: revoke-superuser, action: access-revoke, principal: dba@acme.example, role: db-superuser, on-failure: continue}\r\n  # Close the incident.\r\n'), after);
  });

  test('a revoke that `requires` a step is not routed to from where that step may not have completed (it would be blocked)', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: snapshot
    action: diagnose
    run: pg_dump --schema-only
  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
  - id: revoke-superuser
    action: access-revoke
    principal: dba-oncall@acme.example
    role: db-superuser
    requires: [snapshot]
  - id: review
    action: postmortem
`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(field(after, 'kill-blockers', 'on-failure'), 'revoke-superuser', 'the snapshot completed whenever kill-blockers fails');
    assert.equal(field(after, 'snapshot', 'on-failure'), 'revoke-superuser-2', 'a failed snapshot goes to a revoke of its own');
    assert.deepEqual(ids(after).slice(-2), ['review', 'revoke-superuser-2']);
  });

  test('a denied checkpoint is not routed to a revoke that leads on to a risky step that checkpoint guards (PB100)', () => {
    const text = playbook(`  - id: access-review
    action: checkpoint
    kind: access-review
    on-failure: continue
  - id: grant-superuser
    action: access-grant
    principal: dba-oncall@acme.example
    role: db-superuser
    duration: 1h
    requires: [access-review]
  - id: tell-security
    action: notify
    channel: security
    on-failure: continue
  - id: security-gate
    action: checkpoint
    kind: security-review
  - id: revoke-superuser
    action: access-revoke
    principal: dba-oncall@acme.example
    role: db-superuser
  - id: reindex
    action: run
    command: ./reindex.sh
    on-failure: continue
  - id: review
    action: postmortem
`);
    const { after } = assertRevokeFix(text, 'grant-superuser');
    assert.equal(field(after, 'security-gate', 'on-failure'), 'revoke-superuser-2');
  });

  test('a way out through a reference to no step (PB004) gets no revoke fix: what the reference meant is unknown', () => {
    const text = playbook(`${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
    on-failure: escalte
  - id: review
    action: postmortem
`);
    const analysis = checkPlaybook(text);
    assert.equal(revokeAction(analysis, 'grant-superuser'), undefined);
    const fixedReference = text.replace('escalte', 'review');
    assertRevokeFix(fixedReference, 'grant-superuser');
  });

  test('a policy that counts `access-revoke` as risky gets no fix that would write an unguarded revoke', () => {
    const policy: Policy = { ...DEFAULT_POLICY, riskyActions: new Set([...DEFAULT_POLICY.riskyActions, 'access-revoke']) };
    const unguarded = playbook(`  - id: grant-superuser
    action: access-grant
    principal: dba-oncall@acme.example
    role: db-superuser
    duration: 1h
  - id: review
    action: postmortem
`);
    assert.equal(revokeAction(checkPlaybook(unguarded, { policy }), 'grant-superuser'), undefined);
    assertRevokeFix(`${playbook(REVIEW)}${unguarded.slice(HEADER.length)}`, 'grant-superuser', policy);
  });

  test('a policy that wants security told after `access-revoke` gets no new revoke nobody reports (PB102); routing to a reported one is fine', () => {
    const policy: Policy = { ...DEFAULT_POLICY, notifySecurityAfter: new Set([...DEFAULT_POLICY.notifySecurityAfter, 'access-revoke']) };
    const work = `${REVIEW}${GRANT}  - id: kill-blockers
    action: run
    command: ./kill-blockers.sh
`;
    const unreported = playbook(`${work}  - id: review
    action: postmortem
`);
    assert.equal(revokeAction(checkPlaybook(unreported, { policy }), 'grant-superuser'), undefined);
    const reported = playbook(`${work}  - id: revoke-superuser
    action: access-revoke
    principal: dba-oncall@acme.example
    role: db-superuser
  - id: tell-security-revoked
    action: notify
    channel: security
    on-failure: continue
  - id: review
    action: postmortem
`);
    const { after } = assertRevokeFix(reported, 'grant-superuser', policy);
    assert.equal(field(after, 'kill-blockers', 'on-failure'), 'revoke-superuser');
  });
});

describe('PB106 duration fix', () => {
  const durationFix = (text: string): string => {
    const analysis = checkPlaybook(text);
    const finding = analysis.findings.find((f) => f.ruleId === 'PB106' && f.data?.['missing'] === 'duration');
    assert.ok(finding);
    const action = codeActions(analysis, finding.range).find((a) => a.finding === finding && a.isPreferred);
    assert.ok(action);
    const after = applyEdits(text, action.edits);
    assert.deepEqual(checkPlaybook(after).findings.filter((f) => f.data?.['missing'] === 'duration'), []);
    assertTextKept(text, after);
    return after;
  };

  test('block map, trailing comment on the role, CRLF, flow map', () => {
    const block = playbook(`  - id: grant
    action: access-grant
    principal: "alice"
    role: db-admin # read-write
    requires: []
`);
    assert.ok(durationFix(block).includes('    role: db-admin # read-write\n    duration: 1h\n    requires: []\n'));
    assert.ok(durationFix(block.replace(/\n/g, '\r\n')).includes('    role: db-admin # read-write\r\n    duration: 1h\r\n'));
    const flow = playbook('  - {id: grant, action: access-grant, principal: alice, role: db-admin}\n');
    assert.ok(durationFix(flow).includes('  - {id: grant, action: access-grant, principal: alice, role: db-admin, duration: 1h}\n'));
  });
});

/**
 * Generated playbooks: steps before the grant, the grant (maybe jumping on), and work after it whose
 * steps abort, go on, or jump forward on failure or success; now and then a revoke that `requires`
 * a step, a jump backward (maybe a cycle) or to no step. Written in block or flow style, LF or CRLF,
 * at either indentation, with or without comments.
 */
describe('PB106 revoke fix on generated playbooks', () => {
  const ACTIONS = ['diagnose', 'run', 'notify', 'escalate', 'postmortem', 'wait', 'checkpoint', 'revoke', 'revoke-requires', 'other-revoke', 'grant-again'] as const;
  type Action = typeof ACTIONS[number];
  interface GenStep { action: Action; failure: number; next: number }
  interface Shape { gate: string; before: GenStep[]; grant: GenStep; work: GenStep[]; flow: boolean; crlf: boolean; indent: string; comments: boolean }

  const render = (action: Action): string[] => {
    switch (action) {
      case 'diagnose': return ['action: diagnose', 'query: up == 1'];
      case 'run': return ['action: run', 'command: ./repair.sh'];
      case 'notify': return ['action: notify', 'channel: security'];
      case 'escalate': return ['action: escalate', 'to: incident-commander'];
      case 'postmortem': return ['action: postmortem'];
      case 'wait': return ['action: wait', 'duration: 5m'];
      case 'checkpoint': return ['action: checkpoint', 'kind: security-review'];
      case 'revoke': return ['action: access-revoke', 'principal: "oncall@acme.example"', 'role: db-admin'];
      case 'revoke-requires': return ['action: access-revoke', 'principal: oncall@acme.example', 'role: db-admin', 'requires: [gate]'];
      case 'other-revoke': return ['action: access-revoke', 'principal: oncall@acme.example', 'role: reader'];
      case 'grant-again': return ['action: access-grant', 'principal: oncall@acme.example', 'role: db-admin', 'duration: 1h'];
    }
  };

  const genStep = fc.record({
    action: fc.constantFrom(...ACTIONS),
    // 0: none written, 1: abort, 2: continue, 3-8: a later step, 9: an earlier step, 10: no step
    failure: fc.nat(10),
    // below 9: list order; 9-13: a later step; 14: an earlier step; 15: no step
    next: fc.nat(15),
  });
  const shape: fc.Arbitrary<Shape> = fc.record({
    gate: fc.constantFrom('abort', 'continue'),
    before: fc.array(genStep, { maxLength: 2 }),
    grant: genStep,
    work: fc.array(genStep, { maxLength: 8 }),
    flow: fc.boolean(),
    crlf: fc.boolean(),
    indent: fc.constantFrom('  ', ''),
    comments: fc.boolean(),
  });

  function generate(s: Shape): string {
    const all: Array<{ id: string; lines: string[]; gen?: GenStep }> = [
      { id: 'gate', lines: ['action: checkpoint', 'kind: access-review', `on-failure: ${s.gate}`] },
      ...s.before.map((gen, k) => ({ id: `b${k}`, lines: render(gen.action).filter((l) => !l.startsWith('requires')), gen })),
      { id: 'grant-db', lines: ['action: access-grant', 'principal: oncall@acme.example', 'role: db-admin', 'duration: 1h'], gen: s.grant },
      ...s.work.map((gen, k) => ({ id: `s${k}`, lines: render(gen.action), gen })),
    ];
    all.forEach((step, index) => {
      const w = step.gen;
      if (!w) return;
      const later = (n: number): string | undefined => all[index + n]?.id;
      const earlier = index > 0 ? all[index - 1]!.id : undefined;
      if (w.failure === 1) step.lines.push('on-failure: abort');
      else if (w.failure === 2) step.lines.push('on-failure: continue');
      else if (w.failure >= 3 && w.failure <= 8 && later(w.failure - 2)) step.lines.push(`on-failure: ${later(w.failure - 2)}`);
      else if (w.failure === 9 && earlier) step.lines.push(`on-failure: ${earlier}`);
      else if (w.failure === 10) step.lines.push('on-failure: nowhere');
      if (w.next >= 9 && w.next <= 13 && later(w.next - 7)) step.lines.push(`next: ${later(w.next - 7)}`);
      else if (w.next === 14 && earlier) step.lines.push(`next: ${earlier}`);
      else if (w.next === 15) step.lines.push('next: nowhere');
    });
    const body = all.map((step, index) => {
      const comment = s.comments && index % 2 === 1 ? [`${s.indent}# about ${step.id}`] : [];
      if (s.flow) return [...comment, `${s.indent}- {id: ${step.id}, ${step.lines.join(', ')}}`];
      return [...comment, `${s.indent}- id: ${step.id}`, ...step.lines.map((l) => `${s.indent}  ${l}`)];
    }).flat();
    const text = `${HEADER}${body.join('\n')}\n`;
    return s.crlf ? text.replace(/\n/g, '\r\n') : text;
  }

  const needsRevoke = (analysis: ReturnType<typeof checkPlaybook>): boolean =>
    analysis.findings.some((f) => f.ruleId === 'PB106' && f.data?.['missing'] === 'revoke' && f.data?.['stepId'] === 'grant-db');

  test('whenever the grant is not revoked on every path of a sound playbook, the fix is offered and closes the window after the work, adding no finding', () => {
    let fixed = 0;
    let withheld = 0;
    fc.assert(fc.property(shape, (s) => {
      const text = generate(s);
      const analysis = checkPlaybook(text);
      assert.deepEqual(analysis.findings.filter((f) => ['PB001', 'PB002', 'PB003'].includes(f.ruleId)).map((f) => f.message), [], 'the generator writes valid playbooks');
      if (!needsRevoke(analysis)) return;
      // A reference to no step (PB004) or a loop (PB007) may withhold the fix; any fix offered must hold.
      const unsound = analysis.findings.some((f) => f.ruleId === 'PB004' || f.ruleId === 'PB007');
      if (unsound && !revokeAction(analysis, 'grant-db')) {
        withheld++;
        return;
      }
      assertRevokeFix(text, 'grant-db');
      fixed++;
    }), { numRuns: 500, seed: 20260106, endOnFailure: true, includeErrorInReport: true });
    assert.ok(fixed > 150, `enough generated playbooks needed the fix (${fixed} fixed, ${withheld} withheld)`);
  });

  test('the window found on a generated playbook is what the happy path runs', () => {
    const plain: GenStep = { action: 'run', failure: 0, next: 0 };
    const text = generate({ gate: 'abort', before: [], grant: plain, work: [plain, { ...plain, action: 'postmortem' }], flow: false, crlf: false, indent: '  ', comments: false });
    assert.deepEqual(accessWindow(checkPlaybook(text), 'grant-db'), { steps: ['s0'], revoked: false });
  });
});
