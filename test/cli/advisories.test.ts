import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cli, workspace } from './helpers.js';

const FIXTURES = path.join(__dirname, '../fixtures/osv');
const record = (id: string): string => readFileSync(path.join(FIXTURES, `${id}.json`), 'utf8');

function advisoryWorkspace(extra: Record<string, string> = {}): string {
  return workspace({
    '.playbooks/policy.yaml': 'policy: 1\nadvisories: [advisories]\n',
    '.playbooks/advisories/GHSA-jfh8-c2jp-5v3q.json': record('GHSA-jfh8-c2jp-5v3q'),
    '.playbooks/advisories/GHSA-7rjr-3q55-vv33.json': record('GHSA-7rjr-3q55-vv33'),
    '.playbooks/advisories/GHSA-27h2-hvpr-p74q.json': record('GHSA-27h2-hvpr-p74q'),
    ...extra,
  });
}

describe('playbook advisories', () => {
  test('without a package: the sources, the counts and the problems', async () => {
    const dir = advisoryWorkspace({ '.playbooks/advisories/broken.json': '{ not json' });
    const r = await cli(['advisories'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Policy: \.playbooks\/policy\.yaml$/m);
    assert.match(r.stdout, /^ {2}advisories \(\.playbooks\/advisories\): folder, 3 records$/m);
    assert.match(r.stdout, /^Records: 2 in use \(Maven 2\); 1 withdrawn, 0 duplicate ids$/m);
    assert.match(r.stdout, /^ {2}warning \.playbooks\/advisories\/broken\.json: .*skipped$/m);
  });

  test('with a package and a version: which record matched and which range', async () => {
    const r = await cli(['advisories', '--package', 'pkg:maven/org.apache.logging.log4j/log4j-core', '--version', '2.15.0'], advisoryWorkspace());
    assert.equal(r.code, 0);
    assert.match(r.stdout, /@2\.15\.0: affected by 1 of the 2 records naming it/);
    assert.match(r.stdout, /AFFECTED GHSA-7rjr-3q55-vv33 \(CVE-2021-45046\) CRITICAL/);
    assert.match(r.stdout, /not affected GHSA-jfh8-c2jp-5v3q \(CVE-2021-44228\) CRITICAL/);
    assert.match(r.stdout, /why: 2\.13\.0 up to, not including, 2\.16\.0\n/);
    assert.match(r.stdout, /why not: `2\.15\.0` is outside every range and list/);
  });

  test('JSON carries the verdicts', async () => {
    const r = await cli(['advisories', '-p', 'pkg:maven/org.apache.logging.log4j/log4j-core', '--version', '2.12.2', '--format', 'json'], advisoryWorkspace());
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json.advisories.map((a: { id: string; verdict: { affected: boolean } }) => [a.id, a.verdict.affected]), [['GHSA-7rjr-3q55-vv33', false], ['GHSA-jfh8-c2jp-5v3q', false]]);
    assert.equal(json.counts.records, 2);
  });

  test('a package nobody wrote about', async () => {
    const r = await cli(['advisories', '-p', 'pkg:npm/left-pad'], advisoryWorkspace());
    assert.match(r.stdout, /^No record names pkg:npm\/left-pad\.$/m);
  });

  test('usage problems exit 2', async () => {
    const dir = advisoryWorkspace();
    const noPackage = await cli(['advisories', '--version', '1.0.0'], dir);
    assert.equal(noPackage.code, 2);
    assert.match(noPackage.stderr, /--version needs --package/);
    const badPurl = await cli(['advisories', '--package', 'not-a-purl'], dir);
    assert.equal(badPurl.code, 2);
    assert.match(badPurl.stderr, /^playbook: --package not-a-purl: /);
  });
});
