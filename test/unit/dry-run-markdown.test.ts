/**
 * The dry-run's Markdown report, read with a real Markdown parser (markdown-it, GitHub's table
 * rules): whatever the playbook's texts hold (`|`, backticks, HTML, links, emphasis, newlines, a
 * heading or a list), every table keeps its cells, no markup appears that the report did not
 * write, and each text reads back as the playbook wrote it. The same escaping as the run report's
 * (core/util/markdownText.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkPlaybook } from '../../server/src/core/check.js';
import { simulate } from '../../server/src/core/dryrun/index.js';
import { renderMarkdown } from '../../server/src/core/dryrun/render/markdown.js';
import { oneLine, parser, rawCellCounts, seen, tableWith, tables } from './helpers/markdownRead.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);
const EXAMPLE = readFileSync(path.join(__dirname, '../../examples/checkout-outage.playbook.yaml'), 'utf8');

/** The example with `text` as its title, the security owner's contact, the security channel, the notify steps' messages and a short command. */
function hostilePlaybook(text: string): string {
  // A JSON string is a YAML double-quoted scalar: any text, escapes and all, on one line of the playbook.
  const quoted = JSON.stringify(text);
  // Replaced by functions: a `$` in the text is not a replacement pattern.
  return EXAMPLE
    .replace(/^title: .*$/m, () => `title: ${quoted}`)
    .replace(/^ {2}security: "@secops-oncall"$/m, () => `  security: ${quoted}`)
    .replace(/^ {2}security: "#sec-incidents"$/m, () => `  security: ${quoted}`)
    .replace(/^( {4}message: ).*$/gm, (_, key: string) => `${key}${quoted}`);
}

const markdown = (text: string): string => renderMarkdown(simulate(checkPlaybook(hostilePlaybook(text))), { file: 'checkout.playbook.yaml' });

const HOSTILE = 'a | b `tick` ``two`` <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold** _em_ ~~gone~~ $x^2$ &amp; \\| trailing\\\nnext line\n# not a heading\n- not a list\n1. not a list';

describe('dry-run Markdown: texts from the playbook cannot break it', () => {
  const src = markdown(HOSTILE);
  const tokens = parser.parse(src, {});

  test('the hostile texts reached the report', () => {
    assert.ok(src.includes('onerror'), 'the title, contact, channel and messages are in it');
  });

  test('every table row has as many cells as its header', () => {
    const counts = rawCellCounts(src);
    assert.ok(counts.length >= 6);
    for (const block of counts) assert.deepEqual(block, block.map(() => block[0]), `rows of ${block[0]} cells`);
  });

  test('no HTML, link, image, strikethrough, heading or list comes from the playbook', () => {
    const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
    assert.deepEqual(all.filter((t) => /^(html_|link_|image|s_open|em_open|strong_open)/.test(t.type) && !isReportBold(t, all)).map((t) => t.type), []);
    const headings = tokens.filter((t, i) => t.type === 'inline' && tokens[i - 1]?.type === 'heading_open').map((t) => t.content.split(':')[0]);
    assert.deepEqual(headings, ['Dry-run', 'Timeline', 'Commands and queries', 'Flow', 'Gates', 'Notifications that would be sent', 'Changes made', 'Advisories on the target versions of the steps reached', 'Findings that stand', 'SOC 2 evidence']);
    assert.equal(tokens.filter((t) => t.type === 'bullet_list_open' || t.type === 'ordered_list_open').length, 0);
  });

  test('each text reads back as written, on one line', () => {
    const summary = tables(tokens)[0]!;
    assert.equal(seen(summary.rows[0]![1]!), `code:checkout-outage: ${oneLine(HOSTILE)}`, 'the title');
    const notifications = tableWith(src, 'Message').rows;
    assert.ok(notifications.length >= 2);
    for (const row of notifications) assert.equal(seen(row[3]!), oneLine(HOSTILE), 'each message');
    const security = notifications.find((r) => seen(r[1]!) === 'security')!;
    assert.equal(seen(security[2]!), oneLine(HOSTILE), 'the channel it goes to');
    assert.match(seen(tableWith(src, 'Approvers').rows[0]![3]!), /^security \(a \| b `tick`/, 'the contact, in the approvers');
  });

  test('any text at all: the tables keep their shape and the message reads back', () => {
    const char = fc.constantFrom(...'ab |`\\*_[]()<>!#&~$-+=.1:\n\r\t '.split(''), 'x');
    fc.assert(fc.property(fc.array(char, { minLength: 1, maxLength: 30 }).map((cs) => cs.join('')).filter((t) => t.trim() !== ''), (text) => {
      const out = markdown(text);
      for (const block of rawCellCounts(out)) assert.deepEqual(block, block.map(() => block[0]));
      for (const row of tableWith(out, 'Message').rows) assert.equal(seen(row[3]!), oneLine(text));
    }), { numRuns: RUNS, seed: 20261206 });
  });
});

/** The report's own bold (the outcome, "**no approved security checkpoint**"): written by the report, around its own words. */
function isReportBold(token: { type: string }, all: readonly { type: string; content: string }[]): boolean {
  if (token.type !== 'strong_open') return false;
  const next = all[all.indexOf(token as never) + 1];
  return next !== undefined && !next.content.includes('onerror') && !next.content.includes('bold');
}
