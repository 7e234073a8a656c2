/**
 * `playbook check` on releases through their SBOMs and security's VEX decisions (spec sections 8
 * and 9), with real data: the dropwizard 1.3.15 SBOM (CycloneDX 1.2, 167 components), the GitHub
 * advisories on its components and the OpenVEX statement on its logback-core
 * (test/fixtures/sbom/, see SOURCE.md and osv/INDEX.md).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';
import { guardedRollback } from '../unit/helpers/guardedRollback.js';
import { SBOM_ADVISORIES, SBOM_DIR } from '../unit/helpers/sbomFixtures.js';

const DROPWIZARD_SBOM = readFileSync(path.join(SBOM_DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8');
const OPENVEX = readFileSync(path.join(SBOM_DIR, 'vex/dropwizard-1.3.15.openvex.json'), 'utf8');
const ADVISORIES = SBOM_ADVISORIES;

/** The advisories INDEX.md says affect dropwizard 1.3.15's components, worst first. */
const AFFECTING = ['GHSA-45hx-wfhj-473x', 'GHSA-3mc7-4q67-w48m', 'GHSA-jjjh-jjxp-wpff', 'GHSA-668q-qrv7-99fm', 'GHSA-7g45-4rm6-3mm3'];

function playbook(service: string): string {
  return guardedRollback({ id: 'api-outage', services: service, service: 'api', to: '1.3.15' });
}

const FOUND = `  api:
    package: pkg:maven/io.dropwizard/dropwizard-parent
    current: 1.3.29
    releases: [1.3.15, 1.3.29]`;

const TEMPLATE = `  api:
    current: 1.3.29
    sbom: sboms/api/{version}.cdx.json
    releases: [1.3.15, 1.3.29]`;

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  related?: Array<{ message: string; file: string; startLine?: number; startColumn?: number }>;
  data?: Record<string, unknown>;
  reason?: string;
  vex?: string;
}

async function check(files: Record<string, string>, ...flags: string[]): Promise<{ code: number; findings: JsonFinding[]; suppressed: JsonFinding[]; stderr: string }> {
  const dir = workspace({ ...ADVISORIES, ...files });
  const result = await cli(['check', 'api.playbook.yaml', '--format', 'json', ...flags], dir);
  const { files: reports } = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: JsonFinding[]; suppressed?: JsonFinding[] }> };
  const report = reports.find((r) => r.path === 'api.playbook.yaml')!;
  return { code: result.code, findings: report.findings, suppressed: report.suppressed ?? [], stderr: result.stderr };
}

describe('playbook check: a rollback checked through the target release\'s SBOM', () => {
  test('an SBOM found in .playbooks/sboms by its root component: one PB101 for the step, the worst advisory first, every component and advisory related', async () => {
    const { code, findings } = await check({ 'api.playbook.yaml': playbook(FOUND), '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM });
    assert.equal(code, 1);
    const pb101 = findings.filter((f) => f.ruleId === 'PB101');
    assert.equal(pb101.length, 1, pb101.map((f) => f.message).join('\n'));
    const [finding] = pb101 as [JsonFinding];
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /^step `roll-back` rolls back to `1\.3\.15` of `api`, whose SBOM lists h2 1\.4\.197, which GHSA-45hx-wfhj-473x \(CVE-2022-23221\) affects, severity CRITICAL: .*; h2 is fixed in 2\.1\.210; and 4 more advisories on 5 components$/);
    assert.deepEqual((finding.data!['components'] as Array<{ advisories: string[] }>).flatMap((c) => c.advisories).sort(), [...AFFECTING].sort());
    const h2 = finding.related!.find((r) => r.message.startsWith('h2 1.4.197'));
    assert.deepEqual(h2 && { file: h2.file, line: h2.startLine, column: h2.startColumn }, { file: '.playbooks/sboms/dropwizard-1.3.15.cdx.json', line: 9521, column: 5 });
    for (const id of AFFECTING) assert.ok(finding.related!.some((r) => r.file === `.playbooks/advisories/${id}.json`), `${id} is related`);
  });

  test('an SBOM named by the service\'s template, with no package: the same finding', async () => {
    const { findings } = await check({ 'api.playbook.yaml': playbook(TEMPLATE), 'sboms/api/1.3.15.cdx.json': DROPWIZARD_SBOM });
    const pb101 = findings.filter((f) => f.ruleId === 'PB101');
    assert.equal(pb101.length, 1);
    assert.match(pb101[0]!.message, /whose SBOM lists h2 1\.4\.197, which GHSA-45hx-wfhj-473x/);
    assert.equal(pb101[0]!.related!.find((r) => r.message.startsWith('h2'))!.file, 'sboms/api/1.3.15.cdx.json');
  });

  test('security\'s OpenVEX statement removes the logback advisory: the finding counts one fewer, and --show-suppressed lists what VEX removed', async () => {
    const files = { 'api.playbook.yaml': playbook(FOUND), '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM, '.playbooks/vex/dropwizard.openvex.json': OPENVEX };
    const { findings, suppressed } = await check(files, '--show-suppressed');
    const pb101 = findings.filter((f) => f.ruleId === 'PB101');
    assert.equal(pb101.length, 1);
    assert.match(pb101[0]!.message, /; and 3 more advisories on 4 components$/);
    assert.ok(!(pb101[0]!.data!['components'] as Array<{ advisories: string[] }>).some((c) => c.advisories.includes('GHSA-668q-qrv7-99fm')));
    assert.equal(suppressed.length, 1);
    assert.match(suppressed[0]!.message, /logback-core 1\.2\.3, which GHSA-668q-qrv7-99fm/);
    assert.equal(suppressed[0]!.vex, '.playbooks/vex/dropwizard.openvex.json');
    assert.match(suppressed[0]!.reason!, /^not_affected: vulnerable_code_cannot_be_controlled_by_adversary: CVE-2021-42550 needs an attacker/);
  });

  test('SARIF: the VEX decision is an external suppression with its justification', async () => {
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(FOUND), '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM, '.playbooks/vex/dropwizard.openvex.json': OPENVEX });
    const result = await cli(['check', 'api.playbook.yaml', '--format', 'sarif'], dir);
    const results = (JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification: string }>; relatedLocations?: Array<{ physicalLocation?: { region?: { startLine: number } } }> }> }> }).runs[0]!.results;
    const suppressedResults = results.filter((r) => r.suppressions);
    assert.equal(suppressedResults.length, 1);
    assert.equal(suppressedResults[0]!.suppressions![0]!.kind, 'external');
    assert.match(suppressedResults[0]!.suppressions![0]!.justification, /^not_affected: vulnerable_code_cannot_be_controlled_by_adversary/);
    const standing = results.find((r) => r.ruleId === 'PB101' && !r.suppressions)!;
    assert.ok(standing.relatedLocations!.some((l) => l.physicalLocation?.region?.startLine === 9521), 'the h2 component at its line');
  });

  test('the text report names the SBOM file and line of each component', async () => {
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(FOUND), '.playbooks/sboms/dropwizard-1.3.15.cdx.json': DROPWIZARD_SBOM });
    const result = await cli(['check', 'api.playbook.yaml'], dir);
    assert.match(result.stdout, /^ {4}\.playbooks\/sboms\/dropwizard-1\.3\.15\.cdx\.json:9521:5 h2 1\.4\.197 in the SBOM: GHSA-45hx-wfhj-473x$/m);
  });
});

describe('playbook check: SBOMs that cannot be used, and require-sbom', () => {
  test('a named SBOM that is missing: PB110 on the template naming the file; the rest of the check goes on', async () => {
    const { findings } = await check({ 'api.playbook.yaml': playbook(TEMPLATE.replace('current: 1.3.29', 'package: pkg:maven/io.dropwizard/dropwizard-parent\n    current: 1.3.29')) });
    const pb110 = findings.filter((f) => f.ruleId === 'PB110' && /SBOM/.test(f.message));
    assert.deepEqual(pb110.map((f) => [f.severity, f.message]), [
      ['warning', 'the SBOM of `api` 1.3.15, sboms/api/1.3.15.cdx.json: cannot be read (no such file or directory); its components are not checked'],
      ['warning', 'the SBOM of `api` 1.3.29, sboms/api/1.3.29.cdx.json: cannot be read (no such file or directory); its components are not checked'],
    ]);
  });

  test('a named SBOM outside the workspace, by `..` or by a link, is not read', async () => {
    const { findings } = await check({ 'api.playbook.yaml': playbook(TEMPLATE.replace('sboms/api/{version}.cdx.json', '../../../../../../etc/{version}.json')) });
    const pb110 = findings.filter((f) => f.ruleId === 'PB110' && /SBOM/.test(f.message));
    assert.equal(pb110.length, 2);
    for (const f of pb110) assert.match(f.message, /leads outside .*; an SBOM is read only from inside the workspace/);
    // A link inside the workspace to an SBOM outside it: the same, naming where it leads.
    const outside = workspace({ 'real.cdx.json': DROPWIZARD_SBOM });
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(TEMPLATE) });
    mkdirSync(path.join(dir, 'sboms/api'), { recursive: true });
    symlinkSync(path.join(outside, 'real.cdx.json'), path.join(dir, 'sboms/api/1.3.15.cdx.json'));
    const result = await cli(['check', 'api.playbook.yaml', '--format', 'json'], dir);
    const messages = (JSON.parse(result.stdout) as { files: Array<{ findings: JsonFinding[] }> }).files[0]!.findings.map((f) => f.message);
    assert.ok(messages.some((m) => /^the SBOM of `api` 1\.3\.15, sboms\/api\/1\.3\.15\.cdx\.json: leads outside .* \(to .*real\.cdx\.json\)/.test(m)), messages.join('\n'));
    assert.ok(!messages.some((m) => /GHSA-45hx/.test(m)), 'the linked SBOM is not read');
  });

  test('an SBOM that is not JSON, and one over limits.maxSbomBytes: PB110 each, with what is wrong', async () => {
    const files = {
      'api.playbook.yaml': playbook(TEMPLATE),
      'sboms/api/1.3.15.cdx.json': '{"bomFormat": "CycloneDX", oops',
      'sboms/api/1.3.29.cdx.json': DROPWIZARD_SBOM,
      '.playbooks/policy.yaml': 'policy: 1\nlimits:\n  maxSbomBytes: 1000\n',
    };
    const { findings } = await check(files);
    const messages = findings.filter((f) => f.ruleId === 'PB110' && /SBOM/.test(f.message)).map((f) => f.message);
    assert.equal(messages.length, 2, messages.join('\n'));
    assert.match(messages[0]!, /^the SBOM of `api` 1\.3\.15, sboms\/api\/1\.3\.15\.cdx\.json: .*JSON.*line 1/);
    assert.match(messages[1]!, /^the SBOM of `api` 1\.3\.29, sboms\/api\/1\.3\.29\.cdx\.json: it is 379\.6 KB, over the 1000 bytes limit for an SBOM or VEX document \(limits\.maxSbomBytes\); not read/);
  });

  test('a 100 MB SBOM under the default 64 MB limit is refused by its size, without being read', async () => {
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(TEMPLATE) });
    mkdirSync(path.join(dir, 'sboms/api'), { recursive: true });
    // Sparse: 100 MB on paper, nothing on disk; reading it would take seconds and 64 MB of memory.
    const huge = path.join(dir, 'sboms/api/1.3.15.cdx.json');
    writeFileSync(huge, '');
    truncateSync(huge, 100 * 1024 * 1024);
    const result = await cli(['check', 'api.playbook.yaml', '--format', 'json'], dir);
    const messages = (JSON.parse(result.stdout) as { files: Array<{ findings: JsonFinding[] }> }).files[0]!.findings.map((f) => f.message);
    assert.ok(messages.includes('the SBOM of `api` 1.3.15, sboms/api/1.3.15.cdx.json: it is 100.0 MB, over the 64.0 MB limit for an SBOM or VEX document (limits.maxSbomBytes); not read; its components are not checked'), messages.join('\n'));
  });

  test('a named SBOM whose root is another package or another version is not used for the release, and PB110 says whose it is', async () => {
    const otherPackage = TEMPLATE.replace('    current: 1.3.29', '    package: pkg:maven/com.acme/payments\n    current: 1.3.29');
    const byPackage = await check({ 'api.playbook.yaml': playbook(otherPackage), 'sboms/api/1.3.15.cdx.json': DROPWIZARD_SBOM });
    assert.ok(byPackage.findings.some((f) => f.ruleId === 'PB110' && f.message === 'the SBOM of `api` 1.3.15, sboms/api/1.3.15.cdx.json: its root component is dropwizard-parent 1.3.15 (pkg:maven/io.dropwizard/dropwizard-parent@1.3.15), another package than the service\'s pkg:maven/com.acme/payments; it is not used for this release; its components are not checked'), byPackage.findings.map((f) => f.message).join('\n'));
    assert.ok(!byPackage.findings.some((f) => /GHSA-45hx/.test(f.message)));
    const byVersion = await check({ 'api.playbook.yaml': playbook(TEMPLATE), 'sboms/api/1.3.29.cdx.json': DROPWIZARD_SBOM, 'sboms/api/1.3.15.cdx.json': DROPWIZARD_SBOM });
    assert.ok(byVersion.findings.some((f) => f.message === 'the SBOM of `api` 1.3.29, sboms/api/1.3.29.cdx.json: its root component is dropwizard-parent 1.3.15, not release 1.3.29; it is not used for this release; its components are not checked'), byVersion.findings.map((f) => f.message).join('\n'));
  });

  test('a VEX statement naming a vulnerability no loaded advisory reports for its products: PB110 on the policy file; the other checks go on', async () => {
    const typo = OPENVEX.replace('"name": "GHSA-668q-qrv7-99fm"', '"name": "GHSA-668q-qrv7-99fX"').replace('"aliases": ["CVE-2021-42550"]', '"aliases": ["CVE-2021-42559"]');
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(FOUND), '.playbooks/policy.yaml': 'policy: 1\n', '.playbooks/sboms/d.cdx.json': DROPWIZARD_SBOM, '.playbooks/vex/typo.openvex.json': typo });
    const result = await cli(['check', 'api.playbook.yaml', '--format', 'json'], dir);
    const { files } = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> };
    const policy = files.find((f) => f.path.endsWith('policy.yaml'))!;
    assert.deepEqual(policy.findings.map((f) => [f.ruleId, f.severity, f.message]), [['PB110', 'warning', 'VEX document .playbooks/vex/typo.openvex.json: the statement at line 9 names GHSA-668q-qrv7-99fX, CVE-2021-42559, which no loaded advisory reports for the products it names; it decides nothing (check the id, or load the advisories that report it)']]);
    const playbookFindings = files.find((f) => f.path === 'api.playbook.yaml')!.findings;
    assert.match(playbookFindings.find((f) => f.ruleId === 'PB101')!.message, /and 4 more advisories on 5 components$/);
  });

  test('require-sbom: PB111 on a target with no SBOM, none on one with', async () => {
    const policy = 'policy: 1\nrequire-sbom: true\n';
    const without = await check({ 'api.playbook.yaml': playbook(FOUND), '.playbooks/policy.yaml': policy });
    assert.deepEqual(without.findings.filter((f) => f.ruleId === 'PB111').map((f) => f.severity), ['warning']);
    const withSbom = await check({ 'api.playbook.yaml': playbook(FOUND), '.playbooks/policy.yaml': policy, '.playbooks/sboms/d.cdx.json': DROPWIZARD_SBOM });
    assert.deepEqual(withSbom.findings.filter((f) => f.ruleId === 'PB111'), []);
  });

  test('a broken file in the policy\'s sboms folder: PB110 on the policy file, naming it', async () => {
    const dir = workspace({ ...ADVISORIES, 'api.playbook.yaml': playbook(FOUND), '.playbooks/policy.yaml': 'policy: 1\n', '.playbooks/sboms/broken.cdx.json': '[1, 2' });
    const result = await cli(['check', 'api.playbook.yaml', '--format', 'json'], dir);
    const { files: reports } = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> };
    const policyReport = reports.find((r) => r.path.endsWith('policy.yaml'));
    assert.ok(policyReport, JSON.stringify(reports.map((r) => r.path)));
    assert.ok(policyReport.findings.some((f) => f.ruleId === 'PB110' && f.message.startsWith('SBOM .playbooks/sboms/broken.cdx.json: ')), JSON.stringify(policyReport.findings));
  });
});
