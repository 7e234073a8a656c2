/**
 * The dry-run simulator: golden traces of the examples under several scenarios (compared byte for
 * byte), the walk's semantics case by case, refusals, the as-of replay of advisories, determinism,
 * and a module-graph check that the simulator cannot reach any I/O.
 * Regenerate the goldens after an intended change with UPDATE_GOLDEN=1.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { checkPlaybook, type CheckResult } from '../../server/src/core/check.js';
import { asOfInstant, checkScenario, renderMarkdown, renderText, simulate, type DryRun, type Scenario, type SimulateOptions } from '../../server/src/core/dryrun/index.js';
import { walkFlow } from '../../server/src/core/dryrun/walk.js';
import { AdvisoryIndex } from '../../server/src/core/advisories/advisoryIndex.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { buildFlowGraph } from '../../server/src/core/graph/flowGraph.js';
import { parsePlaybook } from '../../server/src/core/parse/parsePlaybook.js';
import { DEFAULT_POLICY } from '../../server/src/core/policy/policy.js';
import { CheckEnvironment } from '../../server/src/node/checkEnvironment.js';
import { playbook } from './helpers/findings.js';
import { goldenIn } from './helpers/golden.js';

const ROOT = path.join(__dirname, '../..');
const GOLDEN = path.join(ROOT, 'test/fixtures/dryrun');

/** An example checked as the CLI checks it: with the policy and advisories of examples/.playbooks. */
async function example(name: string): Promise<CheckResult> {
  const file = path.join(ROOT, 'examples', name);
  const { loaded, advisories } = await new CheckEnvironment(ROOT).forPlaybook(file);
  return checkPlaybook(readFileSync(file, 'utf8'), { policy: loaded.policy, advisories });
}

const assertGolden = goldenIn(GOLDEN);

const json = (run: DryRun): string => `${JSON.stringify(run, null, 2)}\n`;
const entry = (run: DryRun, step: string) => run.trace.find((e) => e.step === step)!;
const statuses = (run: DryRun): string[] => run.trace.map((e) => `${e.step}:${e.status}`);

/** A checkpoint that lets the flow go on when denied, in front of a rollback that requires it. */
const REQUIRES_PLAYBOOK = `playbook: api-rollback
title: Roll the API back
owners:
  sre: "@sre"
  security: "@sec"
services:
  api:
    package: pkg:npm/api
    current: 1.2.0
    releases: [1.0.0, 1.1.0, 1.2.0]
channels:
  security: "#sec"
steps:
  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
    on-failure: continue
  - id: roll-back
    action: rollback
    service: api
    to: 1.1.0
    requires: [security-gate]
    on-failure: escalate
  - id: tell-security
    action: notify
    channel: security
    message: "api rolled back to 1.1.0"
  - id: escalate
    action: escalate
    to: security
  - id: review
    action: postmortem
    due: 48h
`;

/** `next` goes back: settle → recheck → settle. */
const NEXT_LOOP_PLAYBOOK = `playbook: wait-and-see
title: Wait until the errors stop
owners:
  sre: "@sre"
  security: "@sec"
steps:
  - id: settle
    action: wait
    duration: 5m
  - id: recheck
    action: diagnose
    query: up
    next: settle
  - id: review
    action: postmortem
    due: 48h
`;

describe('golden traces', () => {
  const CASES: ReadonlyArray<{ golden: string; source: string; scenario?: Partial<Scenario>; options?: SimulateOptions }> = [
    { golden: 'checkout-outage.all-succeed.json', source: 'checkout-outage.playbook.yaml' },
    { golden: 'checkout-outage.fail-roll-back.json', source: 'checkout-outage.playbook.yaml', scenario: { fail: ['roll-back'] } },
    { golden: 'checkout-outage.deny-security-review.json', source: 'checkout-outage.playbook.yaml', scenario: { deny: ['security-review'] } },
    { golden: 'vulnerable-rollback.all-succeed.json', source: 'vulnerable-rollback.playbook.yaml' },
    { golden: 'vulnerable-rollback.as-of-2021-12-09.json', source: 'vulnerable-rollback.playbook.yaml', options: { advisoriesAsOf: '2021-12-09' } },
    { golden: 'unguarded-rollback.all-succeed.json', source: 'unguarded-rollback.playbook.yaml' },
  ];
  for (const c of CASES) {
    test(c.golden, async () => assertGolden(c.golden, json(simulate(await example(c.source), c.scenario, c.options))));
  }
  test('requires-blocked.deny-security-gate.json', () => {
    assertGolden('requires-blocked.deny-security-gate.json', json(simulate(checkPlaybook(REQUIRES_PLAYBOOK), { deny: ['security-gate'] })));
  });
  test('next-loop.invalid.json', () => {
    assertGolden('next-loop.invalid.json', json(simulate(checkPlaybook(NEXT_LOOP_PLAYBOOK))));
  });
  test('checkout-outage.all-succeed.md (the report in docs/dry-run.md)', async () => {
    const markdown = renderMarkdown(simulate(await example('checkout-outage.playbook.yaml')), { file: 'examples/checkout-outage.playbook.yaml' });
    assertGolden('checkout-outage.all-succeed.md', markdown);
    assert.ok(readFileSync(path.join(ROOT, 'docs/dry-run.md'), 'utf8').includes(markdown), 'docs/dry-run.md shows the current report');
  });
  test('vulnerable-rollback.fail-roll-back-search.md', async () => {
    const run = simulate(await example('vulnerable-rollback.playbook.yaml'), { fail: ['roll-back-search'] });
    assertGolden('vulnerable-rollback.fail-roll-back-search.md', renderMarkdown(run, { file: 'examples/vulnerable-rollback.playbook.yaml' }));
  });
});

describe('the walk', () => {
  test('everything succeeds: list order, `next` jumps, the unused escalation is skipped', async () => {
    const analysis = await example('checkout-outage.playbook.yaml');
    const run = simulate(analysis);
    assert.equal(run.outcome, 'resolved');
    assert.equal(entry(run, 'all-clear').next, 'review', '`next: review` jumps over escalate');
    assert.equal(entry(run, 'review').next, '(end)');
    assert.deepEqual(run.trace.filter((e) => e.status === 'skipped').map((e) => e.step), ['escalate']);
    assert.equal(entry(run, 'roll-back').wouldDo, 'would roll back checkout from 2.4.0 to 2.3.1');
    assert.equal(entry(run, 'escalate').wouldDo, 'would escalate to incident-commander (@payments-ic)');
    for (const e of run.trace) assert.equal(analysis.parsed.text.slice(e.range.start, e.range.end), e.step, `range of ${e.step}`);
    assert.deepEqual(entry(run, 'tell-security').notification, { channel: 'security', target: '#sec-incidents', message: 'Checkout rolled back from 2.4.0 to 2.3.1 (checkout-outage).', security: true });
    assert.deepEqual(entry(run, 'security-review').gate, { kind: 'security-review', approvers: [{ name: 'security', contact: '@secops-oncall' }], decision: 'approved', security: true });
    assert.equal(run.summary.securityNotified, true);
    assert.deepEqual(run.summary.changes.map((c) => [c.step, c.gatedBy, c.notifiedBy]), [['grant-db-read', 'db-access-review', 'tell-security-access'], ['roll-back', 'security-review', 'tell-security']]);
    assert.deepEqual(run.summary.soc2.map((p) => [p.criterion, p.evidenced, p.claimed]), [['CC2.2', true, false], ['CC7.3', true, true], ['CC7.4', true, true], ['CC7.5', true, true]]);
  });

  test('a failed rollback follows `on-failure` to the escalation; the change never happened', async () => {
    const run = simulate(await example('checkout-outage.playbook.yaml'), { fail: ['roll-back'] });
    assert.equal(run.outcome, 'resolved');
    assert.deepEqual([entry(run, 'roll-back').status, entry(run, 'roll-back').next], ['failed', 'escalate']);
    assert.equal(entry(run, 'escalate').status, 'ran');
    assert.equal(entry(run, 'tell-security').status, 'skipped');
    assert.deepEqual(run.summary.changes.map((c) => c.step), ['grant-db-read'], 'a failed rollback changed nothing');
  });

  test('a denied checkpoint follows its `on-failure`; a failed one is told apart', async () => {
    const analysis = await example('checkout-outage.playbook.yaml');
    const denied = simulate(analysis, { deny: ['db-access-review'] });
    assert.equal(entry(denied, 'db-access-review').gate?.decision, 'denied');
    assert.equal(entry(denied, 'db-access-review').next, 'security-review');
    assert.deepEqual(['grant-db-read', 'tell-security-access', 'stuck-orders', 'revoke-db-read'].map((s) => entry(denied, s).status), ['skipped', 'skipped', 'skipped', 'skipped']);
    assert.deepEqual(denied.summary.checkpoints, { approved: ['security-review'], denied: ['db-access-review'], failed: [] });
    const failed = simulate(analysis, { fail: ['security-review'] });
    assert.deepEqual([entry(failed, 'security-review').status, entry(failed, 'security-review').gate?.decision], ['failed', 'failed']);
    assert.deepEqual(failed.summary.checkpoints.failed, ['security-review']);
  });

  test('a step whose `requires` did not complete stops the run as blocked', () => {
    const run = simulate(checkPlaybook(REQUIRES_PLAYBOOK), { deny: ['security-gate'] });
    assert.equal(run.outcome, 'blocked');
    assert.deepEqual(statuses(run), ['security-gate:denied', 'roll-back:blocked', 'tell-security:skipped', 'escalate:skipped', 'review:skipped']);
    assert.deepEqual(entry(run, 'roll-back').blockedBy, ['security-gate']);
    assert.equal(entry(run, 'roll-back').next, undefined);
    assert.deepEqual(run.summary.changes, []);
  });

  test('a required step that `next` jumps over blocks too, even when everything succeeds', () => {
    const text = playbook(`  - id: triage
    action: diagnose
    run: kubectl get pods
    next: restart
  - id: snapshot
    action: diagnose
    run: kubectl get events
  - id: restart
    action: restart
    service: api
    requires: [snapshot]
`);
    const run = simulate(checkPlaybook(text));
    assert.equal(run.outcome, 'blocked');
    assert.deepEqual(statuses(run), ['triage:ran', 'restart:blocked', 'snapshot:skipped', 'review:skipped']);
  });

  test('a failure with no `on-failure` aborts; `continue` on the last step still ends normally', () => {
    const text = playbook(`  - id: triage
    action: diagnose
    run: kubectl get pods
`);
    const aborted = simulate(checkPlaybook(text), { fail: ['triage'] });
    assert.equal(aborted.outcome, 'aborted');
    assert.equal(entry(aborted, 'triage').next, '(abort)');
    const lastContinues = simulate(checkPlaybook(text.replace('    due: 48h\n', '    due: 48h\n    on-failure: continue\n')), { fail: ['review'] });
    assert.deepEqual([lastContinues.outcome, entry(lastContinues, 'review').next], ['resolved', '(end)']);
  });

  test('a notification that fails does not tell security', async () => {
    const run = simulate(await example('checkout-outage.playbook.yaml'), { fail: ['tell-security'] });
    assert.equal(run.outcome, 'resolved');
    assert.equal(run.summary.securityNotified, false);
    assert.equal(entry(run, 'tell-security').notification, undefined);
    assert.deepEqual(run.summary.changes.find((c) => c.step === 'roll-back'), { step: 'roll-back', action: 'rollback', risky: true, gatedBy: 'security-review', notifyRequired: true });
    assert.equal(run.summary.soc2.find((p) => p.criterion === 'CC7.4')?.evidenced, false);
  });

  test('an unguarded rollback nobody tells security about: PB100 and PB102 stand (and PB103 on the whole playbook), CC7.4 is not evidenced', async () => {
    const run = simulate(await example('unguarded-rollback.playbook.yaml'));
    assert.equal(run.outcome, 'resolved');
    assert.equal(run.summary.securityNotified, false);
    assert.deepEqual(run.summary.changes, [{ step: 'roll-back', action: 'rollback', risky: true, notifyRequired: true }]);
    assert.deepEqual(run.summary.standingFindings.map((f) => [f.ruleId, f.line]), [['PB103', 6], ['PB100', 29], ['PB102', 29]]);
    assert.equal(entry(run, 'change-approval').gate?.security, false);
  });

  test('the walk gives up after twice the steps on a loop it was not protected from', () => {
    const graph = buildFlowGraph(parsePlaybook(NEXT_LOOP_PLAYBOOK).model);
    const walk = walkFlow(graph, { resultOf: () => 'ran', abortsOnFailure: () => true });
    assert.equal(walk.outcome, 'invalid');
    assert.equal(walk.visits.length, graph.exit * 2);
  });
});

describe('refusals: the flow must be knowable', () => {
  test('a `next` loop is refused before simulation, with the PB007 finding', () => {
    const run = simulate(checkPlaybook(NEXT_LOOP_PLAYBOOK));
    assert.equal(run.outcome, 'invalid');
    assert.deepEqual(run.trace, []);
    assert.deepEqual(run.refusal?.findings.map((f) => [f.ruleId, NEXT_LOOP_PLAYBOOK.slice(f.range.start, f.range.end)]), [['PB007', 'settle']]);
    assert.match(run.refusal.message, /cycle/);
  });

  test('even with PB007 turned off in the policy', () => {
    const run = simulate(checkPlaybook(NEXT_LOOP_PLAYBOOK, { policy: { ...DEFAULT_POLICY, rules: { PB007: 'off' } } }));
    assert.deepEqual([run.outcome, run.refusal?.findings.map((f) => f.ruleId)], ['invalid', ['PB007']]);
  });

  const REFUSED: ReadonlyArray<[string, string, string, string[]]> = [
    ['YAML that does not parse', 'playbook: x\nsteps: [\n', 'the YAML cannot be read', ['PB001']],
    ['no steps', 'playbook: x\ntitle: X\nowners: {sre: "@a"}\nsteps: []\n', 'no steps', ['PB002']],
    ['a step without an id', playbook('  - action: diagnose\n    run: x\n'), 'step 1 has no `id`', ['PB002']],
    ['an unknown `on-failure` target', playbook('  - id: a\n    action: diagnose\n    run: x\n    on-failure: escalte\n'), 'names no step (PB004)', ['PB004']],
    ['a duplicate id', playbook('  - id: a\n    action: diagnose\n    run: x\n  - id: a\n    action: diagnose\n    run: y\n'), '(PB003)', ['PB003']],
    ['a `next` that is a list', playbook('  - id: a\n    action: diagnose\n    run: x\n    next: [review]\n'), '`next` that is not a step id', ['PB002']],
  ];
  for (const [what, text, message, rules] of REFUSED) {
    test(what, () => {
      const run = simulate(checkPlaybook(text));
      assert.equal(run.outcome, 'invalid');
      assert.ok(run.refusal?.message.includes(message), run.refusal?.message);
      assert.deepEqual([...new Set(run.refusal!.findings.map((f) => f.ruleId))], rules);
      assert.equal(run.summary.securityNotified, false);
    });
  }
});

describe('the scenario', () => {
  const analysis = checkPlaybook(REQUIRES_PLAYBOOK);
  test('unknown ids, and denying a step that is not a checkpoint, are problems that name the ids', () => {
    const problems = checkScenario(analysis.parsed, { fail: ['roll-bak'], deny: ['roll-back', 'gate'] });
    assert.deepEqual(problems.map((p) => [p.field, p.id]), [['fail', 'roll-bak'], ['deny', 'roll-back'], ['deny', 'gate']]);
    assert.match(problems[0]!.message, /did you mean `roll-back`\? The steps are: `security-gate`, `roll-back`, `tell-security`, `escalate`, `review`\./);
    assert.match(problems[1]!.message, /not a checkpoint/);
    assert.match(problems[2]!.message, /The checkpoints are: `security-gate`\./);
    assert.equal(simulate(analysis, { fail: ['roll-bak'] }).outcome, 'invalid');
  });

  test('a step both failed and denied is a problem', () => {
    assert.deepEqual(checkScenario(analysis.parsed, { fail: ['security-gate'], deny: ['security-gate'] }).map((p) => p.id), ['security-gate']);
  });

  test('the same scenario in another order, or repeated, gives the same bytes', () => {
    const text = playbook('  - id: a\n    action: diagnose\n    run: x\n    on-failure: continue\n  - id: b\n    action: diagnose\n    run: y\n    on-failure: continue\n');
    const once = json(simulate(checkPlaybook(text), { fail: ['b', 'a'] }));
    assert.equal(json(simulate(checkPlaybook(text), { fail: ['a', 'b', 'a'] })), once);
    assert.equal(json(simulate(checkPlaybook(text), { fail: ['b', 'a'] })), once);
  });

  test('no timestamp unless the caller passes one', () => {
    assert.equal('generatedAt' in simulate(analysis), false);
    assert.equal(simulate(analysis, {}, { generatedAt: '2026-01-02T03:04:05.000Z' }).generatedAt, '2026-01-02T03:04:05.000Z');
  });
});

describe('advisories as of a date', () => {
  const LOG4SHELL = 'GHSA-jfh8-c2jp-5v3q'; // published 2021-12-10T00:40:56Z
  const CASES: ReadonlyArray<[string, boolean]> = [
    ['2021-12-09', false],
    ['2021-12-10T00:40:55Z', false],
    ['2021-12-10', true],
    ['2021-12-10T00:40:56Z', true],
    ['2021-12-10T01:40:56+01:00', true],
  ];
  for (const [asOf, known] of CASES) {
    test(`as of ${asOf}: Log4Shell ${known ? 'known' : 'not yet published'}`, async () => {
      const run = simulate(await example('vulnerable-rollback.playbook.yaml'), {}, { advisoriesAsOf: asOf });
      const search = entry(run, 'roll-back-search');
      assert.equal(search.advisories?.some((a) => a.id === LOG4SHELL) ?? false, known);
      assert.equal(search.findings?.some((f) => f.ruleId === 'PB101') ?? false, known);
      assert.equal(run.summary.standingFindings.some((f) => f.message.includes(LOG4SHELL)), known);
      assert.equal(run.advisories.ignoredAsNotYetPublished.includes(LOG4SHELL), !known);
    });
  }

  test('without a date every advisory counts, and PB101 stands only on versions reached', async () => {
    const analysis = await example('vulnerable-rollback.playbook.yaml');
    const all = simulate(analysis);
    assert.deepEqual(all.summary.standingFindings.filter((f) => f.ruleId === 'PB101').map((f) => analysis.parsed.text.slice(f.range.start, f.range.end)), ['2.14.1', '2.3.0']);
    const failed = simulate(analysis, { fail: ['roll-back-search'] });
    assert.deepEqual(failed.summary.standingFindings.filter((f) => f.ruleId === 'PB101').map((f) => f.line), []);
    assert.equal(entry(failed, 'roll-back-search').advisories?.[0]?.id, LOG4SHELL, 'the failed step still shows what it would have brought');
  });

  test('a record without `published` is dated by its `modified`', () => {
    const record = {
      id: 'ACME-2024-0001', modified: '2024-06-01T00:00:00Z', summary: 'Ledger exports include full account numbers',
      database_specific: { severity: 'HIGH' },
      affected: [{ package: { ecosystem: 'Internal', name: 'acme/ledger', purl: 'pkg:generic/acme/ledger' }, ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '3.0.0' }, { fixed: '3.2.1' }] }] }],
    };
    const advisories: AdvisorySnapshot = { index: new AdvisoryIndex([{ record, source: 'ledger.json' }]), sources: [], problems: [] };
    const text = playbook('  - id: gate\n    action: checkpoint\n    kind: security-review\n  - id: roll-back\n    action: rollback\n    service: ledger\n    to: 3.1.0\n  - id: tell\n    action: notify\n    channel: security\n', {
      services: '  ledger:\n    package: pkg:generic/acme/ledger\n    current: 3.2.1\n    releases: [3.1.0, 3.2.1]\n',
    });
    const ids = (asOf: string): string[] => (entry(simulate(checkPlaybook(text, { advisories }), {}, { advisoriesAsOf: asOf }), 'roll-back').advisories ?? []).map((a) => a.id);
    assert.deepEqual(ids('2024-05-31'), []);
    assert.deepEqual(ids('2024-06-01'), ['ACME-2024-0001']);
  });

  const DATES: ReadonlyArray<[string, number | undefined]> = [
    ['2021-12-09', Date.UTC(2021, 11, 10) - 1],
    ['2021-12-09T12:00:00Z', Date.UTC(2021, 11, 9, 12)],
    ['2021-02-30', undefined],
    ['2021-02-30T00:00:00Z', undefined],
    ['2021-12-9', undefined],
    ['yesterday', undefined],
    ['2021-12-09T12:00', undefined],
  ];
  for (const [text, instant] of DATES) {
    test(`asOfInstant(${text})`, () => assert.equal(asOfInstant(text), instant));
  }
  test('an invalid date is refused', () => {
    assert.equal(simulate(checkPlaybook(REQUIRES_PLAYBOOK), {}, { advisoriesAsOf: '2021-02-30' }).outcome, 'invalid');
  });
});

describe('reports', () => {
  test('text: an entry per step, wrapped under its words, the outcome and the statement that nothing ran', async () => {
    const text = renderText(simulate(await example('checkout-outage.playbook.yaml'), { fail: ['roll-back'] }));
    assert.match(text, /^Nothing was executed/m);
    assert.match(text, /^ 14\. failed {3}roll-back {13}would roll back checkout from 2\.4\.0 to 2\.3\.1\n {36}→ escalate \(on-failure\)$/m);
    assert.match(text, /^ {2}6\. ran {6}let-it-settle {9}would wait 10m {2}→ recheck-errors$/m);
    assert.match(text, /^Outcome: resolved: the run reached the end of the playbook through its `on-failure` handling\n {2}\(roll-back failed\)$/m);
  });

  test('markdown cells escape pipes, in code spans too', () => {
    const text = playbook('  - id: grep-errors\n    action: diagnose\n    run: "kubectl logs api | grep -c ERROR"\n');
    const markdown = renderMarkdown(simulate(checkPlaybook(text)));
    assert.ok(markdown.includes('| would diagnose by running `kubectl logs api \\| grep -c ERROR` |'), markdown);
  });
});

describe('no side effects', () => {
  const FORBIDDEN = /^(node:)?(child_process|net|http|https|http2|dgram|tls|worker_threads|fs|fs\/promises)$/;

  test("the simulator's module graph reaches no process, network, thread or file module", async () => {
    const result = await build({ entryPoints: [path.join(ROOT, 'server/src/core/dryrun/index.ts')], bundle: true, write: false, metafile: true, platform: 'node', logLevel: 'silent' });
    const inputs = Object.entries(result.metafile.inputs);
    assert.ok(inputs.some(([file]) => file.endsWith('dryrun/simulate.ts')), 'the bundle holds the simulator');
    const reached = inputs.flatMap(([file, input]) => [file, ...input.imports.map((i) => i.path)].filter((p) => FORBIDDEN.test(p)).map((p) => `${file} → ${p}`));
    assert.deepEqual(reached, []);
  });

  test('the check itself catches a forbidden module (guards against a pattern that never matches)', async () => {
    const result = await build({ stdin: { contents: "import { execFile } from 'node:child_process'; import * as fs from 'fs'; export { execFile, fs };", resolveDir: ROOT }, bundle: true, write: false, metafile: true, platform: 'node', logLevel: 'silent' });
    const paths = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    assert.deepEqual(paths.filter((p) => FORBIDDEN.test(p)).sort(), ['fs', 'node:child_process']);
  });
});
