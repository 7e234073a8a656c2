/**
 * The flow graph of a playbook (spec section 2, "Flow"): an edge from each step to its successor
 * (the next list item, or `next`) and to its `on-failure` target. Node `exit` (= step count)
 * stands for every way out: the end of the list, `abort`, or a step with no successor.
 */
import type { Node } from 'yaml';
import type { ParsedPlaybook, PlaybookModel, StepModel } from '../parse/model.js';
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
  const out: FlowEdge[][] = [];
  const incoming: FlowEdge[][] = Array.from({ length: exit + 1 }, () => []);
  const requires: FlowGraph['requires'] = [];
  for (const step of steps) {
    const own = stepEdges(step, indexById, exit);
    out.push(own.out);
    for (const edge of own.out) incoming[edge.to]!.push(edge);
    requires.push(own.requires);
  }
  return { exit, out, in: incoming, indexById, requires };
}

/** One step's flow edges (success, then failure) and its `requires` targets. */
function stepEdges(step: StepModel, indexById: ReadonlyMap<string, number>, exit: number): { out: FlowEdge[]; requires: FlowGraph['requires'][number] } {
  const i = step.index;
  const nextNode = step.pairs.get('next')?.value as Node | undefined;
  const nextId = scalarText(nextNode);
  // An unknown `next` id (a PB004 finding) ends the flow, like the end of the list.
  const successor = nextId !== undefined ? (indexById.get(nextId) ?? exit) : i + 1;
  const failureNode = step.pairs.get('on-failure')?.value as Node | undefined;
  const onFailure = scalarText(failureNode) ?? 'abort';
  // The failure edge: `continue` goes on like success, a step id jumps, `abort` (or an unknown id) exits.
  const failureTarget = onFailure === 'continue' ? successor : (indexById.get(onFailure) ?? exit);
  // Success and failure may lead to the same step; both edges are kept, since rules ask about each kind.
  const out: FlowEdge[] = [
    { from: i, to: successor, kind: nextId !== undefined ? 'next' : 'order', node: nextId !== undefined ? nextNode : undefined },
    { from: i, to: failureTarget, kind: 'failure', node: failureNode },
  ];
  const requires: FlowGraph['requires'][number] = [];
  for (const ref of step.references) {
    if (ref.kind !== 'requires') continue;
    const target = indexById.get(ref.target);
    if (target !== undefined) requires.push({ target, node: ref.node });
  }
  return { out, requires };
}

/**
 * The graph of `parsed`, built on the graph of the version it was re-parsed from (parse/reparse.ts)
 * when the edit cannot have changed it: an edit outside the steps keeps it whole (it holds indices
 * and nodes, which moved in place); an edit inside one step that keeps its id and where its edges
 * lead takes the step's new edges, in the same places. Anything else builds it afresh.
 */
export function flowGraphAfter(before: FlowGraph, parsed: ParsedPlaybook): FlowGraph | undefined {
  const change = parsed.change;
  const steps = parsed.model.steps;
  if (!change || steps.length !== before.exit) return undefined;
  if (change.key !== 'steps') return before;
  const i = change.stepIndex;
  const step = i === undefined ? undefined : steps[i];
  if (i === undefined || !step || change.from.model.steps[i]?.id !== step.id) return undefined;
  const own = stepEdges(step, before.indexById, before.exit);
  const old = before.out[i]!;
  if (own.out.length !== old.length || own.out.some((e, k) => e.to !== old[k]!.to || e.kind !== old[k]!.kind)) return undefined;
  const out = before.out.slice();
  out[i] = own.out;
  const incoming = before.in.slice();
  own.out.forEach((edge, k) => {
    incoming[edge.to] = incoming[edge.to]!.map((e) => (e === old[k] ? edge : e));
  });
  const requires = before.requires.slice();
  requires[i] = own.requires;
  return { exit: before.exit, out, in: incoming, indexById: before.indexById, requires };
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
