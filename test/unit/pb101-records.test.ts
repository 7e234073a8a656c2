/**
 * PB101 and PB110 end to end: the real OSV records of test/fixtures/osv, loaded by the Node
 * advisory store, against playbooks that roll a service back to (or deploy) the versions
 * INDEX.md derived for each record.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { ecosystemFor } from '../../server/src/core/advisories/ecosystems/index.js';
import { AdvisoryIndex } from '../../server/src/core/advisories/index.js';
import { isAffected } from '../../server/src/core/advisories/rangeEval.js';
import type { OsvAffected } from '../../server/src/core/advisories/types.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import type { Finding } from '../../server/src/core/types.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { assertFindings, playbook } from './helpers/findings.js';
import { OSV_DIR, readIndexRows, type DerivedVersion, type IndexRow } from './helpers/osvIndex.js';

/** A service to put a record's package in: its purl and a `current` release above both INDEX versions where one exists. */
interface ServicePackage {
  purl: string;
  current: string;
}

const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core';
const LODASH = 'pkg:npm/lodash';
const JSONWEBTOKEN = 'pkg:npm/jsonwebtoken';

/**
 * Record id → the packages its INDEX versions are of; the first is the package INDEX.md names
 * first, a cell naming another one (`jwt-go/v4 4.0.0-preview1`) picks the purl ending in that name.
 * Where no later release exists, `current` is the newest one (log4j 1.x, lodash, jwt-go).
 */
const PACKAGES: Readonly<Record<string, readonly ServicePackage[]>> = {
  'GHSA-jfh8-c2jp-5v3q': [{ purl: LOG4J, current: '2.17.1' }],
  'GHSA-7rjr-3q55-vv33': [{ purl: LOG4J, current: '2.17.1' }],
  'GHSA-fp5r-v3w9-4333': [{ purl: 'pkg:maven/log4j/log4j', current: '1.2.17' }],
  'GHSA-57j2-w4cx-62h2': [{ purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind', current: '2.15.2' }],
  'GHSA-5mg8-w23w-74h3': [{ purl: 'pkg:maven/com.google.guava/guava', current: '32.1.3-jre' }],
  'GHSA-jf85-cpcp-j695': [{ purl: LODASH, current: '4.17.21' }],
  'GHSA-35jh-r3h4-6jhm': [{ purl: LODASH, current: '4.17.21' }],
  'GHSA-hrpp-h998-j3pp': [{ purl: 'pkg:npm/qs', current: '6.13.0' }],
  'GHSA-9wv6-86v2-598j': [{ purl: 'pkg:npm/path-to-regexp', current: '0.1.12' }],
  'GHSA-qw6h-vgh9-j6wx': [{ purl: 'pkg:npm/express', current: '4.21.2' }],
  'GHSA-r683-j2x4-v87g': [{ purl: 'pkg:npm/node-fetch', current: '3.3.2' }],
  'GHSA-w7rc-rwvf-8q5r': [{ purl: 'pkg:npm/node-fetch', current: '2.7.0' }],
  'GHSA-vh95-rmgr-6w4m': [{ purl: 'pkg:npm/minimist', current: '1.2.8' }],
  'GHSA-27h2-hvpr-p74q': [{ purl: JSONWEBTOKEN, current: '9.0.2' }],
  'GHSA-8cf7-32gw-wr33': [{ purl: JSONWEBTOKEN, current: '9.0.2' }],
  // The record spells the package `Axios`; npm names are lower-case.
  'GHSA-8hc4-vh64-cxmj': [{ purl: 'pkg:npm/axios', current: '1.7.9' }],
  'GHSA-pjwm-rvh2-c87w': [{ purl: 'pkg:npm/ua-parser-js', current: '0.7.33' }],
  'GHSA-8q59-q68h-6hv4': [{ purl: 'pkg:pypi/pyyaml', current: '6.0.1' }],
  'GHSA-9wx4-h78v-vm56': [{ purl: 'pkg:pypi/requests', current: '2.32.3' }],
  'GHSA-v845-jxx5-vc9f': [{ purl: 'pkg:pypi/urllib3', current: '2.2.2' }],
  'GHSA-w73w-5m7g-f7qc': [
    { purl: 'pkg:golang/github.com/dgrijalva/jwt-go', current: '3.2.0' },
    { purl: 'pkg:golang/github.com/dgrijalva/jwt-go/v4', current: '4.0.0-preview1' },
  ],
  'GHSA-8c26-wmh5-6g9v': [{ purl: 'pkg:golang/golang.org/x/crypto/ssh', current: '0.1.0' }],
  'GHSA-vr8q-g5c7-m54m': [{ purl: 'pkg:gem/nokogiri', current: '1.16.5' }],
  'GHSA-333g-rpr4-7hxq': [{ purl: 'pkg:gem/rest-client', current: '2.1.0' }],
  'GHSA-hh2w-p6rv-4g7w': [{ purl: 'pkg:nuget/System.Text.Json', current: '8.0.5' }],
};

function packageFor(row: IndexRow, derived: DerivedVersion): ServicePackage {
  const packages = PACKAGES[row.id];
  assert.ok(packages, `${row.id} is in INDEX.md but not in PACKAGES: add its purl`);
  if (derived.package === undefined) return packages[0]!;
  const named = packages.find((p) => p.purl.endsWith(`/${derived.package}`));
  assert.ok(named, `${row.id}: INDEX.md names package \`${derived.package}\`; add its purl to PACKAGES`);
  return named;
}

/** A playbook that passes every rule, whose one `action` step sets service `app` to `version`. */
function versionPlaybook(pkg: ServicePackage, releases: readonly string[], version: string, action: 'rollback' | 'deploy' = 'rollback'): string {
  const field = action === 'rollback' ? 'to' : 'version';
  return playbook(
    `  - id: security-gate
    action: checkpoint
    kind: security-review
    approvers: [security]
  - id: change-app
    action: ${action}
    service: app
    ${field}: ${version}
    requires: [security-gate]
  - id: tell-security
    action: notify
    channel: security
    message: "app changed"
`,
    { services: `  app:\n    package: ${pkg.purl}\n    current: ${pkg.current}\n    releases: [${[...new Set(releases)].join(', ')}]\n` },
  );
}

/** The playbook for one INDEX version of a record: `releases` holds both INDEX versions and `current`. */
function rowPlaybook(row: IndexRow, which: 'safe' | 'affected'): { text: string; version: string } {
  const pkg = packageFor(row, row[which]);
  const version = row[which].version;
  return { text: versionPlaybook(pkg, [row.safe.version, row.affected.version, pkg.current], version), version };
}

const pb101 = (text: string, advisories: AdvisorySnapshot): Finding[] => checkPlaybook(text, { advisories }).findings.filter((f) => f.ruleId === 'PB101');
/** Findings about advisory `id`, or mentioning it anywhere (a safe version must not be tied to it at all). */
const naming = (findings: Finding[], id: string): Finding[] => findings.filter((f) => f.data?.['advisory'] === id || f.message.includes(id));
const isWithdrawn = (row: IndexRow): boolean => Boolean((JSON.parse(readFileSync(path.join(OSV_DIR, row.file), 'utf8')) as { withdrawn?: string }).withdrawn);
const expectedSeverity = (row: IndexRow): Finding['severity'] => (row.severity === 'CRITICAL' || row.severity === 'HIGH' ? 'error' : 'warning');

/**
 * Where a related location points in the record's file, read with jsonc-parser (not the code under
 * test): which `affected[i]`, or which of its `ranges[j]`, starts exactly there.
 */
function entryAt(text: string, position: { line: number; character: number }): { entry: number; range?: number } | undefined {
  const offset = text.split('\n').slice(0, position.line).reduce((n, line) => n + line.length + 1, 0) + position.character;
  const entries = findNodeAtLocation(parseTree(text)!, ['affected'])?.children ?? [];
  for (const [entry, node] of entries.entries()) {
    if (node.offset === offset) return { entry };
    const range = (findNodeAtLocation(node, ['ranges'])?.children ?? []).findIndex((r) => r.offset === offset);
    if (range >= 0) return { entry, range };
  }
  return undefined;
}

/** The related location of a PB101 finding lands on an `affected` entry (a range of it, when one matched) that affects the version. */
function assertPointsAtMatch(f: Finding, version: string, what: string): void {
  const related = f.related?.find((r) => r.file !== undefined && f.data?.['advisory'] !== undefined && r.message.startsWith(`${String(f.data['advisory'])}: `));
  assert.ok(related?.position, `${what}: the advisory's related location has a line and column`);
  const text = readFileSync(related.file!, 'utf8');
  const at = entryAt(text, related.position);
  assert.ok(at, `${what}: ${related.position.line + 1}:${related.position.character + 1} is the start of an affected entry or one of its ranges`);
  const entry = (JSON.parse(text) as { affected: OsvAffected[] }).affected[at.entry]!;
  // Only what was pointed at: the one range, or the entry's `versions` when no range matched.
  const pointed: OsvAffected = at.range === undefined ? { ...entry, ranges: [] } : { ...entry, ranges: [entry.ranges![at.range]!], versions: [] };
  assert.ok(isAffected(pointed, version, ecosystemFor(entry.package.ecosystem).ordering).affected, `${what}: affected[${at.entry}]${at.range === undefined ? '' : `.ranges[${at.range}]`} affects ${version}`);
}

const ROWS = readIndexRows();
let snapshot: AdvisorySnapshot;
before(async () => {
  snapshot = await new AdvisoryStore().load([{ entry: 'osv', path: OSV_DIR }]);
});

describe('PB101 with every record of INDEX.md, loaded by the advisory store', () => {
  test('INDEX.md lists exactly the record files of the folder, and PACKAGES covers exactly its rows', () => {
    const files = readdirSync(OSV_DIR).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(ROWS.map((r) => r.file).sort(), files);
    assert.deepEqual(Object.keys(PACKAGES).sort(), ROWS.map((r) => r.id).sort());
  });

  test('the store loaded the folder without problems; the withdrawn record is the one INDEX.md calls withdrawn', () => {
    assert.deepEqual(snapshot.problems, []);
    assert.deepEqual(snapshot.sources, [{ entry: 'osv', path: OSV_DIR, kind: 'folder', records: ROWS.length, newestModified: '2024-09-11T17:17:48Z' }]);
    assert.deepEqual(ROWS.filter(isWithdrawn).map((r) => r.id), ['GHSA-27h2-hvpr-p74q']);
    assert.deepEqual(ROWS.filter((r) => r.withdrawnInNotes).map((r) => r.id), ['GHSA-27h2-hvpr-p74q']);
  });

  for (const row of ROWS) {
    if (isWithdrawn(row)) {
      test(`${row.id} (withdrawn): neither ${row.affected.version} nor ${row.safe.version} is flagged for it`, () => {
        for (const which of ['affected', 'safe'] as const) {
          const { text, version } = rowPlaybook(row, which);
          assert.deepEqual(naming(pb101(text, snapshot), row.id).map((f) => f.message), [], `${version} must not be flagged for ${row.id}`);
        }
      });
      continue;
    }
    test(`${row.id}: ${row.affected.version} is flagged (${row.severity}), ${row.safe.version} is not`, () => {
      const affected = rowPlaybook(row, 'affected');
      const all = pb101(affected.text, snapshot);
      const found = all.filter((f) => f.data?.['advisory'] === row.id);
      assert.equal(found.length, 1, `one PB101 naming ${row.id} for ${affected.version}; got:\n${all.map((f) => f.message).join('\n')}`);
      const f = found[0]!;
      assert.equal(f.data?.['advisory'], row.id);
      assert.ok(f.message.includes(row.id), f.message);
      if (row.firstAlias) assert.ok(f.message.includes(row.firstAlias), `message lacks ${row.firstAlias}: ${f.message}`);
      assert.ok(f.message.includes(`severity ${row.severity}`), f.message);
      assert.equal(f.severity, expectedSeverity(row));
      assert.equal(affected.text.slice(f.range.start, f.range.end), affected.version);
      const file = f.related?.[0]?.file;
      assert.ok(file?.endsWith(path.sep + row.file), `related[0].file should end with ${row.file}: ${file}`);
      assertPointsAtMatch(f, affected.version, row.id);

      const safe = rowPlaybook(row, 'safe');
      assert.deepEqual(naming(pb101(safe.text, snapshot), row.id).map((x) => x.message), [], `${safe.version} must not be flagged for ${row.id}`);
    });
  }
});

describe('PB101: the log4j example', () => {
  const log4j: ServicePackage = { purl: LOG4J, current: '2.17.1' };
  const RELEASES = ['2.3.2', '2.12.2', '2.12.4', '2.14.1', '2.15.0', '2.16.0', '2.17.1'];

  test('rolling log4j-core back to 2.14.1 raises PB101 naming GHSA-jfh8-c2jp-5v3q / CVE-2021-44228 as CRITICAL', () => {
    const text = versionPlaybook(log4j, ['2.12.2', '2.14.1', '2.17.1'], '2.14.1');
    const [f, ...others] = pb101(text, snapshot).filter((x) => x.data?.['advisory'] === 'GHSA-jfh8-c2jp-5v3q');
    assert.ok(f);
    assert.equal(others.length, 0);
    assert.match(f.message, /^step `change-app` rolls back to `2\.14\.1` of `app`, which GHSA-jfh8-c2jp-5v3q \(CVE-2021-44228\) affects, severity CRITICAL: Remote code injection in Log4j; fixed in 2\.3\.1, 2\.12\.2, 2\.15\.0; use 2\.12\.2 instead/);
    assert.equal(f.severity, 'error');
    assert.equal(text.slice(f.range.start, f.range.end), '2.14.1');
    assert.deepEqual(f.data?.['aliases'], ['CVE-2021-44228']);
    // 2.15.0 fixed Log4Shell but GHSA-7rjr still affects it: the first safe fix above 2.14.1 is 2.16.0, not a known release.
    assert.deepEqual(f.data?.['safeVersions'], [
      { version: '2.12.2', why: 'newest unaffected release below 2.17.1', known: true },
      { version: '2.16.0', why: 'first fixed release of GHSA-7rjr-3q55-vv33', known: false },
    ]);
  });

  test('rolling back to 2.12.2 raises no PB101 at all', () => {
    assert.deepEqual(pb101(versionPlaybook(log4j, ['2.12.2', '2.14.1', '2.17.1'], '2.12.2'), snapshot).map((f) => f.message), []);
  });

  test('a deploy of 2.14.1 is flagged too, for both Log4j advisories', () => {
    const text = versionPlaybook(log4j, RELEASES, '2.14.1', 'deploy');
    const found = pb101(text, snapshot);
    assert.deepEqual(found.map((f) => f.data?.['advisory']).sort(), ['GHSA-7rjr-3q55-vv33', 'GHSA-jfh8-c2jp-5v3q']);
    for (const f of found) {
      assert.ok(f.message.startsWith('step `change-app` deploys `2.14.1` of `app`'), f.message);
      assert.equal(text.slice(f.range.start, f.range.end), '2.14.1');
      assert.equal(f.severity, 'error');
    }
  });

  test('safeVersions starts with the newest unaffected release below current (2.16.0, not 2.15.0 which GHSA-7rjr affects)', () => {
    const [f] = pb101(versionPlaybook(log4j, RELEASES, '2.14.1'), snapshot).filter((x) => x.data?.['advisory'] === 'GHSA-jfh8-c2jp-5v3q');
    const safe = f?.data?.['safeVersions'] as { version: string; why: string; known: boolean }[] | undefined;
    assert.equal(safe?.[0]?.version, '2.16.0');
    assert.ok(safe[0].why.startsWith('newest unaffected release below 2.17.1'), safe[0].why);
    assert.equal(safe[0].known, true);
    assert.ok(f!.message.includes('use 2.16.0 instead'), f!.message);
  });
});

describe('PB110 in the playbook: no advisory records loaded', () => {
  const text = versionPlaybook({ purl: LOG4J, current: '2.17.1' }, ['2.12.2', '2.14.1', '2.17.1'], '2.14.1');
  const NONE_LOADED = { rule: 'PB110', flagged: 'app', severity: 'info', message: 'no advisory records are loaded' } as const;

  test('options without advisories: one PB110 info on the service key, and no PB101', () => {
    assertFindings(text, [NONE_LOADED], ['PB110', 'PB101'], {});
  });

  test('an empty snapshot: the same', () => {
    const empty: AdvisorySnapshot = { index: new AdvisoryIndex([]), sources: [], problems: [] };
    assertFindings(text, [NONE_LOADED], ['PB110', 'PB101'], { advisories: empty });
  });

  test('with the records loaded: no PB110', () => {
    assertFindings(text, [], ['PB110'], { advisories: snapshot });
  });
});

describe('PB110 in the playbook: a version its ecosystem refuses is not checked, and says so', () => {
  const CASES: readonly [ServicePackage, string, string][] = [
    [{ purl: LODASH, current: '4.17.21' }, 'banana', '`banana` is not a valid npm version'],
    [{ purl: LODASH, current: '4.17.21' }, '4.17.11.1', '`4.17.11.1` is not a valid npm version'],
    [{ purl: 'pkg:pypi/pyyaml', current: '6.0.1' }, '5.3-custom', '`5.3-custom` is not a valid PyPI version'],
    [{ purl: 'pkg:gem/nokogiri', current: '1.16.5' }, 'latest', '`latest` is not a valid RubyGems version'],
  ];
  for (const [pkg, version, why] of CASES) {
    test(`${pkg.purl} rolled back to ${version}: a PB110 warning on the version, never silence`, () => {
      const text = versionPlaybook(pkg, [pkg.current], version);
      const found = checkPlaybook(text, { advisories: snapshot }).findings.filter((f) => f.ruleId === 'PB110' || f.ruleId === 'PB101');
      assert.deepEqual(found.map((f) => [f.ruleId, f.severity, text.slice(f.range.start, f.range.end), f.message]), [
        ['PB110', 'warning', version, `step \`change-app\` rolls back to \`${version}\` of \`app\`: ${why}, so advisories cannot be checked for it`],
      ]);
    });
  }

  test('a valid version raises no such PB110', () => {
    const text = versionPlaybook({ purl: LODASH, current: '4.17.21' }, ['4.17.21'], '4.17.21');
    assert.deepEqual(checkPlaybook(text, { advisories: snapshot }).findings.filter((f) => f.ruleId === 'PB110'), []);
  });
});
