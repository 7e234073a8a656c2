/**
 * One quick fix repairs every path a flow finding counts. Each playbook here breaks PB100, PB102 or
 * PB106 on 2, 3 or more than 10 paths (branches through `on-failure`, jumps through `next`, loops);
 * the finding's message counts them; the preferred fix is applied once and the whole playbook is
 * checked again: that finding is gone, and no finding appears that was not there before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlaybook, type CheckResult } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import { applyEdits } from '../../server/src/core/features/fixes/fixContext.js';
import type { Finding } from '../../server/src/core/types.js';

const HEADER = `playbook: payments-db
title: Payments database degraded
owners:
  sre: "@payments-sre"
  security: "@secops"
services:
  ledger:
    package: pkg:npm/ledger
    current: 3.8.0
    releases: [3.7.2, 3.8.0]
channels:
  security: "#sec-incidents"
  incident: "#inc-payments"
steps:
`;

/** One step in block style. */
const step = (id: string, ...fields: string[]): string => `  - id: ${id}\n${fields.map((f) => `    ${f}\n`).join('')}`;
const check = (id: string, ...more: string[]): string => step(id, 'action: diagnose', `query: up{job="${id}"} == 1`, ...more);
const rollBack = (...more: string[]): string => step('roll-back', 'action: rollback', 'service: ledger', 'to: 3.7.2', ...more);
const tellSecurity = (...more: string[]): string => step('tell-security', 'action: notify', 'channel: security', 'message: "ledger rolled back to 3.7.2"', ...more);
const escalate = step('escalate', 'action: escalate', 'to: incident-commander');
const review = step('review', 'action: postmortem', 'due: 48h');
const accessReview = step('access-review', 'action: checkpoint', 'kind: access-review', 'approvers: [security]');
const grant = (...more: string[]): string => step('grant-dba', 'action: access-grant', 'principal: dba-oncall@acme.example', 'role: ledger-db-admin', 'duration: 1h', ...more);
const tellGrant = step('tell-grant', 'action: notify', 'channel: security', 'message: "dba-oncall has ledger-db-admin for 1h"', 'on-failure: continue');

/**
 * `count` diamonds in a row: `probe-i` either succeeds into `direct-i`, which jumps (`next`) to
 * `join-i`, or fails over to `fallback-i`, which goes on to `join-i` in list order. Two ways through
 * each, so 2^count ways from the first probe to the step after the last join.
 */
function diamonds(count: number): string {
  return Array.from({ length: count }, (_, i) => [
    check(`probe-${i + 1}`, `on-failure: fallback-${i + 1}`),
    check(`direct-${i + 1}`, `next: join-${i + 1}`, 'on-failure: continue'),
    check(`fallback-${i + 1}`, 'on-failure: continue'),
    step(`join-${i + 1}`, 'action: wait', 'duration: 1m', 'on-failure: continue'),
  ].join('')).join('');
}

/** A retry loop (PB007): `settle` waits, `recheck` goes back to it when it fails. One stop on every path. */
const retryLoop = step('settle', 'action: wait', 'duration: 5m', 'on-failure: continue') + check('recheck', 'on-failure: settle');

const stepIdOf = (analysis: CheckResult, finding: Finding): string =>
  finding.stepIndex === undefined ? '' : (analysis.parsed.model.steps[finding.stepIndex]?.id ?? `#${finding.stepIndex}`);

/** What a finding is about, stable across the fix: rule, step, and the flagged text (PB002) or what is missing (PB106). */
function keyOf(analysis: CheckResult, finding: Finding): string {
  const detail = finding.ruleId === 'PB002' ? analysis.parsed.text.slice(finding.range.start, finding.range.end) : String(finding.data?.['missing'] ?? '');
  return `${finding.ruleId} ${stepIdOf(analysis, finding)} ${detail}`;
}

interface Expected {
  rule: 'PB100' | 'PB102' | 'PB106';
  step: string;
  /** The paths the finding counts. */
  paths: number;
  /** Text the message must hold: the count, and the paths listed first. */
  message: string;
}

/** Checks the finding's count, applies its preferred fix once, and checks the whole playbook again. */
function assertOneFixRepairsAll(steps: string, expected: Expected): string {
  const text = HEADER + steps;
  const analysis = checkPlaybook(text);
  const isIt = (a: CheckResult, f: Finding): boolean => f.ruleId === expected.rule && stepIdOf(a, f) === expected.step && f.data?.['missing'] !== 'duration';
  const finding = analysis.findings.find((f) => isIt(analysis, f));
  assert.ok(finding, `a ${expected.rule} finding on ${expected.step}; got ${analysis.findings.map((f) => keyOf(analysis, f)).join(', ')}`);
  assert.equal(finding.data?.['pathCount'], expected.paths, finding.message);
  assert.ok(finding.message.includes(expected.message), `message lacks ${JSON.stringify(expected.message)}:\n${finding.message}`);
  const listed = finding.data?.['paths'] as string[][];
  assert.equal(listed.length, Math.min(3, expected.paths), 'the first three paths are listed');
  if (expected.paths > 3) assert.ok(finding.message.includes(`; and ${expected.paths - 3} more)`), finding.message);

  const fix = codeActions(analysis, finding.range).find((a) => a.finding === finding && a.isPreferred);
  assert.ok(fix, `a preferred fix for ${expected.rule} on ${expected.step}`);
  const after = applyEdits(text, fix.edits);
  const rechecked = checkPlaybook(after);
  assert.deepEqual(rechecked.findings.filter((f) => isIt(rechecked, f)).map((f) => f.message), [], `"${fix.title}" repairs every path at once:\n${after}`);
  const before = new Set(analysis.findings.map((f) => keyOf(analysis, f)));
  const added = rechecked.findings.filter((f) => !before.has(keyOf(rechecked, f))).map((f) => `${f.ruleId}: ${f.message}`);
  assert.deepEqual(added, [], `"${fix.title}" adds no finding:\n${after}`);
  return after;
}

describe('PB100: one checkpoint guards every unguarded path', () => {
  test('2 paths: a check that fails straight into the rollback, and the one after it', () => {
    const after = assertOneFixRepairsAll(check('check-errors', 'on-failure: roll-back') + check('check-latency') + rollBack('on-failure: escalate') + tellSecurity('on-failure: continue') + escalate + review, {
      rule: 'PB100', step: 'roll-back', paths: 2,
      message: "2 paths reach it without an approved security checkpoint ('check-errors' (fails) → 'roll-back'; 'check-errors' → 'check-latency' → 'roll-back')",
    });
    // The jump now passes the review; a denied review goes where a failed rollback goes.
    assert.match(after, /- id: check-errors\n(?: {4}.*\n)*? {4}on-failure: roll-back-security-review\n/);
    assert.match(after, /- id: roll-back-security-review\n {4}action: checkpoint\n {4}kind: security-review\n {4}approvers: \[security\]\n {4}on-failure: escalate\n {2}- id: roll-back\n/);
  });

  test('3 paths: two of them jump to the rollback with `next`', () => {
    assertOneFixRepairsAll(check('check-errors', 'on-failure: page-dba') + check('check-latency', 'next: roll-back', 'on-failure: scale-up') +
      step('page-dba', 'action: escalate', 'to: dba-oncall', 'next: roll-back') + step('scale-up', 'action: scale', 'service: ledger', 'replicas: 12') +
      rollBack() + tellSecurity() + review, {
      rule: 'PB100', step: 'roll-back', paths: 3,
      message: "3 paths reach it without an approved security checkpoint ('check-errors' → 'check-latency' → 'roll-back'; 'check-errors' (fails) → 'page-dba' → 'roll-back'; 'check-errors' → 'check-latency' (fails) → 'scale-up' → 'roll-back')",
    });
  });

  test('16 paths: four diamonds, then a retry loop that counts as one stop', () => {
    assertOneFixRepairsAll(diamonds(4) + retryLoop + rollBack() + tellSecurity() + review, {
      rule: 'PB100', step: 'roll-back', paths: 16,
      message: "16 paths reach it without an approved security checkpoint ('probe-1' → 'direct-1' → 'join-1' → 'probe-2' → … 6 more steps … → 'direct-4' → 'join-4' → 'settle' (loop) → 'recheck' → 'roll-back'; 'probe-1' (fails) → 'fallback-1' → 'join-1' → 'probe-2' → … 6 more steps … → 'direct-4' → 'join-4' → 'settle' (loop) → 'recheck' → 'roll-back';",
    });
  });

  test('12 paths: twelve checks that each fail straight into the rollback (the last one whatever it does)', () => {
    const checks = Array.from({ length: 12 }, (_, i) => check(`check-${i + 1}`, 'on-failure: roll-back')).join('');
    const after = assertOneFixRepairsAll(checks + rollBack() + tellSecurity() + review, {
      rule: 'PB100', step: 'roll-back', paths: 12,
      message: "12 paths reach it without an approved security checkpoint ('check-1' (fails) → 'roll-back'; 'check-1' → 'check-2' (fails) → 'roll-back'; 'check-1' → 'check-2' → 'check-3' (fails) → 'roll-back'; and 9 more)",
    });
    assert.equal(after.match(/on-failure: roll-back-security-review/g)?.length, 12, 'every jump goes to the review');
  });
});

describe('PB100: a denied review goes where the risky step goes when it fails', () => {
  /** The review the fix adds: its `on-failure`, or undefined when it stops the flow. */
  const deniedGoesTo = (after: string): string | undefined => /- id: roll-back-security-review\n(?: {4}.*\n)*? {4}on-failure: (\S+)\n {2}- /.exec(after)?.[1];

  test('an open access is still revoked, and security still told, when the review is denied', () => {
    // Before the fix, `deploy` fails into `revoke`; a review that aborted when denied would leave the
    // grant open (PB106) and the rollback untold (PB102) on that new way out.
    const after = assertOneFixRepairsAll(check('triage', 'on-failure: roll-back') + accessReview + grant() + tellGrant + check('drain') +
      rollBack('on-failure: revoke-dba') + tellSecurity('on-failure: continue') + step('revoke-dba', 'action: access-revoke', 'principal: dba-oncall@acme.example', 'role: ledger-db-admin', 'on-failure: continue') + review, {
      rule: 'PB100', step: 'roll-back', paths: 1,
      message: "1 path reaches it without an approved security checkpoint ('triage' (fails) → 'roll-back')",
    });
    assert.equal(deniedGoesTo(after), 'revoke-dba');
  });

  test('`on-failure: continue` on the risky step: a denied review goes on to the step after it', () => {
    const after = assertOneFixRepairsAll(check('triage', 'on-failure: roll-back') + check('drain') + rollBack('on-failure: continue') + tellSecurity() + review, {
      rule: 'PB100', step: 'roll-back', paths: 2,
      message: "2 paths reach it without an approved security checkpoint ('triage' (fails) → 'roll-back'; 'triage' → 'drain' → 'roll-back')",
    });
    assert.equal(deniedGoesTo(after), 'tell-security');
  });

  test('a risky step that aborts, or retries itself, gets a review that stops the flow when denied', () => {
    assert.equal(deniedGoesTo(assertOneFixRepairsAll(check('triage', 'on-failure: roll-back') + check('drain') + rollBack() + tellSecurity() + review, {
      rule: 'PB100', step: 'roll-back', paths: 2, message: '2 paths reach it',
    })), undefined);
    const retried = assertOneFixRepairsAll(check('triage', 'on-failure: roll-back') + check('drain') + rollBack('on-failure: roll-back') + tellSecurity() + review, {
      rule: 'PB100', step: 'roll-back', paths: 2, message: '2 paths reach it',
    });
    assert.equal(deniedGoesTo(retried), undefined);
    assert.match(retried, / {4}on-failure: roll-back-security-review\n {4}requires: \[roll-back-security-review\]\n/, 'the retry goes through the review');
  });
});

describe('PB102: one notification tells security on every path', () => {
  test('2 paths: a failed verification escalates, and the escalation ends or fails', () => {
    assertOneFixRepairsAll(step('gate', 'action: checkpoint', 'kind: security-review') + rollBack() + check('verify', 'on-failure: escalate') + tellSecurity('next: review') + escalate + review, {
      rule: 'PB102', step: 'roll-back', paths: 2,
      message: "2 paths reach the end without notifying security ('roll-back' → 'verify' (fails) → 'escalate' (fails) → (exit); 'roll-back' → 'verify' (fails) → 'escalate' → 'review' → (exit))",
    });
  });

  test('3 paths: the rollback jumps on with `next`, and two steps after it can abort', () => {
    const after = assertOneFixRepairsAll(step('gate', 'action: checkpoint', 'kind: security-review') + rollBack('next: verify') + check('skipped') + check('verify') + check('watch', 'on-failure: escalate') + tellSecurity() + escalate + review, {
      rule: 'PB102', step: 'roll-back', paths: 3,
      message: "3 paths reach the end without notifying security ('roll-back' → 'verify' (fails) → (exit); 'roll-back' → 'verify' → 'watch' (fails) → 'escalate' (fails) → (exit); 'roll-back' → 'verify' → 'watch' (fails) → 'escalate' → 'review' → (exit))",
    });
    assert.match(after, /- id: roll-back-notify-security\n(?: {4}.*\n)* {4}next: verify\n/, 'the jump moves to the notification');
  });

  test('16 paths: four diamonds after the rollback, then a retry loop, and no notification', () => {
    assertOneFixRepairsAll(step('gate', 'action: checkpoint', 'kind: security-review') + rollBack() + diamonds(4) + retryLoop.replace('on-failure: settle', 'on-failure: settle\n    next: review') + review, {
      rule: 'PB102', step: 'roll-back', paths: 16,
      message: "16 paths reach the end without notifying security ('roll-back' → 'probe-1' → 'direct-1' → 'join-1' → 'probe-2' → … 6 more steps … → 'direct-4' → 'join-4' → 'settle' (loop) → 'recheck' → 'review' → (exit);",
    });
  });
});

describe('PB106: one revoke closes the access on every path', () => {
  test('2 paths: the work fails, or the escalation after it ends without a revoke', () => {
    assertOneFixRepairsAll(accessReview + grant() + tellGrant + check('kill-blockers', 'on-failure: escalate') + step('revoke-dba', 'action: access-revoke', 'principal: dba-oncall@acme.example', 'role: ledger-db-admin', 'next: review') + escalate + review, {
      rule: 'PB106', step: 'grant-dba', paths: 2,
      message: "2 paths reach the end with the access open ('grant-dba' → 'tell-grant' → 'kill-blockers' (fails) → 'escalate' (fails) → (exit); 'grant-dba' → 'tell-grant' → 'kill-blockers' (fails) → 'escalate' → 'review' → (exit))",
    });
  });

  test('3 paths: the grant jumps on with `next` past a step, and two later steps can abort', () => {
    assertOneFixRepairsAll(accessReview + grant('next: tell-grant') + check('skipped') + tellGrant + check('kill-blockers') + check('verify') + review, {
      rule: 'PB106', step: 'grant-dba', paths: 3,
      message: "3 paths reach the end with the access open ('grant-dba' → 'tell-grant' → 'kill-blockers' (fails) → (exit); 'grant-dba' → 'tell-grant' → 'kill-blockers' → 'verify' (fails) → (exit); 'grant-dba' → 'tell-grant' → 'kill-blockers' → 'verify' → 'review' → (exit))",
    });
  });

  test('16 paths: four diamonds of work after the grant, then a retry loop', () => {
    assertOneFixRepairsAll(accessReview + grant() + tellGrant + diamonds(4) + retryLoop + review, {
      rule: 'PB106', step: 'grant-dba', paths: 16,
      message: "16 paths reach the end with the access open ('grant-dba' → 'tell-grant' → 'probe-1' → 'direct-1' → 'join-1' → … 7 more steps … → 'direct-4' → 'join-4' → 'settle' (loop) → 'recheck' → 'review' → (exit);",
    });
  });
});

/**
 * Generated playbooks: steps that check, roll back, review, notify, grant and revoke, each going on,
 * aborting, or jumping (`next`, `on-failure`). Every PB100 and PB102 finding that has a preferred fix
 * is fixed once, and the playbook checked again: the finding is gone; and when the playbook has no
 * loop, nothing new appears either. (In a loop that never ends, PB007, a review the fix adds may
 * open the only way out when denied, and PB102 or PB106 then see a path to the end they could not.)
 */
describe('on generated playbooks, one fix clears the finding whatever its paths', () => {
  const BODIES = [
    'action: diagnose, run: x',
    'action: rollback, service: ledger, to: 3.7.2',
    'action: checkpoint, kind: security-review',
    'action: notify, channel: security',
    'action: access-grant, principal: p, role: r, duration: 1h',
    'action: access-revoke, principal: p, role: r',
    'action: postmortem',
  ];
  interface Generated { body: number; next: number | undefined; failure: string | number | undefined }
  const generated = fc.integer({ min: 2, max: 12 }).chain((n) => fc.array(fc.record({
    body: fc.nat(BODIES.length - 1),
    // undefined: list order; else a step index
    next: fc.option(fc.nat(n - 1), { nil: undefined, freq: 4 }),
    failure: fc.oneof(fc.constantFrom('abort', 'continue', undefined), fc.nat(n - 1)),
  }), { minLength: n, maxLength: n }));
  /** Jumps back dropped: no loop. */
  const forwardOnly = (steps: Generated[]): Generated[] => steps.map((s, i) => ({
    ...s, next: s.next !== undefined && s.next > i ? s.next : undefined, failure: typeof s.failure === 'number' && s.failure <= i ? 'abort' : s.failure,
  }));
  const render = (steps: Generated[]): string => HEADER + steps.map((s, i) =>
    `  - {id: s${i}, ${BODIES[s.body]}${s.next === undefined ? '' : `, next: s${s.next}`}${s.failure === undefined ? '' : `, on-failure: ${typeof s.failure === 'number' ? `s${s.failure}` : s.failure}`}}\n`).join('');

  for (const rule of ['PB100', 'PB102']) {
    for (const loops of [false, true]) {
      test(`${rule}${loops ? ', loops too' : ', no loops'}: every preferred fix clears its finding${loops ? '' : ' and adds none'}`, () => {
        let fixed = 0;
        fc.assert(fc.property(generated, (drawn) => {
          const text = render(loops ? drawn : forwardOnly(drawn));
          const analysis = checkPlaybook(text);
          const before = new Set(analysis.findings.map((f) => keyOf(analysis, f)));
          for (const finding of analysis.findings.filter((f) => f.ruleId === rule)) {
            const fix = codeActions(analysis, finding.range).find((a) => a.finding === finding && a.isPreferred);
            if (!fix) continue;
            const after = applyEdits(text, fix.edits);
            const rechecked = checkPlaybook(after);
            const id = stepIdOf(analysis, finding);
            assert.deepEqual(rechecked.findings.filter((f) => f.ruleId === rule && stepIdOf(rechecked, f) === id).map((f) => f.message), [], `"${fix.title}":\n${after}`);
            if (!loops) assert.deepEqual(rechecked.findings.filter((f) => !before.has(keyOf(rechecked, f))).map((f) => `${f.ruleId}: ${f.message}`), [], `"${fix.title}" adds no finding:\n${after}`);
            fixed++;
          }
        }), { numRuns: loops ? 300 : 600, seed: 20260301 });
        assert.ok(fixed > 100, `${fixed} findings fixed`);
      });
    }
  }
});
