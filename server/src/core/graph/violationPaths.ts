/**
 * Every path that breaks a path rule, as a part of the flow diagram: the nodes and edges that lie
 * on at least one such path. A finding shows one path in words; the flow view lights up all of
 * them, so a reviewer sees at once whether one checkpoint or notification would fix them all.
 *
 * Each rule's paths are those its own search walks (the same edge filter, from the same start):
 *   PB100 — from the entry to the risky step, through no approved security checkpoint;
 *   PB102 — from the change's success edge to the exit, through no step that tells security;
 *   PB106 — from the grant's success edge to the exit, through no matching `access-revoke`.
 * An edge is on such a path exactly when the search reaches its start from the path's start and
 * its end reaches the path's end (one forward and one backward search: linear per finding).
 */
import type { CheckResult } from '../check.js';
import type { FlowDiagram } from './flowDiagram.js';
import type { FlowEdge, FlowGraph } from './flowGraph.js';
import { accessOf, isSecurityCheckpoint, securityChannel, successTarget, tellsSecurity } from './securitySteps.js';

export const PATH_RULES: ReadonlySet<string> = new Set(['PB100', 'PB102', 'PB106']);

export interface ViolationHighlight {
  /** Diagram node keys on some violating path. */
  nodes: string[];
  /** Indices into the diagram's edges. */
  edges: number[];
}

/** For one analysis and its diagram: the highlight of the finding of `ruleId` on step `step`. */
export function violationPaths(analysis: CheckResult, diagram: FlowDiagram): (ruleId: string, step: number) => ViolationHighlight {
  const { parsed, policy } = analysis;
  const graph = analysis.graph();
  const steps = parsed.model.steps;
  const key = (index: number): string => (index === graph.exit ? 'finish' : `s${index}`);
  const edgeIndex = new Map(diagram.edges.map((e, i) => [`${e.from}>${e.to}>${e.kind}`, i]));
  let isCheckpoint: boolean[] | undefined;
  let tells: boolean[] | undefined;
  return (ruleId, step) => {
    const only: ViolationHighlight = { nodes: [key(step)], edges: [] };
    if (step < 0 || step >= graph.exit) return only;
    let span: Span | undefined;
    if (ruleId === 'PB100') {
      isCheckpoint ??= steps.map((s) => isSecurityCheckpoint(s, policy));
      const open = isCheckpoint;
      span = spanBetween(graph, [0], step, (e) => !open[e.from] || e.kind === 'failure');
    } else if (ruleId === 'PB102') {
      const channel = securityChannel(parsed);
      tells ??= steps.map((s) => tellsSecurity(s, channel));
      const told = tells;
      span = afterChange(graph, step, (e) => !told[e.from]);
    } else if (ruleId === 'PB106') {
      const access = accessOf(steps[step]!);
      if (!access) return only;
      const revokes = steps.map((s) => s.action === 'access-revoke' && accessOf(s)?.principal === access.principal && accessOf(s)?.role === access.role);
      span = afterChange(graph, step, (e) => !revokes[e.from]);
    }
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

/** The changing step's success edge, then every path from its successor to the exit along `follows`. */
function afterChange(graph: FlowGraph, step: number, follows: (edge: FlowEdge) => boolean): Span | undefined {
  const successor = successTarget(graph, step);
  const first = graph.out[step]!.find((e) => e.to === successor && e.kind !== 'failure');
  const rest = spanBetween(graph, [successor], graph.exit, follows);
  if (rest === undefined) return undefined;
  return first ? [first, ...rest] : rest;
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
