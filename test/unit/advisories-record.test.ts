/** Reading OSV records: the 25 real ones, and broken variants of real ones. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseOsvRecord } from '../../server/src/core/advisories/osvRecord.js';

const DIR = path.join(__dirname, '../fixtures/osv');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const text = (file: string): string => readFileSync(path.join(DIR, file), 'utf8');
const LOG4SHELL = 'GHSA-jfh8-c2jp-5v3q.json';

/** The Log4Shell record with `edit` applied, back as text. */
function edited(edit: (json: any) => void, file = LOG4SHELL): string {
  const json = JSON.parse(text(file));
  edit(json);
  return JSON.stringify(json, null, 2);
}

describe('real records', () => {
  test('all 25 parse with no problem and no note, each with the id of its file', () => {
    assert.equal(FILES.length, 25);
    for (const file of FILES) {
      const result = parseOsvRecord(text(file), file);
      assert.ok('record' in result, `${file}: ${'problem' in result ? result.problem : ''}`);
      assert.equal(result.record.id, file.replace(/\.json$/, ''));
      assert.deepEqual({ problems: result.problems, notes: result.notes }, { problems: [], notes: [] }, file);
    }
  });

  test('fields arrive as written: non-ASCII details, Windows paths, aliases, withdrawn', () => {
    const jwt = parseOsvRecord(text('GHSA-8cf7-32gw-wr33.json'), 'x');
    assert.ok('record' in jwt && jwt.record.details?.includes('’'));
    const stj = parseOsvRecord(text('GHSA-hh2w-p6rv-4g7w.json'), 'x');
    assert.ok('record' in stj && /\\/.test(stj.record.details ?? ''), 'backslashes survive JSON unescaping');
    const withdrawn = parseOsvRecord(text('GHSA-27h2-hvpr-p74q.json'), 'x');
    assert.ok('record' in withdrawn);
    assert.equal(withdrawn.record.withdrawn, '2023-01-27T21:51:55Z');
  });

  test('a byte-order mark is tolerated', () => {
    assert.ok('record' in parseOsvRecord(`\uFEFF${text(LOG4SHELL)}`, LOG4SHELL));
  });
});

describe('broken records: one short problem naming the file and the field', () => {
  const BROKEN: readonly [string, string, string][] = [
    ['missing `affected`', edited((j) => delete j.affected), 'has no `affected` list, so it cannot match any package'],
    ['empty `affected`', edited((j) => (j.affected = [])), '`affected` is empty, so it cannot match any package'],
    ['missing `id`', edited((j) => delete j.id), 'the record needs `id`'],
    ['missing `modified`', edited((j) => delete j.modified), 'the record needs `modified`'],
    ['`aliases` not a list', edited((j) => (j.aliases = 'CVE-2021-44228')), '`aliases` must be a list'],
    ['a package name that is a number', edited((j) => (j.affected[0].package.name = 42)), '`affected[0].package.name` must be a string'],
    ['a package without ecosystem', edited((j) => delete j.affected[1].package.ecosystem), '`affected[1].package` needs `ecosystem`'],
    ['events not a list', edited((j) => (j.affected[2].ranges[0].events = { introduced: '0' })), '`affected[2].ranges[0].events` must be a list'],
    ['a version that is a number', edited((j) => (j.affected[0].versions = [2.14])), '`affected[0].versions[0]` must be a string'],
    ['an event value that is a number', edited((j) => (j.affected[0].ranges[0].events[1].fixed = 2.15)), '`affected[0].ranges[0].events[1].fixed` must be a string'],
    ['a severity without score', edited((j) => delete j.severity[0].score), '`severity[0]` needs `score`'],
    ['a list instead of a record', '[]', 'the record must be an object'],
    ['several errors', edited((j) => ((j.id = 1), (j.modified = 2), (j.summary = 3))), '`id` must be a string (and 2 more problems)'],
    ['no entry names a package', edited((j) => (j.affected = [{ versions: ['1.0'] }])), 'no `affected` entry names a package, so it cannot match anything'],
  ];
  for (const [what, input, problem] of BROKEN) {
    test(what, () => assert.deepEqual(parseOsvRecord(input, LOG4SHELL), { problem: `${LOG4SHELL}: ${problem}` }));
  }

  test('text that is not JSON', () => {
    const result = parseOsvRecord(text(LOG4SHELL).slice(0, 200), LOG4SHELL);
    assert.ok('problem' in result);
    assert.match(result.problem, /^GHSA-jfh8-c2jp-5v3q\.json: not valid JSON \(.+\)$/);
  });
});

describe('broken ranges: reported, and the rest of the record kept', () => {
  function parts(input: string): { problems: string[]; notes: string[]; ranges: string[][] } {
    const result = parseOsvRecord(input, LOG4SHELL);
    assert.ok('record' in result, 'problem' in result ? result.problem : '');
    return { problems: result.problems, notes: result.notes, ranges: result.record.affected.map((a) => (a.ranges ?? []).map((r) => r.type)) };
  }

  test('an unknown range type drops that range only', () => {
    assert.deepEqual(parts(edited((j) => (j.affected[1].ranges[0].type = 'SEMVERS'))), {
      problems: [`${LOG4SHELL}: \`affected[1].ranges[0].type\` must be SEMVER, ECOSYSTEM or GIT, not \`SEMVERS\`; that range is skipped`],
      notes: [],
      ranges: [['ECOSYSTEM'], [], ['ECOSYSTEM']],
    });
  });

  test('a GIT range is skipped with a note', () => {
    const input = edited((j) => j.affected[0].ranges.push({ type: 'GIT', repo: 'https://github.com/apache/logging-log4j2', events: [{ introduced: '0' }, { fixed: 'c77b3cb' }] }));
    assert.deepEqual(parts(input), {
      problems: [],
      notes: [`${LOG4SHELL}: \`affected[0].ranges[1]\` is a GIT range (commit hashes, not versions); skipped`],
      ranges: [['ECOSYSTEM'], ['ECOSYSTEM'], ['ECOSYSTEM']],
    });
  });

  test('an event with none of the four keys, and a range with no `introduced`', () => {
    const input = edited((j) => {
      j.affected[0].ranges[0].events.push({ fixd: '2.15.0' });
      j.affected[2].ranges[0].events = [{ fixed: '2.12.2' }];
    });
    assert.deepEqual(parts(input), {
      problems: [
        `${LOG4SHELL}: \`affected[0].ranges[0].events[2]\` must have one of introduced, fixed, last_affected, limit; that range is skipped`,
        `${LOG4SHELL}: \`affected[2].ranges[0]\` has no \`introduced\` event, so it cannot affect any version; that range is skipped`,
      ],
      notes: [],
      ranges: [[], ['ECOSYSTEM'], []],
    });
  });

  test('an entry without a package is skipped with a note', () => {
    const input = edited((j) => delete j.affected[1].package);
    assert.deepEqual(parts(input), { problems: [], notes: [`${LOG4SHELL}: \`affected[1]\` names no package; skipped`], ranges: [['ECOSYSTEM'], ['ECOSYSTEM']] });
  });
});
