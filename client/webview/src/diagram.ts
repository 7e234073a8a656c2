/**
 * The flow drawn as SVG: one focusable node per step (its shape says what it is for security),
 * edges solid for the flow, dashed for `on-failure`, dotted for `requires`. Text goes in through
 * `textContent` only, so a step id can never become markup. Colours are the theme's (CSS variables
 * in the page's style); the drawing itself carries classes, never colours.
 */
import type { FlowViewNode, FlowViewResult } from '../../../server/src/shared/protocol';
import { layoutFlow, type PlacedNode, type Point } from './layout';

const SVG = 'http://www.w3.org/2000/svg';
const LINE_HEIGHT = 16;
const PAD_X = 14;
const PAD_Y = 9;

export interface DrawnDiagram {
  svg: SVGSVGElement;
  /** Each node's element, by key, for focus and highlighting. */
  nodes: Map<string, SVGGElement>;
  edges: SVGPathElement[];
  /** The drawing's size at scale 1 (its viewBox): the page scales it by setting the element's own size. */
  size: { width: number; height: number };
}

/** What the page measures text with (the webview's own font). */
export type MeasureText = (text: string, bold: boolean) => number;

export function drawDiagram(view: FlowViewResult, measure: MeasureText): DrawnDiagram {
  const sized = view.nodes.map((node) => ({ key: node.key, ...nodeSize(node, measure) }));
  const layout = layoutFlow(sized, view.edges);
  const svg = element('svg', { class: 'flow', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group' });
  svg.setAttribute('aria-label', `Flow diagram: ${view.nodes.length - 1} steps. Tab or the arrow keys move between steps; Enter shows a step in the editor. Plus and minus zoom in and out, 0 fits the whole flow in the view.`);
  svg.append(markers());
  const edgeLayer = element('g', { class: 'edges' });
  const nodeLayer = element('g', { class: 'nodes' });
  svg.append(edgeLayer, nodeLayer);
  const edges = view.edges.map((edge, index) => {
    const path = element('path', { class: `edge edge-${edge.kind}`, d: pathData(layout.edges[index] ?? []), 'marker-end': `url(#arrow-${edge.kind})` });
    edgeLayer.append(path);
    return path;
  });
  const nodes = new Map<string, SVGGElement>();
  for (const node of view.nodes) {
    const placed = layout.nodes.get(node.key);
    if (!placed) continue;
    const g = drawNode(node, placed);
    nodeLayer.append(g);
    nodes.set(node.key, g);
  }
  return { svg, nodes, edges, size: { width: layout.width, height: layout.height } };
}

function nodeSize(node: FlowViewNode, measure: MeasureText): { width: number; height: number } {
  const widest = Math.max(...node.caption.map((line, i) => measure(line, i === 0)), 24);
  const width = Math.ceil(widest + 2 * PAD_X + (isHexagon(node) ? 24 : 0));
  const height = node.caption.length * LINE_HEIGHT + 2 * PAD_Y;
  return node.kind === 'end' ? { width: Math.max(width, height + 20), height } : { width, height };
}

const isHexagon = (node: FlowViewNode): boolean => node.kind === 'checkpoint' || node.kind === 'security-checkpoint';

function drawNode(node: FlowViewNode, at: PlacedNode): SVGGElement {
  const g = element('g', { class: `node kind-${node.kind}`, transform: `translate(${at.x - at.width / 2},${at.y - at.height / 2})`, tabindex: 0, role: 'button', 'data-key': node.key });
  g.setAttribute('aria-label', `${node.caption.join(', ')}${node.range ? '. Enter shows it in the editor.' : ''}`);
  g.append(shape(node, at.width, at.height));
  if (node.kind === 'notify-security') g.append(element('rect', { class: 'badge', x: 0, y: 0, width: 5, height: at.height, rx: 2 }));
  node.caption.forEach((line, i) => {
    const text = element('text', { x: at.width / 2, y: PAD_Y + LINE_HEIGHT * (i + 0.75), class: i === 0 ? 'label' : 'detail', 'text-anchor': 'middle' });
    text.textContent = line;
    g.append(text);
  });
  return g;
}

function shape(node: FlowViewNode, w: number, h: number): SVGElement {
  if (isHexagon(node)) {
    const d = 12;
    return element('polygon', { class: 'shape', points: `${d},0 ${w - d},0 ${w},${h / 2} ${w - d},${h} ${d},${h} 0,${h / 2}` });
  }
  if (node.kind === 'end') return element('rect', { class: 'shape', width: w, height: h, rx: h / 2 });
  return element('rect', { class: 'shape', width: w, height: h, rx: node.kind.startsWith('risky') ? 2 : 8 });
}

function markers(): SVGDefsElement {
  const defs = element('defs', {});
  for (const kind of ['flow', 'failure', 'requires', 'hot']) {
    const marker = element('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', class: `arrow arrow-${kind}` });
    marker.append(element('path', { d: 'M0,0 L10,5 L0,10 z' }));
    defs.append(marker);
  }
  return defs;
}

/** A smooth line through the layout's points (a quadratic curve at each bend). */
function pathData(points: Point[]): string {
  if (points.length < 2) return '';
  const [first, ...rest] = points;
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const bend = rest[i]!;
    const next = rest[i + 1]!;
    d += ` Q${bend.x},${bend.y} ${(bend.x + next.x) / 2},${(bend.y + next.y) / 2}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${last.x},${last.y}`;
}

function element<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  return el;
}
