/**
 * `playbook check` on SBOMs made by real generators, not by hand: @cyclonedx/cyclonedx-npm (a
 * devDependency), and npm's own `npm sbom` in both its formats (SPDX 2.3 and CycloneDX 1.5), run on
 * a small npm project (test/fixtures/sbom/npm-project: `checkout-web` 2.3.0,
 * whose lockfile pins lodash 4.17.20 and debug 4.3.4 with its ms 2.1.2) from its lockfile alone, no
 * node_modules and no network. GHSA-35jh-r3h4-6jhm (test/fixtures/osv, lodash template command
 * injection, fixed in 4.17.21) affects that lodash. A rollback of `checkout-web` to 2.3.0 must get
 * PB101 naming lodash and the advisory, related to lodash's object in the generated file.
 *
 * The expected line and column come from the generated file's JSON structure (jsonc-parser's tree),
 * not from the product's SBOM parser and not from a text search.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findNodeAtLocation, getNodeValue, parseTree, type Node } from 'jsonc-parser';
import { cli, workspace } from './helpers.js';
import { guardedRollback } from '../unit/helpers/guardedRollback.js';

const PROJECT = path.join(__dirname, '../fixtures/sbom/npm-project');
const ADVISORY_ID = 'GHSA-35jh-r3h4-6jhm';
const ADVISORY = readFileSync(path.join(__dirname, `../fixtures/osv/${ADVISORY_ID}.json`), 'utf8');
const FIXTURE = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { name: string; version: string };
const SBOM_FILE = `.playbooks/sboms/${FIXTURE.name}-${FIXTURE.version}.cdx.json`;
/** Far above the second or two the generator takes: a guard against a hang, not a timing assertion. */
const HANG_GUARD_MS = 120_000;

/** The generator's command line script, as its package declares it (resolved as Node resolves the package). */
function generatorScript(): string {
  const dir = path.dirname(require.resolve('@cyclonedx/cyclonedx-npm'));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return path.join(dir, manifest.bin['cyclonedx-npm']!);
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  related?: Array<{ message: string; file: string; startLine?: number; startColumn?: number }>;
  data?: Record<string, unknown>;
}

const scratch: string[] = [];
after(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Runs cyclonedx-npm on a copy of the fixture project and returns the SBOM's text and the copy's folder. */
async function generate(): Promise<{ text: string; project: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'playbook-sbom-generator-'));
  scratch.push(dir);
  const project = path.join(dir, 'project');
  cpSync(PROJECT, project, { recursive: true });
  const output = path.join(dir, 'bom.cdx.json');
  const args = ['--package-lock-only', '--omit', 'dev', '--output-format', 'JSON', '--spec-version', '1.5', '--output-reproducible', '--output-file', output, '--', 'package.json'];
  // npm is asked for the tree only from the lockfile (`npm ls --package-lock-only`); offline makes sure nothing is fetched.
  const env = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  await promisify(execFile)(process.execPath, [generatorScript(), ...args], { cwd: project, env, timeout: HANG_GUARD_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 });
  return { text: readFileSync(output, 'utf8'), project };
}

/** The object node of the component named `name` at `version`, anywhere in `components` (nested ones too). */
function componentNode(root: Node, name: string, version: string): Node | undefined {
  const search = (list: Node | undefined): Node | undefined => {
    for (const item of list?.type === 'array' ? (list.children ?? []) : []) {
      if (item.type !== 'object') continue;
      const value = (key: string): unknown => {
        const node = findNodeAtLocation(item, [key]);
        return node === undefined ? undefined : getNodeValue(node);
      };
      if (value('name') === name && value('version') === version) return item;
      const nested = search(findNodeAtLocation(item, ['components']));
      if (nested) return nested;
    }
    return undefined;
  };
  return search(findNodeAtLocation(root, ['components']));
}

/** A workspace whose playbook rolls the fixture project back to the release `sbom` (at `file`) describes, with the lodash advisory. */
function rollbackWorkspace(file: string, sbom: string, packageLine: string): string {
  const dir = workspace({
    'web.playbook.yaml': guardedRollback({
      id: 'checkout-web-outage',
      services: `  ${FIXTURE.name}:\n${packageLine}    current: 2.4.0\n    releases: [${FIXTURE.version}, 2.4.0]`,
      service: FIXTURE.name,
      to: FIXTURE.version,
    }),
    [file]: sbom,
    [`.playbooks/advisories/${ADVISORY_ID}.json`]: ADVISORY,
  });
  scratch.push(dir);
  return dir;
}

/** 1-based line and column of an offset, as the CLI's JSON output gives them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

describe('playbook check on an SBOM that @cyclonedx/cyclonedx-npm generated', () => {
  test('a rollback to the release the SBOM describes: PB101 names lodash 4.17.20 and GHSA-35jh-r3h4-6jhm, related to lodash in the generated SBOM', { timeout: HANG_GUARD_MS + 30_000 }, async () => {
    const { text, project } = await generate();
    assert.ok(!existsSync(path.join(project, 'node_modules')), 'the generator read the lockfile only and installed nothing');

    // The generated SBOM: CycloneDX 1.5 whose root component is the fixture project.
    const bom = JSON.parse(text) as { bomFormat: string; specVersion: string; metadata: { component: { name: string; version: string } } };
    assert.deepEqual([bom.bomFormat, bom.specVersion, bom.metadata.component.name, bom.metadata.component.version], ['CycloneDX', '1.5', FIXTURE.name, FIXTURE.version]);
    const tree = parseTree(text);
    assert.ok(tree, 'the generated SBOM is JSON');
    const lodash = componentNode(tree, 'lodash', '4.17.20');
    assert.ok(lodash, 'the generated SBOM lists lodash 4.17.20 among its components');
    const expected = lineAndColumn(text, lodash.offset);

    const dir = rollbackWorkspace(SBOM_FILE, text, '');
    const result = await cli(['check', 'web.playbook.yaml', '--format', 'json'], dir);
    const { files } = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> };
    const findings = files.find((f) => f.path === 'web.playbook.yaml')!.findings;
    assert.equal(result.code, 1, result.stderr);

    const pb101 = findings.filter((f) => f.ruleId === 'PB101');
    assert.equal(pb101.length, 1, findings.map((f) => `${f.ruleId} ${f.message}`).join('\n'));
    const [finding] = pb101 as [JsonFinding];
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /^step `roll-back` rolls back to `2\.3\.0` of `checkout-web`, whose SBOM lists lodash 4\.17\.20, which GHSA-35jh-r3h4-6jhm \(CVE-2021-23337\) affects, severity HIGH: Command Injection in lodash; lodash is fixed in 4\.17\.21$/);
    // Only lodash: debug 4.3.4 and ms 2.1.2 are in the SBOM too, and no advisory names them.
    assert.deepEqual((finding.data!['components'] as Array<{ advisories: string[] }>).map((c) => c.advisories), [[ADVISORY_ID]]);

    const component = finding.related!.find((r) => r.message.startsWith('lodash 4.17.20'));
    assert.deepEqual(component && { file: component.file, line: component.startLine, column: component.startColumn }, { file: SBOM_FILE, line: expected.line, column: expected.column });
    assert.ok(finding.related!.some((r) => r.file === `.playbooks/advisories/${ADVISORY_ID}.json`), 'the advisory record is related');

    // The generated SBOM reads without a problem: nothing about it anywhere in the report.
    const aboutSbom = files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'PB110' && /SBOM|sbom/.test(f.message));
    assert.deepEqual(aboutSbom.map((f) => f.message), []);
  });
});

/** Runs `npm sbom` (npm's own generator, from its lockfile only) on a copy of the fixture project. */
async function npmSbom(format: 'spdx' | 'cyclonedx'): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'playbook-npm-sbom-'));
  scratch.push(dir);
  const project = path.join(dir, 'project');
  cpSync(PROJECT, project, { recursive: true });
  const env = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  const { stdout } = await promisify(execFile)('npm', ['sbom', '--sbom-format', format, '--package-lock-only', '--omit', 'dev'], { cwd: project, env, timeout: HANG_GUARD_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 });
  assert.ok(!existsSync(path.join(project, 'node_modules')), 'npm read the lockfile only and installed nothing');
  return stdout;
}

/** lodash 4.17.20's object in the SBOM: an SPDX package (`versionInfo`) or a CycloneDX component. */
function lodashNode(root: Node): Node | undefined {
  for (const item of findNodeAtLocation(root, ['packages'])?.children ?? []) {
    const value = (key: string): unknown => {
      const node = findNodeAtLocation(item, [key]);
      return node === undefined ? undefined : getNodeValue(node);
    };
    if (value('name') === 'lodash' && value('versionInfo') === '4.17.20') return item;
  }
  return componentNode(root, 'lodash', '4.17.20');
}

describe("playbook check on the SBOMs npm's own `npm sbom` generates", () => {
  for (const [format, file] of [['spdx', `.playbooks/sboms/${FIXTURE.name}-${FIXTURE.version}.spdx.json`], ['cyclonedx', SBOM_FILE]] as const) {
    test(`${format}: found in the policy's sboms folder by its root package, PB101 on the rollback names lodash, related to its entry in the SBOM`, { timeout: HANG_GUARD_MS + 30_000 }, async () => {
      const text = await npmSbom(format);
      const tree = parseTree(text);
      assert.ok(tree, 'the generated SBOM is JSON');
      const lodash = lodashNode(tree);
      assert.ok(lodash, 'the generated SBOM lists lodash 4.17.20');
      const expected = lineAndColumn(text, lodash.offset);
      const dir = rollbackWorkspace(file, text, `    package: pkg:npm/${FIXTURE.name}\n`);
      const result = await cli(['check', 'web.playbook.yaml', '--format', 'json'], dir);
      const { files } = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: JsonFinding[] }> };
      const findings = files.flatMap((f) => f.findings);
      const pb101 = findings.filter((f) => f.ruleId === 'PB101');
      assert.equal(pb101.length, 1, findings.map((f) => `${f.ruleId} ${f.message}`).join('\n'));
      assert.deepEqual((pb101[0]!.data!['components'] as Array<{ advisories: string[] }>).map((c) => c.advisories), [[ADVISORY_ID]]);
      const component = pb101[0]!.related!.find((r) => r.message.startsWith('lodash 4.17.20'));
      assert.deepEqual(component && { file: component.file, line: component.startLine, column: component.startColumn }, { file, line: expected.line, column: expected.column });
      assert.deepEqual(findings.filter((f) => f.ruleId === 'PB110' && /SBOM|sbom/.test(f.message)).map((f) => f.message), [], 'the generated SBOM reads without a problem');
    });
  }
});

