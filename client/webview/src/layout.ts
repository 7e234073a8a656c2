/**
 * Where each node and edge of the flow goes, from dagre's layered layout (the one graph-drawing
 * library made for directed flows like this one: ranks top to bottom, few crossings, loops turned
 * back). Pure: sizes come in, coordinates go out, so it is tested in Node and drawn in the webview.
 *
 * `requires` edges take no part in the ranking: they say "this step needs that one done", not
 * "this comes next", and letting them pull ranks would bend the flow people read top to bottom.
 * They are drawn straight between the two nodes instead.
 */
import dagre from '@dagrejs/dagre';

export interface SizedNode {
  key: string;
  width: number;
  height: number;
}

export interface FlowEdgeIn {
  from: string;
  to: string;
  kind: 'flow' | 'failure' | 'requires';
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends SizedNode {
  /** The node's centre. */
  x: number;
  y: number;
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  /** The points of each edge, by its index in the input. */
  edges: Point[][];
  width: number;
  height: number;
}

const MARGIN = 16;

export function layoutFlow(nodes: readonly SizedNode[], edges: readonly FlowEdgeIn[]): Layout {
  const graph = new dagre.graphlib.Graph({ multigraph: true, directed: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, edgesep: 12, marginx: MARGIN, marginy: MARGIN, acyclicer: 'greedy', ranker: 'network-simplex' });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set<string>();
  for (const node of nodes) {
    graph.setNode(node.key, { width: node.width, height: node.height });
    known.add(node.key);
  }
  edges.forEach((edge, index) => {
    if (edge.kind === 'requires' || !known.has(edge.from) || !known.has(edge.to)) return;
    // A failure edge weighs less: the success path is the one kept straight.
    graph.setEdge(edge.from, edge.to, { weight: edge.kind === 'flow' ? 2 : 1, minlen: 1 }, String(index));
  });
  dagre.layout(graph);
  const placed = new Map<string, PlacedNode>();
  for (const node of nodes) {
    const at = graph.node(node.key);
    placed.set(node.key, { ...node, x: at.x, y: at.y });
  }
  const points = edges.map((edge, index): Point[] => {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (!from || !to) return [];
    if (edge.kind === 'requires') return [borderPoint(from, to), borderPoint(to, from)];
    const laid = graph.edge({ v: edge.from, w: edge.to, name: String(index) }) as { points?: Point[] } | undefined;
    return laid?.points?.map((p) => ({ x: p.x, y: p.y })) ?? [borderPoint(from, to), borderPoint(to, from)];
  });
  const label = graph.graph() as { width?: number; height?: number };
  return { nodes: placed, edges: points, width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0) };
}

/** Where the line from `node`'s centre toward `other`'s leaves `node`'s box. */
function borderPoint(node: PlacedNode, other: PlacedNode): Point {
  const dx = other.x - node.x;
  const dy = other.y - node.y;
  if (dx === 0 && dy === 0) return { x: node.x, y: node.y };
  const scale = Math.min(Math.abs(dx) > 0 ? node.width / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? node.height / 2 / Math.abs(dy) : Infinity);
  return { x: node.x + dx * scale, y: node.y + dy * scale };
}
