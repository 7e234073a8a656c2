/**
 * `playbook releases`: every service's known releases, clear, affected or not checked, with the
 * SBOM used and security's VEX decisions, on real data: the dropwizard 1.3.15 SBOM, the GitHub
 * advisories on its components and the OpenVEX statement on its logback-core
 * (test/fixtures/sbom/, see SOURCE.md, osv/INDEX.md and vex/README.md).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';
import { guardedRollback } from '../unit/helpers/guardedRollback.js';
import { assertNoSecret, SECRET_PLAYBOOK } from '../unit/helpers/secretPlaybook.js';
import { SBOM_ADVISORIES, SBOM_DIR } from '../unit/helpers/sbomFixtures.js';

const DROPWIZARD_SBOM = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');
const OPENVEX = readFileSync(path.join(SBOM_DIR, 'vex/dropwizard-1.3.15.openvex.json'), 'utf8');
const ADVISORIES = SBOM_ADVISORIES;

const API = `  api:
    package: pkg:maven/io.dropwizard/dropwizard-parent
    current: 1.3.29
    releases: [1.3.15, 1.3.29]`;

const WORKER = `  worker:
    current: 2.0.0
    releases: [1.9.0]`;

function playbook(services: string): string {
  return guardedRollback({ id: 'api-outage', services, service: 'api', to: '1.3.15' });
}

/** The workspace the brief describes: the SBOM found in .playbooks/sboms, the advisories, the OpenVEX document. */
function dropwizardWorkspace(files: Record<string, string> = {}): string {
  return workspace({
    ...ADVISORIES,
    '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM,
    '.playbooks/vex/dropwizard.openvex.json': OPENVEX,
    'api.playbook.yaml': playbook(`${API}\n${WORKER}`),
    ...files,
  });
}

interface Component { name: string; version: string | null; purl: string | null }
interface Release {
  version: string;
  current: boolean;
  status: 'clear' | 'affected' | 'not-checked';
  why?: string;
  sbom?: { path: string; from: string };
  sbomProblem?: { path: string; problem: string };
  advisories: Array<{ id: string; aliases: string[]; severity: string | null; summary: string | null; fixed: string[]; component?: Component }>;
  decided: Array<{ id: string; aliases: string[]; severity: string | null; component?: Component; status: string; justification?: string; impactStatement?: string; vex: string }>;
}
interface Report {
  version: number;
  playbooks: Array<{ path: string; services: Array<{ name: string; package?: string; current?: string; releases: Release[] }> }>;
  totals: Record<string, number>;
}

async function json(dir: string, ...args: string[]): Promise<Report> {
  const r = await cli(['releases', ...args, '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Report;
}

function release(report: Report, service: string, version: string): Release {
  const found = report.playbooks.flatMap((p) => p.services).find((s) => s.name === service)?.releases.find((r) => r.version === version);
  assert.ok(found, `${service} ${version} is reported`);
  return found;
}

describe('playbook releases: text', () => {
  test('one block per service, one line per release newest first, its SBOM, advisories worst first and VEX decisions; a summary', async () => {
    const r = await cli(['releases'], dropwizardWorkspace());
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `api.playbook.yaml
  service "api", package pkg:maven/io.dropwizard/dropwizard-parent, current 1.3.29
    1.3.29 (current): clear
      no SBOM: only the service's own package was checked
    1.3.15: affected by 4 advisories, worst CRITICAL
      SBOM .playbooks/sboms/dropwizard-1.3.15.cdx.json (found in the policy's sboms folder)
      CRITICAL GHSA-45hx-wfhj-473x (CVE-2022-23221) on h2@1.4.197, fixed in 2.1.210: Arbitrary code execution in H2 Console
      HIGH GHSA-3mc7-4q67-w48m (CVE-2022-25857) on snakeyaml@1.23, fixed in 1.31: Uncontrolled Resource Consumption in snakeyaml
      HIGH GHSA-jjjh-jjxp-wpff (CVE-2022-42003) on jackson-databind@2.9.10, fixed in 2.12.7.1, 2.13.4.1: Uncontrolled Resource Consumption in Jackson-databind
      MODERATE GHSA-7g45-4rm6-3mm3 (CVE-2023-2976) on guava@24.1.1-jre, fixed in 32.0.0: Guava vulnerable to insecure use of temporary directory
      decided by VEX: GHSA-668q-qrv7-99fm (CVE-2021-42550) on logback-core@1.2.3 is not_affected: vulnerable_code_cannot_be_controlled_by_adversary; CVE-2021-42550 needs an attacker who can edit the logback configuration. The configuration is built into the release image and mounted read-only; only the deploy pipeline can change it. (in .playbooks/vex/dropwizard.openvex.json)
  service "worker", no package, current 2.0.0
    2.0.0 (current): not checked: service "worker" names no "package" to match advisories on, and this release has no SBOM
    1.9.0: not checked: service "worker" names no "package" to match advisories on, and this release has no SBOM

2 services, 4 releases: 1 clear, 1 affected, 2 not checked
`);
  });

  test('no backticks, and the same releases whatever the default path is spelt as', async () => {
    const dir = dropwizardWorkspace({ 'more/other.playbook.yaml': playbook(API), 'more/broken.playbook.yaml': playbook(API).replace('current: 1.3.29', 'sbom: missing/{version}.json\n    current: 1.3.29') });
    const r = await cli(['releases'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('`'), r.stdout);
    assert.deepEqual(r.stdout.split('\n').filter((l) => /^\S/.test(l)), ['api.playbook.yaml', 'more/broken.playbook.yaml', 'more/other.playbook.yaml', '4 services, 8 releases: 2 clear, 2 affected, 4 not checked']);
    assert.equal((await cli(['releases', '.'], dir)).stdout, r.stdout);
  });
});

describe('playbook releases: JSON', () => {
  test('the documented shape: version, playbooks, services, releases with status, SBOM, advisories and decisions, totals', async () => {
    const report = await json(dropwizardWorkspace());
    assert.equal(report.version, 1);
    assert.deepEqual(report.totals, { services: 2, releases: 4, clear: 1, affected: 1, 'not-checked': 2 });
    assert.deepEqual(report.playbooks.map((p) => ({ path: p.path, services: p.services.map((s) => ({ name: s.name, package: s.package, current: s.current, versions: s.releases.map((r) => [r.version, r.current, r.status]) })) })), [
      {
        path: 'api.playbook.yaml',
        services: [
          { name: 'api', package: 'pkg:maven/io.dropwizard/dropwizard-parent', current: '1.3.29', versions: [['1.3.29', true, 'clear'], ['1.3.15', false, 'affected']] },
          { name: 'worker', package: undefined, current: '2.0.0', versions: [['2.0.0', true, 'not-checked'], ['1.9.0', false, 'not-checked']] },
        ],
      },
    ]);
    assert.deepEqual(release(report, 'api', '1.3.29'), { version: '1.3.29', current: true, status: 'clear', advisories: [], decided: [] });
    const affected = release(report, 'api', '1.3.15');
    assert.deepEqual(affected.sbom, { path: '.playbooks/sboms/dropwizard-1.3.15.cdx.json', from: 'found' });
    assert.equal(affected.why, undefined);
    assert.deepEqual(affected.advisories[0], {
      id: 'GHSA-45hx-wfhj-473x',
      aliases: ['CVE-2022-23221'],
      severity: 'CRITICAL',
      summary: 'Arbitrary code execution in H2 Console',
      fixed: ['2.1.210'],
      component: { name: 'h2', version: '1.4.197', purl: 'pkg:maven/com.h2database/h2@1.4.197?type=jar' },
    });
    assert.deepEqual(affected.advisories.map((a) => [a.id, a.severity]), [['GHSA-45hx-wfhj-473x', 'CRITICAL'], ['GHSA-3mc7-4q67-w48m', 'HIGH'], ['GHSA-jjjh-jjxp-wpff', 'HIGH'], ['GHSA-7g45-4rm6-3mm3', 'MODERATE']]);
    assert.deepEqual(release(report, 'worker', '1.9.0'), { version: '1.9.0', current: false, status: 'not-checked', why: 'service "worker" names no "package" to match advisories on, and this release has no SBOM', advisories: [], decided: [] });
  });

  test('the VEX decision: the logback advisory is decided, naming the document, its justification and impact statement; without the document it stands', async () => {
    const decided = release(await json(dropwizardWorkspace()), 'api', '1.3.15').decided;
    assert.deepEqual(decided, [{
      id: 'GHSA-668q-qrv7-99fm',
      aliases: ['CVE-2021-42550'],
      severity: 'MODERATE',
      component: { name: 'logback-core', version: '1.2.3', purl: 'pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar' },
      status: 'not_affected',
      justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
      impactStatement: 'CVE-2021-42550 needs an attacker who can edit the logback configuration. The configuration is built into the release image and mounted read-only; only the deploy pipeline can change it.',
      vex: '.playbooks/vex/dropwizard.openvex.json',
    }]);
    const withoutVex = workspace({ ...ADVISORIES, '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM, 'api.playbook.yaml': playbook(API) });
    const standing = release(await json(withoutVex), 'api', '1.3.15');
    assert.deepEqual(standing.decided, []);
    assert.deepEqual(standing.advisories.map((a) => [a.id, a.component?.name]), [['GHSA-45hx-wfhj-473x', 'h2'], ['GHSA-3mc7-4q67-w48m', 'snakeyaml'], ['GHSA-jjjh-jjxp-wpff', 'jackson-databind'], ['GHSA-668q-qrv7-99fm', 'logback-core'], ['GHSA-7g45-4rm6-3mm3', 'guava']]);
  });

  // The dropwizard SBOM with its root component (metadata.component, the first "version") at another release.
  const asRelease = (version: string): string => DROPWIZARD_SBOM.replace('"version": "1.3.15"', `"version": "${version}"`).replaceAll('dropwizard-parent@1.3.15', `dropwizard-parent@${version}`);

  test('SBOMs named by the release and by the service\'s template; newest first in Maven\'s order, not the text\'s', async () => {
    const services = `  api:
    package: pkg:maven/io.dropwizard/dropwizard-parent
    sbom: sboms/api-{version}.cdx.json
    releases:
      - 1.3.9
      - version: 1.3.15
        sbom: pinned/dropwizard.cdx.json
      - 1.3.29`;
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(services), 'pinned/dropwizard.cdx.json': DROPWIZARD_SBOM, 'sboms/api-1.3.29.cdx.json': asRelease('1.3.29') });
    const api = (await json(dir)).playbooks[0]!.services[0]!;
    assert.deepEqual(api.releases.map((r) => [r.version, r.status, r.sbom ?? r.sbomProblem?.path]), [
      ['1.3.29', 'affected', { path: 'sboms/api-1.3.29.cdx.json', from: 'service' }],
      ['1.3.15', 'affected', { path: 'pinned/dropwizard.cdx.json', from: 'release' }],
      ['1.3.9', 'not-checked', 'sboms/api-1.3.9.cdx.json'],
    ]);
  });
});

describe('playbook releases: not checked, and why', () => {
  test('no advisory records loaded: every release, with the SBOM it would use', async () => {
    const dir = workspace({ '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM, 'api.playbook.yaml': playbook(API) });
    const report = await json(dir);
    assert.deepEqual(report.playbooks[0]!.services[0]!.releases.map((r) => [r.version, r.status, r.why, r.sbom?.from]), [
      ['1.3.29', 'not-checked', 'no advisory records are loaded', undefined],
      ['1.3.15', 'not-checked', 'no advisory records are loaded', 'found'],
    ]);
  });

  test('an SBOM the playbook names that cannot be used: not clear, though the service\'s own package is', async () => {
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(API.replace('current: 1.3.29', 'sbom: sboms/{version}.cdx.json\n    current: 1.3.29')) });
    const r = await cli(['releases'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {4}1\.3\.15: not checked: the SBOM the playbook names for it cannot be used, so its components are not checked\n {6}SBOM sboms\/1\.3\.15\.cdx\.json cannot be used: cannot be read \(no such file or directory\)$/m);
    const rel = release(await json(dir), 'api', '1.3.15');
    assert.deepEqual([rel.status, rel.sbomProblem], ['not-checked', { path: 'sboms/1.3.15.cdx.json', problem: 'cannot be read (no such file or directory)' }]);
  });

  test('a version the service\'s ecosystem cannot read', async () => {
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook('  api:\n    package: pkg:npm/api\n    releases: [1.0.0, banana]') });
    const rel = release(await json(dir), 'api', 'banana');
    assert.deepEqual([rel.status, rel.why], ['not-checked', '"banana" is not a valid npm version, so advisories cannot be checked for it']);
    assert.deepEqual((await json(dir)).playbooks[0]!.services[0]!.releases.map((r) => r.version), ['1.0.0', 'banana']);
  });
});

describe('playbook releases: usage and unreadable input', () => {
  const CASES: ReadonlyArray<[string, string[], RegExp]> = [
    ['an unknown flag', ['--bogus'], /^playbook: unknown option '--bogus' for releases$/m],
    ['a --format it does not write', ['--format', 'sarif'], /^playbook: --format must be one of text, json \(got sarif\)$/m],
    ['a path that names nothing', ['missing.playbook.yaml'], /^playbook: missing\.playbook\.yaml: no such file or directory$/m],
    ['a folder with no playbooks', ['.playbooks'], /^playbook: \.playbooks: no \*\.playbook\.yaml or \*\.playbook\.yml files in this folder$/m],
    ['a policy that cannot be read', ['--policy', 'nowhere.yaml'], /^playbook: nowhere\.yaml: the policy file cannot be read \(no such file or directory\)/m],
  ];
  for (const [what, args, message] of CASES) {
    test(`exit 2: ${what}`, async () => {
      const r = await cli(['releases', ...args], dropwizardWorkspace());
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('an unreadable path beside a readable one: the readable one is still reported, exit 2', async () => {
    const r = await cli(['releases', 'api.playbook.yaml', 'missing.playbook.yaml'], dropwizardWorkspace());
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^2 services, 4 releases: 1 clear, 1 affected, 2 not checked$/m);
  });

  test('exit 0 whatever the status; --help prints the command\'s own usage; the top-level help lists it', async () => {
    const dir = dropwizardWorkspace();
    assert.equal((await cli(['releases', 'api.playbook.yaml'], dir)).code, 0);
    const own = await cli(['releases', '--help'], dir);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /^Usage: playbook releases \[paths\.\.\.\] \[options\]$/m);
    assert.doesNotMatch(own.stdout, /Options for check/);
    assert.match((await cli(['--help'], dir)).stdout, /^ {2}releases \[paths\.\.\.\] /m);
  });
});

describe('playbook releases: no secret shows', () => {
  const SECRETS = `  api:
    package: "pkg:generic/acme/api?token=IQHuJx4771hCMnhq"
    current: password=RXfyRa7946boBdJt
    sbom: "sboms/{version}.json?token=JepkEP9426sgyUof"
    releases: [1.0.0, "token=tqSfbs5889ccbTUr"]`;

  for (const format of ['text', 'json']) {
    test(`--format ${format}: secrets in a service's package, versions and SBOM path, and the secret-drill playbook`, async () => {
      const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(SECRETS), 'drill.playbook.yaml': SECRET_PLAYBOOK });
      const r = await cli(['releases', '--format', format], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /•••/);
      assertNoSecret(r.stdout + r.stderr, `releases --format ${format}`);
    });
  }
});
