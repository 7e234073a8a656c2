/**
 * PB101's words about its advisory data: the safe version it suggests says how many loaded records
 * it is clear of (message, quick fix, hover), and the advisory it names is linked to the `affected`
 * entry that matched, at its line and column in the record's file, for records in folders, in
 * zips and in the published index of a zip.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import { affectedPositions } from '../../server/src/core/advisories/recordPositions.js';
import type { AdvisorySnapshot } from '../../server/src/core/advisories/snapshot.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { codeActions } from '../../server/src/core/features/codeActions.js';
import type { Finding } from '../../server/src/core/types.js';
import { toDiagnostic } from '../../server/src/lsp/convert.js';
import { buildPublishedIndex } from '../../server/src/node/advisoryIndexBuild.js';
import { AdvisoryStore } from '../../server/src/node/advisoryStore.js';
import { guardedRollback } from './helpers/guardedRollback.js';
import { OSV_DIR } from './helpers/osvIndex.js';
import { removeTempFolders, tempFolder, writeFiles } from './helpers/osvRecords.js';
import { declaredZip } from './helpers/zips.js';

after(removeTempFolders);

const LOG4SHELL = 'GHSA-jfh8-c2jp-5v3q';
const LOG4SHELL_FILE = path.join(OSV_DIR, `${LOG4SHELL}.json`);

/** log4j-core rolled back to 2.14.1, which Log4Shell affects; 2.12.2 is a known release below 2.17.1. */
const ROLLBACK = guardedRollback({ id: 'search-rollback', service: 'search', to: '2.14.1', services: '  search:\n    package: pkg:maven/org.apache.logging.log4j/log4j-core\n    current: 2.17.1\n    releases: [2.12.2, 2.14.1, 2.17.1]' });

const log4shell = (advisories: AdvisorySnapshot): Finding => {
  const found = checkPlaybook(ROLLBACK, { advisories }).findings.find((f) => f.ruleId === 'PB101' && f.data?.['advisory'] === LOG4SHELL);
  assert.ok(found, 'PB101 names Log4Shell');
  return found;
};

const single = (text: string, source: string): AdvisorySnapshot => {
  const parsed = parseOsvRecord(text, source);
  assert.ok('record' in parsed);
  return { index: new AdvisoryIndex([{ record: parsed.record, source, text }]), sources: [], problems: [] };
};

describe('the safe version says how many records it is clear of', () => {
  test('every fixture loaded: "clear of all N loaded advisories", N the records in the index, in the message and the quick fix', async () => {
    const advisories = await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: 'osv', path: OSV_DIR }]);
    const records = advisories.index.counts().records;
    assert.ok(records > 20, `records: ${records}`);
    const f = log4shell(advisories);
    assert.match(f.message, new RegExp(`; use 2\\.12\\.2 instead \\(newest unaffected release below 2\\.17\\.1; clear of all ${records} loaded advisories\\)$`));
    assert.equal(f.data?.['advisoryRecords'], records);
    const fix = codeActions(checkPlaybook(ROLLBACK, { advisories }), f.range).find((a) => a.isPreferred);
    assert.equal(fix?.title, `Roll back to 2.12.2 instead (newest unaffected release below 2.17.1; clear of all ${records} loaded advisories)`);
  });

  test('one record loaded: "clear of the one loaded advisory"', () => {
    const f = log4shell(single(readFileSync(LOG4SHELL_FILE, 'utf8'), LOG4SHELL_FILE));
    assert.match(f.message, /; use 2\.12\.2 instead \(newest unaffected release below 2\.17\.1; clear of the one loaded advisory\)$/);
  });

  test('plain text: the words added to the message and the fix title hold no Markdown backticks', async () => {
    const advisories = await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: 'osv', path: OSV_DIR }]);
    const f = log4shell(advisories);
    assert.doesNotMatch(f.message.slice(f.message.indexOf('; use ')), /`/);
    const deploy = ROLLBACK.replace('action: rollback', 'action: deploy').replace('    to: 2.14.1', '    version: 2.14.1');
    for (const action of codeActions(checkPlaybook(deploy, { advisories }), log4shell(advisories).range)) {
      if (!action.title.startsWith('Suppress')) assert.doesNotMatch(action.title, /`/, action.title);
    }
  });
});

describe('where an affected entry starts in the record', () => {
  test('each entry and each of its ranges, at its brace: strings with braces and escaped quotes, another "affected" as a value, CRLF, a BOM', () => {
    const text = '\uFEFF{"id": "X-1", "details": "a \\"quoted\\" { [ brace ] } in \\\\ text",\r\n "database_specific": {"affected": [{"x": 1}], "status": "affected"},\r\n "affected": [\r\n  {"package": {"ecosystem": "npm", "name": "a"}, "ranges": [{"type": "SEMVER", "events": []},\r\n   {"type": "SEMVER", "events": []}]},\r\n  {"package": {"ecosystem": "npm", "name": "b"}, "versions": ["1.0.0"]}\r\n ]}';
    const record = JSON.parse(text.slice(1)) as { affected: Array<{ ranges?: unknown[] }> };
    assert.deepEqual(affectedPositions(text, record.affected), [[3, 2, 3, 60, 4, 3], [5, 2]]);
  });

  test('one line (a minified record): columns only', () => {
    const text = '{"id":"X","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[]}]}]}';
    assert.deepEqual(affectedPositions(text, [{ ranges: [{}] }]), [[0, 22, 0, 74]]);
  });

  test('a text that does not hold the record\'s entries gives no positions rather than wrong ones', () => {
    const text = '{"affected": [{"package": {}}]}';
    assert.equal(affectedPositions(text, [{}, {}]), undefined, 'two entries in the record, one in the text');
    assert.equal(affectedPositions(text, [{ ranges: [{}] }]), undefined, 'a range in the record that the text lacks');
    assert.equal(affectedPositions('{"affected": [{"a": "unterminated}]}', [{}]), undefined);
  });
});

describe('PB101 links the advisory to the affected entry that matched', () => {
  /** The related location's line and column in the record's text, as the entry of the JSON it points at. */
  const pointedAt = (f: Finding, text: string): string => {
    const related = f.related!.find((r) => r.message.startsWith(`${LOG4SHELL}: `))!;
    assert.ok(related.position, 'a line and column');
    const doc = TextDocument.create('file:///r.json', 'json', 0, text);
    return text.slice(doc.offsetAt(related.position), doc.offsetAt(related.position) + 160);
  };
  const text = readFileSync(LOG4SHELL_FILE, 'utf8');
  const range = /\{\s*"type": "ECOSYSTEM",\s*"events": \[\s*\{\s*"introduced": "2\.13\.0"/;

  test('a record in a folder: its file, at the range 2.13.0 up to, not including, 2.15.0', async () => {
    const advisories = await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: 'osv', path: OSV_DIR }]);
    const f = log4shell(advisories);
    const related = f.related!.find((r) => r.message.startsWith(`${LOG4SHELL}: `))!;
    assert.equal(related.file, LOG4SHELL_FILE);
    assert.equal(related.message, `${LOG4SHELL}: 2.13.0 up to, not including, 2.15.0`);
    assert.match(pointedAt(f, text), range);
  });

  test('a record in a zip, parsed and through the zip\'s published index: the entry\'s own line and column, the same', async () => {
    const dir = writeFiles(tempFolder(), { 'osv/Maven.zip': declaredZip({ [`${LOG4SHELL}.json`]: text }) });
    const zip = path.join(dir, 'osv/Maven.zip');
    const parsed = log4shell(await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: 'osv', path: zip }]));
    const related = parsed.related!.find((r) => r.message.startsWith(`${LOG4SHELL}: `))!;
    assert.equal(related.file, `${zip}!${LOG4SHELL}.json`);
    assert.match(pointedAt(parsed, text), range);
    assert.ok(!('problem' in (await buildPublishedIndex({ entry: 'osv', path: zip }))));
    const store = new AdvisoryStore({}, { cacheDir: null });
    const indexed = log4shell(await store.load([{ entry: 'osv', path: zip }]));
    assert.equal(store.lastLoad?.from, 'index');
    assert.deepEqual(indexed.related, parsed.related);
  });

  test('in the editor: a folder record opens at that line; a zip\'s record opens the zip at its start, where a line of the entry means nothing', async () => {
    const doc = TextDocument.create('file:///w/p.playbook.yaml', 'incident-playbook', 1, ROLLBACK);
    const inFolder = log4shell(await new AdvisoryStore({}, { cacheDir: null }).load([{ entry: 'osv', path: OSV_DIR }]));
    const [folderInfo] = toDiagnostic(doc, inFolder, () => 'x').relatedInformation!.filter((r) => r.message.startsWith(LOG4SHELL));
    const position = inFolder.related!.find((r) => r.message.startsWith(LOG4SHELL))!.position!;
    assert.deepEqual(folderInfo!.location.range.start, position);
    const zipped = { ...inFolder, related: inFolder.related!.map((r) => ({ ...r, file: `/a/Maven.zip!${LOG4SHELL}.json` })) };
    const [zipInfo] = toDiagnostic(doc, zipped, () => 'x').relatedInformation!.filter((r) => r.message.startsWith(LOG4SHELL));
    assert.equal(zipInfo!.location.uri, 'file:///a/Maven.zip');
    assert.deepEqual(zipInfo!.location.range.start, { line: 0, character: 0 });
  });

  test('a record built without its text (in memory, from data alone) still names its file, without a position', () => {
    const parsed = parseOsvRecord(text, LOG4SHELL_FILE);
    assert.ok('record' in parsed);
    const f = log4shell({ index: new AdvisoryIndex([{ record: parsed.record, source: LOG4SHELL_FILE }]), sources: [], problems: [] });
    const related = f.related!.find((r) => r.message.startsWith(`${LOG4SHELL}: `))!;
    assert.equal(related.file, LOG4SHELL_FILE);
    assert.equal(related.position, undefined);
  });
});
