/**
 * VEX parsing (spec section 9): OpenVEX and CycloneDX VEX → statements with vulnerability, aliases,
 * products, status, the reasons and the time, at the place each statement starts; a statement that
 * cannot be used is dropped with an exact problem; anything else → one exact problem, never an
 * exception. Positions below were checked by hand in the files (file line = line + 1).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseVex, type ParsedVex, type VexProduct, type VexStatus } from '../../server/src/core/releases/vexParse.js';

const DIR = path.join(__dirname, '../fixtures/sbom/vex');
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : process.env['FUZZ_RUNS'] ? Date.now() : 20261205;
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const DIGEST = `sha256:${'4f1c'.repeat(16)}`;
const LIMITS = { maxStatements: 100_000, maxComponents: 200_000, maxDepth: 64 };

function parsed(text: string, limits = LIMITS): ParsedVex {
  const result = parseVex(text, limits);
  assert.ok(!('problem' in result), `unexpected problem: ${'problem' in result ? result.problem : ''}`);
  return result;
}

/** An OpenVEX document with these statements, one per line from line 2 (1-based). */
function openVex(statements: object[], document: object = {}): string {
  const head = JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://acme.example/vex/1', author: 'Acme Security', timestamp: '2024-01-01T00:00:00Z', version: 1, ...document });
  return `${head.slice(0, -1)},"statements":[\n${statements.map((s) => JSON.stringify(s)).join(',\n')}\n]}`;
}

/** A CycloneDX VEX document with these vulnerabilities, one per line from line 2 (1-based). */
function cdxVex(vulnerabilities: object[], document: object = {}): string {
  const head = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', serialNumber: 'urn:uuid:11111111-2222-3333-4444-555555555555', version: 1, ...document });
  return `${head.slice(0, -1)},"vulnerabilities":[\n${vulnerabilities.map((v) => JSON.stringify(v)).join(',\n')}\n]}`;
}

const statement = (fields: object): object => ({ vulnerability: { name: 'CVE-2021-44228' }, products: [{ '@id': 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }], status: 'not_affected', justification: 'code_not_present', ...fields });

describe('the VEX documents of test/fixtures/sbom/vex (README.md)', () => {
  test('dropwizard 1.3.15, OpenVEX 0.2.0: the logback decision, under the release', () => {
    const expected: ParsedVex = {
      format: 'OpenVEX',
      statements: [
        {
          vulnerability: 'GHSA-668q-qrv7-99fm',
          aliases: ['CVE-2021-42550'],
          products: [{ purl: 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15', subcomponents: ['pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar'] }],
          status: 'not_affected',
          justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
          impactStatement:
            'CVE-2021-42550 needs an attacker who can edit the logback configuration. The configuration is built into the release image and mounted read-only; only the deploy pipeline can change it.',
          timestamp: '2024-11-12T14:00:00Z',
          author: 'Acme Security <secops@acme.example>',
          position: { line: 8, character: 4 },
        },
      ],
      problems: [],
    };
    assert.deepEqual(parseVex(readFileSync(path.join(DIR, 'dropwizard-1.3.15.openvex.json'), 'utf8')), expected);
  });

  test('CISA case 1, CycloneDX 1.4: Log4Shell not_affected for product ABC 4.2, known only by name and version', () => {
    const expected: ParsedVex = {
      format: 'CycloneDX',
      statements: [
        {
          vulnerability: 'CVE-2021-44228',
          aliases: [],
          products: [{ name: 'ABC', version: '4.2', subcomponents: [] }],
          status: 'not_affected',
          justification: 'code_not_present',
          impactStatement: 'This version of Product ABC is not affected by the vulnerability. Class with vulnerable code was removed before shipping.',
          actionStatement: 'will_not_fix',
          timestamp: '2022-03-03T00:00:00Z',
          position: { line: 14, character: 4 },
        },
      ],
      problems: [],
    };
    assert.deepEqual(parseVex(readFileSync(path.join(DIR, 'cisa-case-1-vex-not_affected.cdx.json'), 'utf8')), expected);
  });
});

describe('OpenVEX statements', () => {
  test('products: a purl in @id or identifiers, a pkg:oci digest, a hashes digest; subcomponents by @id or identifiers', () => {
    const vex = parsed(
      openVex([
        statement({
          products: [
            { '@id': 'https://acme.example/products/checkout', identifiers: { purl: 'pkg:generic/acme/checkout@2.3.0' }, subcomponents: [{ '@id': 'pkg:npm/lodash@4.17.20' }, { '@id': 'urn:x', identifiers: { purl: 'pkg:npm/react@18.2.0' } }] },
            { '@id': `pkg:oci/checkout@${DIGEST.replace(':', '%3A')}?repository_url=ghcr.io/acme` },
            { '@id': 'https://acme.example/images/checkout', hashes: { 'sha-256': '4F1C'.repeat(16) } },
          ],
        }),
      ]),
    );
    assert.deepEqual(vex.problems, []);
    assert.deepEqual<VexProduct[] | undefined>(vex.statements[0]?.products, [
      { purl: 'pkg:generic/acme/checkout@2.3.0', subcomponents: ['pkg:npm/lodash@4.17.20', 'pkg:npm/react@18.2.0'] },
      { purl: `pkg:oci/checkout@sha256%3A${'4f1c'.repeat(16)}?repository_url=ghcr.io/acme`, digest: DIGEST, subcomponents: [] },
      { digest: DIGEST, subcomponents: [] },
    ]);
  });

  test('older drafts: the vulnerability and the products as plain strings', () => {
    const vex = parsed(openVex([{ vulnerability: 'CVE-2021-44228', products: ['pkg:npm/a@1.0.0'], status: 'fixed' }], { '@context': 'https://openvex.dev/ns' }));
    assert.deepEqual(vex.statements, [{ vulnerability: 'CVE-2021-44228', aliases: [], products: [{ purl: 'pkg:npm/a@1.0.0', subcomponents: [] }], status: 'fixed', timestamp: '2024-01-01T00:00:00Z', author: 'Acme Security', position: { line: 1, character: 0 } }]);
  });

  test('the time: the statement’s last_updated, else its timestamp, else the document’s last_updated, else its timestamp', () => {
    const vex = parsed(
      openVex([statement({ timestamp: '2024-02-01T00:00:00Z', last_updated: '2024-03-01T00:00:00Z' }), statement({ timestamp: '2024-02-01T00:00:00Z' }), statement({})], { last_updated: '2024-01-15T00:00:00Z' }),
    );
    assert.deepEqual(vex.statements.map((s) => s.timestamp), ['2024-03-01T00:00:00Z', '2024-02-01T00:00:00Z', '2024-01-15T00:00:00Z']);
  });

  test('aliases are each kept once, without the vulnerability itself; the action statement of an affected one is kept', () => {
    const vex = parsed(openVex([statement({ vulnerability: { name: 'GHSA-jfh8-c2jp-5v3q', aliases: ['CVE-2021-44228', 'CVE-2021-44228', 'GHSA-jfh8-c2jp-5v3q', 7] }, status: 'affected', justification: undefined, action_statement: 'Upgrade to 2.17.1' })]));
    assert.deepEqual(
      vex.statements.map(({ vulnerability, aliases, status, actionStatement }) => ({ vulnerability, aliases, status, actionStatement })),
      [{ vulnerability: 'GHSA-jfh8-c2jp-5v3q', aliases: ['CVE-2021-44228'], status: 'affected', actionStatement: 'Upgrade to 2.17.1' }],
    );
  });

  test('not_affected with only an impact statement is kept', () => {
    const vex = parsed(openVex([statement({ justification: undefined, impact_statement: 'never loaded' })]));
    assert.equal(vex.statements[0]?.impactStatement, 'never loaded');
    assert.equal(vex.statements[0]?.justification, undefined);
  });

  const DROPPED: readonly [string, object, string[]][] = [
    ['not_affected without a justification or an impact statement', statement({ justification: undefined }), ['statement 1 (`CVE-2021-44228`, line 2) says not_affected without a justification or an impact statement; it was ignored']],
    ['not_affected with an empty justification', statement({ justification: '' }), ['statement 1 (`CVE-2021-44228`, line 2) says not_affected without a justification or an impact statement; it was ignored']],
    ['an unknown status', statement({ status: 'wont_fix' }), ['statement 1 (`CVE-2021-44228`, line 2) has status `wont_fix`, which is not one of not_affected, affected, fixed, under_investigation; it was ignored']],
    ['no status', statement({ status: undefined }), ['statement 1 (`CVE-2021-44228`, line 2) has no status; it was ignored']],
    ['no product', statement({ products: [] }), ['statement 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored']],
    ['no products field', statement({ products: undefined }), ['statement 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored']],
    ['no vulnerability', statement({ vulnerability: undefined }), ['statement 1 (line 2) names no vulnerability; it was ignored']],
    [
      'a product with no usable identifier',
      statement({ products: [{ '@id': 'https://acme.example/products/checkout' }] }),
      [
        'statement 1 (`CVE-2021-44228`, line 2): product `https://acme.example/products/checkout` has no package URL or digest that a release can be matched to; the product was ignored',
        'statement 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored',
      ],
    ],
    [
      'a product whose purl is not a package URL',
      statement({ products: [{ '@id': 'pkg:npm/' }] }),
      [
        'statement 1 (`CVE-2021-44228`, line 2): product `pkg:npm/` is not a valid package URL ("name" is a required component); the product was ignored',
        'statement 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored',
      ],
    ],
    [
      'a product with a subcomponent that is not a package URL',
      statement({ products: [{ '@id': 'pkg:generic/acme/checkout@2.3.0', subcomponents: [{ '@id': 'https://acme.example/lib' }] }] }),
      [
        'statement 1 (`CVE-2021-44228`, line 2): product `pkg:generic/acme/checkout@2.3.0` has a subcomponent `https://acme.example/lib` that is not a package URL (without it the statement would speak of the whole product); the product was ignored',
        'statement 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored',
      ],
    ],
    ['a statement that is not an object', [], ['statement 1 is not an object; it was ignored']],
  ];
  for (const [name, item, problems] of DROPPED) {
    test(`dropped: ${name}`, () => assert.deepEqual(parsed(openVex([item])), { format: 'OpenVEX', statements: [], problems }));
  }

  test('one product dropped, the other kept: the statement stands on the one left', () => {
    const vex = parsed(openVex([statement({ products: [{ '@id': 'urn:uuid:x' }, { '@id': 'pkg:npm/a@1.0.0' }] })]));
    assert.deepEqual(vex.statements[0]?.products, [{ purl: 'pkg:npm/a@1.0.0', subcomponents: [] }]);
    assert.deepEqual(vex.problems, ['statement 1 (`CVE-2021-44228`, line 2): product `urn:uuid:x` has no package URL or digest that a release can be matched to; the product was ignored']);
  });
});

describe('CycloneDX VEX statements', () => {
  const vulnerability = (fields: object): object => ({ id: 'CVE-2021-44228', analysis: { state: 'not_affected', justification: 'code_not_present' }, affects: [{ ref: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }], ...fields });

  const STATES: readonly [string, VexStatus][] = [
    ['not_affected', 'not_affected'],
    ['false_positive', 'not_affected'],
    ['exploitable', 'affected'],
    ['in_triage', 'under_investigation'],
    ['resolved', 'fixed'],
    ['resolved_with_pedigree', 'fixed'],
  ];
  for (const [state, status] of STATES) {
    test(`analysis.state ${state} → ${status}`, () => {
      const vex = parsed(cdxVex([vulnerability({ analysis: { state, justification: 'code_not_present' } })]));
      assert.deepEqual(vex.statements.map((s) => s.status), [status]);
    });
  }

  test('refs: a bom-ref of a component (nested too) with a purl, a purl itself, a BOM-Link into this document, a BOM-Link into another whose bom-ref is a purl', () => {
    const components = [{ 'bom-ref': 'ui', name: 'ui', purl: 'pkg:npm/ui@1.0.0', components: [{ 'bom-ref': 'lodash', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }] }];
    const affects = ['lodash', 'pkg:npm/left-pad@1.3.0', 'urn:cdx:11111111-2222-3333-4444-555555555555/1#ui', 'urn:cdx:99999999-2222-3333-4444-555555555555/3#pkg%3Anpm%2Freact%4018.2.0'].map((ref) => ({ ref }));
    const vex = parsed(cdxVex([vulnerability({ affects })], { components }));
    assert.deepEqual(vex.problems, []);
    assert.deepEqual(vex.statements[0]?.products, [
      { purl: 'pkg:npm/lodash@4.17.20', subcomponents: [] },
      { purl: 'pkg:npm/left-pad@1.3.0', subcomponents: [] },
      { purl: 'pkg:npm/ui@1.0.0', subcomponents: [] },
      { purl: 'pkg:npm/react@18.2.0', subcomponents: [] },
    ]);
  });

  test('a ref to the root image gives its digest', () => {
    const vex = parsed(cdxVex([vulnerability({ affects: [{ ref: 'image' }] })], { metadata: { component: { 'bom-ref': 'image', name: 'checkout', purl: `pkg:oci/checkout@${DIGEST.replace(':', '%3A')}` } } }));
    assert.deepEqual(vex.statements[0]?.products, [{ purl: `pkg:oci/checkout@${DIGEST.replace(':', '%3A')}`, digest: DIGEST, subcomponents: [] }]);
  });

  test('aliases from references, the action from the recommendation or the response, the time from the analysis, the authors', () => {
    const vex = parsed(
      cdxVex(
        [
          vulnerability({ references: [{ id: 'GHSA-jfh8-c2jp-5v3q', source: { name: 'GitHub' } }, { id: 'CVE-2021-44228' }], recommendation: 'Upgrade to 2.17.1', analysis: { state: 'exploitable', response: ['update'], lastUpdated: '2024-05-02T00:00:00Z', firstIssued: '2024-05-01T00:00:00Z' } }),
          vulnerability({ analysis: { state: 'in_triage', response: ['will_not_fix', 'update'], firstIssued: '2024-05-01T00:00:00Z' } }),
          vulnerability({ analysis: { state: 'resolved' } }),
        ],
        { metadata: { timestamp: '2024-04-01T00:00:00Z', authors: [{ name: 'Acme Security' }, { name: 'PSIRT', email: 'psirt@acme.example' }] } },
      ),
    );
    assert.deepEqual(
      vex.statements.map(({ aliases, actionStatement, timestamp, author }) => ({ aliases, actionStatement, timestamp, author })),
      [
        { aliases: ['GHSA-jfh8-c2jp-5v3q'], actionStatement: 'Upgrade to 2.17.1', timestamp: '2024-05-02T00:00:00Z', author: 'Acme Security, PSIRT' },
        { aliases: [], actionStatement: 'will_not_fix, update', timestamp: '2024-05-01T00:00:00Z', author: 'Acme Security, PSIRT' },
        { aliases: [], actionStatement: undefined, timestamp: '2024-04-01T00:00:00Z', author: 'Acme Security, PSIRT' },
      ],
    );
  });

  const DROPPED: readonly [string, object, object, string[]][] = [
    ['false_positive without a justification or a detail', vulnerability({ analysis: { state: 'false_positive' } }), {}, ['vulnerability 1 (`CVE-2021-44228`, line 2) says not_affected without a justification or an impact statement; it was ignored']],
    ['no analysis', vulnerability({ analysis: undefined }), {}, ['vulnerability 1 (`CVE-2021-44228`, line 2) has no analysis.state; it was ignored']],
    [
      'an unknown state',
      vulnerability({ analysis: { state: 'wontfix' } }),
      {},
      ['vulnerability 1 (`CVE-2021-44228`, line 2) has analysis.state `wontfix`, which is not one of not_affected, false_positive, exploitable, in_triage, resolved, resolved_with_pedigree; it was ignored'],
    ],
    ['no affects', vulnerability({ affects: [] }), {}, ['vulnerability 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored']],
    ['no id', vulnerability({ id: undefined }), {}, ['vulnerability 1 (line 2) names no vulnerability; it was ignored']],
    [
      'a ref that is nothing here',
      vulnerability({ affects: [{ ref: 'nowhere' }] }),
      {},
      [
        'vulnerability 1 (`CVE-2021-44228`, line 2): `nowhere` is neither a bom-ref of a component in this document nor a package URL; the product was ignored',
        'vulnerability 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored',
      ],
    ],
    [
      'a BOM-Link into another BOM that is not a purl',
      vulnerability({ affects: [{ ref: 'urn:cdx:99999999-2222-3333-4444-555555555555/1#ui' }] }),
      { components: [{ 'bom-ref': 'ui', name: 'ui', purl: 'pkg:npm/ui@1.0.0' }] },
      [
        'vulnerability 1 (`CVE-2021-44228`, line 2): `urn:cdx:99999999-2222-3333-4444-555555555555/1#ui` names a component of another BOM, which is not read; the product was ignored',
        'vulnerability 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored',
      ],
    ],
    [
      'an affects entry with versions',
      vulnerability({ affects: [{ ref: 'pkg:npm/a', versions: [{ version: '1.0.0', status: 'unaffected' }] }] }),
      {},
      ['vulnerability 1 (`CVE-2021-44228`, line 2): the `affects` entry for `pkg:npm/a` lists versions, which are not read; the product was ignored', 'vulnerability 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored'],
    ],
    [
      'a component with no purl and no version',
      vulnerability({ affects: [{ ref: 'abc' }] }),
      { components: [{ 'bom-ref': 'abc', name: 'ABC' }] },
      ['vulnerability 1 (`CVE-2021-44228`, line 2): the component `abc` has no purl, and no name and version to be known by; the product was ignored', 'vulnerability 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored'],
    ],
    [
      'a component whose purl is not a package URL',
      vulnerability({ affects: [{ ref: 'abc' }] }),
      { components: [{ 'bom-ref': 'abc', name: 'ABC', version: '1', purl: 'abc' }] },
      [
        'vulnerability 1 (`CVE-2021-44228`, line 2): the component `abc`: `abc` is not a valid package URL (missing required "pkg" scheme component); the product was ignored',
        'vulnerability 1 (`CVE-2021-44228`, line 2) names no product that can be matched; it was ignored',
      ],
    ],
  ];
  for (const [name, item, document, problems] of DROPPED) {
    test(`dropped: ${name}`, () => assert.deepEqual(parsed(cdxVex([item], document)), { format: 'CycloneDX', statements: [], problems }));
  }
});

describe('what is not a VEX document this reads: one exact problem', () => {
  const EXPECTED = 'a VEX document in OpenVEX JSON or CycloneDX JSON';
  const CASES: readonly [string, string, string][] = [
    ['invalid JSON', '{"statements": [}', 'invalid JSON at line 1, column 17: a value was expected (ValueExpected)'],
    ['JSON with a comment', '{"@context": "https://openvex.dev/ns/v0.2.0" // x\n}', 'invalid JSON at line 1, column 46: a comment, and JSON has no comments (InvalidCommentToken)'],
    ['a JSON array', '[]', `the file holds an array, not a JSON object: expected ${EXPECTED}`],
    ['neither format', '{"statements": []}', `the document is neither OpenVEX (an \`@context\` of https://openvex.dev/ns/…) nor CycloneDX (\`bomFormat: "CycloneDX"\`): expected ${EXPECTED}`],
    ['a CycloneDX SBOM with no vulnerabilities', '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}', `the CycloneDX document has no \`vulnerabilities\`, so it holds no VEX statement: expected ${EXPECTED}`],
    ['CycloneDX 1.3, before vulnerabilities', '{"bomFormat": "CycloneDX", "specVersion": "1.3", "vulnerabilities": []}', 'CycloneDX `1.3` is not supported; CycloneDX JSON 1.4 to 1.6 is read'],
    ['CycloneDX XML', '<?xml version="1.0"?><bom/>', `the file is XML, not JSON; only JSON is read: expected ${EXPECTED}`],
    ['1,000,000 nested arrays', '['.repeat(1_000_000), 'nests arrays and objects deeper than 64 levels (at line 1, column 65); it was not read'],
  ];
  for (const [name, text, expected] of CASES) {
    test(name, () => assert.deepEqual(parseVex(text), { problem: expected }));
  }

  test('an empty statement list is a document with no statement', () => {
    assert.deepEqual(parseVex('{"@context": "https://openvex.dev/ns/v0.2.0", "statements": []}'), { format: 'OpenVEX', statements: [], problems: [] });
  });
});

describe('bounded', () => {
  test('statements past the limit are not read, with a problem', () => {
    const vex = parsed(openVex([statement({}), statement({}), statement({})]), { ...LIMITS, maxStatements: 2 });
    assert.equal(vex.statements.length, 2);
    assert.deepEqual(vex.problems, ['holds more than 2 statements; the rest were not read']);
  });

  test('vulnerabilities and components past their limits are not read, with problems; a ref to a component not read is not resolved', () => {
    const vulnerability = { id: 'CVE-1', analysis: { state: 'resolved' }, affects: [{ ref: 'b' }] };
    const vex = parsed(cdxVex([vulnerability, vulnerability, vulnerability], { components: [{ 'bom-ref': 'a', name: 'a', version: '1' }, { 'bom-ref': 'b', name: 'b', version: '1' }] }), { ...LIMITS, maxStatements: 1, maxComponents: 1 });
    assert.deepEqual(vex.statements, []);
    assert.deepEqual(vex.problems, [
      'holds more than 1 vulnerabilities; the rest were not read',
      'holds more than 1 components; the rest were not read, and a reference to one of them is not resolved',
      'vulnerability 1 (`CVE-1`, line 2): `b` is neither a bom-ref of a component in this document nor a package URL; the product was ignored',
      'vulnerability 1 (`CVE-1`, line 2) names no product that can be matched; it was ignored',
    ]);
  });

  test('1,000,000 statements are read in bounded memory: the limit, then a problem', { timeout: 60_000 }, () => {
    const one = JSON.stringify(statement({}));
    const text = `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[${`${one},`.repeat(999_999)}${one}]}`;
    const vex = parsed(text);
    assert.equal(vex.statements.length, 100_000);
    assert.deepEqual(vex.problems, ['holds more than 100000 statements; the rest were not read']);
  });
});

describe('never throws; what it returns keeps the rules of section 9', () => {
  /** Every statement kept has a vulnerability, a known status, a product, and reasons when not_affected. */
  function keepsTheRules(result: ParsedVex | { problem: string }): void {
    if ('problem' in result) return;
    for (const s of result.statements) {
      assert.ok(s.vulnerability.length > 0);
      assert.ok(['not_affected', 'affected', 'fixed', 'under_investigation'].includes(s.status));
      assert.ok(s.products.length > 0);
      assert.ok(s.products.every((p) => p.purl !== undefined || p.digest !== undefined || (p.name !== undefined && p.version !== undefined)));
      if (s.status === 'not_affected') assert.ok(s.justification || s.impactStatement);
    }
  }

  test('any JSON value, alone or in the places the formats read', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('none', 'openvex', 'cdx'), (value, head) => {
        const document =
          head === 'openvex'
            ? { '@context': 'https://openvex.dev/ns/v0.2.0', author: value, statements: [value, { vulnerability: value, products: [value, { '@id': value, identifiers: value, hashes: value, subcomponents: value }], status: value, justification: value }] }
            : head === 'cdx'
              ? { bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: value, authors: value }, components: [value], vulnerabilities: [value, { id: value, references: value, analysis: value, affects: [value, { ref: value }] }] }
              : value;
        keepsTheRules(parseVex(JSON.stringify(document)));
      }),
      params,
    );
  });

  test('statements built from the words the formats use', () => {
    const word = fc.constantFrom('not_affected', 'affected', 'fixed', 'under_investigation', 'exploitable', 'false_positive', 'code_not_present', '', 'pkg:npm/a@1', 'pkg:', 'ref', 'urn:cdx:x/1#ref', 'CVE-1');
    const field = fc.oneof(word, fc.jsonValue({ maxDepth: 1 }));
    const openVexStatement = fc.record({ vulnerability: fc.oneof(field, fc.record({ name: field, aliases: fc.array(field) })), products: fc.array(fc.oneof(field, fc.record({ '@id': field, subcomponents: fc.array(field) }))), status: field, justification: field, impact_statement: field }, { requiredKeys: [] });
    const cdxVulnerability = fc.record({ id: field, analysis: fc.record({ state: field, justification: field, detail: field }, { requiredKeys: [] }), affects: fc.array(fc.record({ ref: field })) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(openVexStatement, { maxLength: 4 }), fc.array(cdxVulnerability, { maxLength: 4 }), (statements, vulnerabilities) => {
        keepsTheRules(parseVex(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements })));
        keepsTheRules(parseVex(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ 'bom-ref': 'ref', name: 'a', version: '1' }], vulnerabilities })));
      }),
      params,
    );
  });

  test('any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => keepsTheRules(parseVex(text))),
      params,
    );
  });
});
