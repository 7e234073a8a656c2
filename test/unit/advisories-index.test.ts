/** The advisory index over the real records: lookups, severity, in-house records, duplicates, safe versions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AdvisoryIndex, type AdvisoryInput } from '../../server/src/core/advisories/advisoryIndex.js';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';
import { parsePurl } from '../../server/src/core/advisories/purl.js';
import { safeVersions } from '../../server/src/core/advisories/safeVersions.js';
import { advisorySeverity, cvssBand } from '../../server/src/core/advisories/severity.js';
import type { OsvRecord } from '../../server/src/core/advisories/types.js';

const DIR = path.join(__dirname, '../fixtures/osv');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

function input(file: string, text = readFileSync(path.join(DIR, file), 'utf8')): AdvisoryInput {
  const parsed = parseOsvRecord(text, file);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return { record: parsed.record, source: file };
}
const realRecord = (id: string): OsvRecord => structuredClone(input(`${id}.json`).record);
const index = new AdvisoryIndex(FILES.map((f) => input(f)));
const ids = (idx: AdvisoryIndex, purl: string, version: string): string[] => idx.lookup(purl, version).map((m) => m.id);

/** The security team's own record for an in-house service, written as spec section 6 shows. */
const LEDGER_RECORD = JSON.stringify({
  schema_version: '1.6.0',
  id: 'ACME-2024-0001',
  modified: '2024-06-01T00:00:00Z',
  summary: 'Ledger exports include full account numbers',
  database_specific: { severity: 'HIGH' },
  affected: [
    {
      package: { ecosystem: 'Internal', name: 'acme/ledger', purl: 'pkg:generic/acme/ledger' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.0.0' }, { fixed: '3.2.1' }] }],
    },
  ],
});

describe('lookup', () => {
  test('most severe first: node-fetch 2.6.0 matches GHSA-r683 (HIGH) then GHSA-w7rc (LOW)', () => {
    assert.deepEqual(
      index.lookup('pkg:npm/node-fetch', '2.6.0').map((m) => [m.id, m.severity, m.reason]),
      [
        ['GHSA-r683-j2x4-v87g', 'HIGH', '1.0 up to, not including, 3.1.1'],
        ['GHSA-w7rc-rwvf-8q5r', 'LOW', 'every version before 2.6.1'],
      ],
    );
  });

  test('fixed versions are those of the matched package only (lodash-es, not lodash)', () => {
    const match = index.lookup('pkg:npm/lodash-es', '4.17.13').find((m) => m.id === 'GHSA-jf85-cpcp-j695');
    assert.deepEqual(match && { fixed: match.fixed, package: match.package }, { fixed: ['4.17.14'], package: 'lodash-es' });
  });

  test('a Go module matches an advisory about a package inside it, and says so', () => {
    const [match] = index.lookup('pkg:golang/golang.org/x/crypto', 'v0.0.0-20220214200702-86341886e292');
    assert.equal(match?.reason, 'every version before 0.0.0-20220314234659-1baeb1ce4c0b (the advisory names `golang.org/x/crypto/ssh`, inside `golang.org/x/crypto`)');
  });

  test('the record spelling `Axios` is reported as written; empty aliases stay empty', () => {
    assert.equal(index.lookup('pkg:npm/axios', '1.7.2')[0]?.package, 'Axios');
    assert.deepEqual(index.lookup('pkg:npm/ua-parser-js', '0.7.29')[0]?.aliases, []);
  });

  test('an invalid purl or an unknown package matches nothing', () => {
    assert.deepEqual(ids(index, 'lodash', '4.17.11'), []);
    assert.deepEqual(ids(index, 'pkg:npm/not-a-package-in-the-set', '1.0.0'), []);
    assert.deepEqual(ids(index, 'pkg:pypi/lodash', '4.17.11'), [], 'same name, other ecosystem');
  });

  test('summary falls back to the first line of details, cut at 120 characters', () => {
    const record = realRecord('GHSA-vh95-rmgr-6w4m');
    delete record.summary;
    const match = new AdvisoryIndex([{ record, source: 'x.json' }]).lookup('pkg:npm/minimist', '1.2.0')[0];
    assert.equal(match?.summary, 'Affected versions of `minimist` are vulnerable to prototype pollution. Arguments are not properly sanitized, allowing…');
  });
});

describe('in-house records, matched by purl', () => {
  const inHouse = new AdvisoryIndex([...FILES.map((f) => input(f)), input('ledger.json', LEDGER_RECORD)]);
  const CASES: readonly [string, string, string[]][] = [
    ['pkg:generic/acme/ledger', '3.1.0', ['ACME-2024-0001']],
    ['pkg:generic/acme/ledger@9.9.9?arch=x86_64', '3.0.0', ['ACME-2024-0001']],
    ['pkg:generic/acme/ledger', '3.2.1', []],
    ['pkg:generic/acme/ledger', '2.9.0', []],
    ['pkg:generic/acme/other', '3.1.0', []],
    ['pkg:generic/ledger', '3.1.0', []],
  ];
  for (const [purl, version, expected] of CASES) {
    test(`${purl} ${version} → ${expected.join(', ') || 'nothing'}`, () => assert.deepEqual(ids(inHouse, purl, version), expected));
  }

  test('the match carries the record\'s facts and is counted under its ecosystem', () => {
    assert.deepEqual(inHouse.lookup('pkg:generic/acme/ledger', '3.1.0'), [
      {
        id: 'ACME-2024-0001',
        aliases: [],
        summary: 'Ledger exports include full account numbers',
        severity: 'HIGH',
        severitySource: 'database_specific',
        severityField: 'database_specific.severity',
        fixed: ['3.2.1'],
        package: 'acme/ledger',
        source: 'ledger.json',
        reason: '3.0.0 up to, not including, 3.2.1',
      },
    ]);
    assert.equal(inHouse.counts().byEcosystem['Internal'], 1);
  });

  test('an unreadable purl or event version in a record is a problem of the index', () => {
    const broken = JSON.parse(LEDGER_RECORD);
    broken.affected[0].package.purl = 'acme/ledger';
    broken.affected[0].ranges[0].events[1].fixed = '';
    const idx = new AdvisoryIndex([input('ledger.json', JSON.stringify(broken))]);
    assert.deepEqual(idx.problems, [
      'ledger.json: `affected[0].ranges[0]` has `fixed: `, which is not a valid Internal version; that range cannot match',
      'ledger.json: `affected[0].package.purl`: `acme/ledger` is not a valid package URL (missing required "pkg" scheme component); matched by name only',
    ]);
  });
});

describe('PyPI records holding legacy (pre-PEP 440) versions', () => {
  const record = (events: object[], versions?: string[]): AdvisoryInput =>
    input('legacy.json', JSON.stringify({ id: 'TEST-LEGACY', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'pokedex' }, ranges: [{ type: 'ECOSYSTEM', events }], ...(versions ? { versions } : {}) }] }));

  test('a legacy event is ordered as pip ordered it (below every PEP 440 release) and reported, since a typo would hide releases', () => {
    const idx = new AdvisoryIndex([record([{ introduced: '0.1-bulbasaur' }, { fixed: '1.0' }])]);
    assert.deepEqual(idx.problems, ['legacy.json: `affected[0].ranges[0]` has `introduced: 0.1-bulbasaur`, which is a legacy, pre-PEP 440 version: current pip refuses it, and older pip sorted it below every PEP 440 release; the range is evaluated with it sorted there']);
    assert.deepEqual(ids(idx, 'pkg:pypi/pokedex', '0.9'), ['TEST-LEGACY']);
    assert.deepEqual(ids(idx, 'pkg:pypi/pokedex', '1.0'), []);
  });

  test('a legacy service version is never checked by order, only found when a record lists it exactly', () => {
    const idx = new AdvisoryIndex([record([{ introduced: '0' }, { fixed: '1.0' }], ['0.1-charmander'])]);
    assert.deepEqual(idx.problems, []);
    assert.deepEqual(ids(idx, 'pkg:pypi/pokedex', '0.1-charmander'), ['TEST-LEGACY']);
    // Ordered, `1.1-custom` would sort below every release, inside [0, 1.0), by accident: it is reported as unreadable instead.
    const pkg = parsePurl('pkg:pypi/pokedex');
    assert.ok('package' in pkg);
    assert.deepEqual(idx.explain(pkg.package, '1.1-custom').map((e) => e.verdict), [{ affected: false, reason: '`1.1-custom` is not a valid PyPI version, so the ranges could not be checked; not listed in versions' }]);
  });
});

describe('one record in several sources', () => {
  const withdrawn = input('GHSA-27h2-hvpr-p74q.json');
  const older = structuredClone(withdrawn);
  delete older.record.withdrawn;
  older.record.modified = '2022-12-22T03:32:22Z';
  older.source = 'old/GHSA-27h2-hvpr-p74q.json';

  for (const order of [[older, withdrawn], [withdrawn, older]]) {
    test(`the newest \`modified\` wins, so the withdrawal holds (${order[0]!.source} read first)`, () => {
      const idx = new AdvisoryIndex(order);
      assert.deepEqual(ids(idx, 'pkg:npm/jsonwebtoken', '8.5.1'), []);
      assert.deepEqual(idx.counts(), { records: 0, withdrawn: 1, duplicates: 1, byEcosystem: {} });
      assert.equal(idx.notes.length, 1);
      assert.match(idx.notes[0]!, /^GHSA-27h2-hvpr-p74q is in both .+; using GHSA-27h2-hvpr-p74q\.json \(/);
    });
  }
});

describe('severity', () => {
  /** Record id → severity once `database_specific.severity` is removed (so the CVSS vectors decide). */
  const FROM_CVSS: readonly [string, string | undefined, number | undefined][] = [
    ['GHSA-jfh8-c2jp-5v3q', 'CRITICAL', 10],
    ['GHSA-333g-rpr4-7hxq', 'CRITICAL', 9.8], // CVSS:3.0 prefix
    ['GHSA-r683-j2x4-v87g', 'HIGH', 8.8], // CVSS:3.0 prefix
    ['GHSA-hh2w-p6rv-4g7w', 'HIGH', 8.7], // v3 7.5 and v4 8.7: the higher one
    ['GHSA-qw6h-vgh9-j6wx', 'MODERATE', 5], // v3 5.0 above its v4 vector
    ['GHSA-5mg8-w23w-74h3', 'LOW', 3.3],
    ['GHSA-w7rc-rwvf-8q5r', 'LOW', 2.6],
    ['GHSA-pjwm-rvh2-c87w', undefined, undefined], // `severity: []`
  ];
  for (const [id, severity, score] of FROM_CVSS) {
    test(`${id} without its label → ${severity ?? 'none'} from CVSS`, () => {
      const record = realRecord(id);
      const label = record.database_specific!['severity'];
      assert.equal(advisorySeverity(record).source, 'database_specific');
      delete record.database_specific!['severity'];
      const verdict = advisorySeverity(record);
      assert.deepEqual([verdict.severity, verdict.score], [severity, score]);
      if (severity) assert.equal(severity, label, 'the CVSS band agrees with the label GitHub gave');
    });
  }

  test('labels are read case-insensitively, MEDIUM is MODERATE, IMPORTANT is HIGH, an unknown label is none', () => {
    const record = realRecord('GHSA-jfh8-c2jp-5v3q');
    delete record.severity;
    for (const [label, severity] of [['moderate', 'MODERATE'], ['MEDIUM', 'MODERATE'], ['Important', 'HIGH'], [' low ', 'LOW'], ['SEVERE', undefined], [7, undefined]] as const) {
      record.database_specific!['severity'] = label;
      assert.equal(advisorySeverity(record).severity, severity, String(label));
    }
  });

  test('a label milder than the record\'s vectors does not hide them: the worst wins, and says where it came from', () => {
    const record = realRecord('GHSA-jfh8-c2jp-5v3q');
    record.database_specific!['severity'] = 'MODERATE';
    assert.deepEqual(advisorySeverity(record), { severity: 'CRITICAL', source: 'cvss', field: 'severity[0]', score: 10, vector: record.severity![0]!.score });
    record.database_specific!['severity'] = 'critical';
    assert.deepEqual(advisorySeverity(record), { severity: 'CRITICAL', source: 'database_specific', field: 'database_specific.severity', score: 10, vector: record.severity![0]!.score }, 'on a tie the label is named, with the vector\'s score');
    record.database_specific!['severity'] = 'HIGH';
    record.severity!.push({ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    assert.deepEqual(advisorySeverity(record), { severity: 'CRITICAL', source: 'cvss', field: 'severity[0]', score: 10, vector: record.severity![0]!.score }, 'a higher band wins whatever came before');
    record.severity!.shift();
    assert.deepEqual(advisorySeverity(record), { severity: 'HIGH', source: 'database_specific', field: 'database_specific.severity', score: 8.1, vector: record.severity![0]!.score }, 'the score of the vector in the label\'s band');
    record.severity = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }];
    assert.deepEqual(advisorySeverity(record), { severity: 'HIGH', source: 'database_specific', field: 'database_specific.severity' }, 'no score from a vector of a milder band');
  });

  test('CVSS v2 vectors count, with v2\'s own bands (no Critical: 10.0 is HIGH); Ubuntu priorities count', () => {
    const record = realRecord('GHSA-jfh8-c2jp-5v3q');
    delete record.database_specific!['severity'];
    const CASES: readonly [OsvRecord['severity'], string | undefined][] = [
      [[{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }], 'HIGH'],
      [[{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' }], 'HIGH'],
      [[{ type: 'CVSS_V2', score: 'AV:N/AC:M/Au:N/C:P/I:N/A:N' }], 'MODERATE'],
      [[{ type: 'Ubuntu', score: 'high' }], 'HIGH'],
      [[{ type: 'Ubuntu', score: 'Medium' }], 'MODERATE'],
      [[{ type: 'Ubuntu', score: 'negligible' }], 'LOW'],
      [[{ type: 'Ubuntu', score: 'untriaged' }], undefined],
      [[{ type: 'Ubuntu', score: 'low' }, { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], 'CRITICAL'],
    ];
    for (const [severity, expected] of CASES) {
      record.severity = severity;
      assert.equal(advisorySeverity(record).severity, expected, JSON.stringify(severity));
    }
  });

  test('incomplete or foreign vectors give no severity', () => {
    const record = realRecord('GHSA-jfh8-c2jp-5v3q');
    delete record.database_specific!['severity'];
    for (const severity of [
      [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }],
      [{ type: 'CVSS_V3', score: 'not a vector' }],
      [{ type: 'CVSS_V2', score: 'AV:N/AC:L' }],
      [{ type: 'CVSS_V2', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }],
      [{ type: 'CVSS_V4', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' }],
      [{ type: 'CVSS_V3', score: '9.8' }],
    ]) {
      record.severity = severity;
      assert.deepEqual(advisorySeverity(record), { severity: undefined, source: undefined }, JSON.stringify(severity));
    }
  });

  test('CVSS bands at their edges', () => {
    const table: [number, string | undefined][] = [[10, 'CRITICAL'], [9, 'CRITICAL'], [8.9, 'HIGH'], [7, 'HIGH'], [6.9, 'MODERATE'], [4, 'MODERATE'], [3.9, 'LOW'], [0.1, 'LOW'], [0, undefined]];
    assert.deepEqual(table.map(([score]) => [score, cvssBand(score)]), table);
  });
});

describe('safe versions (the PB101 quick fix), best first', () => {
  const LOG4J = 'pkg:maven/org.apache.logging.log4j/log4j-core';
  const log4jService = { purl: LOG4J, current: '2.17.1', releases: ['2.17.1', '2.12.1', '2.14.1', '2.15.0', '2.16.0', '2.17.0', '2.12.2'] };

  test('log4j-core rolled back to 2.14.1: the newest safe release, then the fix above 2.14.1 that no advisory affects', () => {
    assert.deepEqual(safeVersions(log4jService, index, { target: '2.14.1' }), [
      { version: '2.17.0', why: 'newest unaffected release below 2.17.1', known: true },
      // 2.15.0 fixes GHSA-jfh8 but GHSA-7rjr still affects it.
      { version: '2.16.0', why: 'first fixed release of GHSA-7rjr-3q55-vv33', known: true },
    ]);
  });

  test('without a target, the lowest safe fix of any advisory affecting a known release', () => {
    assert.deepEqual(safeVersions(log4jService, index)[1], {
      version: '2.12.2',
      why: 'first fixed release of GHSA-7rjr-3q55-vv33, GHSA-jfh8-c2jp-5v3q',
      known: true,
    });
  });

  test('one version that is both is offered once, with both reasons', () => {
    const express = { purl: 'pkg:npm/express', current: '4.21.0', releases: ['4.17.1', '4.19.2', '4.20.0', '4.21.0'] };
    assert.deepEqual(safeVersions(express, index, { target: '4.19.2' }), [
      { version: '4.20.0', why: 'newest unaffected release below 4.21.0, and first fixed release of GHSA-qw6h-vgh9-j6wx', known: true },
    ]);
  });

  test('a fix that is not a known release is offered, marked unknown', () => {
    const axios = { purl: 'pkg:npm/axios', current: '1.7.7', releases: ['1.6.0', '1.7.2', '1.7.7'] };
    assert.deepEqual(safeVersions(axios, index, { target: '1.7.2' }), [{ version: '1.7.4', why: 'first fixed release of GHSA-8hc4-vh64-cxmj', known: false }]);
  });

  test('nothing to offer: no fix exists and every release is affected (log4j 1.x)', () => {
    const log4j1 = { purl: 'pkg:maven/log4j/log4j', current: '1.2.17', releases: ['1.2.15', '1.2.16', '1.2.17'] };
    assert.deepEqual(safeVersions(log4j1, index, { target: '1.2.16' }), []);
  });

  test('in-house service: the loose order decides what is below current', () => {
    const inHouse = new AdvisoryIndex([input('ledger.json', LEDGER_RECORD)]);
    const ledger = { purl: 'pkg:generic/acme/ledger', current: '3.3.0', releases: ['2.9.0', '3.1.0', '3.2.1', '3.10.0'] };
    assert.deepEqual(safeVersions(ledger, inHouse, { target: '3.1.0' }), [
      { version: '3.2.1', why: 'newest unaffected release below 3.3.0, and first fixed release of ACME-2024-0001', known: true },
    ]);
  });

  test('an invalid purl or current version gives nothing', () => {
    assert.deepEqual(safeVersions({ ...log4jService, purl: 'log4j-core' }, index), []);
    assert.deepEqual(safeVersions({ ...log4jService, current: '' }, index), []);
  });
});
