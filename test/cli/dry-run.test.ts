/** `playbook dry-run`: exit codes, formats, --out, usage problems, and byte-identical runs. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';

const ROOT = path.join(__dirname, '../..');
const CHECKOUT = 'examples/checkout-outage.playbook.yaml';
const VULNERABLE = 'examples/vulnerable-rollback.playbook.yaml';
const golden = (name: string): string => readFileSync(path.join(ROOT, 'test/fixtures/dryrun', name), 'utf8');

/** The text report's paragraph that starts with `start` at the start of a line: that line and the ones wrapped under it, joined. */
function paragraph(text: string, start: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(start));
  if (at === -1) return '';
  const indent = lines[at]!.length - lines[at]!.trimStart().length;
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => l.length - l.trimStart().length <= indent || l.trim() === '');
  return [lines[at]!, ...(end === -1 ? rest : rest.slice(0, end))].map((l) => l.trim()).join(' ');
}

/** Every file under `dir`, relative, sorted. */
function filesIn(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesIn(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name).split(path.sep).join('/')]))
    .sort();
}

/** A copy of the checkout example with its policy and advisories, in a fresh folder. */
function exampleWorkspace(): string {
  const copy = (file: string): string => readFileSync(path.join(ROOT, 'examples', file), 'utf8');
  return workspace({
    'checkout-outage.playbook.yaml': copy('checkout-outage.playbook.yaml'),
    '.playbooks/policy.yaml': copy('.playbooks/policy.yaml'),
    '.playbooks/advisories/ACME-2026-0001.json': copy('.playbooks/advisories/ACME-2026-0001.json'),
    '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': copy('.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json'),
    '.playbooks/advisories/GHSA-jjjh-jjxp-wpff.json': copy('.playbooks/advisories/GHSA-jjjh-jjxp-wpff.json'),
  });
}

describe('playbook dry-run: exit codes', () => {
  const CASES: ReadonlyArray<[string, string[], number]> = [
    ['resolved, security notified', [CHECKOUT], 0],
    ['a failed rollback that escalates still resolves', [CHECKOUT, '--fail', 'roll-back'], 0],
    ['the notification to security fails', [CHECKOUT, '--fail', 'tell-security'], 1],
    ['the first step fails and aborts', [CHECKOUT, '--fail', 'triage-pods'], 1],
    ['security is never told of the rollback', ['examples/unguarded-rollback.playbook.yaml'], 1],
    ['the flow cannot be known (PB003, PB004, PB007)', ['examples/structure-errors.playbook.yaml'], 1],
  ];
  for (const [what, args, code] of CASES) {
    test(`${code}: ${what}`, async () => {
      const r = await cli(['dry-run', ...args], ROOT);
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.equal(r.stderr, '');
    });
  }

  test('a refused playbook says why, with the findings to fix', async () => {
    const r = await cli(['dry-run', 'examples/structure-errors.playbook.yaml'], ROOT);
    assert.match(r.stdout, /^Outcome: invalid: the playbook could not be rehearsed$/m);
    assert.match(r.stdout, /^ {2}line 58 error PB007 step `recheck`: `on-failure` goes back to `settle`/m);
  });
});

describe('playbook dry-run: usage problems exit 2 and say what is wrong', () => {
  const CASES: ReadonlyArray<[string, string[], RegExp]> = [
    ['an unknown --fail id, with the ids listed', [CHECKOUT, '--fail', 'roll-bak'], /^playbook: --fail roll-bak: no step has the id `roll-bak`; did you mean `roll-back`\? The steps are: `triage-pods`, .*`review`\.$/m],
    ['--deny on a step that is not a checkpoint', [CHECKOUT, '--deny', 'roll-back'], /^playbook: --deny roll-back: `roll-back` is not a checkpoint.*The checkpoints are: `db-access-review`, `security-review`\.$/m],
    ['an invalid date', [CHECKOUT, '--advisories-as-of', '2021-02-30'], /^playbook: --advisories-as-of takes an ISO date \(2021-12-09\) or date-time \(2021-12-09T12:00:00Z\), got 2021-02-30$/m],
    ['an unreadable file', ['examples/missing.playbook.yaml'], /^playbook: examples\/missing\.playbook\.yaml: no such file or directory$/m],
    ['an unreadable file with a line break in its name, on one line', ['examples/mis\nsing.playbook.yaml'], /^playbook: examples\/mis\\nsing\.playbook\.yaml: no such file or directory\n$/],
    ['no file', [], /'dry-run' takes one playbook file \(got 0\)/],
    ['two files', [CHECKOUT, VULNERABLE], /'dry-run' takes one playbook file \(got 2\)/],
    ['an unknown format', [CHECKOUT, '--format', 'sarif'], /--format must be one of text, json, markdown \(got sarif\)/],
  ];
  for (const [what, args, message] of CASES) {
    test(what, async () => {
      const r = await cli(['dry-run', ...args], ROOT);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  test('several scenario problems are all reported', async () => {
    const r = await cli(['dry-run', CHECKOUT, '--fail', 'nope,roll-back', '--deny', 'nada'], ROOT);
    assert.equal(r.code, 2);
    assert.deepEqual(r.stderr.trim().split('\n').map((l) => l.split(':').slice(0, 2).join(':')), ['playbook: --fail nope', 'playbook: --deny nada']);
  });
});

describe('playbook dry-run: formats', () => {
  test('json is the simulator\'s data, equal to the golden trace', async () => {
    const r = await cli(['dry-run', CHECKOUT, '--format', 'json'], ROOT);
    assert.equal(r.stdout, golden('checkout-outage.all-succeed.json'));
    const failed = await cli(['dry-run', CHECKOUT, '-f', 'json', '--fail', 'roll-back'], ROOT);
    assert.equal(failed.stdout, golden('checkout-outage.fail-roll-back.json'));
  });

  test('markdown is the ticket report, equal to the golden report', async () => {
    const r = await cli(['dry-run', CHECKOUT, '--format', 'markdown'], ROOT);
    assert.equal(r.stdout, golden('checkout-outage.all-succeed.md'));
  });

  test('text names the playbook, the scenario, each step and the outcome', async () => {
    const r = await cli(['dry-run', CHECKOUT, '--deny', 'security-review'], ROOT);
    assert.match(r.stdout, /^Dry-run of checkout-outage: Checkout error rate above SLO \(examples\/checkout-outage\.playbook\.yaml\)$/m);
    assert.match(r.stdout, /^Scenario: deny security-review; every other step succeeds$/m);
    assert.match(r.stdout, /^ 13\. denied +security-review +would ask security \(@secops-oncall\) for approval\n {36}\(security-review\) {2}→ escalate \(on-failure\)$/m);
    assert.match(r.stdout, /^Checkpoints: approved db-access-review; denied security-review; failed none$/m);
  });

  test('--advisories-as-of replays what was known: no Log4Shell finding before its publication', async () => {
    const now = JSON.parse((await cli(['dry-run', VULNERABLE, '-f', 'json'], ROOT)).stdout);
    const before = JSON.parse((await cli(['dry-run', VULNERABLE, '-f', 'json', '--advisories-as-of', '2021-12-09'], ROOT)).stdout);
    const pb101 = (run: { summary: { standingFindings: Array<{ ruleId: string; line: number }> } }): number[] => run.summary.standingFindings.filter((f) => f.ruleId === 'PB101').map((f) => f.line);
    assert.deepEqual(pb101(now), [38, 49]);
    assert.deepEqual(pb101(before), []);
    assert.equal(before.scenario.advisoriesAsOf, '2021-12-09');
  });

  test('two runs are byte-identical in every format; --timestamp adds the time', async () => {
    for (const format of ['text', 'json', 'markdown']) {
      const args = ['dry-run', VULNERABLE, '--format', format, '--fail', 'deploy-hotfix'];
      const [a, b] = [await cli(args, ROOT), await cli(args, ROOT)];
      assert.equal(a.stdout, b.stdout, format);
      assert.doesNotMatch(a.stdout, /generatedAt|Generated at/, format);
    }
    const stamped = JSON.parse((await cli(['dry-run', CHECKOUT, '-f', 'json', '--timestamp'], ROOT)).stdout);
    assert.match(stamped.generatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('playbook dry-run: --out', () => {
  test('writes the report (creating folders) and nothing else', async () => {
    const dir = exampleWorkspace();
    const before = filesIn(dir);
    const r = await cli(['dry-run', 'checkout-outage.playbook.yaml', '--format', 'markdown', '--out', 'reports/2026/checkout.md'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'checkout-outage: resolved, security notified: yes; report written to reports/2026/checkout.md\n');
    assert.deepEqual(filesIn(dir), [...before, 'reports/2026/checkout.md'].sort());
    const report = readFileSync(path.join(dir, 'reports/2026/checkout.md'), 'utf8');
    assert.equal(report, golden('checkout-outage.all-succeed.md').replace('`examples/checkout-outage.playbook.yaml`', '`checkout-outage.playbook.yaml`'));
  });

  test('a run that is not clean still writes its report and exits 1', async () => {
    const dir = exampleWorkspace();
    const r = await cli(['dry-run', 'checkout-outage.playbook.yaml', '-f', 'json', '-o', 'out.json', '--fail', 'tell-security'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'checkout-outage: resolved, security notified: no; report written to out.json\n');
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')).summary.securityNotified, false);
  });
});

describe('playbook dry-run: the outcome says what stands against the run, and the exit code follows', () => {
  test('a rollback to a CRITICAL release resolves, but says so and exits 1', async () => {
    const r = await cli(['dry-run', VULNERABLE], ROOT);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(paragraph(r.stdout, 'Outcome: '), 'Outcome: resolved, but brings back a vulnerable release: the run reached the end of the playbook; error-level findings stand against it: roll-back-search brings back a vulnerable release: 2.14.1 has GHSA-jfh8-c2jp-5v3q (CVE-2021-44228), CRITICAL (PB101); roll-back-checkout brings back a vulnerable release: 2.3.0 has ACME-2026-0001, HIGH (PB101)');
    assert.match(r.stdout, /^Security notified after every change: yes$/m);
    const markdown = await cli(['dry-run', VULNERABLE, '-f', 'markdown'], ROOT);
    assert.equal(markdown.code, 1);
    assert.match(markdown.stdout, /^\| Outcome \| \*\*resolved, but brings back a vulnerable release: the run reached the end of the playbook; error-level findings stand against it: roll-back-search brings back a vulnerable release/m);
    const json = JSON.parse((await cli(['dry-run', VULNERABLE, '-f', 'json'], ROOT)).stdout);
    assert.equal(json.outcome, 'resolved');
    assert.equal(json.verdict, 'resolved, but brings back a vulnerable release');
    assert.equal(json.summary.standingErrors.length, 2);
  });

  test('--out says it in its one line', async () => {
    const dir = workspace({ 'vulnerable.playbook.yaml': readFileSync(path.join(ROOT, VULNERABLE), 'utf8') });
    const r = await cli(['dry-run', 'vulnerable.playbook.yaml', '-o', 'out.md', '--policy', path.join(ROOT, 'examples/.playbooks/policy.yaml')], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, 'release-train-rollback: resolved, but brings back a vulnerable release, security notified: yes; report written to out.md\n');
  });

  test('the same run before the advisories were published is clean and exits 0: a warning that stands does not fail it', async () => {
    const r = await cli(['dry-run', VULNERABLE, '--advisories-as-of', '2021-12-09'], ROOT);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^Outcome: resolved: the run reached the end of the playbook$/m);
    assert.match(r.stdout, /^Findings that stand:\n {2}line 60 warning PB108 /m);
  });

  test('an error-level finding on the playbook as a whole stands on every path (no security owner, PB103)', async () => {
    const noOwner = readFileSync(path.join(ROOT, CHECKOUT), 'utf8').replace(/^ {2}security: "@secops-oncall".*\n/m, '');
    const dir = exampleWorkspace();
    writeFileSync(path.join(dir, 'checkout-outage.playbook.yaml'), noOwner);
    const r = await cli(['dry-run', 'checkout-outage.playbook.yaml'], dir);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(paragraph(r.stdout, 'Outcome: '), 'Outcome: resolved, but names no security owner: the run reached the end of the playbook; error-level findings stand against it: the playbook names no security owner (PB103)');
  });

  test('a notify to a `security` channel the playbook does not declare tells no one: exit 1', async () => {
    const undeclared = readFileSync(path.join(ROOT, CHECKOUT), 'utf8').replace(/^ {2}security: "#sec-incidents".*\n/m, '');
    const dir = exampleWorkspace();
    writeFileSync(path.join(dir, 'checkout-outage.playbook.yaml'), undeclared);
    const r = await cli(['dry-run', 'checkout-outage.playbook.yaml'], dir);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /^Security notified after every change: no: security was not told of grant-db-read, roll-back$/m);
    assert.match(paragraph(r.stdout, ' 10. ran      tell-security-access'), /would notify security \(`channels` has no `security` key, so the message reaches no one\)/);
    assert.match(r.stdout, /^ {2}CC2\.2 not evidenced: security was not told of grant-db-read, roll-back$/m);
  });
});

test('--help lists the dry-run command and its options', async () => {
  const r = await cli(['dry-run', '--help'], ROOT);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^ {2}dry-run <file> /m);
  assert.match(r.stdout, /--advisories-as-of <date>/);
  assert.match(r.stdout, /^dry-run: 0 resolved, security notified after every change, and no error-level finding stands/m);
});

describe('playbook dry-run: releases through their SBOMs', () => {
  test('the trace says which component the rollback brings back, from the target release\'s SBOM', async () => {
    const r = await cli(['dry-run', 'examples/sbom-rollback.playbook.yaml', '--format', 'json'], ROOT);
    const run = JSON.parse(r.stdout) as { trace: Array<{ step: string; advisories?: Array<{ id: string; component?: { name: string; version: string | null } }> }> };
    const rollBack = run.trace.find((e) => e.step === 'roll-back')!;
    assert.deepEqual(rollBack.advisories?.map((a) => [a.id, a.component?.name, a.component?.version]), [['GHSA-jfh8-c2jp-5v3q', 'log4j-core', '2.14.1']]);
    const text = await cli(['dry-run', 'examples/sbom-rollback.playbook.yaml'], ROOT);
    assert.match(paragraph(text.stdout, '       advisory '), /^advisory GHSA-jfh8-c2jp-5v3q \(CVE-2021-44228\) on log4j-core 2\.14\.1 \(the release brings it back\), CRITICAL/);
  });
});
