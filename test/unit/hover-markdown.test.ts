/**
 * Hover shows Markdown, and much of it is the playbook's and the advisories' own text: names,
 * versions, targets, commands, messages, an advisory's summary and id. Whatever those hold, a
 * hover writes no markup of theirs: no HTML, no image (which the editor would fetch), no link but
 * the report's own links to osv.dev, and a name shown as code stays one code span. Checked by
 * reading every hover of a hostile playbook (at each node) with a real Markdown parser.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Token } from 'markdown-it';
import { AdvisoryIndex, parseOsvRecord } from '../../server/src/core/advisories/index.js';
import { checkPlaybook } from '../../server/src/core/check.js';
import { hover } from '../../server/src/core/features/hover.js';
import { parser } from './helpers/markdownRead.js';

/** Markup of every kind a hover must not let through, and a backtick to close a code span early. */
const H = 'x`y ![i](https://evil.example/p.png) <img src=x onerror=alert(1)> [l](https://evil.example/l) **b** _e_';
const Q = JSON.stringify(H);

const PLAYBOOK = `playbook: ${Q}
title: ${Q}
owners:
  sre: ${Q}
  security: ${Q}
severity: sev1
services:
  ${Q}:
    package: pkg:npm/evil-pkg
    current: ${Q}
    releases: [${Q}, "1.0.0"]
  checkout:
    package: ${Q}
channels:
  security: ${Q}
  ${Q}: ${Q}
steps:
  - id: ${Q}
    action: diagnose
    run: ${Q}
  - id: gate
    action: checkpoint
    kind: ${Q}
    approvers: [security, ${Q}]
  - id: back
    action: rollback
    service: ${Q}
    to: "1.0.0"
    requires: [gate, ${Q}]
  - id: tell
    action: notify
    channel: ${Q}
    message: ${Q}
    next: ${Q}
  - id: also
    action: notify
    channel: security
    message: ${Q}
    on-failure: ${Q}
  - id: ${JSON.stringify(`${H} 2`)}
    action: ${Q}
    service: nowhere
    to: ${Q}
`;

/** An advisory on the service's package, whose id, summary and fixed version are hostile too. */
const RECORD = JSON.stringify({
  schema_version: '1.6.0',
  id: `GHSA-${H}`,
  modified: '2026-01-01T00:00:00Z',
  summary: H,
  aliases: [`CVE-${H}`],
  affected: [{ package: { ecosystem: 'npm', name: 'evil-pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
});

function hovers(): string[] {
  const parsed = parseOsvRecord(RECORD, 'evil.json');
  assert.ok('record' in parsed, JSON.stringify(parsed));
  const analysis = checkPlaybook(PLAYBOOK, { advisories: { index: new AdvisoryIndex([{ record: parsed.record, source: 'evil.json' }]), sources: [], problems: [] } });
  const out = new Set<string>();
  for (let offset = 0; offset < PLAYBOOK.length; offset++) {
    const shown = hover(analysis, offset);
    if (shown) out.add(shown.markdown);
  }
  return [...out];
}

describe('hover Markdown: text from the playbook and the advisories writes no markup', () => {
  const shown = hovers();

  test('the hostile texts reach the hovers (names, versions, targets, messages, the advisory)', () => {
    assert.ok(shown.length > 15, `${shown.length} hovers`);
    assert.ok(shown.some((m) => m.includes('onerror') && m.includes('GHSA-')), 'the advisory, on the rollback target');
  });

  test('no HTML, no image, no link but to osv.dev, in any hover', () => {
    for (const markdown of shown) {
      const tokens = parser.parse(markdown, {}).flatMap((t: Token) => [t, ...(t.children ?? [])]);
      const bad = tokens.filter((t) => /^html_|^image$/.test(t.type) || (t.type === 'link_open' && !String(href(t)).startsWith('https://osv.dev/vulnerability/')));
      assert.deepEqual(bad.map((t) => `${t.type} ${href(t) ?? t.content}`), [], markdown);
    }
  });

  test('a link to osv.dev names the advisory it was made for, and no other address', () => {
    for (const markdown of shown) {
      for (const t of parser.parse(markdown, {}).flatMap((x: Token) => x.children ?? [])) {
        if (t.type === 'link_open') assert.match(String(href(t)), /^https:\/\/osv\.dev\/vulnerability\/[A-Za-z0-9%._~-]+$/);
      }
    }
  });
});

function href(token: Token): string | undefined {
  return token.attrs?.find(([name]) => name === 'href')?.[1];
}
