/**
 * The flow graph as a fix means to leave it: steps keep their indices, new steps get indices after
 * the exit, and edges can be pointed elsewhere, so a fix can be checked before any text is written.
 */
import type { FlowGraph } from '../../graph/flowGraph.js';
import { scalarText } from '../../parse/yamlNodes.js';

export interface PlannedEdge {
  to: number;
  kind: 'order' | 'next' | 'failure';
  /** A failure edge written `on-failure: continue`: it goes wherever the success edge goes. */
  continues: boolean;
}

export class PlannedFlow {
  readonly exit: number;
  readonly out: PlannedEdge[][];
  /** Edges the plan added or re-pointed, as [from, to]: the places a new cycle could close. */
  readonly added: Array<[from: number, to: number]> = [];

  constructor(graph: FlowGraph) {
    this.exit = graph.exit;
    this.out = graph.out.map((edges) => edges.map((e) => ({
      to: e.to,
      kind: e.kind,
      continues: e.kind === 'failure' && scalarText(e.node) === 'continue',
    })));
    this.out.push([]); // the exit
  }

  /** Whether `node` is a step the plan adds. */
  isNew(node: number): boolean {
    return node > this.exit;
  }

  success(node: number): PlannedEdge | undefined {
    return this.out[node]?.find((e) => e.kind !== 'failure');
  }

  failure(node: number): PlannedEdge | undefined {
    return this.out[node]?.find((e) => e.kind === 'failure');
  }

  /**
   * A new step written just above step `below` in the list (`below` = exit: at the end). It takes
   * over the list-order edge of the step above it (and that step's `on-failure: continue`); jumps
   * by id to `below` pass it by. Returns the new node, which goes on to `below` whatever happens.
   */
  insertAbove(below: number): number {
    const node = this.out.length;
    this.out.push([{ to: below, kind: 'order', continues: false }, { to: below, kind: 'failure', continues: true }]);
    const above = below - 1;
    if (above >= 0 && this.success(above)?.kind === 'order') this.pointSuccess(above, node);
    return node;
  }

  /** Points a step's success edge at `to`; its `on-failure: continue` follows. */
  pointSuccess(from: number, to: number): void {
    for (const edge of this.out[from]!) {
      if (edge.kind === 'failure' && !edge.continues) continue;
      edge.to = to;
    }
    this.added.push([from, to]);
  }

  /** Points a step's failure edge at `to` (it no longer continues: it names a step). */
  pointFailure(from: number, to: number): void {
    const edge = this.failure(from)!;
    edge.to = to;
    edge.continues = false;
    this.added.push([from, to]);
  }

  /** Nodes reachable from `start` along edges `follows` accepts, as a boolean array over every node. */
  reach(start: number, follows: (from: number, edge: PlannedEdge) => boolean = () => true): boolean[] {
    const seen = new Array<boolean>(this.out.length).fill(false);
    const stack = [start];
    seen[start] = true;
    while (stack.length) {
      const node = stack.pop()!;
      for (const edge of this.out[node]!) {
        if (seen[edge.to] || !follows(node, edge)) continue;
        seen[edge.to] = true;
        stack.push(edge.to);
      }
    }
    return seen;
  }
}
