/**
 * What stands against a release (spec sections 8 and 9): which SBOM is used, how components are
 * matched, and how security's VEX statements decide. Real data: the dropwizard 1.3.15 and
 * proton-bridge 1.6.3 SBOMs and the advisories on their components (test/fixtures/sbom/osv,
 * INDEX.md says which affect what).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { completions } from '../../server/src/core/features/completion.js';
import { hover } from '../../server/src/core/features/hover.js';
import type { ServiceModel } from '../../server/src/core/parse/model.js';
import { isClear, releaseStatus, type ReleaseData, type SbomEntry } from '../../server/src/core/releases/releaseStatus.js';
import { parseSbom, type ParsedSbom } from '../../server/src/core/releases/sbomParse.js';
import { parseVex, type VexStatement } from '../../server/src/core/releases/vexParse.js';
import type { VexDocument } from '../../server/src/core/releases/vexDecisions.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';

const DIR = path.join(__dirname, '../fixtures/sbom');

function index(): AdvisoryIndex {
  const inputs = readdirSync(path.join(DIR, 'osv')).filter((f) => f.endsWith('.json')).map((f) => {
    const file = path.join(DIR, 'osv', f);
    const parsed = parseOsvRecord(readFileSync(file, 'utf8'), f);
    assert.ok('record' in parsed, f);
    return { record: parsed.record, source: file };
  });
  return new AdvisoryIndex(inputs);
}
const INDEX = index();

function sbom(name: string): SbomEntry {
  const parsed = parseSbom(readFileSync(path.join(DIR, name), 'utf8'));
  assert.ok(!('problem' in parsed), name);
  return { file: name, sbom: parsed };
}
const DROPWIZARD = sbom('dropwizard-1.3.15.cdx.json');
const PROTON = sbom('proton-bridge-1.6.3.cdx.json');

function service(yaml: string): ServiceModel {
  const text = `playbook: x\ntitle: x\nowners: { sre: "@a", security: "@b" }\nservices:\n${yaml}\nsteps: []\n`;
  return checkPlaybook(text).parsed.model.services.values().next().value!;
}

const DW = service('  dropwizard-parent:\n    current: 1.3.29\n    releases: [1.3.15, 1.3.29]');
const data = (vex: VexStatement[] = [], found: SbomEntry[] = [DROPWIZARD, PROTON]): ReleaseData => ({ named: new Map(), found, vex: vex.length ? [{ file: 'decisions.openvex.json', statements: vex }] : [] });
const ids = (status: ReturnType<typeof releaseStatus>): string[] => status.standing.map((s) => s.match.id);

function statement(over: Partial<VexStatement> & Pick<VexStatement, 'vulnerability' | 'products'>): VexStatement {
  return { aliases: [], status: 'not_affected', justification: 'component_not_present', position: { line: 0, character: 0 }, ...over };
}

describe('releaseStatus: the SBOM of a release', () => {
  test('found by its root component\'s name and version: the advisories INDEX.md lists for dropwizard, worst first', () => {
    const status = releaseStatus(DW, '1.3.15', data(), INDEX);
    assert.equal(status.sbom?.from, 'found');
    assert.deepEqual(ids(status), ['GHSA-45hx-wfhj-473x', 'GHSA-3mc7-4q67-w48m', 'GHSA-jjjh-jjxp-wpff', 'GHSA-668q-qrv7-99fm', 'GHSA-7g45-4rm6-3mm3']);
    assert.deepEqual(status.standing.map((s) => s.component!.purl!.replace(/\?.*/, '').replace(/^pkg:maven\//, '')), ['com.h2database/h2@1.4.197', 'org.yaml/snakeyaml@1.23', 'com.fasterxml.jackson.core/jackson-databind@2.9.10', 'ch.qos.logback/logback-core@1.2.3', 'com.google.guava/guava@24.1.1-jre']);
  });

  test('found by its root component\'s package when the service\'s key is another name; a release with no SBOM has only its own package checked', () => {
    const api = service('  api:\n    package: pkg:maven/io.dropwizard/dropwizard-parent\n    current: 1.3.29\n    releases: [1.3.15, 1.3.29]');
    assert.equal(ids(releaseStatus(api, '1.3.15', data(), INDEX)).length, 5);
    const other = releaseStatus(api, '1.3.29', data(), INDEX);
    assert.deepEqual([other.sbom, other.standing], [undefined, []]);
  });

  test('the Go SBOM: versions with `v`, pseudo-versions as pre-releases, a package path inside a module (INDEX.md)', () => {
    const bridge = service('  github.com/ProtonMail/proton-bridge:\n    current: v1.8.0\n    releases: [v1.6.3, v1.8.0]');
    const status = releaseStatus(bridge, 'v1.6.3', data(), INDEX);
    assert.equal(status.sbom?.file, 'proton-bridge-1.6.3.cdx.json');
    // yaml.v2 2.2.8 is past its fix; x/text's record names the package golang.org/x/text/language inside the module the SBOM lists.
    assert.deepEqual(ids(status).sort(), ['GHSA-2wrh-6pvc-2jm9', 'GHSA-69ch-w2m2-3vjp', 'GHSA-hp87-p4gw-j4gq', 'GHSA-vvpx-j8f3-3w6h']);
    assert.ok(!ids(status).includes('GHSA-r88r-gmrh-7j83'));
  });

  test('a named SBOM wins over a found one; one that cannot be used is said, and no found one stands in for it', () => {
    const named = service('  dropwizard-parent:\n    current: 1.3.29\n    sbom: sboms/{version}.json\n    releases: [1.3.15]');
    const broken: ReleaseData = { ...data(), named: new Map([['sboms/1.3.15.json', { file: '/w/sboms/1.3.15.json', problem: 'is not JSON' }]]) };
    const status = releaseStatus(named, '1.3.15', broken, INDEX);
    assert.deepEqual([status.sbom, status.sbomProblem, status.standing], [undefined, { path: 'sboms/1.3.15.json', file: '/w/sboms/1.3.15.json', problem: 'is not JSON' }, []]);
  });
});

describe('releaseStatus: security\'s VEX decisions', () => {
  const LOGBACK = 'pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar';
  const RELEASE = 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15';

  test('a subcomponent of the release, by the advisory\'s alias, qualifiers aside: that advisory is decided, the rest stand', () => {
    const vex = [statement({ vulnerability: 'CVE-2021-42550', products: [{ purl: RELEASE, subcomponents: ['pkg:maven/ch.qos.logback/logback-core@1.2.3'] }] })];
    const status = releaseStatus(DW, '1.3.15', data(vex), INDEX);
    assert.deepEqual(status.decided.map((d) => [d.match.id, d.decision.file]), [['GHSA-668q-qrv7-99fm', 'decisions.openvex.json']]);
    assert.equal(status.standing.length, 4);
  });

  test('a statement about another release, another version of the component, or another vulnerability decides nothing', () => {
    for (const vex of [
      [statement({ vulnerability: 'GHSA-668q-qrv7-99fm', products: [{ purl: 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.14', subcomponents: [LOGBACK] }] })],
      [statement({ vulnerability: 'GHSA-668q-qrv7-99fm', products: [{ purl: 'pkg:maven/ch.qos.logback/logback-core@1.2.4', subcomponents: [] }] })],
      [statement({ vulnerability: 'CVE-2099-0001', products: [{ purl: RELEASE, subcomponents: [] }] })],
    ]) {
      assert.deepEqual(releaseStatus(DW, '1.3.15', data(vex), INDEX).decided, [], JSON.stringify(vex[0]!.products));
    }
  });

  test('the release as a whole decides every component\'s advisory; so does the component on its own, wherever it is', () => {
    const whole = releaseStatus(DW, '1.3.15', data([statement({ vulnerability: 'GHSA-45hx-wfhj-473x', status: 'fixed', products: [{ purl: RELEASE, subcomponents: [] }] })]), INDEX);
    assert.deepEqual(whole.decided.map((d) => d.match.id), ['GHSA-45hx-wfhj-473x']);
    const alone = releaseStatus(DW, '1.3.15', data([statement({ vulnerability: 'GHSA-45hx-wfhj-473x', products: [{ purl: 'pkg:maven/com.h2database/h2@1.4.197', subcomponents: [] }] })]), INDEX);
    assert.deepEqual(alone.decided.map((d) => d.match.id), ['GHSA-45hx-wfhj-473x']);
  });

  test('by the release\'s digest, and by a product known only by the service\'s name and the version', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const withDigest = service(`  dropwizard-parent:\n    current: 1.3.29\n    releases:\n      - { version: 1.3.15, digest: "${digest}" }`);
    const byDigest = releaseStatus(withDigest, '1.3.15', data([statement({ vulnerability: 'GHSA-45hx-wfhj-473x', products: [{ purl: `pkg:oci/dropwizard@${digest.replace(':', '%3A')}`, subcomponents: [] }] })]), INDEX);
    assert.deepEqual(byDigest.decided.map((d) => d.match.id), ['GHSA-45hx-wfhj-473x']);
    const byName = releaseStatus(DW, '1.3.15', data([statement({ vulnerability: 'GHSA-45hx-wfhj-473x', products: [{ name: 'dropwizard-parent', version: '1.3.15', subcomponents: [] }] })]), INDEX);
    assert.deepEqual(byName.decided.map((d) => d.match.id), ['GHSA-45hx-wfhj-473x']);
  });

  test('the latest timestamp wins; under_investigation and affected keep the advisory standing, with the statement', () => {
    const product = [{ purl: RELEASE, subcomponents: [] }];
    const later = [
      statement({ vulnerability: 'GHSA-45hx-wfhj-473x', products: product, timestamp: '2024-02-01T00:00:00Z', status: 'affected', actionStatement: 'upgrade h2 to 2.1.210' }),
      statement({ vulnerability: 'GHSA-45hx-wfhj-473x', products: product, timestamp: '2024-01-01T00:00:00Z' }),
    ];
    const status = releaseStatus(DW, '1.3.15', data(later), INDEX);
    assert.deepEqual(status.decided, []);
    assert.equal(status.standing[0]!.decision?.statement.actionStatement, 'upgrade h2 to 2.1.210');
    const earlier = releaseStatus(DW, '1.3.15', data([later[1]!, { ...later[0]!, timestamp: '2023-12-01T00:00:00Z' }]), INDEX);
    assert.deepEqual(earlier.decided.map((d) => d.match.id), ['GHSA-45hx-wfhj-473x']);
  });

  test('a release is clear only when its own package and every component are', () => {
    const all = ['GHSA-45hx-wfhj-473x', 'GHSA-3mc7-4q67-w48m', 'GHSA-jjjh-jjxp-wpff', 'GHSA-668q-qrv7-99fm', 'GHSA-7g45-4rm6-3mm3'];
    const product = [{ purl: RELEASE, subcomponents: [] }];
    assert.equal(isClear(releaseStatus(DW, '1.3.15', data(all.slice(1).map((id) => statement({ vulnerability: id, products: product }))), INDEX)), false);
    assert.equal(isClear(releaseStatus(DW, '1.3.15', data(all.map((id) => statement({ vulnerability: id, products: product }))), INDEX)), true);
  });
});

describe('hover and completion of versions, through the SBOM and VEX', () => {
  const text = `playbook: x
title: x
owners: { sre: "@a", security: "@b" }
services:
  dropwizard-parent:
    current: 1.3.29
    releases: [1.3.15, 1.3.29]
steps:
  - id: roll-back
    action: rollback
    service: dropwizard-parent
    to: 1.3.15
`;
  const RELEASE = 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15';
  const vex = [statement({ vulnerability: 'GHSA-668q-qrv7-99fm', products: [{ purl: RELEASE, subcomponents: ['pkg:maven/ch.qos.logback/logback-core@1.2.3'] }], impactStatement: 'the configuration is read-only' })];
  const analysis = checkPlaybook(text, { advisories: { index: INDEX, sources: [], problems: [] }, releases: data(vex) });

  test('hover on the target lists the components\' advisories worst first, the SBOM, and what security decided', () => {
    const result = hover(analysis, text.indexOf('to: 1.3.15') + 5)!;
    const md = result.markdown;
    assert.match(md, /Affected by 4 advisories, worst first:/);
    const order = ['GHSA-45hx-wfhj-473x', 'GHSA-3mc7-4q67-w48m', 'GHSA-jjjh-jjxp-wpff', 'GHSA-7g45-4rm6-3mm3'].map((id) => md.indexOf(`[${id}]`));
    assert.deepEqual([...order].sort((a, b) => a - b), order, md);
    assert.ok(order.every((i) => i > 0));
    assert.match(md, /\*\*\[GHSA-45hx-wfhj-473x\]\([^)]*\)\*\* \(\[CVE-2022-23221\]\([^)]*\)\) on h2 1\.4\.197, CRITICAL/);
    assert.match(md, /Its SBOM, `dropwizard-1\.3\.15\.cdx\.json`, lists 167 components\./);
    assert.match(md, /Decided by security \(VEX\):\n\n- \*\*GHSA-668q-qrv7-99fm\*\* on logback-core 1\.2\.3: `not_affected` \(component\\_not\\_present: the configuration is read-only\), decided in `decisions\.openvex\.json`/);
  });

  test('completion of the target labels each release by what stands against it', () => {
    const entries = completions(analysis, text.indexOf('to: 1.3.15') + 4, []);
    const detail = new Map(entries.map((e) => [e.label, e.detail]));
    assert.equal(detail.get('1.3.15'), '4 standing advisories (1 critical, 2 high)');
    // No SBOM and no package: nothing to check it by.
    assert.equal(detail.get('1.3.29'), 'not checked (current)');
  });
});

describe('the sbom-rollback example: the quick fix offers the nearest clear release', () => {
  test('2.3.1 is offered: its jackson-databind advisory is decided by security\'s VEX; without the VEX document nothing below 2.4.0 is clear', () => {
    const examples = path.join(__dirname, '../../examples');
    const text = readFileSync(path.join(examples, 'sbom-rollback.playbook.yaml'), 'utf8');
    const named = new Map(['2.3.0', '2.3.1', '2.4.0'].map((v) => {
      const written = `sboms/checkout/${v}.cdx.json`;
      const parsed = parseSbom(readFileSync(path.join(examples, written), 'utf8'));
      assert.ok(!('problem' in parsed));
      return [written, { file: written, sbom: parsed }] as const;
    }));
    const records = readdirSync(path.join(examples, '.playbooks/advisories')).map((f) => {
      const parsed = parseOsvRecord(readFileSync(path.join(examples, '.playbooks/advisories', f), 'utf8'), f);
      assert.ok('record' in parsed, f);
      return { record: parsed.record, source: f };
    });
    const advisories = { index: new AdvisoryIndex(records), sources: [], problems: [] };
    const vexText = parseVex(readFileSync(path.join(examples, '.playbooks/vex/checkout.openvex.json'), 'utf8'));
    assert.ok(!('problem' in vexText));
    const fixesWith = (vex: VexDocument[]): string[] => {
      const analysis = checkPlaybook(text, { advisories, releases: { named, found: [], vex } });
      const finding = analysis.findings.find((f) => f.ruleId === 'PB101')!;
      return codeActions(analysis, finding.range).map((a) => a.title);
    };
    const withVex = fixesWith([{ file: 'checkout.openvex.json', statements: vexText.statements }]);
    assert.match(withVex[0]!, /2\.3\.1/, withVex.join('\n'));
    const without = fixesWith([]);
    assert.deepEqual(without, ['Suppress PB101 for step `roll-back`'], 'without the decision no release below 2.4.0 is clear');
  });
});

describe('releaseStatus: images known by their digest (syft and trivy version an image\'s root by it; BuildKit names it as the statement\'s subject)', () => {
  const DIGEST = `sha256:${'ab12'.repeat(16)}`;
  const OTHER = `sha256:${'cd34'.repeat(16)}`;
  /** dropwizard's real SBOM as an image SBOM: the root is the image, versioned by its digest as syft writes it. */
  const imageSbom = (digest: string): SbomEntry => {
    const text = readFileSync(path.join(DIR, 'dropwizard-1.3.15.cdx.json'), 'utf8').replace(/"component": \{[\s\S]*?"name": "dropwizard-parent",\s*"version": "1\.3\.15",/, `"component": {\n      "type": "container",\n      "name": "ghcr.io/acme/api:1.3.15",\n      "version": "${digest}",`);
    const parsed = parseSbom(text);
    assert.ok(!('problem' in parsed) && parsed.root?.version === digest, 'the fixture changed');
    return { file: `api-${digest.slice(7, 11)}.cdx.json`, sbom: parsed };
  };
  const named = (entry: SbomEntry): ReleaseData => ({ named: new Map([['sboms/1.3.15.cdx.json', entry]]), found: [], vex: [] });
  const withTemplate = (release: string) => service(`  api:\n    current: 1.3.29\n    sbom: sboms/{version}.cdx.json\n    releases: [${release}, 1.3.29]`);

  test('named by the template: a root versioned by a digest is no other release; with the release\'s digest it must be that one', () => {
    assert.equal(releaseStatus(withTemplate('1.3.15'), '1.3.15', named(imageSbom(DIGEST)), INDEX).sbom?.from, 'service', 'no digest in the playbook: used');
    assert.equal(releaseStatus(withTemplate(`{ version: 1.3.15, digest: "${DIGEST}" }`), '1.3.15', named(imageSbom(DIGEST)), INDEX).sbom?.from, 'service', 'the same digest: used');
    const other = releaseStatus(withTemplate(`{ version: 1.3.15, digest: "${OTHER}" }`), '1.3.15', named(imageSbom(DIGEST)), INDEX);
    assert.equal(other.sbom, undefined);
    assert.equal(other.sbomProblem?.problem, `it describes the image ${DIGEST}, not this release's ${OTHER}; it is not used for this release`);
  });

  test('an image SBOM whose root names a tag (cdxgen: `latest`) and whose purl names the digest: the release of that digest uses it, one without a digest does not', () => {
    const tagged = (digest: string): { file: string; sbom: ParsedSbom } => {
      const entry = imageSbom(digest) as { file: string; sbom: ParsedSbom };
      return { file: entry.file, sbom: { ...entry.sbom, root: { ...entry.sbom.root!, version: 'latest', purl: `pkg:oci/api@${encodeURIComponent(digest)}` } } };
    };
    const sbom = tagged(DIGEST);
    assert.deepEqual(sbom.sbom.digests, [DIGEST]);
    const withDigest = releaseStatus(withTemplate(`{ version: 1.3.15, digest: "${DIGEST}" }`), '1.3.15', named(sbom), INDEX);
    assert.equal(withDigest.sbom?.from, 'service');
    assert.match(releaseStatus(withTemplate('1.3.15'), '1.3.15', named(sbom), INDEX).sbomProblem?.problem ?? '', /root component is .* latest, not release 1\.3\.15/);
  });

  test('found in the policy\'s folders by the release\'s digest, whatever the image is called; another build of the same version is not that release', () => {
    const api = service(`  api:\n    current: 1.3.29\n    releases: [{ version: 1.3.15, digest: "${DIGEST}" }, 1.3.29]`);
    const status = releaseStatus(api, '1.3.15', data([], [imageSbom(OTHER), imageSbom(DIGEST)]), INDEX);
    assert.equal(status.sbom?.file, imageSbom(DIGEST).file);
    assert.ok(status.standing.some((s) => s.component?.name === 'h2'));
    const dw = service(`  dropwizard-parent:\n    current: 1.3.29\n    releases: [{ version: 1.3.15, digest: "${OTHER}" }, 1.3.29]`);
    const rebuilt: SbomEntry = { ...DROPWIZARD, sbom: { ...(DROPWIZARD as { sbom: ParsedSbom }).sbom, digests: [DIGEST] } };
    assert.equal(releaseStatus(dw, '1.3.15', data([], [rebuilt]), INDEX).sbom, undefined, 'dropwizard-parent 1.3.15 by name, but another image');
    assert.equal(releaseStatus(dw, '1.3.15', data([], [DROPWIZARD]), INDEX).sbom?.from, 'found', 'an SBOM that names no digest is matched by its root as before');
  });
});
