/**
 * The flow view's zoom and pan arithmetic (client/webview/src/zoom.ts): the steps in and out, the
 * scale that fits the drawing, the point under the pointer kept in place while zooming, the least
 * scroll that brings a node into view, and a saved zoom read back safely.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clampZoom, fitZoom, MAX_ZOOM, MIN_ZOOM, scrollAfterZoom, scrollToReveal, wheelZoom, zoomIn, zoomLabel, zoomOut } from '../../client/webview/src/zoom.js';

describe('zoom steps', () => {
  test('in and out walk the same steps, as a browser does, and stop at the ends', () => {
    const up: number[] = [MIN_ZOOM];
    while (up[up.length - 1]! < MAX_ZOOM) up.push(zoomIn(up[up.length - 1]!));
    assert.deepEqual(up.map(zoomLabel), ['10%', '25%', '33%', '50%', '67%', '80%', '90%', '100%', '110%', '125%', '150%', '200%', '300%']);
    const down: number[] = [MAX_ZOOM];
    while (down[down.length - 1]! > MIN_ZOOM) down.push(zoomOut(down[down.length - 1]!));
    assert.deepEqual(down, [...up].reverse());
    assert.equal(zoomIn(MAX_ZOOM), MAX_ZOOM);
    assert.equal(zoomOut(MIN_ZOOM), MIN_ZOOM);
  });

  test('from a scale between steps (after fit or the wheel), the next step in that direction', () => {
    assert.equal(zoomIn(0.42), 0.5);
    assert.equal(zoomOut(0.42), 0.33);
    // Within a hair of a step counts as on it: one press always changes what the reader sees.
    assert.equal(zoomIn(0.4999), 0.67);
    assert.equal(zoomOut(1.0001), 0.9);
  });

  test('the wheel zooms smoothly, in as it turns up, out as it turns down, within bounds', () => {
    assert.ok(wheelZoom(1, -100) > 1 && wheelZoom(1, 100) < 1);
    assert.ok(Math.abs(wheelZoom(wheelZoom(1, -100), 100) - 1) < 1e-9, 'up then down the same amount comes back');
    assert.equal(wheelZoom(MAX_ZOOM, -1000), MAX_ZOOM);
    assert.equal(wheelZoom(MIN_ZOOM, 1000), MIN_ZOOM);
  });
});

describe('fit', () => {
  test('a drawing larger than the view is scaled down to fit its longer way', () => {
    assert.equal(fitZoom({ width: 400, height: 2000 }, { width: 800, height: 500 }), 0.25);
    assert.equal(fitZoom({ width: 1600, height: 300 }, { width: 800, height: 500 }), 0.5);
  });

  test('a small drawing stays at its own size; a huge one at the smallest step', () => {
    assert.equal(fitZoom({ width: 200, height: 100 }, { width: 800, height: 500 }), 1);
    assert.equal(fitZoom({ width: 300, height: 40_000 }, { width: 800, height: 500 }), MIN_ZOOM);
  });

  test('nothing to measure (a hidden view, an empty drawing): 1', () => {
    assert.equal(fitZoom({ width: 400, height: 400 }, { width: 0, height: 0 }), 1);
    assert.equal(fitZoom({ width: 0, height: 0 }, { width: 800, height: 500 }), 1);
  });
});

describe('zooming keeps its anchor in place', () => {
  test('the drawing\'s point under the anchor is under it again after the change', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 600 }),
      fc.double({ min: MIN_ZOOM, max: MAX_ZOOM, noNaN: true }), fc.double({ min: MIN_ZOOM, max: MAX_ZOOM, noNaN: true }),
      (left, top, x, y, from, to) => {
        const before = { x: (left + x) / from, y: (top + y) / from };
        const scroll = scrollAfterZoom({ left, top }, { x, y }, from, to);
        // Where the scroll would go below 0 the box stops at its edge; elsewhere the point is where it was.
        if (scroll.left > 0) assert.ok(Math.abs((scroll.left + x) / to - before.x) < 1e-6);
        if (scroll.top > 0) assert.ok(Math.abs((scroll.top + y) / to - before.y) < 1e-6);
        assert.ok(scroll.left >= 0 && scroll.top >= 0);
      },
    ));
  });

  test('zooming in twice at the centre of a view scrolled to the top', () => {
    assert.deepEqual(scrollAfterZoom({ left: 0, top: 0 }, { x: 400, y: 300 }, 1, 2), { left: 400, top: 300 });
    assert.deepEqual(scrollAfterZoom({ left: 400, top: 300 }, { x: 400, y: 300 }, 2, 1), { left: 0, top: 0 });
  });
});

describe('bringing a node into view', () => {
  const view = { width: 800, height: 600 };
  const margin = 20;

  test('a node in view, with room around it, does not move the view', () => {
    assert.deepEqual(scrollToReveal({ left: 100, top: 100 }, view, { x: 300, y: 300, width: 120, height: 40 }, margin), { left: 100, top: 100 });
  });

  test('below or to the right: the least scroll that shows it with its margin', () => {
    assert.deepEqual(scrollToReveal({ left: 0, top: 0 }, view, { x: 900, y: 1000, width: 120, height: 40 }, margin), { left: 900 + 120 + margin - 800, top: 1000 + 40 + margin - 600 });
  });

  test('above or to the left: scrolled back to it, never before the start', () => {
    assert.deepEqual(scrollToReveal({ left: 500, top: 500 }, view, { x: 300, y: 200, width: 120, height: 40 }, margin), { left: 280, top: 180 });
    assert.deepEqual(scrollToReveal({ left: 500, top: 500 }, view, { x: 5, y: 5, width: 120, height: 40 }, margin), { left: 0, top: 0 });
  });

  test('a node larger than the view shows its start', () => {
    assert.deepEqual(scrollToReveal({ left: 0, top: 0 }, { width: 100, height: 30 }, { x: 400, y: 400, width: 300, height: 40 }, margin), { left: 380, top: 380 });
  });

  test('whatever the scroll, the node ends up inside the view', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 4000 }),
      fc.integer({ min: 10, max: 300 }), fc.integer({ min: 10, max: 80 }),
      (left, top, x, y, width, height) => {
        const scroll = scrollToReveal({ left, top }, view, { x, y, width, height }, margin);
        assert.ok(x >= scroll.left && x + width <= scroll.left + view.width, 'across');
        assert.ok(y >= scroll.top && y + height <= scroll.top + view.height, 'down');
      },
    ));
  });
});

describe('a saved zoom read back', () => {
  test('a number within bounds is kept; out of bounds, clamped; anything else is 1', () => {
    assert.equal(clampZoom(1.25), 1.25);
    assert.equal(clampZoom(10), MAX_ZOOM);
    assert.equal(clampZoom(0.01), MIN_ZOOM);
    for (const bad of [undefined, null, '2', Number.NaN, Infinity, -1, 0, {}]) assert.equal(clampZoom(bad), 1, String(bad));
  });
});
