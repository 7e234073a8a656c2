/**
 * Recording security's decision as an OpenVEX statement (spec section 9): a new document, or one
 * statement added to an existing one with the rest of it kept byte for byte; what the parser
 * reads back is what was decided, and a file that is not OpenVEX is never overwritten.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseVex } from '../../server/src/core/releases/vexParse.js';
import { recordVexDecision, type VexDecisionInput } from '../../server/src/core/releases/vexRecord.js';

const EXISTING = readFileSync(path.join(__dirname, '../fixtures/sbom/vex/dropwizard-1.3.15.openvex.json'), 'utf8');
const INPUT: VexDecisionInput = {
  vulnerability: 'GHSA-45hx-wfhj-473x',
  aliases: ['CVE-2022-23221'],
  product: 'pkg:maven/io.dropwizard/dropwizard-parent@1.3.15',
  subcomponent: 'pkg:maven/com.h2database/h2@1.4.197?type=jar',
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  impactStatement: 'The H2 console is not shipped.',
  author: 'Dana Security <dana@acme.example>',
  timestamp: '2026-12-05T10:00:00.000Z',
  documentId: 'urn:uuid:00000000-0000-4000-8000-000000000001',
};

function statements(text: string) {
  const parsed = parseVex(text);
  assert.ok(!('problem' in parsed), JSON.stringify(parsed));
  assert.deepEqual(parsed.problems, []);
  return parsed.statements;
}

describe('recordVexDecision', () => {
  test('a new document: OpenVEX 0.2.0 with the author, the time and the one statement, read back as decided', () => {
    const recorded = recordVexDecision(undefined, INPUT);
    assert.ok('text' in recorded);
    const document = JSON.parse(recorded.text);
    assert.deepEqual([document['@context'], document['@id'], document.author, document.timestamp, document.version], ['https://openvex.dev/ns/v0.2.0', INPUT.documentId, INPUT.author, INPUT.timestamp, 1]);
    const [statement] = statements(recorded.text);
    assert.deepEqual(
      { vulnerability: statement!.vulnerability, aliases: statement!.aliases, status: statement!.status, justification: statement!.justification, impactStatement: statement!.impactStatement, products: statement!.products.map((p) => [p.purl, p.subcomponents]) },
      { vulnerability: 'GHSA-45hx-wfhj-473x', aliases: ['CVE-2022-23221'], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impactStatement: 'The H2 console is not shipped.', products: [[INPUT.product, [INPUT.subcomponent]]] },
    );
  });

  test('an existing document: the statement is added after the others, which stay byte for byte; version + 1 and last_updated set', () => {
    const recorded = recordVexDecision(EXISTING, INPUT);
    assert.ok('text' in recorded);
    const before = statements(EXISTING);
    const after = statements(recorded.text);
    assert.equal(after.length, before.length + 1);
    assert.equal(after.at(-1)!.vulnerability, 'GHSA-45hx-wfhj-473x');
    const document = JSON.parse(recorded.text);
    assert.deepEqual([document.version, document.last_updated, document.author], [2, INPUT.timestamp, 'Acme Security <secops@acme.example>']);
    // The first statement's text is unchanged, spacing included.
    const first = EXISTING.slice(EXISTING.indexOf('    {\n      "vulnerability"'), EXISTING.indexOf('\n  ]'));
    assert.ok(recorded.text.includes(first.trimEnd()), recorded.text);
  });

  for (const [name, input, problem] of [
    ['not_affected with neither justification nor impact statement', { ...INPUT, justification: undefined, impactStatement: undefined }, /needs a justification or an impact statement/],
    ['a justification OpenVEX does not define', { ...INPUT, justification: 'we_think_so' }, /not one of OpenVEX's justifications/],
    ['affected without an action statement', { ...INPUT, status: 'affected', justification: undefined }, /needs an action statement/],
    ['no author', { ...INPUT, author: '  ' }, /needs an author/],
  ] as const) {
    test(`refused: ${name}`, () => {
      const recorded = recordVexDecision(undefined, input);
      assert.ok('problem' in recorded);
      assert.match(recorded.problem, problem);
    });
  }

  for (const [name, text] of [['not JSON', '{"statements": ['], ['a CycloneDX BOM', '{"bomFormat": "CycloneDX", "specVersion": "1.5"}'], ['a JSON list', '[]']] as const) {
    test(`an existing file that is ${name} is left as it is`, () => {
      const recorded = recordVexDecision(text, INPUT);
      assert.ok('problem' in recorded, JSON.stringify(recorded));
    });
  }
});
