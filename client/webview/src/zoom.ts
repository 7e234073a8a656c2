/**
 * The flow view's zoom and pan as arithmetic: the scales the buttons and keys step through, the
 * scale that fits the whole drawing in the view, where to scroll so the point under the pointer (or
 * the view's centre) stays put while the scale changes, and the least scroll that brings a node into
 * view. Pure, so it is tested in Node; main.ts applies it to the page. Scroll positions and boxes are
 * in the scaled drawing's pixels, from its top-left corner.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A box in the scaled drawing: its top-left corner and size. */
export interface Box extends Point, Size {}

export interface Scroll {
  left: number;
  top: number;
}

/** The steps of zoom in and zoom out, as a browser's: readable from a tenth to three times the size. */
const STEPS = [0.1, 0.25, 0.33, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3];
export const MIN_ZOOM = STEPS[0]!;
export const MAX_ZOOM = STEPS[STEPS.length - 1]!;
/** Two scales this close are the same step: a fitted 0.4999 zooms in to 0.67, not to 0.5. */
const SAME = 0.005;

/** A scale within bounds; anything that is not a positive finite number (a state saved by another version) is 1. */
export function clampZoom(scale: unknown): number {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) return 1;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, scale));
}

/** The next step above `scale` (it stays at the largest). */
export function zoomIn(scale: number): number {
  return STEPS.find((step) => step > scale + SAME) ?? MAX_ZOOM;
}

/** The next step below `scale` (it stays at the smallest). */
export function zoomOut(scale: number): number {
  return [...STEPS].reverse().find((step) => step < scale - SAME) ?? MIN_ZOOM;
}

/** The scale at which the whole drawing fits the view; never above 1, since a small flow is clearest as it is. */
export function fitZoom(drawing: Size, view: Size): number {
  if (drawing.width <= 0 || drawing.height <= 0 || view.width <= 0 || view.height <= 0) return 1;
  return clampZoom(Math.min(1, view.width / drawing.width, view.height / drawing.height));
}

/** Ctrl + wheel (and a trackpad's pinch, which the browser sends as one): a smooth change, faster the further it turns. */
export function wheelZoom(scale: number, deltaY: number): number {
  return clampZoom(scale * Math.pow(2, -deltaY / 250));
}

/** The scroll that keeps the drawing's point under `anchor` (a point of the view, from its top-left) there from scale `from` to `to`. */
export function scrollAfterZoom(scroll: Scroll, anchor: Point, from: number, to: number): Scroll {
  const ratio = to / from;
  return {
    left: Math.max(0, (scroll.left + anchor.x) * ratio - anchor.x),
    top: Math.max(0, (scroll.top + anchor.y) * ratio - anchor.y),
  };
}

/**
 * The least scroll that shows `box` in a view of size `view` with `margin` around it: unchanged when
 * it is in view already; a box larger than the view shows its top-left part.
 */
export function scrollToReveal(scroll: Scroll, view: Size, box: Box, margin: number): Scroll {
  const axis = (at: number, size: number, start: number, length: number): number => {
    if (start - margin < at || size + 2 * margin > length) return Math.max(0, start - margin);
    if (start + size + margin > at + length) return start + size + margin - length;
    return at;
  };
  return { left: axis(scroll.left, box.width, box.x, view.width), top: axis(scroll.top, box.height, box.y, view.height) };
}

/** What the zoom level reads as, e.g. "125%". */
export function zoomLabel(scale: number): string {
  return `${Math.round(scale * 100)}%`;
}
