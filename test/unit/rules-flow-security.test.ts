import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, type Policy } from '../../server/src/core/policy/policy.js';
import { PB100 } from '../../server/src/core/rules/PB100.js';
import { PB102 } from '../../server/src/core/rules/PB102.js';
import { PB106 } from '../../server/src/core/rules/PB106.js';
import { assertRule, playbook, runRule, SPEC_EXAMPLE } from './helpers/flowSecurity.js';

const policy = (changes: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...changes });
const triage = '  - {id: triage, action: diagnose, run: kubectl get pods}\n';
const gate = '  - {id: gate, action: checkpoint, kind: security-review}\n';
const rollBack = '  - {id: roll-back, action: rollback, service: api, to: 1.1.0}\n';
const tell = '  - {id: tell, action: notify, channel: security, message: rolled back}\n';
const review = '  - {id: review, action: postmortem, due: 48h}\n';
const UNGUARDED = ['step `roll-back`: `rollback` is risky and no security checkpoint guards it on every path from the start', 'add a `checkpoint` (security-review) before it, or list one in its `requires`'];

describe('the example playbook of the specification', () => {
  for (const rule of [PB100, PB102, PB106]) test(`passes ${rule.id}`, () => assertRule(rule, SPEC_EXAMPLE, []));
});

describe('PB100 unguarded-risky-step', () => {
  test('a checkpoint before the risky step guards it', () => assertRule(PB100, playbook(triage + gate + rollBack + tell), []));

  test('a risky step with no checkpoint is flagged on its action, with the path from the entry', () =>
    assertRule(PB100, playbook(triage + rollBack + tell), [{
      step: 'roll-back',
      flagged: 'rollback',
      message: [
        "step `roll-back`: `rollback` is risky and no security checkpoint guards it on every path from the start: 1 path reaches it without an approved security checkpoint ('triage' → 'roll-back'); add a `checkpoint` (security-review) before it, or list one in its `requires`",
      ],
      related: [
        ['entry → triage → roll-back: no security checkpoint on this path', 'triage'],
        ['on the path: `triage`', 'triage'],
        ['on the path: `roll-back`', 'roll-back'],
      ],
      data: {
        stepId: 'roll-back', path: ['triage', 'roll-back'], paths: [['triage', 'roll-back']], pathCount: 1, pathCountCapped: false,
        checkpointKinds: ['security-review', 'vulnerability-scan', 'access-review'],
      },
    }]));

  const branches = (rollBackStep: string): string => playbook(`  - {id: triage, action: diagnose, run: x, on-failure: fast-path}
  - {id: gate, action: checkpoint, kind: security-review, next: roll-back}
  - {id: fast-path, action: escalate, to: incident-commander}
${rollBackStep}${tell}`);

  test('a checkpoint on only one of two branches leaves the other path unguarded', () =>
    assertRule(PB100, branches(rollBack), [{
      step: 'roll-back',
      flagged: 'rollback',
      message: UNGUARDED,
      related: [
        ['entry → triage (fails) → fast-path → roll-back: no security checkpoint on this path', 'triage'],
        ['on the path: `triage` (fails)', 'triage'],
        ['on the path: `fast-path`', 'fast-path'],
        ['on the path: `roll-back`', 'roll-back'],
      ],
      data: { path: ['triage', 'fast-path', 'roll-back'] },
    }]));

  test('`requires` naming the checkpoint guards the step on every branch', () =>
    assertRule(PB100, branches('  - {id: roll-back, action: rollback, service: api, to: 1.1.0, requires: [gate]}\n'), []));

  test('`requires` guards through a chain of requirements', () => {
    const steps = (prepRequires: string): string => `  - {id: triage, action: diagnose, run: x, on-failure: roll-back}
${gate}  - {id: prep, action: diagnose, run: y, requires: [${prepRequires}]}
  - {id: roll-back, action: rollback, service: api, to: 1.1.0, requires: [prep]}
`;
    assertRule(PB100, playbook(steps('gate')), []);
    assertRule(PB100, playbook(steps('triage')), [{ step: 'roll-back', flagged: 'rollback', data: { path: ['triage', 'roll-back'] } }]);
  });

  test('requiring a checkpoint the policy does not count as security does not guard', () =>
    assertRule(PB100, playbook(`  - {id: approve, action: checkpoint, kind: change-approval}
  - {id: roll-back, action: rollback, service: api, to: 1.1.0, requires: [approve]}
`), [{ step: 'roll-back', flagged: 'rollback', data: { path: ['approve', 'roll-back'] } }]));

  test('two branches each with their own checkpoint are guarded, though neither checkpoint dominates', () =>
    assertRule(PB100, playbook(`  - {id: triage, action: diagnose, run: x, on-failure: scan}
  - {id: gate, action: checkpoint, kind: security-review, next: roll-back}
  - {id: scan, action: checkpoint, kind: vulnerability-scan}
${rollBack}`), []));

  test('a denied checkpoint that continues does not guard', () =>
    assertRule(PB100, playbook(`${triage}  - {id: gate, action: checkpoint, kind: security-review, on-failure: continue}
${rollBack}`), [{
      step: 'roll-back',
      flagged: 'rollback',
      message: [
        "no security checkpoint guards it on every path from the start: 1 path reaches it without an approved security checkpoint ('triage' → 'gate' (denied) → 'roll-back'); make `gate` stop the flow when denied (`on-failure: abort`), or list it in its `requires`",
      ],
      related: [
        ['entry → triage → gate (denied) → roll-back: no security checkpoint is approved on this path (a denied checkpoint goes on here)', 'triage'],
        ['on the path: `triage`', 'triage'],
        ['on the path: `gate` (denied)', 'gate'],
        ['on the path: `roll-back`', 'roll-back'],
      ],
    }]));

  test('a denied checkpoint whose on-failure jumps to the risky step does not guard', () =>
    assertRule(PB100, playbook(`${triage}  - {id: gate, action: checkpoint, kind: security-review, on-failure: roll-back, next: look}
  - {id: look, action: diagnose, run: x}
${rollBack}`), [{ step: 'roll-back', flagged: 'rollback', data: { path: ['triage', 'gate', 'roll-back'] } }]));

  test('a retry loop after the approval stays guarded, and the analysis ends on cycles', () =>
    assertRule(PB100, playbook(`${triage}${gate}  - {id: roll-back, action: rollback, service: api, to: 1.1.0, on-failure: fix}
  - {id: fix, action: diagnose, run: x, next: roll-back}
`), []));

  test('a loop back to the start before the checkpoint leaves later risky steps guarded and earlier ones flagged', () =>
    assertRule(PB100, playbook(`  - {id: deploy-first, action: deploy, service: api, version: 1.2.0}
${gate}  - {id: roll-back, action: rollback, service: api, to: 1.1.0, on-failure: deploy-first}
`), [{ step: 'deploy-first', flagged: 'deploy', related: [['entry → deploy-first: no security checkpoint on this path', 'deploy-first'], ['on the path: `deploy-first`', 'deploy-first']] }]));

  test('the policy decides which actions are risky and which checkpoint kinds count', () => {
    const text = playbook(`  - {id: approve, action: checkpoint, kind: change-approval}
  - {id: restart-api, action: restart, service: api}
${rollBack}`);
    assertRule(PB100, text, [{ step: 'roll-back', flagged: 'rollback' }]);
    assertRule(PB100, text, [], policy({ securityCheckpoints: new Set(['change-approval']) }));
    assertRule(PB100, text, [{ step: 'restart-api', flagged: 'restart' }], policy({ riskyActions: new Set(['restart']) }));
    const noKinds = policy({ securityCheckpoints: new Set() });
    assertRule(PB100, text, [{ step: 'roll-back', flagged: 'rollback', message: ['the policy counts no checkpoint kind as a security checkpoint'], data: { checkpointKinds: [] } }], noKinds);
  });

  test('a step no path reaches is left to PB006', () =>
    assertRule(PB100, playbook(`${triage.replace('}', ', next: review}')}${rollBack}${review}`), []));
});

describe('PB102 security-not-notified', () => {
  test('a notification right after the change passes', () => assertRule(PB102, playbook(triage + rollBack + tell + review), []));

  test('a change never followed by a notification is flagged, with the path to the exit', () =>
    assertRule(PB102, playbook(triage + rollBack + review), [{
      step: 'roll-back',
      flagged: 'rollback',
      message: ["step `roll-back`: after rolling `api` back to `1.1.0`, 1 path reaches the end without notifying security ('roll-back' → 'review' → (exit)); add a `notify` step with `channel: security` after it"],
      related: [
        ['roll-back → review → (exit): security is never notified on this path', 'roll-back'],
        ['on the path: `roll-back`', 'roll-back'],
        ['on the path: `review`', 'review'],
      ],
      data: { stepId: 'roll-back', path: ['roll-back', 'review'], paths: [['roll-back', 'review']], pathCount: 1, pathCountCapped: false, hasSecurityChannel: true },
    }]));

  test('a notification on only one branch is flagged with both ways the other branch reaches the end', () =>
    assertRule(PB102, playbook(`${rollBack}  - {id: verify, action: diagnose, run: x, on-failure: escalate}
${tell.replace('}', ', next: review}')}  - {id: escalate, action: escalate, to: incident-commander}
${review}`), [{
      step: 'roll-back',
      flagged: 'rollback',
      message: ["2 paths reach the end without notifying security ('roll-back' → 'verify' (fails) → 'escalate' (fails) → (exit); 'roll-back' → 'verify' (fails) → 'escalate' → 'review' → (exit)); add"],
      related: [
        ['path 1 of 2: roll-back → verify (fails) → escalate (fails) → (exit): security is never notified on this path', 'roll-back'],
        ["on path 1: 'roll-back'", 'roll-back'],
        ["on path 1: 'verify' (fails)", 'verify'],
        ["on path 1: 'escalate' (fails)", 'escalate'],
        ['path 2 of 2: roll-back → verify (fails) → escalate → review → (exit): security is never notified on this path', 'roll-back'],
        ["on path 2: 'roll-back'", 'roll-back'],
        ["on path 2: 'verify' (fails)", 'verify'],
        ["on path 2: 'escalate'", 'escalate'],
        ["on path 2: 'review'", 'review'],
      ],
      data: { path: ['roll-back', 'verify', 'escalate'], paths: [['roll-back', 'verify', 'escalate'], ['roll-back', 'verify', 'escalate', 'review']], pathCount: 2 },
    }]));

  test('a later step that aborts before the notification leaves security uninformed', () =>
    assertRule(PB102, playbook(`${rollBack}  - {id: verify, action: diagnose, run: x}
${tell}`), [{ step: 'roll-back', flagged: 'rollback', related: [['roll-back → verify (fails) → (exit): security is never notified on this path', 'roll-back'], ['on the path: `roll-back`', 'roll-back'], ['on the path: `verify` (fails)', 'verify']] }]));

  test('a change that fails changed nothing, so its own failure edge is not followed', () =>
    assertRule(PB102, playbook(`  - {id: roll-back, action: rollback, service: api, to: 1.1.0, on-failure: escalate}
${tell.replace('}', ', next: review}')}  - {id: escalate, action: escalate, to: incident-commander}
${review}`), []));

  test('a notification counts whatever its outcome', () =>
    assertRule(PB102, playbook(`${rollBack}  - {id: tell, action: notify, channel: security, on-failure: abort}
`), []));

  test('a change last in the list reaches the exit at once', () =>
    assertRule(PB102, playbook(triage + rollBack), [{ step: 'roll-back', flagged: 'rollback', related: [['roll-back → (exit): security is never notified on this path', 'roll-back'], ['on the path: `roll-back`', 'roll-back']] }]));

  test('a notification to another channel does not count, and a missing `security` channel is named', () => {
    const text = playbook(`${rollBack}  - {id: tell, action: notify, channel: incident}\n`, '  incident: "#inc"\n');
    assertRule(PB102, text, [{ step: 'roll-back', flagged: 'rollback', message: ['add a `security` key under `channels`'], data: { hasSecurityChannel: false, path: ['roll-back', 'tell'] } }]);
  });

  test('an endless loop after the change never reaches the exit (PB007 reports it) and does not hang', () =>
    assertRule(PB102, playbook(`${rollBack}  - {id: poll, action: diagnose, run: x, on-failure: continue}
  - {id: wait-a-bit, action: wait, duration: 1m, on-failure: continue, next: poll}
`), []));

  test('the policy decides which changes need a notification', () => {
    const text = playbook(`${rollBack}  - {id: tune, action: config-change, service: api, change: pool=10}\n`);
    assertRule(PB102, text, [{ step: 'roll-back', flagged: 'rollback' }]);
    assertRule(PB102, text, [{ step: 'tune', flagged: 'config-change', message: ['after the `config-change` step'] }], policy({ notifySecurityAfter: new Set(['config-change']) }));
    assertRule(PB102, text, [], policy({ notifySecurityAfter: new Set(['deploy']) }));
  });
});

describe('PB106 access-grant-not-revoked', () => {
  const grant = (extra = ', duration: 1h'): string => `  - {id: grant, action: access-grant, principal: alice, role: db-admin${extra}}\n`;
  const fix = '  - {id: fix, action: run, command: ./repair.sh}\n';
  const revoke = '  - {id: revoke, action: access-revoke, principal: alice, role: db-admin}\n';

  test('a grant with a duration and a revoke on every path passes', () =>
    assertRule(PB106, playbook(`${grant()}  - {id: fix, action: run, command: ./repair.sh, on-failure: revoke}\n${revoke}`), []));

  test('a grant without duration is flagged', () =>
    assertRule(PB106, playbook(grant('') + revoke), [{
      step: 'grant',
      flagged: 'access-grant',
      message: ['step `grant`: `db-admin` granted to `alice` has no `duration`; add `duration` (e.g. `1h`) so the access expires'],
      data: { stepId: 'grant', principal: 'alice', role: 'db-admin', missing: 'duration' },
    }]));

  test('a grant never revoked is flagged with the path to the exit', () =>
    assertRule(PB106, playbook(grant() + fix), [{
      step: 'grant',
      flagged: 'access-grant',
      message: ['is not revoked on every path to the end', 'add an `access-revoke` step with `principal: alice` and `role: db-admin` after it'],
      related: [['grant → fix → (exit): `alice` keeps `db-admin` on this path', 'grant'], ['on the path: `grant`', 'grant'], ['on the path: `fix`', 'fix']],
      data: { missing: 'revoke', path: ['grant', 'fix'] },
    }]));

  test('both problems give two findings, duration first', () =>
    assertRule(PB106, playbook(grant('') + fix), [
      { step: 'grant', flagged: 'access-grant', data: { missing: 'duration' } },
      { step: 'grant', flagged: 'access-grant', data: { missing: 'revoke' } },
    ]));

  test('a revoke on only one branch is flagged with the branch that misses it', () =>
    assertRule(PB106, playbook(grant() + fix + revoke), [{
      step: 'grant',
      flagged: 'access-grant',
      related: [['grant → fix (fails) → (exit): `alice` keeps `db-admin` on this path', 'grant'], ['on the path: `grant`', 'grant'], ['on the path: `fix` (fails)', 'fix']],
    }]));

  test('a revoke of another principal or role, or one before the grant, does not count', () =>
    assertRule(PB106, playbook(`${revoke}${grant()}  - {id: revoke-bob, action: access-revoke, principal: bob, role: db-admin}
  - {id: revoke-reader, action: access-revoke, principal: alice, role: reader}
`), [{ step: 'grant', flagged: 'access-grant', data: { path: ['grant', 'revoke-bob'] } }]));

  test('each access is checked on its own', () =>
    assertRule(PB106, playbook(`${grant()}  - {id: grant-bob, action: access-grant, principal: bob, role: db-admin, duration: 1h, on-failure: continue}
  - {id: revoke-bob, action: access-revoke, principal: bob, role: db-admin, on-failure: continue}
${revoke}`), []));

  test('a grant missing its principal or role is left to PB002', () =>
    assertRule(PB106, playbook('  - {id: grant, action: access-grant, principal: alice}\n'), []));
});

describe('any document shape', () => {
  const shapes = ['', 'steps: []\n', 'steps: oops\n', 'steps:\n  - just a string\n  - [1, 2]\n  - {action: rollback}\n', '- a\n- b\n',
    playbook(`${rollBack}${rollBack}  - {id: grant, action: access-grant, principal: [x], role: {y: 1}}\n  - {id: grant, action: access-grant}\n`),
    playbook('  - {id: a, action: rollback, next: a, on-failure: a, requires: [a]}\n'),
    playbook('  - {id: a, action: deploy, next: zz, on-failure: yy, requires: [b]}\n  - {id: b, action: diagnose, requires: [a]}\n')];
  for (const rule of [PB100, PB102, PB106]) {
    test(`${rule.id} never throws`, () => {
      for (const text of shapes) for (const finding of runRule(rule, text)) assert.ok(finding.range.end <= text.length);
    });
  }

  test('a risky step without id is named by its position and anchored on its first line', () => {
    const text = playbook(`${triage}  - action: rollback\n    service: api\n    to: 1.1.0\n`);
    const [finding] = runRule(PB100, text);
    assert.equal(finding?.message.startsWith('step 2: `rollback` is risky'), true);
    assert.equal(text.slice(finding.range.start, finding.range.end), 'rollback');
    assert.deepEqual(finding.related!.map((r) => [r.message, text.slice(r.range.start, r.range.end)]), [
      ['entry → triage → step 2: no security checkpoint on this path', 'triage'],
      ['on the path: `triage`', 'triage'],
      ['on the path: step 2', 'action: rollback'],
    ]);
  });
});

describe('long paths are shown by their two ends', () => {
  test('a path to the exit longer than ten steps leaves out its middle', () => {
    const waits = Array.from({ length: 12 }, (_, i) => `  - {id: s${i + 1}, action: diagnose, run: x, on-failure: continue}\n`).join('');
    assertRule(PB102, playbook(rollBack + waits), [{
      step: 'roll-back',
      flagged: 'rollback',
      related: [
        ['roll-back → s1 → s2 → s3 → s4 → … 4 more steps … → s9 → s10 → s11 → s12 → (exit): security is never notified on this path', 'roll-back'],
        ...['roll-back', 's1', 's2', 's3', 's4', 's9', 's10', 's11', 's12'].map((id): [string, string] => [`on the path: \`${id}\``, id]),
      ],
      data: { path: ['roll-back', 's1', 's2', 's3', 's4', 's9', 's10', 's11', 's12'] },
    }]);
  });
});

describe('how many paths break a rule, and which are listed', () => {
  /** `count` checks, each of which fails over to a step of its own that joins the next check. */
  const branches = (count: number, last: string): string => Array.from({ length: count }, (_, i) =>
    `  - {id: c${i}, action: diagnose, run: x, on-failure: f${i}}\n  - {id: d${i}, action: diagnose, run: x, next: j${i}, on-failure: continue}\n  - {id: f${i}, action: diagnose, run: x, on-failure: continue}\n  - {id: j${i}, action: wait, duration: 1m, on-failure: continue}\n`).join('') + last;

  test('past 1,000 paths the count says "more than", and the rest "over"', () => {
    const [finding] = runRule(PB100, playbook(branches(10, rollBack)));
    assert.match(finding!.message, /: more than 1,000 paths reach it without an approved security checkpoint \('c0' → 'd0' → 'j0' → 'c1' → … 23 more steps … → 'c9' → 'd9' → 'j9' → 'roll-back'; .*; and over 997 more\); add a/);
    assert.deepEqual([finding!.data?.['pathCount'], finding!.data?.['pathCountCapped']], [1000, true]);
    assert.equal(finding!.related![0]!.message.startsWith('path 1 of more than 1,000: entry → c0 → d0 → j0 → c1 → … 23 more steps …'), true, finding!.related![0]!.message);
  });

  test('nine branches are counted exactly: 512 paths, three listed, "and 509 more"', () => {
    const [finding] = runRule(PB102, playbook(rollBack + branches(9, review)));
    assert.match(finding!.message, /, 512 paths reach the end without notifying security \(.*; and 509 more\); add a/);
    assert.deepEqual([finding!.data?.['pathCount'], finding!.data?.['pathCountCapped'], (finding!.data?.['paths'] as unknown[]).length], [512, false, 3]);
    assert.equal(finding!.related!.filter((r) => /^path \d of 512: /.test(r.message)).length, 3);
  });

  test('each path listed is a related location, step by step, numbered as in the message', () => {
    const [finding] = runRule(PB106, playbook(`  - {id: grant, action: access-grant, principal: alice, role: db-admin, duration: 1h}
  - {id: fix, action: run, command: ./repair.sh, on-failure: escalate}
  - {id: revoke, action: access-revoke, principal: alice, role: db-admin, next: review}
  - {id: escalate, action: escalate, to: incident-commander}
${review}`));
    assert.ok(finding!.message.includes("2 paths reach the end with the access open ('grant' → 'fix' (fails) → 'escalate' (fails) → (exit); 'grant' → 'fix' (fails) → 'escalate' → 'review' → (exit))"), finding!.message);
    assert.deepEqual(finding!.related!.map((r) => r.message), [
      'path 1 of 2: grant → fix (fails) → escalate (fails) → (exit): `alice` keeps `db-admin` on this path',
      "on path 1: 'grant'", "on path 1: 'fix' (fails)", "on path 1: 'escalate' (fails)",
      'path 2 of 2: grant → fix (fails) → escalate → review → (exit): `alice` keeps `db-admin` on this path',
      "on path 2: 'grant'", "on path 2: 'fix' (fails)", "on path 2: 'escalate'", "on path 2: 'review'",
    ]);
  });

  test('a denied checkpoint is the advice only when every path goes on through it', () => {
    const denied = `  - {id: gate, action: checkpoint, kind: security-review, on-failure: continue}\n`;
    const through = runRule(PB100, playbook(triage + denied + rollBack))[0]!;
    assert.ok(through.message.endsWith('make `gate` stop the flow when denied (`on-failure: abort`), or list it in its `requires`'), through.message);
    // Another way round the gate: stopping the gate when denied would leave that one.
    const around = runRule(PB100, playbook(triage.replace('}', ', on-failure: roll-back}') + denied + rollBack))[0]!;
    assert.ok(around.message.includes("2 paths reach it without an approved security checkpoint ('triage' (fails) → 'roll-back'; 'triage' → 'gate' (denied) → 'roll-back')"), around.message);
    assert.ok(around.message.endsWith('add a `checkpoint` (security-review) before it, or list one in its `requires`'), around.message);
  });

  test('a loop on the path is one stop, named where the path goes in and where it leaves', () => {
    const [finding] = runRule(PB102, playbook(`${rollBack}  - {id: settle, action: wait, duration: 5m, on-failure: continue}
  - {id: recheck, action: diagnose, run: x, on-failure: settle, next: review}
${review}`));
    assert.ok(finding!.message.includes("1 path reaches the end without notifying security ('roll-back' → 'settle' (loop) → 'recheck' → 'review' → (exit))"), finding!.message);
    assert.deepEqual(finding!.related!.map((r) => r.message).slice(1), ['on the path: `roll-back`', 'on the path: `settle` (loop)', 'on the path: `recheck`', 'on the path: `review`']);
  });

  test('with the security channel undeclared and the notifications in place, the count is of the ways to the end', () => {
    const text = playbook(`${rollBack}  - {id: tell, action: notify, channel: security, next: review, on-failure: escalate}\n  - {id: escalate, action: escalate, to: incident-commander}\n${review}`, '  incident: "#inc"\n');
    const [finding] = runRule(PB102, text);
    assert.ok(finding!.message.includes("security is never told on any of the 3 paths to the end ('roll-back' → 'tell' → 'review' → (exit); 'roll-back' → 'tell' (fails) → 'escalate' (fails) → (exit); 'roll-back' → 'tell' (fails) → 'escalate' → 'review' → (exit)): `tell` notifies the channel `security`, which is not declared"), finding!.message);
  });
});

describe('a generated 5,000-step playbook with a loop back to the start', () => {
  // Block b of ten steps: a checkpoint that counts from block 250 on, a rollback, a notification
  // except every third block, a grant every fifth block that every tenth block revokes.
  const blocks = 500;
  const lines: string[] = [];
  for (let b = 0; b < blocks; b++) {
    lines.push(`  - {id: d${b}, action: diagnose, run: x}`);
    lines.push(`  - {id: c${b}, action: checkpoint, kind: ${b >= 250 ? 'security-review' : 'change-approval'}}`);
    lines.push(`  - {id: rb${b}, action: rollback, service: api, to: 1.1.0}`);
    lines.push(b % 3 !== 0 ? `  - {id: n${b}, action: notify, channel: security}` : `  - {id: v${b}, action: diagnose, run: x}`);
    lines.push(b % 5 === 0 ? `  - {id: g${b}, action: access-grant, principal: p${b}, role: admin, duration: 1h}` : `  - {id: x${b}, action: diagnose, run: x}`);
    lines.push(b % 10 === 0 ? `  - {id: r${b}, action: access-revoke, principal: p${b}, role: admin, on-failure: continue}` : `  - {id: y${b}, action: diagnose, run: x}`);
    lines.push(`  - {id: t${b}, action: notify, channel: security}`);
    for (const name of ['e', 'f', 'h']) lines.push(`  - {id: ${name}${b}, action: diagnose, run: x${b === blocks - 1 && name === 'h' ? ', next: d0' : ''}}`);
  }
  const text = playbook(`${lines.join('\n')}\n`);
  const range = (b: number): number[] => Array.from({ length: blocks }, (_, i) => i).filter((i) => i < b);
  const flaggedIds = (findings: ReturnType<typeof runRule>): unknown[] => findings.map((f) => f.data?.stepId);

  test('has 5,000 steps', () => assert.equal((text.match(/\n {2}- /g) ?? []).length, 5000));

  test('PB100 flags exactly the risky steps before the first security checkpoint', () => {
    const findings = runRule(PB100, text);
    assert.deepEqual(flaggedIds(findings), range(250).flatMap((b) => (b % 5 === 0 ? [`rb${b}`, `g${b}`] : [`rb${b}`])));
    for (const f of findings) assert.ok(['rollback', 'access-grant'].includes(text.slice(f.range.start, f.range.end)));
    const last = findings.find((f) => f.data?.stepId === 'rb249')!;
    assert.equal(last.related![0]!.message, 'entry → d0 → c0 → rb0 → v0 → … 2485 more steps … → h248 → d249 → c249 → rb249: no security checkpoint is approved on this path');
    assert.deepEqual(last.data?.path, ['d0', 'c0', 'rb0', 'v0', 'h248', 'd249', 'c249', 'rb249']);
  });

  test('PB102 flags exactly the changes with no notification after them', () =>
    assert.deepEqual(flaggedIds(runRule(PB102, text)), range(blocks).flatMap((b) => [...(b % 3 === 0 ? [`rb${b}`] : []), ...(b % 10 === 5 ? [`g${b}`] : [])])));

  test('PB106 flags exactly the grants that are never revoked', () => {
    const findings = runRule(PB106, text);
    assert.deepEqual(flaggedIds(findings), range(blocks).filter((b) => b % 10 === 5).map((b) => `g${b}`));
    assert.ok(findings.every((f) => f.data?.missing === 'revoke'));
  });
});
