/** Package URLs → OSV ecosystem and the ecosystem's spelling of the package name (spec section 6). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AdvisoryIndex } from '../../server/src/core/advisories/advisoryIndex.js';
import { parsePurl } from '../../server/src/core/advisories/purl.js';
import type { OsvRecord } from '../../server/src/core/advisories/types.js';
import { unreadableVersion } from '../../server/src/core/advisories/serviceVersion.js';

/** purl → [OSV ecosystem or undefined, name as the ecosystem spells it, match key, version]. */
const MAPPINGS: readonly [string, string | undefined, string, string, string | undefined][] = [
  ['pkg:npm/%40acme/checkout', 'npm', '@acme/checkout', 'npm/@acme/checkout', undefined],
  ['pkg:npm/@acme/checkout@2.4.0', 'npm', '@acme/checkout', 'npm/@acme/checkout', '2.4.0'],
  ['pkg:npm/lodash', 'npm', 'lodash', 'npm/lodash', undefined],
  ['pkg:npm/Axios', 'npm', 'axios', 'npm/axios', undefined],
  ['pkg:maven/org.apache.logging.log4j/log4j-core', 'Maven', 'org.apache.logging.log4j:log4j-core', 'maven/org.apache.logging.log4j:log4j-core', undefined],
  ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar', 'Maven', 'org.apache.logging.log4j:log4j-core', 'maven/org.apache.logging.log4j:log4j-core', '2.14.1'],
  ['pkg:golang/github.com/dgrijalva/jwt-go', 'Go', 'github.com/dgrijalva/jwt-go', 'golang/github.com/dgrijalva/jwt-go', undefined],
  ['pkg:golang/github.com/dgrijalva/jwt-go/v4@v4.0.0-preview1', 'Go', 'github.com/dgrijalva/jwt-go/v4', 'golang/github.com/dgrijalva/jwt-go/v4', 'v4.0.0-preview1'],
  ['pkg:golang/golang.org/x/crypto', 'Go', 'golang.org/x/crypto', 'golang/golang.org/x/crypto', undefined],
  ['pkg:pypi/PyYAML', 'PyPI', 'pyyaml', 'pypi/pyyaml', undefined],
  ['pkg:pypi/zope.interface', 'PyPI', 'zope.interface', 'pypi/zope-interface', undefined],
  ['pkg:gem/rest-client@1.6.13', 'RubyGems', 'rest-client', 'gem/rest-client', '1.6.13'],
  ['pkg:nuget/System.Text.Json', 'NuGet', 'System.Text.Json', 'nuget/system.text.json', undefined],
  ['pkg:generic/acme/ledger', undefined, 'acme/ledger', 'generic/acme/ledger', undefined],
  ['pkg:generic/acme/ledger@3.1.0?arch=x86_64#sub', undefined, 'acme/ledger', 'generic/acme/ledger', '3.1.0'],
  ['pkg:generic/ledger', undefined, 'ledger', 'generic/ledger', undefined],
  ['pkg:cargo/serde@1.0.100', 'crates.io', 'serde', 'cargo/serde', '1.0.100'],
  ['pkg:composer/laravel/framework@v7.12.0', 'Packagist', 'laravel/framework', 'composer/laravel/framework', 'v7.12.0'],
  ['pkg:hex/plug@1.3.0', 'Hex', 'plug', 'hex/plug', '1.3.0'],
  ['pkg:githubactions/actions/checkout@v3', 'GitHub Actions', 'actions/checkout', 'githubactions/actions/checkout', 'v3'],
  ['pkg:swift/github.com/apple/swift-nio@2.0.0', undefined, 'github.com/apple/swift-nio', 'swift/github.com/apple/swift-nio', '2.0.0'],
];

describe('purl mapping', () => {
  for (const [purl, ecosystem, name, key, version] of MAPPINGS) {
    test(`${purl} → ${ecosystem ?? '(no ecosystem)'} \`${name}\``, () => {
      const result = parsePurl(purl);
      assert.ok('package' in result, JSON.stringify(result));
      const { package: pkg } = result;
      assert.deepEqual({ ecosystem: pkg.ecosystem?.name, name: pkg.name, key: pkg.key, version: pkg.version }, { ecosystem, name, key, version });
    });
  }
});

describe('components of the ecosystems OSV names without a purl: matched by name', () => {
  // As GitHub's advisories come in OSV exports: the ecosystem and the name, no purl.
  const record = (ecosystem: string, name: string, type: 'ECOSYSTEM' | 'SEMVER', introduced: string, fixed: string): OsvRecord =>
    ({ id: `GHSA-${ecosystem}-${name}`, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ranges: [{ type, events: [{ introduced }, { fixed }] }] }] });
  const index = new AdvisoryIndex([
    { record: record('Packagist', 'laravel/framework', 'ECOSYSTEM', '7.0.0', '7.23.2'), source: 'packagist.json' },
    { record: record('crates.io', 'smallvec', 'SEMVER', '0.6.3', '0.6.14'), source: 'crates.json' },
  ]);
  test('a composer component (laravel 7.12.0, written with the v composer allows) and a cargo one, inside and outside the ranges', () => {
    assert.equal(index.lookup('pkg:composer/laravel/framework@v7.12.0', 'v7.12.0').length, 1);
    assert.equal(index.lookup('pkg:composer/laravel/framework@7.23.2', '7.23.2').length, 0);
    assert.equal(index.lookup('pkg:cargo/smallvec@0.6.10', '0.6.10').length, 1);
    assert.equal(index.lookup('pkg:cargo/smallvec@1.0.0', '1.0.0').length, 0);
  });
});

describe('invalid purls: a problem, never an exception', () => {
  const INVALID: readonly [string, string][] = [
    ['checkout', '`checkout` is not a valid package URL (missing required "pkg" scheme component)'],
    ['pkg:npm', '`pkg:npm` is not a valid package URL ("name" is a required component)'],
    ['pkg:maven/log4j-core', '`pkg:maven/log4j-core` is not a valid package URL (maven requires a "namespace" component)'],
    ['', '`` is not a valid package URL ("type" is a required component)'],
  ];
  for (const [purl, problem] of INVALID) {
    test(JSON.stringify(purl), () => assert.deepEqual(parsePurl(purl), { problem }));
  }
});

describe('service versions that advisories cannot be checked against', () => {
  const CASES: readonly [string, string, string | undefined][] = [
    ['pkg:npm/express', '4.19.2', undefined],
    ['pkg:npm/express', 'latest', '`latest` is not a valid npm version, so advisories cannot be checked for it'],
    ['pkg:maven/org.apache.logging.log4j/log4j-core', '2.0-beta9', undefined],
    ['pkg:pypi/pyyaml', 'five', '`five` is not a valid PyPI version, so advisories cannot be checked for it'],
    ['pkg:golang/golang.org/x/crypto', 'v0.0.0-20220214200702-86341886e292', undefined],
    ['pkg:generic/acme/ledger', 'build-2024-06', undefined],
    ['pkg:generic/acme/ledger', ' ', 'an empty version is not a valid generic version, so advisories cannot be checked for it'],
    // Ordered for old advisory data, but not a version pip accepts today: never checked (it would sort below every release).
    ['pkg:pypi/pyyaml', '5.4-custom-build', '`5.4-custom-build` is not a valid PyPI version, so advisories cannot be checked for it'],
    ['pkg:gem/rails', 'banana', '`banana` is not a valid RubyGems version, so advisories cannot be checked for it'],
    ['pkg:nuget/System.Text.Json', '8.0.0.0.1', '`8.0.0.0.1` is not a valid NuGet version, so advisories cannot be checked for it'],
    ['pkg:npm/lodash', '4.17.21.1', '`4.17.21.1` is not a valid npm version, so advisories cannot be checked for it'],
  ];
  for (const [purl, version, problem] of CASES) {
    test(`${purl} ${JSON.stringify(version)} → ${problem ?? 'checkable'}`, () => {
      const result = parsePurl(purl);
      assert.ok('package' in result);
      assert.equal(unreadableVersion(result.package, version), problem);
    });
  }
});
