/**
 * SBOM parsing (spec section 8): real and hand-written CycloneDX and SPDX JSON → the root and every
 * component with name, version, purl and the exact place its object starts; info notes and
 * warning problems; anything else → one exact problem, never an exception, in bounded time and
 * memory. Positions below were checked by hand in the files (file line = line + 1).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { readJson, type JsonObject } from '../../server/src/core/releases/jsonTree.js';
import { DEFAULT_SBOM_LIMITS, parseSbom, parseSbomHead, type ParsedSbom, type SbomComponent, type TextPosition } from '../../server/src/core/releases/sbomParse.js';

const DIR = path.join(__dirname, '../fixtures/sbom');
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261205;
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const read = (file: string): string => readFileSync(path.join(DIR, file), 'utf8');

function parsed(text: string, limits = DEFAULT_SBOM_LIMITS): ParsedSbom {
  const result = parseSbom(text, limits);
  assert.ok(!('problem' in result), `unexpected problem: ${'problem' in result ? result.problem : ''}`);
  return result;
}

function problem(text: string, limits = DEFAULT_SBOM_LIMITS): string {
  const result = parseSbom(text, limits);
  assert.ok('problem' in result, 'expected a problem');
  return result.problem;
}

const at = (line: number, character: number): TextPosition => ({ line, character });

function byPurl(sbom: ParsedSbom, purl: string): SbomComponent | undefined {
  return sbom.components.find((c) => c.purl === purl);
}

/** A CycloneDX 1.5 document with these components (JSON text of each). */
const cdx = (components: string[], extra = ''): string => `{"bomFormat":"CycloneDX","specVersion":"1.5"${extra},"components":[${components.join(',')}]}`;

describe('real CycloneDX 1.2 SBOMs (test/fixtures/sbom/SOURCE.md)', () => {
  test('dropwizard 1.3.15: the root, 167 components, every one with a purl, at their places', () => {
    const text = read('dropwizard-1.3.15.cdx.json');
    const sbom = parsed(text);
    assert.equal(sbom.format, 'CycloneDX');
    assert.equal(sbom.specVersion, '1.2');
    assert.deepEqual(sbom.root, { name: 'dropwizard-parent', version: '1.3.15', purl: 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15', position: at(46, 17) });
    assert.equal(sbom.components.length, 167);
    assert.equal(sbom.withoutPurl, 0);
    assert.deepEqual(sbom.notes, []);
    assert.deepEqual(sbom.problems, []);
    assert.deepEqual(sbom.components[0], { name: 'jackson-annotations', version: '2.9.10', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.10?type=jar', position: at(60, 4) });
    assert.deepEqual(byPurl(sbom, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar'), { name: 'jackson-databind', version: '2.9.10', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10?type=jar', position: at(644, 4) });
    assert.deepEqual(byPurl(sbom, 'pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar'), { name: 'logback-core', version: '1.2.3', purl: 'pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar', position: at(2047, 4) });
    assert.deepEqual(sbom.components.at(-1), { name: 'dropwizard-forms', version: '1.3.15', purl: 'pkg:maven/io.dropwizard/dropwizard-forms@1.3.15?type=jar', position: at(10039, 4) });
    const plain = JSON.parse(text) as { components: { name: string; version: string; purl: string }[] };
    assert.deepEqual(sbom.components.map(({ name, version, purl }) => ({ name, version, purl })), plain.components.map(({ name, version, purl }) => ({ name, version, purl })));
  });

  test('proton-bridge 1.6.3: the root, 201 components, every one with a purl, at their places', () => {
    const text = read('proton-bridge-1.6.3.cdx.json');
    const sbom = parsed(text);
    assert.equal(sbom.format, 'CycloneDX');
    assert.equal(sbom.specVersion, '1.2');
    assert.deepEqual(sbom.root, { name: 'github.com/ProtonMail/proton-bridge', version: 'v1.6.3', purl: 'pkg:golang/github.com/ProtonMail/proton-bridge@v1.6.3', position: at(32, 17) });
    assert.equal(sbom.components.length, 201);
    assert.equal(sbom.withoutPurl, 0);
    assert.deepEqual(sbom.notes, []);
    assert.deepEqual(sbom.problems, []);
    assert.deepEqual(byPurl(sbom, 'pkg:golang/github.com/dgrijalva/jwt-go@v3.2.0'), { name: 'github.com/dgrijalva/jwt-go', version: 'v3.2.0', purl: 'pkg:golang/github.com/dgrijalva/jwt-go@v3.2.0', position: at(1120, 4) });
    assert.deepEqual(byPurl(sbom, 'pkg:golang/golang.org/x/net@v0.0.0-20200707034311-ab3426394381'), { name: 'golang.org/x/net', version: 'v0.0.0-20200707034311-ab3426394381', purl: 'pkg:golang/golang.org/x/net@v0.0.0-20200707034311-ab3426394381', position: at(5150, 4) });
    assert.deepEqual(sbom.components.at(-1)?.position, at(5528, 4));
    const plain = JSON.parse(text) as { components: { purl: string }[] };
    assert.deepEqual(sbom.components.map((c) => c.purl), plain.components.map((c) => c.purl));
  });
});

describe('hand-written SBOMs (test/fixtures/sbom/spdx, test/fixtures/sbom/cyclonedx)', () => {
  const EXPECTED: readonly [string, ParsedSbom][] = [
    [
      'spdx/checkout-2.3.1.spdx.json',
      {
        format: 'SPDX',
        specVersion: 'SPDX-2.3',
        digests: ['sha256:4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c4f1c'],
        root: { name: 'checkout', version: '2.3.1', purl: `pkg:oci/checkout@sha256%3A${'4f1c'.repeat(16)}?repository_url=ghcr.io/acme&tag=2.3.1`, position: at(34, 4) },
        components: [
          { name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar', position: at(12, 4) },
          { name: 'acme-config', version: '1.0', position: at(52, 4) },
          { name: 'express', version: '4.17.1', purl: 'pkg:npm/express@4.17.1', position: at(62, 4) },
        ],
        withoutPurl: 1,
        notes: ['1 of 3 components have no package URL and are not checked'],
        problems: [],
      },
    ],
    [
      'spdx/ledger-3.1.0.spdx.json',
      {
        format: 'SPDX',
        specVersion: 'SPDX-2.2',
        digests: [],
        root: { name: 'ledger', version: '3.1.0', purl: 'pkg:generic/acme/ledger@3.1.0', position: at(11, 4) },
        components: [
          { name: 'jackson-databind', version: '2.9.10', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10', position: at(27, 4) },
          { name: 'PyYAML', version: '5.3', purl: 'pkg:pypi/pyyaml@5.3?extension=tar.gz', position: at(43, 4) },
          { name: 'ledger-migrations', version: '3.1.0', position: at(59, 4) },
        ],
        withoutPurl: 1,
        notes: ['1 of 3 components have no package URL and are not checked'],
        problems: [],
      },
    ],
    [
      'cyclonedx/storefront-5.0.0.cdx.json',
      {
        format: 'CycloneDX',
        specVersion: '1.5',
        digests: [],
        root: { name: '@acme/storefront', version: '5.0.0', purl: 'pkg:npm/%40acme/storefront@5.0.0', position: at(13, 17) },
        components: [
          { name: '@acme/ui', version: '2.0.0', purl: 'pkg:npm/%40acme/ui@2.0.0', position: at(22, 4) },
          { name: 'react', version: '18.2.0', purl: 'pkg:npm/react@18.2.0', position: at(29, 8) },
          { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', position: at(36, 8) },
          { name: 'template.js', version: '4.17.20', position: at(43, 12) },
          { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0', position: at(53, 4) },
          { name: 'vendored-charts', version: '0.1', position: at(60, 4) },
        ],
        withoutPurl: 2,
        notes: ['2 of 6 components have no package URL and are not checked'],
        problems: [],
      },
    ],
    [
      'cyclonedx/checkout-2.4.0.cdx.json',
      {
        format: 'CycloneDX',
        specVersion: '1.6',
        digests: ['sha256:9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d9b2d'],
        root: { name: 'checkout', version: '2.4.0', purl: `pkg:oci/checkout@sha256%3A${'9b2d'.repeat(16)}?repository_url=ghcr.io/acme&tag=2.4.0`, position: at(8, 17) },
        components: [
          { name: 'github.com/acme/checkout', version: 'v2.4.0', purl: 'pkg:golang/github.com/acme/checkout@v2.4.0', position: at(15, 8) },
          { name: 'log4j-core', version: '2.17.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar', position: at(26, 4) },
          { name: 'openssl', version: '3.0.11-1~deb12u2', purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', position: at(34, 4) },
        ],
        withoutPurl: 0,
        notes: ['1 of 3 components is of package types no advisory ecosystem is matched to here (1 pkg:deb): only advisories that name their package URL can match them'],
        problems: [],
      },
    ],
  ];
  for (const [file, expected] of EXPECTED) {
    test(file, () => assert.deepEqual(parseSbom(read(file), DEFAULT_SBOM_LIMITS), expected));
  }
});

describe('notes and problems inside a readable SBOM', () => {
  test('a later CycloneDX 1.x is read as 1.6, with a note', () => {
    const sbom = parsed('{"bomFormat":"CycloneDX","specVersion":"1.7","components":[{"name":"a","purl":"pkg:npm/a@1.0.0"}]}');
    assert.equal(sbom.specVersion, '1.7');
    assert.deepEqual(sbom.notes, ['CycloneDX 1.7 is newer than 1.6; it was read as 1.6']);
    assert.deepEqual(sbom.components.map((c) => c.purl), ['pkg:npm/a@1.0.0']);
  });

  test('purls that are not package URLs: one problem, the components kept unchecked (purl undefined) and not counted as without purl', () => {
    const sbom = parsed(cdx(['{"name":"a","purl":"pkg:"}', '{"name":"b","purl":"not a purl"}', '\n{"name":"c","purl":"pkg:npm/"}', '{"name":"d","purl":"pkg:npm/d@1.0.0"}', '{"name":"e"}']));
    assert.deepEqual(sbom.components, [
      { name: 'a', position: at(0, 59) },
      { name: 'b', position: at(0, 86) },
      { name: 'c', position: at(1, 0) },
      { name: 'd', purl: 'pkg:npm/d@1.0.0', position: at(1, 31) },
      { name: 'e', position: at(1, 69) },
    ]);
    assert.equal(sbom.withoutPurl, 1);
    assert.deepEqual(sbom.notes, ['1 of 5 components have no package URL and are not checked']);
    assert.deepEqual(sbom.problems, ['3 components have a purl that is not a package URL and are not checked: `pkg:` (line 1), `not a purl` (line 1), `pkg:npm/` (line 2)']);
  });

  test('past three refused purls the problem counts the rest; a purl that is not a string is refused too', () => {
    const sbom = parsed(cdx(['{"name":"a","purl":"x1"}', '{"name":"b","purl":"x2"}', '{"name":"c","purl":42}', '{"name":"d","purl":"x4"}', '{"name":"e","purl":true}']));
    assert.deepEqual(sbom.problems, ['5 components have a purl that is not a package URL and are not checked: `x1` (line 1), `x2` (line 1), `42` (line 1), and 2 more']);
    assert.ok(sbom.components.every((c) => c.purl === undefined));
    assert.equal(sbom.withoutPurl, 0);
  });

  test('one refused purl is spoken of in the singular; an empty purl is no purl', () => {
    const sbom = parsed(cdx(['{"name":"a","purl":"pkg:"}', '{"name":"b","purl":""}']));
    assert.deepEqual(sbom.problems, ['1 component has a purl that is not a package URL and is not checked: `pkg:` (line 1)']);
    assert.deepEqual(sbom.notes, ['1 of 2 components have no package URL and are not checked']);
  });

  test("the root's purl that is not a package URL is its own problem", () => {
    const sbom = parsed(cdx(['{"name":"a","purl":"pkg:npm/a@1"}'], ',"metadata":{"component":{"name":"app","version":"1.0","purl":"app"}}'));
    assert.deepEqual(sbom.root, { name: 'app', version: '1.0', position: at(0, 69) });
    assert.deepEqual(sbom.problems, ["the root component's purl `app` (line 1) is not a package URL, so the SBOM cannot be matched to a service by its package"]);
  });

  test('entries of the component list that are not objects are skipped with a problem', () => {
    const sbom = parsed(cdx(['"a"', '{"name":"b","purl":"pkg:npm/b@1"}', 'null', '[1]']));
    assert.deepEqual(sbom.components.map((c) => c.name), ['b']);
    assert.deepEqual(sbom.problems, ['3 entries of the component list are not an object and were skipped']);
  });

  test('an SPDX document that describes no package has no root, with a note; every package is a component', () => {
    const sbom = parsed('{"spdxVersion":"SPDX-2.3","packages":[{"SPDXID":"SPDXRef-a","name":"a","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/a@1.0.0"}]}]}');
    assert.equal(sbom.root, undefined);
    assert.deepEqual(sbom.components, [{ name: 'a', purl: 'pkg:npm/a@1.0.0', position: at(0, 38) }]);
    assert.deepEqual(sbom.notes, ['the document does not say which package it describes (no `documentDescribes` or `DESCRIBES` relationship naming a package), so it has no root component']);
  });

  test('an SPDX document that describes two packages: the first is the root, with a note; DESCRIBED_BY counts', () => {
    const text = JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      packages: [{ SPDXID: 'SPDXRef-a', name: 'a' }, { SPDXID: 'SPDXRef-b', name: 'b' }, { SPDXID: 'SPDXRef-c', name: 'c' }],
      relationships: [{ spdxElementId: 'SPDXRef-b', relationshipType: 'DESCRIBED_BY', relatedSpdxElement: 'SPDXRef-DOCUMENT' }, { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-c' }],
    });
    const sbom = parsed(text);
    assert.equal(sbom.root?.name, 'b');
    assert.deepEqual(sbom.components.map((c) => c.name), ['a', 'c']);
    assert.deepEqual(sbom.notes, ['the document describes 2 packages; the first, `b`, is taken as its root and the others as components', '2 of 2 components have no package URL and are not checked']);
  });

  test('an SPDX DESCRIBES naming a file or an unknown id gives no root', () => {
    const sbom = parsed('{"spdxVersion":"SPDX-2.2","documentDescribes":["SPDXRef-File-x"],"packages":[{"SPDXID":"SPDXRef-a","name":"a"}]}');
    assert.equal(sbom.root, undefined);
    assert.equal(sbom.components.length, 1);
  });
});

describe('what is not an SBOM this reads: one exact problem', () => {
  const CASES: readonly [string, string, string][] = [
    ['invalid JSON', '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.5"\n  "components": []\n}', 'invalid JSON at line 4, column 3: a comma was expected (CommaExpected)'],
    ['JSON with a comment', '{\n  // generated\n  "bomFormat": "CycloneDX"\n}', 'invalid JSON at line 2, column 3: a comment, and JSON has no comments (InvalidCommentToken)'],
    ['a block comment', '{"bomFormat": "CycloneDX" /* x */}', 'invalid JSON at line 1, column 27: a comment, and JSON has no comments (InvalidCommentToken)'],
    ['a trailing comma in an array', '{"components": [{"name": "a"},]}', 'invalid JSON at line 1, column 31: a value was expected after the comma, and JSON allows no trailing comma (ValueExpected)'],
    ['a trailing comma in an object', '{"bomFormat": "CycloneDX",\n}', 'invalid JSON at line 2, column 1: a property name in double quotes was expected after the comma, and JSON allows no trailing comma (PropertyNameExpected)'],
    ['an unclosed object', '{"bomFormat": "CycloneDX"', 'invalid JSON at line 1, column 26: the object is not closed with `}` (CloseBraceExpected)'],
    ['an unclosed string', '{"bomFormat": "CycloneDX', 'invalid JSON at line 1, column 15: a string that is not closed on its line (UnexpectedEndOfString)'],
    ['text after the value', '{}\n{}', 'invalid JSON at line 2, column 1: more text after the end of the JSON value (EndOfFileExpected)'],
    ['single quotes', "{'bomFormat': 1}", "invalid JSON at line 1, column 2: unexpected text `'bomFormat'` (InvalidSymbol)"],
    ['an empty file', '', 'invalid JSON at line 1, column 1: a value was expected (ValueExpected)'],
    ['a JSON array', '[{"bomFormat": "CycloneDX"}]', 'the file holds an array, not a JSON object: expected an SBOM in CycloneDX JSON or SPDX JSON'],
    ['a JSON string', '"CycloneDX"', 'the file holds a string, not a JSON object: expected an SBOM in CycloneDX JSON or SPDX JSON'],
    ['JSON null', 'null', 'the file holds null, not a JSON object: expected an SBOM in CycloneDX JSON or SPDX JSON'],
    ['neither format', '{"name": "checkout", "version": "2.3.0"}', 'the document is neither CycloneDX (no `bomFormat: "CycloneDX"`) nor SPDX (no `spdxVersion`); an SBOM in CycloneDX JSON or SPDX JSON was expected'],
    ['another bomFormat', '{"bomFormat": "SWID"}', 'the document\'s bomFormat is `SWID`, not `CycloneDX`; an SBOM in CycloneDX JSON or SPDX JSON was expected'],
    ['SPDX-2.1', '{"spdxVersion": "SPDX-2.1", "packages": []}', '`SPDX-2.1` is not supported; SPDX JSON 2.2 and 2.3 are read'],
    ['SPDX 3', '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}', 'the document is SPDX 3, which is not supported; SPDX JSON 2.2 and 2.3 are read'],
    ['CycloneDX 1.1', '{"bomFormat": "CycloneDX", "specVersion": "1.1"}', 'CycloneDX `1.1` is not supported; CycloneDX JSON 1.2 to 1.6 is read'],
    ['CycloneDX 2.0', '{"bomFormat": "CycloneDX", "specVersion": "2.0"}', 'CycloneDX `2.0` is not supported; CycloneDX JSON 1.2 to 1.6 is read'],
    ['CycloneDX without specVersion', '{"bomFormat": "CycloneDX"}', 'the CycloneDX document has no `specVersion`; CycloneDX JSON 1.2 to 1.6 is read'],
    ['CycloneDX with a numeric specVersion', '{"bomFormat": "CycloneDX", "specVersion": 1.5}', 'the CycloneDX document has no `specVersion`; CycloneDX JSON 1.2 to 1.6 is read'],
    ['CycloneDX XML', '<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">\n</bom>\n', 'the file is XML, not JSON; only JSON is read: expected an SBOM in CycloneDX JSON or SPDX JSON'],
    ['SPDX tag-value', '## generated\nSPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', 'the file is SPDX tag-value text, not JSON; only JSON is read: expected an SBOM in CycloneDX JSON or SPDX JSON'],
    ['a control character in a name', '{"bomFormat": "\u001b[31m"}', 'invalid JSON at line 1, column 15: a control character inside a string (InvalidCharacter)'],
    ['an unknown word with a terminal escape', '{"a": tru\u001be}', 'invalid JSON at line 1, column 7: unexpected text `tru\\u001be` (InvalidSymbol)'],
  ];
  for (const [name, text, expected] of CASES) {
    test(name, () => assert.equal(problem(text), expected));
  }
});

describe('bounded: limits on components and nesting', () => {
  test('1,000,000 components: a problem, exactly the limit read, and what follows the list still read', { timeout: 60_000 }, () => {
    const text = `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[${'{"name":"c","version":"1"},'.repeat(999_999)}{"name":"last"}],"metadata":{"component":{"name":"app","version":"9"}}}`;
    const sbom = parsed(text);
    assert.equal(sbom.components.length, DEFAULT_SBOM_LIMITS.maxComponents);
    assert.equal(sbom.components.length, 200_000);
    assert.deepEqual(sbom.components.at(-1), { name: 'c', version: '1', position: at(0, 59 + 199_999 * 27) });
    assert.equal(sbom.root?.name, 'app');
    assert.deepEqual(sbom.problems, ['holds more than 200000 components (the limit maxSbomComponents); the rest were not read']);
    assert.deepEqual(sbom.notes, ['200000 of 200000 components have no package URL and are not checked']);
  });

  test('past a small limit, nested components count in document order', () => {
    const sbom = parsed(cdx(['{"name":"a","components":[{"name":"a1"},{"name":"a2","components":[{"name":"a21"}]}]}', '{"name":"b"}']), { maxComponents: 3, maxDepth: 64 });
    assert.deepEqual(sbom.components.map((c) => c.name), ['a', 'a1', 'a2']);
    assert.deepEqual(sbom.problems, ['holds more than 3 components (the limit maxSbomComponents); the rest were not read']);
  });

  test('the limit counts SPDX packages', () => {
    const sbom = parsed(JSON.stringify({ spdxVersion: 'SPDX-2.3', packages: ['a', 'b', 'c', 'd'].map((name) => ({ SPDXID: `SPDXRef-${name}`, name })), documentDescribes: ['SPDXRef-a'] }), { maxComponents: 2, maxDepth: 64 });
    assert.equal(sbom.root?.name, 'a');
    assert.deepEqual(sbom.components.map((c) => c.name), ['b']);
    assert.deepEqual(sbom.problems, ['holds more than 2 components (the limit maxSbomComponents); the rest were not read']);
  });

  test('exactly the limit is not over it', () => {
    const sbom = parsed(cdx(['{"name":"a"}', '{"name":"b"}']), { maxComponents: 2, maxDepth: 64 });
    assert.deepEqual(sbom.problems, []);
  });

  test('1,000,000 nested arrays: refused at the 65th level, without overflowing the stack', () => {
    assert.equal(problem('['.repeat(1_000_000)), 'nests arrays and objects deeper than 64 levels (at line 1, column 65); it was not read');
  });

  test('1,000,000 nested components: refused at the 65th level', () => {
    const head = '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[';
    const level = '{"name":"c","components":[';
    // The head opens levels 1 and 2; each `level` opens two more, so the 65th is the `{` of the 32nd.
    const column = head.length + 31 * level.length + 1;
    assert.equal(problem(head + level.repeat(1_000_000)), `nests arrays and objects deeper than 64 levels (at line 1, column ${column}); it was not read`);
  });

  test('nesting at exactly maxDepth is read', () => {
    assert.equal(problem(`${'['.repeat(4)}${']'.repeat(4)}`, { maxComponents: 10, maxDepth: 4 }), 'the file holds an array, not a JSON object: expected an SBOM in CycloneDX JSON or SPDX JSON');
    assert.equal(problem(`${'['.repeat(5)}${']'.repeat(5)}`, { maxComponents: 10, maxDepth: 4 }), 'nests arrays and objects deeper than 4 levels (at line 1, column 5); it was not read');
  });
});

describe('the JSON reader under the parsers (jsonTree.ts)', () => {
  const LIMITS = { maxDepth: 1000 };
  /** Every object's recorded position holds its `{`. */
  function positionsHoldBraces(text: string, positions: Map<JsonObject, TextPosition>): boolean {
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) lineStarts.push(i + 1);
    }
    return [...positions.values()].every(({ line, character }) => text[lineStarts[line]! + character] === '{');
  }

  test('reads any JSON value as JSON.parse does, at every object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, 2, '\t', '\r\n  '), (value, indent) => {
        const text = typeof indent === 'string' && indent.startsWith('\r') ? JSON.stringify(value, null, 2).replace(/\n/g, '\r\n') : JSON.stringify(value, null, indent);
        const result = readJson(text, LIMITS);
        assert.ok(!('problem' in result), 'problem' in result ? result.problem : '');
        assert.deepEqual(result.value, JSON.parse(text));
        assert.ok(positionsHoldBraces(text, result.positions));
      }),
      params,
    );
  });

  test('accepts exactly what JSON.parse accepts, on JSON texts with one character changed', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('', ',', ']', '}', '[', '{', '"', '\\', ':', ' ', '\n', '/', '*', '0', '-', '.', 'e', 'n', '\u0001', 'x'), fc.boolean());
    fc.assert(
      fc.property(fc.jsonValue(), edit, (value, [at, char, replace]) => {
        const text = JSON.stringify(value, null, 1);
        const i = at % (text.length + 1);
        const changed = text.slice(0, i) + char + text.slice(replace ? i + 1 : i);
        let accepted = true;
        try {
          JSON.parse(changed);
        } catch {
          accepted = false;
        }
        const result = readJson(changed, LIMITS);
        assert.equal(!('problem' in result), accepted, `${JSON.stringify(changed)}: ${'problem' in result ? result.problem : 'read'}`);
        if (!('problem' in result)) assert.deepEqual(result.value, JSON.parse(changed));
      }),
      params,
    );
  });

  test('`__proto__` is an own property, as JSON.parse makes it, never the prototype', () => {
    const result = readJson('{"__proto__": {"polluted": true}, "a": {"__proto__": null}}', LIMITS);
    assert.ok(!('problem' in result));
    const value = result.value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  test('a byte order mark before the value is skipped', () => {
    assert.deepEqual(parsed('\ufeff{"bomFormat":"CycloneDX","specVersion":"1.4"}').specVersion, '1.4');
  });
});

describe('never throws', () => {
  test('any JSON value, and the same under a CycloneDX or SPDX head', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('none', 'cdx', 'spdx'), (value, head) => {
        const document = head === 'cdx' ? { bomFormat: 'CycloneDX', specVersion: '1.5', metadata: { component: value }, components: [value, { components: value }] } : head === 'spdx' ? { spdxVersion: 'SPDX-2.3', packages: [value], documentDescribes: value, relationships: [value] } : value;
        const result = parseSbom(JSON.stringify(document), DEFAULT_SBOM_LIMITS);
        assert.ok('problem' in result ? typeof result.problem === 'string' : Array.isArray(result.components));
      }),
      params,
    );
  });

  test('any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = parseSbom(text, DEFAULT_SBOM_LIMITS);
        assert.ok('problem' in result || Array.isArray(result.components));
      }),
      params,
    );
  });

  test('components whose fields are any JSON values', () => {
    const component = fc.record({ name: fc.jsonValue(), version: fc.jsonValue(), purl: fc.oneof(fc.jsonValue(), fc.constantFrom('pkg:npm/a@1', 'pkg:', 'pkg:npm/', 'pkg:maven/a', '')), components: fc.jsonValue() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(component, { maxLength: 5 }), (components) => {
        const result = parseSbom(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components }), DEFAULT_SBOM_LIMITS);
        assert.ok(!('problem' in result));
        for (const c of result.components) {
          assert.equal(typeof c.name, 'string');
          assert.ok(c.purl === undefined || typeof c.purl === 'string');
        }
      }),
      params,
    );
  });
});

describe('the head of an SBOM (parseSbomHead): which release it is, from its first bytes', () => {
  const whole = read('dropwizard-1.3.15.cdx.json');
  const parsed = parseSbom(whole) as ParsedSbom;

  test('a real CycloneDX SBOM cut after 4 KB: the same format, spec version and root (position included) as the whole of it', () => {
    assert.deepEqual(parseSbomHead(whole.slice(0, 4096)), { format: parsed.format, specVersion: parsed.specVersion, digests: parsed.digests, root: parsed.root });
    assert.deepEqual(parseSbomHead(read('proton-bridge-1.6.3.cdx.json').slice(0, 4096))?.root?.purl, (parseSbom(read('proton-bridge-1.6.3.cdx.json')) as ParsedSbom).root?.purl);
  });

  test('undefined whenever only the whole file can tell: cut inside metadata, components first, SPDX, an unsupported version, a root purl that is not a package URL, a problem before metadata', () => {
    const metadataEnd = whole.indexOf('"components"');
    assert.equal(parseSbomHead(whole.slice(0, metadataEnd - 200)), undefined, 'cut before metadata closes');
    assert.equal(parseSbomHead('{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"a","version":"1","purl":"pkg:npm/a@1"},{"name":"b"'), undefined, 'components before metadata, cut among them');
    assert.equal(parseSbomHead(read('spdx/checkout-2.3.1.spdx.json').slice(0, 2000)), undefined, 'SPDX');
    assert.equal(parseSbomHead('{"bomFormat":"CycloneDX","specVersion":"2.0","metadata":{"component":{"name":"svc","version":"1"}},"components":['), undefined, 'CycloneDX 2.0');
    assert.equal(parseSbomHead('{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"name":"svc","version":"1","purl":"not a purl"}},"components":['), undefined, 'root purl refused');
    assert.equal(parseSbomHead('{"bomFormat":"CycloneDX","specVersion":"1.5",,"metadata":{"component":{"name":"svc","version":"1"}},"components":['), undefined, 'invalid JSON before metadata');
    assert.equal(parseSbomHead('{"bomFormat":"SPDX","specVersion":"1.5","metadata":{"component":{"name":"svc","version":"1"}},"components":['), undefined, 'not CycloneDX');
  });

  test('what comes after metadata is neither read nor judged by the head; the whole read judges it', () => {
    const head = '{"bomFormat":"CycloneDX","specVersion":"1.5","metadata":{"component":{"name":"svc","version":"1.0.0","purl":"pkg:npm/svc@1.0.0"}},"components":[{"name": oops';
    assert.deepEqual(parseSbomHead(head)?.root, { name: 'svc', version: '1.0.0', purl: 'pkg:npm/svc@1.0.0', position: at(0, head.indexOf('{"name":"svc"')) });
    assert.ok('problem' in parseSbom(head));
  });
});


describe('SBOMs inside in-toto statements (BuildKit\'s --sbom=true, cosign attest)', () => {
  /** The statement as BuildKit writes it (`--output type=local` leaves it as sbom.spdx.json), around a document. */
  const statement = (type: string, predicateType: string, predicate: unknown): string =>
    JSON.stringify({ _type: type, predicateType, subject: [{ name: 'pkg:docker/acme/ledger@3.1.0?platform=linux%2Famd64', digest: { sha256: 'e8'.repeat(32) } }], predicate }, null, 2);
  const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
  const withoutPositions = (sbom: ParsedSbom) => ({ ...sbom, digests: undefined, root: sbom.root && { ...sbom.root, position: undefined }, components: sbom.components.map((c) => ({ ...c, position: undefined })), notes: sbom.notes.filter((n) => !n.startsWith('read from an in-toto statement')) });

  test('an SPDX predicate (in-toto v0.1, BuildKit): the same root and components as the bare document, each at its place in the statement', () => {
    const bare = parsed(read('spdx/ledger-3.1.0.spdx.json'));
    const text = statement('https://in-toto.io/Statement/v0.1', 'https://spdx.dev/Document', JSON.parse(read('spdx/ledger-3.1.0.spdx.json')));
    const wrapped = parsed(text);
    assert.deepEqual(withoutPositions(wrapped), withoutPositions(bare));
    const jackson = byPurl(wrapped, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10')!;
    const nameLine = lineOf(text, '"name": "jackson-databind"');
    const lines = text.split('\n');
    let opening = nameLine;
    while (lines[opening]!.trim() !== '{') opening--;
    assert.deepEqual(jackson.position, at(opening, lines[opening]!.indexOf('{')), 'the package object\'s own line in the statement file');
    assert.ok(wrapped.notes.includes('read from an in-toto statement, whose predicate (https://spdx.dev/Document) is the SBOM'));
    assert.deepEqual(wrapped.digests, [...bare.digests, `sha256:${'e8'.repeat(32)}`], 'the root purl\'s digest and the statement\'s subject');
  });

  test('a CycloneDX predicate (in-toto v1, a versioned predicate type): the same as the bare document', () => {
    const bare = parsed(read('cyclonedx/checkout-2.4.0.cdx.json'));
    const wrapped = parsed(statement('https://in-toto.io/Statement/v1', 'https://cyclonedx.org/bom/v1.5', JSON.parse(read('cyclonedx/checkout-2.4.0.cdx.json'))));
    assert.deepEqual(withoutPositions(wrapped), withoutPositions(bare));
    assert.ok(wrapped.root?.position.line !== bare.root?.position.line, 'positions are the statement file\'s own');
  });

  test('the component limit holds inside the predicate', () => {
    const components = Array.from({ length: 5 }, (_, i) => `{"name":"c${i}","version":"1.0.0","purl":"pkg:npm/c${i}@1.0.0"}`);
    const wrapped = parsed(statement('https://in-toto.io/Statement/v1', 'https://cyclonedx.org/bom', JSON.parse(cdx(components))), { ...DEFAULT_SBOM_LIMITS, maxComponents: 3 });
    assert.equal(wrapped.components.length, 3);
    assert.match(wrapped.problems[0]!, /more than 3 components/);
  });

  test('what is not an SBOM in a statement is named: another predicate, no predicate, a signed envelope', () => {
    assert.match(problem(statement('https://in-toto.io/Statement/v0.1', 'https://slsa.dev/provenance/v0.2', { buildType: 'x' })), /an in-toto statement whose predicate is `https:\/\/slsa\.dev\/provenance\/v0\.2`, not an SBOM/);
    assert.match(problem(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType: 'https://spdx.dev/Document' })), /without a `predicate` object/);
    assert.match(problem(JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{}').toString('base64'), signatures: [] })), /signed envelope \(DSSE\)/);
  });
});

describe('components of package types no advisory ecosystem is matched to', () => {
  test('an image\'s OS packages are counted by type in a note; mapped types and in-house generic ones are not', () => {
    const sbom = parsed(cdx([
      '{"name":"libc6","version":"2.31-13","purl":"pkg:deb/debian/libc6@2.31-13?arch=amd64&distro=debian-11"}',
      '{"name":"openssl","version":"1.1.1n-0","purl":"pkg:deb/debian/openssl@1.1.1n-0?distro=debian-11"}',
      '{"name":"musl","version":"1.2.3-r4","purl":"pkg:apk/alpine/musl@1.2.3-r4?distro=3.17"}',
      '{"name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"}',
      '{"name":"ledger","version":"3.1.0","purl":"pkg:generic/acme/ledger@3.1.0"}',
    ]));
    assert.ok(sbom.notes.includes('3 of 5 components are of package types no advisory ecosystem is matched to here (2 pkg:deb, 1 pkg:apk): only advisories that name their package URL can match them'), sbom.notes.join('\n'));
    assert.ok(!parsed(cdx(['{"name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"}'])).notes.some((n) => n.includes('package types')));
  });
});
