/**
 * `playbook advisories --version`: a version the package's ecosystem does not accept is a usage
 * problem that says so, never "outside every range" (which reads as "not affected").
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';

const FIXTURES = path.join(__dirname, '../fixtures/osv');
const record = (id: string): string => readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8');

const dir = workspace({
  '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n',
  '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': record('GHSA-jfh8-c2jp-5v3q'),
  '.playbooks/advisories/GHSA-jf85-cpcp-j695.json': record('GHSA-jf85-cpcp-j695'),
  '.playbooks/advisories/GHSA-8q59-q68h-6hv4.json': record('GHSA-8q59-q68h-6hv4'),
  '.playbooks/advisories/GHSA-vr8q-g5c7-m54m.json': record('GHSA-vr8q-g5c7-m54m'),
  '.playbooks/advisories/GHSA-hh2w-p6rv-4g7w.json': record('GHSA-hh2w-p6rv-4g7w'),
  '.playbooks/advisories/GHSA-8c26-wmh5-6g9v.json': record('GHSA-8c26-wmh5-6g9v'),
});

describe('playbook advisories --version with a version the ecosystem refuses', () => {
  const CASES: readonly [purl: string, version: string, message: string][] = [
    ['pkg:npm/lodash', 'banana', '`banana` is not a valid npm version'],
    ['pkg:npm/lodash', '4.17.21.1', '`4.17.21.1` is not a valid npm version'],
    ['pkg:pypi/pyyaml', 'banana', '`banana` is not a valid PyPI version'],
    ['pkg:pypi/pyyaml', '5.3-custom', '`5.3-custom` is not a valid PyPI version'],
    ['pkg:gem/nokogiri', 'banana', '`banana` is not a valid RubyGems version'],
    ['pkg:nuget/System.Text.Json', 'banana', '`banana` is not a valid NuGet version'],
    ['pkg:golang/golang.org/x/crypto', 'banana', '`banana` is not a valid Go version'],
    ['pkg:maven/org.apache.logging.log4j/log4j-core', '', 'an empty version is not a valid Maven version'],
  ];
  for (const [purl, version, message] of CASES) {
    test(`${purl} --version ${JSON.stringify(version)}: exit 2, "${message}"`, async () => {
      const r = await cli(['advisories', '--package', purl, '--version', version], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `playbook: --version ${version}: ${message}, so advisories cannot be checked for it\n`);
      assert.doesNotMatch(r.stdout, /outside every range|not affected/);
    });
  }

  test('a valid version still gets its verdict (exit 0), and --format json refuses a bad one the same way', async () => {
    const ok = await cli(['advisories', '--package', 'pkg:npm/lodash', '--version', '4.17.11'], dir);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /AFFECTED GHSA-jf85-cpcp-j695/);
    const json = await cli(['advisories', '--package', 'pkg:npm/lodash', '--version', 'banana', '--format', 'json'], dir);
    assert.equal(json.code, 2);
    assert.equal(json.stdout, '');
    assert.match(json.stderr, /`banana` is not a valid npm version/);
  });

  test('Maven orders any text (a qualifier sorts below every number), so an odd version gets Maven\'s verdict', async () => {
    const r = await cli(['advisories', '--package', 'pkg:maven/org.apache.logging.log4j/log4j-core', '--version', 'banana'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /AFFECTED GHSA-jfh8-c2jp-5v3q/);
    assert.match(r.stdout, /why: every version before 2\.3\.1\n/);
  });
});
