/**
 * The run report as Markdown: golden reports of a resolved rollback and of a run whose security
 * notification never arrived (compared byte for byte; regenerate after an intended change with
 * UPDATE_GOLDEN=1 and read the diff), and the escaping, checked by reading the output with a real
 * Markdown parser (markdown-it, GitHub's table rules): whatever a record's texts hold (`|`,
 * backticks, HTML, links, newlines), every table keeps its cells, no markup appears that the
 * report did not write, and each text reads back exactly as recorded.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Token } from 'markdown-it';
import { runReport } from '../../server/src/core/run/report.js';
import { renderRunMarkdown } from '../../server/src/core/run/reportMarkdown.js';
import type { RecordVerification } from '../../server/src/core/run/reportTypes.js';
import { goldenIn } from './helpers/golden.js';
import { oneLine, parser, rawCellCounts, seen, tableWith, tables } from './helpers/markdownRead.js';
import { checkoutPlaybook, neverDelivered, resolvedRollback, RunRecord } from './helpers/runRecord.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);

const assertGolden = goldenIn(path.join(__dirname, '../fixtures/run-report'));

const markdown = (record: RunRecord, verification: RecordVerification = { ok: true }) => renderRunMarkdown(runReport(record.events, verification, { playbook: checkoutPlaybook() }));

describe('run report Markdown: golden reports', () => {
  test('a resolved rollback, as docs/runs.md shows it', () => {
    const report = markdown(resolvedRollback());
    assertGolden('resolved-rollback.md', report);
    assert.ok(readFileSync(path.join(__dirname, '../../docs/runs.md'), 'utf8').includes(`\`\`\`\`markdown\n${report}\`\`\`\``), 'docs/runs.md shows the current report');
  });
  test('a security notification never delivered, on a record whose chain is broken', () => {
    assertGolden('never-delivered-broken-chain.md', markdown(neverDelivered(), { ok: false, problem: 'line 12: prev is not the SHA-256 of line 11' }));
  });
});

/** A run whose every free text, and the step ids, are `text`. */
function hostileRun(text: string, step = 'verify'): string {
  const record = new RunRecord()
    .add(text, { type: 'run-started', playbook: { id: text, title: text, file: text, sha256: 'abc' }, tool: { name: 'playbook', version: '0.1.0' }, mode: 'editor' }, 0)
    .add(text, { type: 'approval', step, approver: text, decision: 'granted', note: text })
    .add(text, { type: 'notification', id: 1, step, channel: text, target: text, message: text, auto: false, delivery: { status: 'queued', attempts: 2, error: text } })
    .add(text, { type: 'release-check', step, service: text, version: text, standing: [{ id: text, aliases: [text], severity: text }], decided: [], acknowledged: false })
    .add(text, { type: 'deviation', step, kind: 'skipped', reason: text })
    .add(text, { type: 'run-ended', outcome: 'resolved', path: [step], undelivered: [2] });
  return renderRunMarkdown(runReport(record.events, { ok: false, problem: text }));
}

const HOSTILE = 'a | b `tick` ``two`` <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold** _em_ ~~gone~~ $x^2$ &amp; \\| trailing\\\nnext line\r\n# not a heading\n- not a list\n1. not a list\n    not code';

describe('run report Markdown: texts from the record cannot break it', () => {
  const src = hostileRun(HOSTILE, 'step|`id`');
  const tokens = parser.parse(src, {});

  test('every table row has as many cells as its header', () => {
    assert.equal(tables(tokens).length, 7, 'summary, timeline, approvals, notifications, release checks, deviations, SOC 2');
    const counts = rawCellCounts(src);
    assert.equal(counts.length, 7);
    for (const block of counts) assert.deepEqual(block, block.map(() => block[0]), `rows of ${block[0]} cells`);
  });

  test('no HTML, link, image, strikethrough, heading or list comes from the record', () => {
    const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
    assert.deepEqual(all.filter((t) => /^(html_|link_|image|s_open)/.test(t.type)).map((t) => t.type), []);
    assert.deepEqual(tokens.filter((t) => t.type === 'inline' && tokens[tokens.indexOf(t) - 1]?.type === 'heading_open').map((t) => t.content.slice(0, 14)),
      ['Incident run: ', 'Timeline', 'Approvals', 'Notifications', 'Release checks', 'Deviations', 'SOC 2 evidence', 'Problems in th']);
    // The only list is the report's list of problems, one item per problem.
    assert.equal(tokens.filter((t) => t.type === 'bullet_list_open' || t.type === 'ordered_list_open').length, 1);
  });

  test('each text reads back as recorded, on one line', () => {
    assert.equal(seen(tableWith(src, 'From').rows.find((r) => seen(r[0]!) === '1')![3]!), oneLine(HOSTILE), 'the message');
    const approval = tableWith(src, 'Checkpoint').rows[0]!;
    assert.deepEqual([seen(approval[0]!), seen(approval[1]!), seen(approval[5]!)], ['code:step|`id`', oneLine(HOSTILE), oneLine(HOSTILE)]);
    assert.equal(seen(tableWith(src, 'Deviation').rows[0]![2]!), oneLine(HOSTILE), 'the reason');
  });

  test('a long message stays in its cell, on its row', () => {
    const long = 'Rolled back checkout; '.repeat(200);
    const src2 = hostileRun(long);
    const notifications = tableWith(src2, 'From').rows.filter((r) => r.length === 7);
    assert.equal(seen(notifications[0]![3]!), long.trim());
  });

  test('any text at all: the tables keep their shape and the text reads back', () => {
    const char = fc.constantFrom(...'ab |`\\*_[]()<>!#&~$-+=.1:\n\r\t '.split(''), 'x', '\u2028');
    fc.assert(fc.property(fc.array(char, { maxLength: 40 }).map((cs) => cs.join('')), (text) => {
      const out = hostileRun(text, `s${text.replace(/\s/g, '')}`);
      for (const block of rawCellCounts(out)) assert.deepEqual(block, block.map(() => block[0]));
      const message = tableWith(out, 'From').rows.find((r) => seen(r[0]!) === '1')![3]!;
      assert.equal(seen(message), oneLine(text));
      assert.equal(seen(tableWith(out, 'Checkpoint').rows[0]![0]!), `code:s${text.replace(/\s/g, '')}`);
    }), { numRuns: RUNS, seed: 20261206 });
  });
});

describe('run report Markdown: the tool\'s own words', () => {
  const error = '`PLAYBOOK_WEBHOOK_SECURITY` (the webhook of the `security` channel) is not set in the environment or the editor';
  const record = new RunRecord()
    .add('alice', { type: 'run-started', playbook: { id: 'p', title: 'P', file: 'p.playbook.yaml', sha256: 'abc' }, tool: { name: 'playbook', version: '0.1.0' }, mode: 'editor' }, 0)
    .add('alice', { type: 'notification', id: 1, step: 'tell', channel: 'security', target: '#sec', message: 'run `kubectl` now', auto: false, delivery: { status: 'queued', attempts: 1, error } })
    .add('alice', { type: 'delivery', notification: 1, delivery: { status: 'queued', attempts: 2, error: 'the webhook answered HTTP 404 (Not Found): `no_service`' } });
  const src = renderRunMarkdown(runReport(record.events, { ok: true }));
  const codeSpans = (cell: Token) => (cell.children ?? []).filter((c) => c.type === 'code_inline').map((c) => c.content);

  test('a delivery result shows the names it marks as code, in the timeline and the notifications table', () => {
    const timeline = tableWith(src, 'What happened').rows;
    assert.deepEqual(codeSpans(timeline[1]![3]!), ['PLAYBOOK_WEBHOOK_SECURITY', 'security']);
    assert.equal(seen(timeline[1]![3]!), 'notified security (#sec) from tell (notification 1): queued (not delivered yet) after 1 attempt (code:PLAYBOOK_WEBHOOK_SECURITY (the webhook of the code:security channel) is not set in the environment or the editor)');
    assert.deepEqual(codeSpans(timeline[2]![3]!), ['no_service']);
    const row = tableWith(src, 'From').rows[0]!;
    assert.deepEqual(row.slice(5).map(codeSpans), [['PLAYBOOK_WEBHOOK_SECURITY', 'security', 'no_service'], ['no_service']], 'each attempt, and the final state (bold, its code inside)');
    assert.deepEqual(src.split('\n').filter((line) => line.includes('\\`')).map((line) => line.split(' | ')[0]), ['| 1'], 'only the message, as typed, shows backticks');
  });

  test('what a person wrote keeps its backticks as typed', () => {
    assert.equal(seen(tableWith(src, 'From').rows[0]![3]!), 'run `kubectl` now');
  });
});

