/**
 * Version order per ecosystem: each table lists versions oldest first; versions in one group are
 * equal. Every pair is compared both ways, so one misplaced version fails the table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ecosystemFor, invalidVersion, parseCheckedVersion, SEMVER_ORDERING, sortVersions, type VersionOrdering } from '../../server/src/core/advisories/ecosystems/index.js';
import { fallbackOrdering } from '../../server/src/core/advisories/ecosystems/fallback.js';
import { goModuleCandidates } from '../../server/src/core/advisories/ecosystems/go.js';

type Groups = readonly (readonly string[])[];

function assertOrder(ordering: VersionOrdering, groups: Groups): void {
  const flat = groups.flatMap((group, rank) => group.map((text) => ({ text, rank })));
  for (const { text } of flat) assert.notEqual(ordering.parse(text), undefined, `${ordering.name} should parse \`${text}\``);
  for (const a of flat) {
    for (const b of flat) {
      const got = Math.sign(ordering.compare(ordering.parse(a.text), ordering.parse(b.text)));
      assert.equal(got, Math.sign(a.rank - b.rank), `${ordering.name}: compare(${a.text}, ${b.text})`);
    }
  }
}

/** Not a version to check: `parse` may still order it for old advisory data (PyPI legacy versions), but a service's version cannot be it. */
function assertRejects(ordering: VersionOrdering, texts: readonly string[]): void {
  for (const text of texts) {
    assert.equal(parseCheckedVersion(ordering, text), undefined, `${ordering.name} should reject \`${text}\``);
    assert.match(invalidVersion(ordering, text) ?? '', new RegExp(`is not a valid ${ordering.name} version`), text);
  }
}

const TABLES: readonly { ecosystem: string; groups: Groups; invalid: readonly string[] }[] = [
  {
    ecosystem: 'npm',
    groups: [
      ['0.0.0', '0'],
      ['0.1.7'],
      ['1.0.0-alpha'],
      ['1.0.0-alpha.1'],
      ['1.0.0-alpha.beta'],
      ['1.0.0-beta'],
      ['1.0.0-beta.2'],
      ['1.0.0-beta.11'],
      ['1.0.0-rc.1'],
      ['1.0.0', '1.0', '1', 'v1.0.0', '=1.0.0', '1.0.0+build.7'],
      ['1.0.1'],
      ['1.10.0'],
      ['3.0.0-beta.8'],
      ['3.0.0-beta.9'],
      ['3.0.0'],
      ['5.0.0-alpha.1'],
      ['5.0.0-beta.3'],
      ['5.0.0'],
    ],
    invalid: ['', 'abc', '1.0.0.0', 'latest'],
  },
  {
    ecosystem: 'Go',
    groups: [
      ['v0.0.0-20150717181359-44718f8a89b0'],
      ['0.0.0-20220214200702-86341886e292', 'v0.0.0-20220214200702-86341886e292'],
      ['v0.0.0-20220314234659-1baeb1ce4c0b'],
      ['v0.0.0-20220315160706-3147a52a75dd'],
      ['v0.1.0'],
      ['v1.2.3-pre'],
      ['v1.2.3'],
      ['v1.2.4-0.20191109021931-daa7c04131f5'],
      ['v1.2.4'],
      ['v3.2.0', '3.2.0', 'v3.2.0+incompatible'],
      ['v4.0.0-preview1'],
      ['v4.0.0'],
    ],
    invalid: ['', 'master', 'v1.2.3.4'],
  },
  {
    // Maven's own ComparableVersion tests, plus the log4j/jackson/guava spellings of the fixtures; checked against maven-artifact 3.9.6.
    ecosystem: 'Maven',
    groups: [
      ['1-alpha2snapshot'],
      ['1-alpha2', '1a2', '1.0-ALPHA-2'],
      ['1-alpha-123'],
      ['1-beta-2', '1-b2'],
      ['1-beta123'],
      ['1-m2', '1-milestone-2'],
      ['1-m11'],
      ['1-rc'],
      ['1-cr2', '1-rc2', '1.0.0-RC2'],
      ['1-rc123'],
      ['1-SNAPSHOT'],
      ['1', '1.0', '1.0.0', '1-ga', '1.final', '1.0.0.RELEASE', '1-0', '1.'],
      ['1-sp'],
      ['1-sp2'],
      ['1-sp123'],
      ['1-abc'],
      ['1-def'],
      ['1-pom-1'],
      ['1-1-snapshot'],
      ['1-1'],
      ['1-2'],
      ['1-123'],
      ['2.0-beta9'],
      ['2.0'],
      // Maven 3.9 (MNG-7644): a trailing qualifier after a dot is one after a hyphen, so `2.0.a` == `2-a`.
      ['2.0.a', '2.0.0.a'],
      ['2-1'],
      ['2.0.2'],
      ['2.0.123'],
      ['2.1.0'],
      ['2.1-a'],
      ['2.1b'],
      ['2.1-c'],
      ['2.1-1'],
      ['2.1.0.1'],
      ['2.2'],
      ['2.3.1'],
      ['2.4', '2.4.0'],
      ['2.12.6'],
      ['2.12.6.1'],
      ['2.13.2', '2.13.2.0'],
      ['2.13.2.1'],
      ['2.123'],
      ['11.a2'],
      ['11.a11'],
      ['11.b2'],
      ['11.b11'],
      ['11.m2'],
      ['11.m11'],
      ['11'],
      ['11.a'],
      ['11b'],
      ['11c'],
      ['11m'],
      ['28.2-android'],
      ['28.2-jre'],
      ['29.0'],
      ['29.0-jre'],
      ['30.0-jre'],
    ],
    invalid: ['', ' '],
  },
  {
    // The order PEP 440 itself gives as an example, and the fixture versions.
    ecosystem: 'PyPI',
    groups: [
      ['1.0.dev456'],
      ['1.0a1'],
      ['1.0a2.dev456'],
      ['1.0a12.dev456'],
      ['1.0a12'],
      ['1.0b1.dev456'],
      ['1.0b2'],
      ['1.0b2.post345.dev456'],
      ['1.0b2.post345'],
      ['1.0rc1.dev456', '1.0c1.dev456'],
      ['1.0rc1'],
      ['1.0', '1.0.0', 'v1.0'],
      ['1.0+abc.5'],
      ['1.0+abc.7'],
      ['1.0+5'],
      ['1.0.post456.dev34'],
      ['1.0.post456'],
      ['1.0.15'],
      ['1.1.dev1'],
      ['1.26.16'],
      ['1.26.17'],
      ['2.0.5'],
      ['5.3.1'],
      ['5.4b1'],
      ['5.4b2'],
      ['5.4', '5.4.0'],
    ],
    // Legacy (pre-PEP 440) text is ordered for old advisory data, but never a version to check.
    invalid: ['', 'abc', '1.0-foo-bar', '0.1-bulbasaur', 'latest'],
  },
  {
    ecosystem: 'RubyGems',
    groups: [
      ['0.1.4'],
      // Ruby compares letter runs byte by byte, so upper case sorts first.
      ['1.0.0.B'],
      ['1.0.0.a'],
      ['1.0.0.b1'],
      ['1.0.0.rc1'],
      ['1.0.0', '1.0', '1'],
      ['1.0.0.1'],
      ['1.6.9'],
      ['1.6.10'],
      ['1.6.13'],
      ['1.10.10'],
      ['1.11.0.rc4'],
      ['1.11.0'],
      // Letters straight after the first number (which Gem::Version refuses) read as a pre-release, as OSV's tools read them.
      ['2beta', '2.beta'],
      ['2'],
      ['7.0.3'],
      ['7.0.3.1'],
      ['999999999999999999999999999991'],
      ['999999999999999999999999999999'],
    ],
    invalid: ['', 'abc', '1.0 beta', 'beta1'],
  },
  {
    ecosystem: 'NuGet',
    groups: [
      ['1.0.0-alpha', '1.0.0-ALPHA'],
      ['1.0.0-alpha.1'],
      ['1.0.0-beta'],
      ['1.0.0-beta.2'],
      ['1.0.0-beta.11'],
      ['1.0.0-beta10'],
      ['1.0.0-beta2'],
      ['1.0.0-rc.1', '1.0.0-RC.1'],
      ['1', '1.0', '1.0.0', '1.0.0.0', '01.0.0', '1.0.0+build'],
      ['1.0.0.1'],
      ['1.0.1'],
      ['6.0.10'],
      ['7.0.0'],
      ['8.0.3'],
      ['8.0.4'],
      ['8.0.10'],
    ],
    invalid: ['', 'abc', '1.0.0.0.0', '1.0.0-', '1..0'],
  },
];

describe('version ordering per ecosystem', () => {
  for (const { ecosystem, groups, invalid } of TABLES) {
    test(`${ecosystem}: ${groups.length} ranks in order`, () => assertOrder(ecosystemFor(ecosystem).ordering, groups));
    test(`${ecosystem}: rejects ${invalid.map((v) => JSON.stringify(v)).join(', ')}`, () => assertRejects(ecosystemFor(ecosystem).ordering, invalid));
  }

  test('fallback (generic and unknown ecosystems): numbers, then pre-release suffixes below the release, natural order', () => {
    assertOrder(fallbackOrdering, [
      ['abc'],
      ['release-2'],
      ['release-10'],
      ['0.9'],
      ['2.4.0-hotfix1'],
      ['2.4', '2.4.0', 'v2.4.0', '2.4.0+build.5'],
      ['2.4.1'],
      ['2.10'],
      ['3.0-rc2'],
      ['3.0-rc10'],
      ['3.0'],
      ['2024.01.15'],
    ]);
    assertRejects(fallbackOrdering, ['', '   ']);
  });

  test('PyPI legacy versions order as pip ordered them before packaging 22: below every PEP 440 version, part by part', () => {
    assertOrder(ecosystemFor('PyPI').ordering, [
      ['-class.-jw.util.version.version-dev'],
      ['-class.-jw.util.version.version-pre', '-class.-jw.util.version.version-preview'],
      ['0.1-bulbasaur'],
      ['0.1-charmander'],
      ['0.9-doduo'],
      ['1.0-foo-bar'],
      ['2004d'],
      ['0.0.dev0'],
      ['0'],
      ['1.0'],
    ]);
  });

  test('Maven: where maven-artifact 3.9.6 loops (1.0.alpha.1 < 1 < 1-1 < 1.0.alpha.1), the order stays total', () => {
    const maven = ecosystemFor('Maven').ordering;
    // Maven agrees with the first two; it also answers 1.0.alpha.1 > 1-1, which no order can hold together with them.
    assertOrder(maven, [['1.0.alpha.1'], ['1'], ['1-1'], ['1.0.1']]);
    assertOrder(maven, [['3.0-RC'], ['3'], ['3.sp-2']]);
  });

  test('npm never splits a number the way node-semver\'s loose mode does (`10.3.21.2` is not `10.3.2-1.2`)', () => {
    const npm = ecosystemFor('npm').ordering;
    assertRejects(npm, ['10.3.21.2', '4.17.21.1']);
    assertOrder(npm, [['1.2.3-beta', '1.2.3beta', 'v1.2.3-beta', '=1.2.3-beta'], ['1.2.3', '01.2.3']]);
  });

  test('Go and OSV SEMVER ranges take numbers of any size', () => {
    for (const ordering of [ecosystemFor('Go').ordering, SEMVER_ORDERING]) {
      assertOrder(ordering, [['9007199254740993.0.0'], ['9007199254740994.0.0'], ['99999999999999999999999.0.0-rc.1'], ['99999999999999999999999.0.0']]);
      assertRejects(ordering, ['10.3.21.2', 'v0rc', 'latest']);
    }
  });

  test('ecosystem names: case-insensitive, `:suffix` ignored, unknown ones fall back under their own name', () => {
    assert.equal(ecosystemFor('maven').name, 'Maven');
    assert.equal(ecosystemFor('PYPI').name, 'PyPI');
    assert.equal(ecosystemFor('npm').name, 'npm');
    assert.equal(ecosystemFor('Debian:12').name, 'Debian');
    assert.equal(ecosystemFor('Internal').name, 'Internal');
    assert.equal(ecosystemFor('Internal').ordering.name, 'Internal');
  });

  test('sortVersions sorts, drops what does not parse, and keeps the first spelling of equal versions', () => {
    const maven = ecosystemFor('Maven').ordering;
    assert.deepEqual(sortVersions(maven, ['2.15.0', '2.4.0', '2.3.1', '2.4', '2.12.2']), ['2.3.1', '2.4.0', '2.12.2', '2.15.0']);
    assert.deepEqual(sortVersions(ecosystemFor('npm').ordering, ['1.2.0', 'latest', '1.10.0', '1.9.9']), ['1.2.0', '1.9.9', '1.10.0']);
  });
});

describe('package names per ecosystem', () => {
  const NAMES: readonly [string, string, string, boolean][] = [
    ['npm', 'Axios', 'axios', true],
    ['npm', '@Acme/Checkout', '@acme/checkout', true],
    ['npm', 'lodash-es', 'lodash', false],
    ['PyPI', 'PyYAML', 'pyyaml', true],
    ['PyPI', 'zope.interface', 'Zope_Interface', true],
    ['PyPI', 'a--b__c', 'a-b-c', true],
    ['PyPI', 'py-yaml', 'pyyaml', false],
    ['NuGet', 'System.Text.Json', 'system.text.json', true],
    ['Maven', 'org.apache.logging.log4j:log4j-core', 'org.apache.logging.log4j:log4j-core', true],
    ['Maven', 'log4j:log4j', 'org.apache.logging.log4j:log4j-core', false],
    ['Go', 'github.com/Sirupsen/logrus', 'github.com/sirupsen/logrus', false],
    ['RubyGems', 'rest-client', 'rest_client', false],
  ];
  for (const [ecosystem, a, b, same] of NAMES) {
    test(`${ecosystem}: \`${a}\` and \`${b}\` are ${same ? 'the same package' : 'different packages'}`, () => {
      const { normalizeName } = ecosystemFor(ecosystem);
      assert.equal(normalizeName(a) === normalizeName(b), same);
    });
  }

  test('Go: the modules that may hold a package stop at a major-version element and at two path elements', () => {
    assert.deepEqual(goModuleCandidates('golang.org/x/crypto/ssh'), ['golang.org/x/crypto/ssh', 'golang.org/x/crypto', 'golang.org/x']);
    assert.deepEqual(goModuleCandidates('github.com/dgrijalva/jwt-go/v4'), ['github.com/dgrijalva/jwt-go/v4']);
    assert.deepEqual(goModuleCandidates('github.com/foo/bar/v2/pkg'), ['github.com/foo/bar/v2/pkg', 'github.com/foo/bar/v2']);
  });
});
