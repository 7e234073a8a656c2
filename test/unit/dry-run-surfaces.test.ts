/**
 * The dry-run's three reports, the terminal's text, the Markdown for a ticket and the editor's
 * webview, on every example: each notification said once in each section where it belongs,
 * checkpoints in one vocabulary, long commands out of table cells, and a page that wraps.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { reportHtml } from '../../client/src/dryRun/reportHtml.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { renderMarkdown, renderText, simulate, type DryRun } from '../../server/src/core/dryrun/index.js';
import { exampleRuns } from './helpers/dryRunExamples.js';

const EXAMPLE = readFileSync(path.join(__dirname, '../../examples/checkout-outage.playbook.yaml'), 'utf8');

const html = (run: DryRun): string => reportHtml({ run, file: 'checkout.playbook.yaml', nonce: 'N', cspSource: 'c' });
const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** Blanks made single: the text report wraps a message over lines. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');
const count = (text: string, part: string): number => text.split(part).length - 1;
/** The Markdown between a `## ` heading and the next one. */
const section = (markdown: string, heading: string): string => markdown.split(/^## /m).find((s) => s.startsWith(heading)) ?? '';

describe('each notification once', () => {
  test('the examples, under every scenario: each message once in each report, in the section where it belongs', async () => {
    let checked = 0;
    for (const { file, run } of await exampleRuns()) {
      const text = flat(renderText(run, { file }));
      const markdown = renderMarkdown(run, { file });
      const page = html(run);
      const messages = run.trace.flatMap((e) => (e.quote?.kind === 'message' ? [e] : []));
      for (const entry of messages) {
        const message = entry.quote!.text;
        const same = messages.filter((e) => e.quote!.text === message).length;
        const where = `${file} ${JSON.stringify(run.scenario)} ${entry.step}`;
        assert.equal(count(text, flat(message)), same, `text: ${where}`);
        assert.equal(count(markdown, message), same, `markdown: ${where}`);
        assert.equal(count(page, esc(message)), same, `webview: ${where}`);
        // A notification that was sent is listed under Notifications, and only named in the timeline; one that was not sent is told in the timeline.
        assert.equal(count(section(markdown, 'Notifications that would be sent'), message), entry.notification ? same : 0, `markdown notifications: ${where}`);
        assert.equal(count(section(markdown, 'Timeline'), message), entry.notification ? 0 : same, `markdown timeline: ${where}`);
        checked++;
      }
      // The channel and where it goes, once per notify step of the page.
      for (const entry of messages) {
        const item = page.slice(page.indexOf(`>${entry.step}</button>`), page.indexOf('</li>', page.indexOf(`>${entry.step}</button>`)));
        assert.equal(count(item, esc(entry.quote!.lead)), 1, `webview channel: ${file} ${entry.step}`);
      }
    }
    assert.ok(checked >= 30, `messages checked: ${checked}`);
  });
});

describe('checkpoints: approved, denied, failed, in the terminal and in the editor', () => {
  const run = simulate(checkPlaybook(EXAMPLE), { deny: ['db-access-review'], fail: ['security-review'] });
  const approved = simulate(checkPlaybook(EXAMPLE));

  test('the data says it with the gate\'s words', () => {
    assert.deepEqual(approved.summary.checkpoints, { approved: ['db-access-review', 'security-review'], denied: [], failed: [] });
    assert.deepEqual(run.summary.checkpoints, { approved: [], denied: ['db-access-review'], failed: ['security-review'] });
  });

  test('the CLI text: the step\'s status and the summary', () => {
    const text = renderText(approved);
    assert.match(text, /^ {2}8\. approved db-access-review {6}would ask security/m);
    assert.match(text, /^Checkpoints: approved db-access-review, security-review; denied none; failed none$/m);
    assert.match(renderText(run), /^Checkpoints: approved none; denied db-access-review; failed security-review$/m);
  });

  test('the CLI Markdown: the timeline and the gates', () => {
    const markdown = renderMarkdown(approved);
    assert.match(markdown, /^\| 8 \| `db-access-review` \| 54 \| approved \|/m);
    assert.match(markdown, /^\| `db-access-review` \| access-review \| yes \| security \(@secops-oncall\) \| approved \|$/m);
  });

  test('the editor\'s report: the step\'s status and the summary', () => {
    const page = html(approved);
    assert.match(page, /<span class="status">✓ approved<\/span> <button[^>]*>db-access-review<\/button>/);
    assert.match(page, /<h3>Checkpoints<\/h3><p>approved: db-access-review, security-review · denied: none · failed: none<\/p>/);
    const other = html(run);
    assert.match(other, /<span class="status">⛔ denied<\/span> <button[^>]*>db-access-review<\/button>/);
    assert.match(other, /<span class="status">✗ failed<\/span> <button[^>]*>security-review<\/button>/);
    assert.match(other, /security-review \(security checkpoint\), failed: nobody decided/);
  });

  test('no surface says a checkpoint "passed" or "ran"', () => {
    for (const r of [approved, run]) {
      for (const [surface, out] of [['text', renderText(r)], ['markdown', renderMarkdown(r)], ['webview', html(r)]] as const) {
        assert.doesNotMatch(out, /\bpassed\b/, surface);
        assert.doesNotMatch(out, /ran<\/span> <button[^>]*>(?:db-access-review|security-review)<|^ *\d+\. ran +(?:db-access-review|security-review) |\| (?:db-access-review|security-review)` \| \d+ \| ran \|/m, surface);
      }
    }
  });
});

describe('long lines', () => {
  test('Markdown: no long command in a table cell; each is in a code block below the timeline, as written', async () => {
    for (const { file, run } of await exampleRuns()) {
      const markdown = renderMarkdown(run, { file });
      for (const row of markdown.split('\n').filter((l) => l.startsWith('| '))) {
        for (const span of row.match(/`[^`]*`/g) ?? []) assert.ok(span.length <= 62, `${file}: ${span}`);
      }
      for (const entry of run.trace.filter((e) => e.quote && e.quote.kind !== 'message' && e.quote.text.length > 60)) {
        assert.ok(markdown.includes(`\n\`\`\`${entry.quote!.kind === 'command' ? 'sh' : 'text'}\n${entry.quote!.text}\n\`\`\`\n`), `${file}: ${entry.step}`);
        assert.match(section(markdown, 'Timeline'), new RegExp(`\\| \`${entry.step}\` \\|[^\\n]*\\| ${entry.quote!.lead}[^|\`]* below \\|`));
      }
    }
  });

  test('Markdown: a command holding backticks gets a fence they cannot close', () => {
    const text = EXAMPLE.replace(/run: kubectl -n checkout get pods .*$/m, 'run: "echo ```not a fence``` && kubectl -n checkout get pods -o wide --sort-by=.status.startTime"');
    const markdown = renderMarkdown(simulate(checkPlaybook(text)));
    assert.ok(markdown.includes('\n````sh\necho ```not a fence``` && kubectl -n checkout get pods -o wide --sort-by=.status.startTime\n````\n'), markdown);
  });

  test('the webview: commands whole in blocks that wrap, and text that breaks anywhere rather than scroll', () => {
    const run = simulate(checkPlaybook(EXAMPLE));
    const page = html(run);
    const style = page.slice(page.indexOf('<style'), page.indexOf('</style>'));
    assert.match(style, /body \{[^}]*overflow-wrap: anywhere;/);
    assert.match(style, /pre\.quoted \{[^}]*white-space: pre-wrap;[^}]*overflow-wrap: anywhere;/);
    assert.match(style, /td \{[^}]*overflow-wrap: anywhere;/);
    assert.doesNotMatch(style, /nowrap|white-space: pre;|overflow-x/);
    for (const entry of run.trace.filter((e) => e.quote && e.quote.kind !== 'message')) {
      assert.ok(page.includes(`<pre class="quoted ${entry.quote!.kind}"><code>${esc(entry.quote!.text)}</code></pre>`), entry.step);
    }
  });
});
