/**
 * The flow view's layout (dagre, through client/webview/src/layout.ts): every node placed without
 * overlapping another, the flow read top to bottom, loops and `requires` drawn without bending the
 * ranks, every edge with a line from its start to its end. And the page: its content security
 * policy, its labelled controls, the playbook it names (kept for a restore after a reload), and the
 * page a restored view shows when its playbook is gone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutFlow, type FlowEdgeIn, type Layout, type SizedNode } from '../../client/webview/src/layout.js';
import { flowPageHtml, missingPlaybookHtml } from '../../client/src/flowView/html.js';

const node = (key: string, width = 120): SizedNode => ({ key, width, height: 40 });

function assertNoOverlap(layout: Layout): void {
  const boxes = [...layout.nodes.values()];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
      assert.ok(apart, `${a.key} and ${b.key} overlap`);
    }
    const box = boxes[i]!;
    assert.ok(box.x - box.width / 2 >= 0 && box.x + box.width / 2 <= layout.width && box.y + box.height / 2 <= layout.height, `${box.key} inside the drawing`);
  }
}

function near(point: { x: number; y: number }, box: { x: number; y: number; width: number; height: number }): boolean {
  return Math.abs(point.x - box.x) <= box.width / 2 + 1 && Math.abs(point.y - box.y) <= box.height / 2 + 1;
}

describe('layoutFlow', () => {
  test('a chain reads top to bottom, one node per rank', () => {
    const nodes = ['s0', 's1', 's2', 'finish'].map((k) => node(k));
    const edges: FlowEdgeIn[] = [{ from: 's0', to: 's1', kind: 'flow' }, { from: 's1', to: 's2', kind: 'flow' }, { from: 's2', to: 'finish', kind: 'flow' }];
    const layout = layoutFlow(nodes, edges);
    const ys = nodes.map((n) => layout.nodes.get(n.key)!.y);
    assert.deepEqual([...ys].sort((a, b) => a - b), ys, 'each step below the one before');
    assertNoOverlap(layout);
  });

  test('branches, a loop back and both edges between the same two steps: every edge runs from its start to its end', () => {
    const nodes = ['s0', 's1', 's2', 's3', 'finish'].map((k, i) => node(k, 80 + 30 * i));
    const edges: FlowEdgeIn[] = [
      { from: 's0', to: 's1', kind: 'flow' }, { from: 's0', to: 's2', kind: 'failure' },
      { from: 's1', to: 's3', kind: 'flow' }, { from: 's1', to: 's3', kind: 'failure' },
      { from: 's2', to: 's0', kind: 'flow' }, { from: 's3', to: 'finish', kind: 'flow' },
      { from: 's1', to: 's3', kind: 'requires' },
    ];
    const layout = layoutFlow(nodes, edges);
    assertNoOverlap(layout);
    edges.forEach((edge, i) => {
      const points = layout.edges[i]!;
      assert.ok(points.length >= 2, `edge ${i} has a line`);
      assert.ok(near(points[0]!, layout.nodes.get(edge.from)!), `edge ${i} starts at ${edge.from}`);
      assert.ok(near(points[points.length - 1]!, layout.nodes.get(edge.to)!), `edge ${i} ends at ${edge.to}`);
    });
  });

  test('requires edges do not change the ranks of the flow', () => {
    const nodes = ['s0', 's1', 's2', 'finish'].map((k) => node(k));
    const flow: FlowEdgeIn[] = [{ from: 's0', to: 's1', kind: 'flow' }, { from: 's1', to: 's2', kind: 'flow' }, { from: 's2', to: 'finish', kind: 'flow' }];
    const plain = layoutFlow(nodes, flow);
    const withRequires = layoutFlow(nodes, [...flow, { from: 's0', to: 's2', kind: 'requires' }, { from: 's2', to: 's0', kind: 'requires' }]);
    for (const n of nodes) assert.equal(withRequires.nodes.get(n.key)!.y, plain.nodes.get(n.key)!.y, n.key);
  });

  test('an edge naming a node that is not there is left without a line, not thrown on', () => {
    const layout = layoutFlow([node('s0')], [{ from: 's0', to: 'gone', kind: 'flow' }]);
    assert.deepEqual(layout.edges, [[]]);
  });
});

describe('the flow page', () => {
  const playbookUri = 'file:///work/a%20%22b%22/<x>.playbook.yaml';
  const html = flowPageHtml({ nonce: 'N0nce', cspSource: 'https://webview.test', scriptUri: 'https://webview.test/dist/flowView.js', playbookUri });

  /** Nothing but the page's own style (and its own script, when `script`), by nonce; no inline handler or style. */
  function assertStrictPolicy(page: string, script: string | undefined): void {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce';/);
    assert.match(csp, /style-src 'nonce-N0nce';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = page.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, script ? [`<script nonce="N0nce" src="${script}">`] : []);
    assert.doesNotMatch(page, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(page, /style="/, 'no inline styles');
  }

  test('its content security policy allows nothing but its own style and script, by nonce', () => {
    assertStrictPolicy(html, 'https://webview.test/dist/flowView.js');
  });

  test('every control is labelled for a screen reader, the zoom buttons with their keys', () => {
    assert.match(html, /<label for="finding">/);
    assert.match(html, /<button id="toggle" type="button" aria-pressed="false">Show as text<\/button>/);
    assert.match(html, /role="status" aria-live="polite"/);
    assert.match(html, /<div id="zoom" class="zoom" role="group" aria-label="Zoom">/);
    for (const [id, label, key] of [['zoom-in', 'Zoom in', '+'], ['zoom-out', 'Zoom out', '-'], ['zoom-fit', 'Zoom to fit the whole flow', '0']]) {
      assert.ok(html.includes(`<button id="${id}" type="button" aria-label="${label}" aria-keyshortcuts="${key}"`), id);
    }
    assert.match(html, /<output id="zoom-level" aria-label="Zoom level">100%<\/output>/);
  });

  test('the page names its playbook, escaped, for the script to keep in the webview state', () => {
    assert.match(html, /<body data-playbook="file:\/\/\/work\/a%20%22b%22\/&lt;x&gt;\.playbook\.yaml">/);
    const quoted = flowPageHtml({ nonce: 'N0nce', cspSource: 'https://webview.test', scriptUri: 'https://webview.test/dist/flowView.js', playbookUri: 'untitled:"><script>x</script>' });
    assert.match(quoted, /<body data-playbook="untitled:&quot;&gt;&lt;script&gt;x&lt;\/script&gt;">/);
    assertStrictPolicy(quoted, 'https://webview.test/dist/flowView.js');
  });

  test('a restored view whose playbook is gone says so, names it escaped, and runs no script', () => {
    const missing = missingPlaybookHtml({ nonce: 'N0nce', cspSource: 'https://webview.test', file: 'team/<old>.playbook.yaml' });
    assertStrictPolicy(missing, undefined);
    assert.match(missing, /The playbook this view showed, <code>team\/&lt;old&gt;\.playbook\.yaml<\/code>, could not be opened: it was moved, renamed or deleted\./);
    assert.match(missing, /Playbook: Show Flow/);
    assert.match(missingPlaybookHtml({ nonce: 'N0nce', cspSource: 'https://webview.test', file: undefined }), /could not be restored: it does not say which playbook it showed/);
  });
});
