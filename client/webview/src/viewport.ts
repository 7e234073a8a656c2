/**
 * The diagram's zoom and pan on the page: the zoom buttons, `+` `-` `0` from the keyboard, Ctrl +
 * wheel (or a pinch) at the pointer, dragging to pan (the wheel and the scroll bars scroll as ever),
 * and bringing a node into view. The arithmetic is zoom.ts's. The drawing is scaled by its element's
 * size (its viewBox stays), so the box scrolls over it natively and the nodes keep their focus.
 */
import type { DrawnDiagram } from './diagram';
import { clampZoom, fitZoom, MAX_ZOOM, MIN_ZOOM, scrollAfterZoom, scrollToReveal, wheelZoom, zoomIn, zoomLabel, zoomOut, type Point } from './zoom';

export interface ZoomControls {
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  fit: HTMLButtonElement;
  level: HTMLOutputElement;
}

export interface DiagramViewport {
  /** Puts a new drawing (or none) in the box, at the current scale and where the box was scrolled. */
  show(drawn: DrawnDiagram | undefined): void;
  /** Scrolls the least that brings `element` (a node) into view, with room around it. */
  reveal(element: Element): void;
}

/** Room kept around a node brought into view, in pixels. */
const REVEAL_MARGIN = 24;
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD = 4;

/** `scale`: the saved zoom; `saveZoom` is told each change, to keep it in the page's state. */
export function diagramViewport(box: HTMLElement, controls: ZoomControls, scale: number, saveZoom: (scale: number) => void): DiagramViewport {
  let zoom = clampZoom(scale);
  let drawn: DrawnDiagram | undefined;

  const applyScale = (): void => {
    if (drawn) {
      drawn.svg.setAttribute('width', String(drawn.size.width * zoom));
      drawn.svg.setAttribute('height', String(drawn.size.height * zoom));
    }
    controls.level.value = zoomLabel(zoom);
    controls.zoomIn.setAttribute('aria-disabled', String(zoom >= MAX_ZOOM));
    controls.zoomOut.setAttribute('aria-disabled', String(zoom <= MIN_ZOOM));
  };

  /** To `next`, keeping the drawing's point under `anchor` (the box's centre by default) where it is. */
  const zoomTo = (next: number, anchor: Point = { x: box.clientWidth / 2, y: box.clientHeight / 2 }): void => {
    const to = clampZoom(next);
    if (!drawn || to === zoom) return;
    const scroll = scrollAfterZoom({ left: box.scrollLeft, top: box.scrollTop }, anchor, zoom, to);
    zoom = to;
    applyScale();
    box.scrollTo(scroll.left, scroll.top);
    saveZoom(zoom);
  };

  const fit = (): void => {
    if (!drawn) return;
    zoomTo(fitZoom(drawn.size, { width: box.clientWidth, height: box.clientHeight }));
    box.scrollTo(0, 0);
  };

  controls.zoomIn.addEventListener('click', () => zoomTo(zoomIn(zoom)));
  controls.zoomOut.addEventListener('click', () => zoomTo(zoomOut(zoom)));
  controls.fit.addEventListener('click', fit);

  // The keys work wherever the diagram is shown, except in the finding list (whose own keys pick an option).
  document.addEventListener('keydown', (event) => {
    if (!drawn || box.hidden || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLSelectElement || event.target instanceof HTMLInputElement) return;
    const action = event.key === '+' || event.key === '=' ? () => zoomTo(zoomIn(zoom)) : event.key === '-' ? () => zoomTo(zoomOut(zoom)) : event.key === '0' ? fit : undefined;
    if (!action) return;
    event.preventDefault();
    action();
    // The node that has the keyboard stays in view.
    if (document.activeElement && box.contains(document.activeElement)) reveal(document.activeElement);
  });

  box.addEventListener('wheel', (event) => {
    if (!drawn || !event.ctrlKey) return; // a plain wheel scrolls the box
    event.preventDefault();
    const at = box.getBoundingClientRect();
    zoomTo(wheelZoom(zoom, event.deltaY), { x: event.clientX - at.left, y: event.clientY - at.top });
  }, { passive: false });

  // Dragging pans. A drag that began on a node must not also reveal its step: the click after it is swallowed.
  let drag: { pointer: number; x: number; y: number; left: number; top: number; moved: boolean } | undefined;
  let swallowClick = false;
  box.addEventListener('pointerdown', (event) => {
    if (!drawn || event.button !== 0) return;
    drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop, moved: false };
  });
  box.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.pointer) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      drag.moved = true;
      box.setPointerCapture(drag.pointer);
      box.classList.add('panning');
    }
    box.scrollTo(drag.left - dx, drag.top - dy);
  });
  const endDrag = (event: PointerEvent): void => {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (drag.moved) {
      swallowClick = event.type === 'pointerup';
      box.releasePointerCapture(drag.pointer);
      box.classList.remove('panning');
    }
    drag = undefined;
  };
  box.addEventListener('pointerup', endDrag);
  box.addEventListener('pointercancel', endDrag);
  box.addEventListener('click', (event) => {
    if (!swallowClick) return;
    swallowClick = false;
    event.stopPropagation();
  }, { capture: true });

  const reveal = (element: Element): void => {
    const at = box.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    const target = { x: rect.left - at.left - box.clientLeft + box.scrollLeft, y: rect.top - at.top - box.clientTop + box.scrollTop, width: rect.width, height: rect.height };
    const scroll = scrollToReveal({ left: box.scrollLeft, top: box.scrollTop }, { width: box.clientWidth, height: box.clientHeight }, target, REVEAL_MARGIN);
    if (scroll.left !== box.scrollLeft || scroll.top !== box.scrollTop) box.scrollTo(scroll.left, scroll.top);
  };

  applyScale();
  return {
    show(next) {
      // Emptying the box would scroll it back to the top: typing must not move the picture.
      const { scrollLeft, scrollTop } = box;
      drawn = next;
      box.replaceChildren(...(next ? [next.svg] : []));
      applyScale();
      box.scrollTo(scrollLeft, scrollTop);
    },
    reveal,
  };
}
