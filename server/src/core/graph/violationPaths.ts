/**
 * Every path that breaks a path rule, as a part of the flow diagram: the nodes and edges that lie
 * on at least one such path. A finding shows one path in words; the flow view lights up all of
 * them, so a reviewer sees at once whether one checkpoint or notification would fix them all.
 *
 * The paths are the rule's own: its `pathQueries` (graph/pathQuery.ts) give the edges they may walk
 * and where they run, the same definition the rule counts and lists its paths from. An edge is on
 * such a path exactly when the search reaches its start from the path's start and its end reaches
 * the path's end (one forward and one backward search: linear per finding).
 */
import type { CheckResult } from '../check.js';
import { RULES } from '../rules/index.js';
import type { FlowDiagram } from './flowDiagram.js';
import type { FlowEdge, FlowGraph } from './flowGraph.js';
import { pathEnds, type PathQuery } from './pathQuery.js';

/** The rules whose findings the flow view lights up: those that say which paths break them. */
const PATH_QUERIES = new Map(RULES.flatMap((rule) => (rule.pathQueries ? [[rule.id, rule.pathQueries] as const] : [])));

export const PATH_RULES: ReadonlySet<string> = new Set(PATH_QUERIES.keys());

export interface ViolationHighlight {
  /** Diagram node keys on some violating path. */
  nodes: string[];
  /** Indices into the diagram's edges. */
  edges: number[];
}

/** For one analysis and its diagram: the highlight of the finding of `ruleId` on step `step`. */
export function violationPaths(analysis: CheckResult, diagram: FlowDiagram): (ruleId: string, step: number) => ViolationHighlight {
  const graph = analysis.graph();
  const key = (index: number): string => (index === graph.exit ? 'finish' : `s${index}`);
  const edgeIndex = new Map(diagram.edges.map((e, i) => [`${e.from}>${e.to}>${e.kind}`, i]));
  // Each rule's queries are prepared on its first finding, then shared by the rest.
  const queries = new Map<string, (step: number) => PathQuery | undefined>();
  return (ruleId, step) => {
    const only: ViolationHighlight = { nodes: [key(step)], edges: [] };
    const prepare = PATH_QUERIES.get(ruleId);
    if (step < 0 || step >= graph.exit || !prepare) return only;
    let queryFor = queries.get(ruleId);
    if (!queryFor) queries.set(ruleId, (queryFor = prepare(analysis)));
    const query = queryFor(step);
    const span = query && spanOf(graph, query, step);
    if (!span) return only;
    const nodes = new Set<string>([key(step)]);
    const edges = new Set<number>();
    for (const edge of span) {
      nodes.add(key(edge.from));
      nodes.add(key(edge.to));
      const index = edgeIndex.get(`${key(edge.from)}>${key(edge.to)}>${edge.kind === 'failure' ? 'failure' : 'flow'}`);
      // An implicit abort (a failure edge nobody wrote) is on the path but not drawn: its step and the end still light up.
      if (index !== undefined) edges.add(index);
    }
    return { nodes: [...nodes], edges: [...edges].sort((a, b) => a - b) };
  };
}

type Span = FlowEdge[];

/** The edges on some path of the query for the finding on `step`: its lead edge, then every path between its ends. */
function spanOf(graph: FlowGraph, query: PathQuery, step: number): Span | undefined {
  const { lead, from, to } = pathEnds(graph, query, step);
  const rest = spanBetween(graph, [from], to, query.follows);
  if (rest === undefined) return undefined;
  return lead ? [lead, ...rest] : rest;
}

/** Edges on some path from `starts` to `target` along `follows`; undefined when no path exists. */
function spanBetween(graph: FlowGraph, starts: number[], target: number, follows: (edge: FlowEdge) => boolean): Span | undefined {
  const forward = search(graph.exit + 1, starts, (n, visit) => {
    if (n < graph.exit && n !== target) for (const e of graph.out[n]!) if (follows(e)) visit(e.to);
  });
  if (!forward[target]) return undefined;
  const backward = search(graph.exit + 1, [target], (n, visit) => {
    for (const e of graph.in[n]!) if (follows(e) && e.from !== target) visit(e.from);
  });
  const out: FlowEdge[] = [];
  for (let n = 0; n < graph.exit; n++) {
    if (!forward[n] || n === target) continue;
    for (const e of graph.out[n]!) if (follows(e) && backward[e.to]) out.push(e);
  }
  return out;
}

function search(size: number, starts: number[], neighbours: (node: number, visit: (next: number) => void) => void): Uint8Array {
  const seen = new Uint8Array(size);
  const stack: number[] = [];
  for (const s of starts) if (s >= 0 && s < size && !seen[s]) { seen[s] = 1; stack.push(s); }
  while (stack.length) {
    neighbours(stack.pop()!, (next) => {
      if (next >= 0 && next < size && !seen[next]) { seen[next] = 1; stack.push(next); }
    });
  }
  return seen;
}
