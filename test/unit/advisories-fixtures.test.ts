/**
 * Every real record of test/fixtures/osv (listed in its INDEX.md) against the versions the INDEX
 * derived from its ranges: the "affected" one must match that record, the "safe" one must not.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, type AdvisoryInput } from '../../server/src/core/advisories/advisoryIndex.js';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';

const DIR = path.join(__dirname, '../fixtures/osv');

function loadIndex(): AdvisoryIndex {
  const inputs: AdvisoryInput[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = parseOsvRecord(readFileSync(path.join(DIR, file), 'utf8'), file);
    if ('problem' in parsed) throw new Error(parsed.problem);
    inputs.push({ record: parsed.record, source: file });
  }
  return new AdvisoryIndex(inputs);
}

const index = loadIndex();
const idsFor = (purl: string, version: string): string[] => index.lookup(purl, version).map((m) => m.id);

const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core';
const JACKSON = 'pkg:maven/com.fasterxml.jackson.core/jackson-databind';

/** id → the package the INDEX's derived versions are about, the affected version, the safe version (of `safePurl` if given). */
const RECORDS: readonly { id: string; purl: string; affected: string; safe: string; safePurl?: string }[] = [
  { id: 'GHSA-jfh8-c2jp-5v3q', purl: LOG4J, affected: '2.14.1', safe: '2.12.2' },
  { id: 'GHSA-7rjr-3q55-vv33', purl: LOG4J, affected: '2.15.0', safe: '2.12.2' },
  { id: 'GHSA-fp5r-v3w9-4333', purl: 'pkg:maven/log4j/log4j', affected: '1.2.17', safe: '1.1.3' },
  { id: 'GHSA-57j2-w4cx-62h2', purl: JACKSON, affected: '2.13.2', safe: '2.12.6.1' },
  { id: 'GHSA-5mg8-w23w-74h3', purl: 'pkg:maven/com.google.guava/guava', affected: '28.2-jre', safe: '30.0-jre' },
  { id: 'GHSA-jf85-cpcp-j695', purl: 'pkg:npm/lodash', affected: '4.17.11', safe: '4.17.12' },
  { id: 'GHSA-35jh-r3h4-6jhm', purl: 'pkg:npm/lodash', affected: '4.17.20', safe: '4.17.21' },
  { id: 'GHSA-hrpp-h998-j3pp', purl: 'pkg:npm/qs', affected: '6.7.0', safe: '6.9.7' },
  { id: 'GHSA-9wv6-86v2-598j', purl: 'pkg:npm/path-to-regexp', affected: '0.1.7', safe: '0.1.10' },
  { id: 'GHSA-qw6h-vgh9-j6wx', purl: 'pkg:npm/express', affected: '4.19.2', safe: '4.20.0' },
  { id: 'GHSA-r683-j2x4-v87g', purl: 'pkg:npm/node-fetch', affected: '2.6.6', safe: '3.1.1' },
  { id: 'GHSA-w7rc-rwvf-8q5r', purl: 'pkg:npm/node-fetch', affected: '2.6.0', safe: '2.6.1' },
  { id: 'GHSA-vh95-rmgr-6w4m', purl: 'pkg:npm/minimist', affected: '1.2.0', safe: '1.2.3' },
  { id: 'GHSA-8cf7-32gw-wr33', purl: 'pkg:npm/jsonwebtoken', affected: '8.5.1', safe: '9.0.0' },
  { id: 'GHSA-8hc4-vh64-cxmj', purl: 'pkg:npm/axios', affected: '1.7.2', safe: '1.7.4' },
  { id: 'GHSA-pjwm-rvh2-c87w', purl: 'pkg:npm/ua-parser-js', affected: '0.7.29', safe: '0.7.30' },
  { id: 'GHSA-8q59-q68h-6hv4', purl: 'pkg:pypi/PyYAML', affected: '5.3.1', safe: '5.4' },
  { id: 'GHSA-9wx4-h78v-vm56', purl: 'pkg:pypi/requests', affected: '2.31.0', safe: '2.32.2' },
  { id: 'GHSA-v845-jxx5-vc9f', purl: 'pkg:pypi/urllib3', affected: '2.0.5', safe: '1.26.17' },
  // No fixed jwt-go v1–v3 exists: the INDEX's safe version is the /v4 module's fix.
  { id: 'GHSA-w73w-5m7g-f7qc', purl: 'pkg:golang/github.com/dgrijalva/jwt-go', affected: '3.2.0', safe: '4.0.0-preview1', safePurl: 'pkg:golang/github.com/dgrijalva/jwt-go/v4' },
  { id: 'GHSA-8c26-wmh5-6g9v', purl: 'pkg:golang/golang.org/x/crypto/ssh', affected: '0.0.0-20220214200702-86341886e292', safe: '0.0.0-20220315160706-3147a52a75dd' },
  { id: 'GHSA-vr8q-g5c7-m54m', purl: 'pkg:gem/nokogiri', affected: '1.10.10', safe: '1.11.0' },
  { id: 'GHSA-333g-rpr4-7hxq', purl: 'pkg:gem/rest-client', affected: '1.6.13', safe: '1.6.9' },
  { id: 'GHSA-hh2w-p6rv-4g7w', purl: 'pkg:nuget/System.Text.Json', affected: '8.0.3', safe: '8.0.4' },
];
const WITHDRAWN = { id: 'GHSA-27h2-hvpr-p74q', purl: 'pkg:npm/jsonwebtoken', byRanges: '8.5.1' };

describe('advisory fixtures: every record of INDEX.md', () => {
  test('the table covers exactly the records INDEX.md lists', () => {
    const index = readFileSync(path.join(DIR, 'INDEX.md'), 'utf8');
    const listed = [...index.matchAll(/^\| \d+ \| `(GHSA-[0-9a-z-]+)` \|/gm)].map((m) => m[1]);
    assert.equal(listed.length, 25);
    assert.deepEqual([...RECORDS.map((r) => r.id), WITHDRAWN.id].sort(), listed.sort());
  });

  for (const { id, purl, affected, safe, safePurl = purl } of RECORDS) {
    test(`${id}: ${purl} ${affected} is affected, ${safe} is not`, () => {
      assert.ok(idsFor(purl, affected).includes(id), `${affected} should match ${id}; got ${idsFor(purl, affected).join(', ')}`);
      assert.ok(!idsFor(safePurl, safe).includes(id), `${safe} should not match ${id}`);
    });
  }

  test(`${WITHDRAWN.id} is withdrawn: nothing reported, though its ranges cover ${WITHDRAWN.byRanges}`, () => {
    assert.deepEqual(idsFor(WITHDRAWN.purl, WITHDRAWN.byRanges), ['GHSA-8cf7-32gw-wr33']);
  });

  test('counts: 24 indexed, 1 withdrawn, per ecosystem as INDEX.md says (jsonwebtoken withdrawn)', () => {
    assert.deepEqual(index.counts(), {
      records: 24,
      withdrawn: 1,
      duplicates: 0,
      byEcosystem: { npm: 11, Maven: 5, PyPI: 3, Go: 2, RubyGems: 2, NuGet: 1 },
    });
    assert.deepEqual(index.problems, []);
    assert.deepEqual(index.notes, []);
  });
});

describe('advisory fixtures: the example of the brief', () => {
  test('rolling log4j-core back to 2.14.1 matches Log4Shell, CRITICAL, with the fixed versions', () => {
    const log4shell = index.lookup(LOG4J, '2.14.1').find((m) => m.id === 'GHSA-jfh8-c2jp-5v3q');
    assert.ok(log4shell);
    assert.deepEqual(log4shell, {
      id: 'GHSA-jfh8-c2jp-5v3q',
      aliases: ['CVE-2021-44228'],
      summary: 'Remote code injection in Log4j',
      severity: 'CRITICAL',
      severitySource: 'database_specific',
      severityField: 'database_specific.severity',
      cvssScore: 10,
      fixed: ['2.3.1', '2.12.2', '2.15.0'],
      package: 'org.apache.logging.log4j:log4j-core',
      source: 'GHSA-jfh8-c2jp-5v3q.json',
      reason: '2.13.0 up to, not including, 2.15.0',
    });
  });

  test('2.12.2 does not match it; 2.14.1 also matches GHSA-7rjr, listed by id within one severity', () => {
    assert.deepEqual(idsFor(LOG4J, '2.12.2'), []);
    assert.deepEqual(idsFor(LOG4J, '2.14.1'), ['GHSA-7rjr-3q55-vv33', 'GHSA-jfh8-c2jp-5v3q']);
  });
});

/** The quirks INDEX.md lists, each as [purl, version, record id, affected?]. */
const QUIRKS: readonly [string, string, string, boolean, string][] = [
  [LOG4J, '2.4', 'GHSA-jfh8-c2jp-5v3q', true, 'Maven `2.4` == `2.4.0`: the range [2.4, 2.12.2) starts there'],
  [LOG4J, '2.4.0', 'GHSA-jfh8-c2jp-5v3q', true, 'the same range, spelled with three parts'],
  [LOG4J, '2.3.1', 'GHSA-jfh8-c2jp-5v3q', false, 'gap between backport ranges'],
  [LOG4J, '2.3.2', 'GHSA-jfh8-c2jp-5v3q', false, 'gap between backport ranges'],
  [LOG4J, '2.12.4', 'GHSA-jfh8-c2jp-5v3q', false, 'gap between backport ranges'],
  [LOG4J, '2.0-beta9', 'GHSA-jfh8-c2jp-5v3q', true, 'a Maven pre-release below 2.3.1'],
  [LOG4J, '2.12.4', 'GHSA-7rjr-3q55-vv33', false, 'between 2.12.2 and 2.13.0'],
  ['pkg:maven/log4j/log4j', '1.2', 'GHSA-fp5r-v3w9-4333', true, 'no fix: `1.2` == `1.2.0`, the introduced version'],
  ['pkg:maven/log4j/log4j', '1.2.99', 'GHSA-fp5r-v3w9-4333', true, 'no fix: everything from 1.2.0 on'],
  [JACKSON, '2.13.2.0', 'GHSA-57j2-w4cx-62h2', true, '4 segments: 2.13.2.0 < 2.13.2.1'],
  [JACKSON, '2.13.2.1', 'GHSA-57j2-w4cx-62h2', false, '4 segments: the fix'],
  [JACKSON, '2.12.6', 'GHSA-57j2-w4cx-62h2', true, '2.12.6 < 2.12.6.1'],
  [JACKSON, '2.12.7', 'GHSA-57j2-w4cx-62h2', false, 'the gap between the two ranges'],
  ['pkg:maven/com.google.guava/guava', '29.0', 'GHSA-5mg8-w23w-74h3', true, 'last_affected is inclusive'],
  ['pkg:maven/com.google.guava/guava', '29.0-jre', 'GHSA-5mg8-w23w-74h3', false, 'CAVEAT: an unknown qualifier sorts after the release'],
  ['pkg:maven/com.google.guava/guava', '28.2-android', 'GHSA-5mg8-w23w-74h3', true, 'below 29.0'],
  ['pkg:npm/lodash-es', '4.17.13', 'GHSA-jf85-cpcp-j695', true, 'lodash-es is fixed in 4.17.14'],
  ['pkg:npm/lodash', '4.17.13', 'GHSA-jf85-cpcp-j695', false, 'lodash is fixed in 4.17.12'],
  ['pkg:npm/lodash-amd', '4.17.12', 'GHSA-jf85-cpcp-j695', true, 'lodash-amd is fixed in 4.17.13'],
  ['pkg:npm/lodash.defaultsdeep', '4.6.1', 'GHSA-jf85-cpcp-j695', false, 'its own fixed version'],
  ['pkg:npm/lodash-es', '4.17.20', 'GHSA-35jh-r3h4-6jhm', true, 'both packages, one range each'],
  ['pkg:npm/qs', '6.2.4', 'GHSA-hrpp-h998-j3pp', false, 'gap'],
  ['pkg:npm/qs', '6.3.3', 'GHSA-hrpp-h998-j3pp', false, 'gap'],
  ['pkg:npm/qs', '6.5.3', 'GHSA-hrpp-h998-j3pp', false, 'gap'],
  ['pkg:npm/qs', '6.10.2', 'GHSA-hrpp-h998-j3pp', true, 'last backport line'],
  ['pkg:npm/qs', '6.10.3', 'GHSA-hrpp-h998-j3pp', false, 'fixed'],
  ['pkg:npm/path-to-regexp', '6.3.0', 'GHSA-9wv6-86v2-598j', false, 'fixed on the 6.x line'],
  ['pkg:npm/path-to-regexp', '7.1.0', 'GHSA-9wv6-86v2-598j', true, '7.x is affected'],
  ['pkg:npm/express', '5.0.0-beta.3', 'GHSA-qw6h-vgh9-j6wx', true, 'semver pre-release inside [5.0.0-alpha.1, 5.0.0)'],
  ['pkg:npm/express', '5.0.0', 'GHSA-qw6h-vgh9-j6wx', false, 'the release after its pre-releases'],
  ['pkg:npm/node-fetch', '2.6.7', 'GHSA-r683-j2x4-v87g', true, 'the union of overlapping ranges [1.0, 3.1.1) ∪ [0, 2.6.7)'],
  ['pkg:npm/node-fetch', '1.0.0', 'GHSA-r683-j2x4-v87g', true, '`introduced: 1.0` coerced to 1.0.0'],
  ['pkg:npm/node-fetch', '3.0.0-beta.8', 'GHSA-w7rc-rwvf-8q5r', true, 'pre-release-only range'],
  ['pkg:npm/node-fetch', '3.0.0-beta.9', 'GHSA-w7rc-rwvf-8q5r', false, 'its fix, a pre-release'],
  ['pkg:npm/minimist', '0.2.0', 'GHSA-vh95-rmgr-6w4m', true, '0.x line'],
  ['pkg:npm/minimist', '0.2.1', 'GHSA-vh95-rmgr-6w4m', false, '0.x fix'],
  ['pkg:npm/Axios', '1.7.3', 'GHSA-8hc4-vh64-cxmj', true, 'the record writes `Axios`; npm names match case-insensitively'],
  ['pkg:npm/axios', '1.3.1', 'GHSA-8hc4-vh64-cxmj', false, 'below introduced 1.3.2'],
  ['pkg:npm/ua-parser-js', '0.7.28', 'GHSA-pjwm-rvh2-c87w', false, 'not listed'],
  ['pkg:npm/ua-parser-js', '1.0.0', 'GHSA-pjwm-rvh2-c87w', true, 'listed'],
  ['pkg:pypi/pyyaml', '5.4b1', 'GHSA-8q59-q68h-6hv4', true, 'PEP 440 pre-release below 5.4'],
  ['pkg:pypi/py-yaml', '5.4b2', 'GHSA-8q59-q68h-6hv4', false, 'a different package name after normalisation (py-yaml is not pyyaml)'],
  ['pkg:pypi/requests', '2.32.0', 'GHSA-9wx4-h78v-vm56', true, 'the range, not the lkavr, decides'],
  ['pkg:pypi/urllib3', '2.0.6', 'GHSA-v845-jxx5-vc9f', false, '2.x fix'],
  ['pkg:golang/github.com/dgrijalva/jwt-go', 'v3.2.0+incompatible', 'GHSA-w73w-5m7g-f7qc', true, 'go.mod spelling: `v` and `+incompatible` stripped'],
  ['pkg:golang/github.com/dgrijalva/jwt-go', 'v0.0.0-20150717181359-44718f8a89b0', 'GHSA-w73w-5m7g-f7qc', true, 'the introduced pseudo-version itself'],
  ['pkg:golang/github.com/dgrijalva/jwt-go', 'v0.0.0-20150101000000-000000000000', 'GHSA-w73w-5m7g-f7qc', false, 'an older pseudo-version'],
  ['pkg:golang/github.com/dgrijalva/jwt-go/v4', 'v4.0.0-preview0', 'GHSA-w73w-5m7g-f7qc', true, 'the /v4 module has its own range'],
  ['pkg:golang/github.com/dgrijalva/jwt-go/v4', 'v4.0.0-preview1', 'GHSA-w73w-5m7g-f7qc', false, 'the /v4 fix'],
  ['pkg:golang/golang.org/x/crypto', 'v0.0.0-20220214200702-86341886e292', 'GHSA-8c26-wmh5-6g9v', true, 'the module holding the ssh package'],
  ['pkg:golang/golang.org/x/crypto', 'v0.1.0', 'GHSA-8c26-wmh5-6g9v', false, 'tagged versions are above every 0.0.0 pseudo-version'],
  ['pkg:gem/nokogiri', '1.11.0.rc4', 'GHSA-vr8q-g5c7-m54m', true, 'RubyGems pre-release below 1.11.0'],
  ['pkg:gem/rest-client', '1.7.0', 'GHSA-333g-rpr4-7hxq', false, 'fixed'],
  ['pkg:gem/cron_parser', '0.1.4', 'GHSA-333g-rpr4-7hxq', true, 'an entry with `versions` only'],
  ['pkg:gem/cron_parser', '1.0.14', 'GHSA-333g-rpr4-7hxq', true, 'last_affected, inclusive'],
  ['pkg:gem/cron_parser', '1.0.15', 'GHSA-333g-rpr4-7hxq', false, 'after last_affected'],
  ['pkg:gem/cron_parser', '1.0.12', 'GHSA-333g-rpr4-7hxq', false, 'before introduced, not listed'],
  ['pkg:gem/coin_base', '99.0.0', 'GHSA-333g-rpr4-7hxq', true, 'introduced 0 with no fix'],
  ['pkg:gem/lita_coin', '1.0.0', 'GHSA-333g-rpr4-7hxq', false, 'named in the details only'],
  ['pkg:nuget/system.text.json', '7.0.0', 'GHSA-hh2w-p6rv-4g7w', true, 'NuGet ids are case-insensitive'],
  ['pkg:nuget/System.Text.Json', '6.0.10', 'GHSA-hh2w-p6rv-4g7w', false, 'below the range'],
  ['pkg:nuget/System.Text.Json', '08.0.03', 'GHSA-hh2w-p6rv-4g7w', true, 'NuGet leading zeros'],
];

describe('advisory fixtures: the quirks INDEX.md lists', () => {
  for (const [purl, version, id, affected, why] of QUIRKS) {
    test(`${purl} ${version} ${affected ? 'matches' : 'does not match'} ${id}: ${why}`, () => {
      assert.equal(idsFor(purl, version).includes(id), affected, `matches: ${idsFor(purl, version).join(', ') || 'none'}`);
    });
  }
});
