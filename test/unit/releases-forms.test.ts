/**
 * A release is a version or a mapping `{version, digest?, sbom?}`, and a service may name an SBOM
 * path template (spec section 8). Every feature that reads versions reads both forms alike: the
 * model, the schema, PB101 and PB108, hover, and completion of versions and of the mapping's keys.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { completions } from '../../server/src/core/features/completion.js';
import { hover } from '../../server/src/core/features/hover.js';
import { guardedRollback } from './helpers/guardedRollback.js';

const DIGEST = `sha256:${'4f1c'.repeat(16)}`;

function playbook(releases: string, extra = ''): string {
  const services = `  logger:\n    package: pkg:maven/org.apache.logging.log4j/log4j-core\n    current: 2.17.1\n${extra}    releases:\n${releases}`;
  return guardedRollback({ id: 'logger-outage', services, service: 'logger', to: '2.14.1' });
}

const MIXED = `      - 2.12.2
      - version: 2.14.1
        digest: ${DIGEST}
        sbom: sboms/logger-2.14.1.spdx.json
      - { version: "2.15.0" }
      - 2.17.1`;

function advisories(): AdvisorySnapshot {
  const file = path.join(__dirname, '../fixtures/osv/GHSA-jfh8-c2jp-5v3q.json');
  const parsed = parseOsvRecord(readFileSync(file, 'utf8'), file);
  assert.ok('record' in parsed, 'the fixture record parses');
  return { index: new AdvisoryIndex([{ record: parsed.record, source: file }]), sources: [], problems: [] };
}

const ruleIds = (text: string, snapshot?: AdvisorySnapshot): string[] => checkPlaybook(text, { advisories: snapshot }).findings.map((f) => f.ruleId);

describe('releases in both forms: the model', () => {
  test('each release has its version and its version scalar; a mapping adds its digest and SBOM', () => {
    const text = playbook(MIXED, '    sbom: sboms/logger/{version}.cdx.json\n');
    const service = checkPlaybook(text).parsed.model.services.get('logger')!;
    assert.equal(service.sbom, 'sboms/logger/{version}.cdx.json');
    assert.deepEqual(
      service.releases.map((r) => ({ value: r.value, node: text.slice(r.node.range![0], r.node.range![1]), digest: r.digest, sbom: r.sbom })),
      [
        { value: '2.12.2', node: '2.12.2', digest: undefined, sbom: undefined },
        { value: '2.14.1', node: '2.14.1', digest: DIGEST, sbom: 'sboms/logger-2.14.1.spdx.json' },
        { value: '2.15.0', node: '"2.15.0"', digest: undefined, sbom: undefined },
        { value: '2.17.1', node: '2.17.1', digest: undefined, sbom: undefined },
      ],
    );
  });

  test('a mapping without a version is no release, and the schema says why', () => {
    const text = playbook('      - 2.14.1\n      - digest: sha256:abc\n      - 2.17.1');
    const result = checkPlaybook(text);
    assert.deepEqual(result.parsed.model.services.get('logger')!.releases.map((r) => r.value), ['2.14.1', '2.17.1']);
    const schema = result.findings.filter((f) => f.ruleId === 'PB002');
    assert.equal(schema.length, 1, schema.map((f) => f.message).join('\n'));
    assert.match(schema[0]!.message, /version/);
  });
});

describe('releases in both forms: the schema', () => {
  test('the mapping form and a service template are valid: only the advisory on the rollback target is found', () => {
    assert.deepEqual(ruleIds(playbook(MIXED, '    sbom: sboms/logger/{version}.cdx.json\n'), advisories()), ['PB101']);
  });

  for (const [name, item, pattern] of [
    ['a digest that is not one', `      - { version: 2.14.1, digest: "not a digest" }`, /digest.*must be a digest such as/],
    ['an unknown key in a release', `      - { version: 2.14.1, sbomm: x.json }`, /sbomm/],
    ['an empty SBOM path', `      - { version: 2.14.1, sbom: "" }`, /sbom/],
    ['a list where a release goes', `      - [2.14.1]`, /release|string|number|object/],
  ] as const) {
    test(`${name}: PB002 on it`, () => {
      const text = playbook(`${item}\n      - 2.17.1`);
      const findings = checkPlaybook(text).findings.filter((f) => f.ruleId === 'PB002');
      assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
      assert.match(findings[0]!.message, pattern);
    });
  }
});

describe('releases in both forms: the rules', () => {
  test('PB108 knows a release written as a mapping, and flags a version in neither form', () => {
    assert.ok(!ruleIds(playbook(MIXED)).includes('PB108'));
    assert.ok(ruleIds(playbook(MIXED.replace('version: 2.14.1', 'version: 2.14.2'))).includes('PB108'));
  });

  test('PB101 on a rollback to a release written as a mapping, with the next safe release suggested', () => {
    const pb101 = checkPlaybook(playbook(MIXED), { advisories: advisories() }).findings.filter((f) => f.ruleId === 'PB101');
    assert.equal(pb101.length, 1);
    assert.match(pb101[0]!.message, /rolls back to `2\.14\.1` of `logger`, which GHSA-jfh8-c2jp-5v3q/);
    assert.deepEqual((pb101[0]!.data!['safeVersions'] as Array<{ version: string }>).map((s) => s.version)[0], '2.15.0');
  });
});

describe('releases in both forms: hover and completion', () => {
  const text = playbook(MIXED);
  const at = (probe: string, cursorInProbe: number): number => text.indexOf(probe) + cursorInProbe;

  test('hover on a mapping release\'s version: what the advisories say of it', () => {
    const result = hover(checkPlaybook(text, { advisories: advisories() }), at('version: 2.14.1', 'version: 2.1'.length));
    assert.ok(result);
    assert.equal(text.slice(result.range.start, result.range.end), '2.14.1');
    assert.match(result.markdown, /GHSA-jfh8-c2jp-5v3q/);
  });

  test('hover on a mapping release\'s keys: their documentation', () => {
    const analysis = checkPlaybook(text);
    assert.match(hover(analysis, at('digest: sha256', 2))!.markdown, /image digest/);
    assert.match(hover(analysis, at('sbom: sboms/logger-2.14.1', 2))!.markdown, /software bill of materials/);
  });

  test('hover on the service template documents `{version}`', () => {
    const withTemplate = playbook(MIXED, '    sbom: sboms/logger/{version}.cdx.json\n');
    const result = hover(checkPlaybook(withTemplate), withTemplate.indexOf('sbom: sboms/logger/{') + 1);
    assert.match(result!.markdown, /\{version\}/);
  });

  test('completion of a rollback target offers the versions of both forms', () => {
    const cursor = at('to: 2.14.1', 'to: '.length);
    const labels = completions(checkPlaybook(text), cursor, []).map((e) => e.label);
    for (const version of ['2.12.2', '2.14.1', '2.15.0', '2.17.1']) assert.ok(labels.includes(version), `offers ${version}: ${labels.join(', ')}`);
  });

  test('completion of keys inside a release mapping: version first, then digest and sbom not written yet', () => {
    const typed = playbook(`      - version: 2.14.1\n        \n      - 2.17.1`);
    const cursor = typed.indexOf('version: 2.14.1\n') + 'version: 2.14.1\n        '.length;
    const entries = completions(checkPlaybook(typed), cursor, []);
    const labels = [...entries].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((e) => e.label);
    assert.deepEqual(labels, ['digest', 'sbom']);
  });

  test('completion of a service\'s keys offers `sbom`', () => {
    const typed = playbook('      - 2.17.1').replace('    current: 2.17.1\n', '    current: 2.17.1\n    \n');
    const cursor = typed.indexOf('current: 2.17.1\n') + 'current: 2.17.1\n    '.length;
    const labels = completions(checkPlaybook(typed), cursor, []).map((e) => e.label);
    assert.ok(labels.includes('sbom'), labels.join(', '));
  });
});
