/**
 * The flow graph of a playbook (spec section 2, "Flow"): an edge from each step to its successor
 * (the next list item, or `next`) and to its `on-failure` target. Node `exit` (= step count)
 * stands for every way out: the end of the list, `abort`, or a step with no successor.
 */
import type { Node } from 'yaml';
import type { PlaybookModel } from '../parse/model.js';
import { scalarText } from '../parse/yamlNodes.js';

type EdgeKind = 'order' | 'next' | 'failure';

export interface FlowEdge {
  from: number;
  to: number;
  kind: EdgeKind;
  /** The `next` / `on-failure` value that made the edge, for findings on it. */
  node?: Node;
}

export interface FlowGraph {
  /** Number of steps; also the index of the virtual exit node. */
  exit: number;
  /** Outgoing edges per step (index 0..exit-1). The exit node has none. */
  out: FlowEdge[][];
  /** Incoming edges per node, exit included. */
  in: FlowEdge[][];
  /** First step with each id (later duplicates are PB003 findings). */
  indexById: Map<string, number>;
  /** `requires` edges: step → the steps it requires (known ids only). */
  requires: Array<Array<{ target: number; node: Node }>>;
}

export function buildFlowGraph(model: PlaybookModel): FlowGraph {
  const steps = model.steps;
  const exit = steps.length;
  const indexById = new Map<string, number>();
  for (const step of steps) if (step.id !== undefined && !indexById.has(step.id)) indexById.set(step.id, step.index);
  const out: FlowEdge[][] = steps.map(() => []);
  const incoming: FlowEdge[][] = Array.from({ length: exit + 1 }, () => []);
  const add = (edge: FlowEdge): void => {
    // Success and failure may lead to the same step; both edges are kept, since rules ask about each kind.
    if (out[edge.from]!.some((e) => e.to === edge.to && e.kind === edge.kind)) return;
    out[edge.from]!.push(edge);
    incoming[edge.to]!.push(edge);
  };
  const requires: FlowGraph['requires'] = steps.map(() => []);
  for (const step of steps) {
    const i = step.index;
    const nextNode = step.pairs.get('next')?.value as Node | undefined;
    const nextId = scalarText(nextNode);
    // An unknown `next` id (a PB004 finding) ends the flow, like the end of the list.
    const successor = nextId !== undefined ? (indexById.get(nextId) ?? exit) : i + 1;
    add({ from: i, to: successor, kind: nextId !== undefined ? 'next' : 'order', node: nextId !== undefined ? nextNode : undefined });
    const failureNode = step.pairs.get('on-failure')?.value as Node | undefined;
    const onFailure = scalarText(failureNode) ?? 'abort';
    // The failure edge: `continue` goes on like success, a step id jumps, `abort` (or an unknown id) exits.
    const failureTarget = onFailure === 'continue' ? successor : (indexById.get(onFailure) ?? exit);
    add({ from: i, to: failureTarget, kind: 'failure', node: failureNode });
    for (const ref of step.references) {
      if (ref.kind !== 'requires') continue;
      const target = indexById.get(ref.target);
      if (target !== undefined) requires[i]!.push({ target, node: ref.node });
    }
  }
  return { exit, out, in: incoming, indexById, requires };
}

/** Nodes reachable from `start` along flow edges, as a boolean array over 0..exit. */
export function reachableFrom(graph: FlowGraph, start: number): boolean[] {
  const seen = new Array<boolean>(graph.exit + 1).fill(false);
  if (graph.exit === 0) return seen;
  const stack = [start];
  seen[start] = true;
  while (stack.length) {
    const n = stack.pop()!;
    if (n === graph.exit) continue;
    for (const e of graph.out[n]!) if (!seen[e.to]) { seen[e.to] = true; stack.push(e.to); }
  }
  return seen;
}
