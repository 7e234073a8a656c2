/**
 * The flow of a playbook as a picture's data (spec section 2, "Flow"): one node per step, the
 * way out as an end node, and edges for list order and `next` (solid), `on-failure` (dashed) and
 * `requires` (dotted). Each node says what it is for security: a checkpoint (and whether it is a
 * security one), a risky step guarded or not (PB100's verdict, so the picture and the finding
 * agree), a step that notifies security. The Mermaid and DOT texts (flowDiagramText.ts) and the
 * editor's view draw this.
 */
import type { CheckResult } from '../check.js';
import { unguardedSteps } from '../rules/unguardedSteps.js';
import { redactorFor } from '../security/redact.js';
import { isRisky, isSecurityCheckpoint, securityChannel, tellsSecurity } from './securitySteps.js';

type DiagramNodeKind = 'step' | 'checkpoint' | 'security-checkpoint' | 'risky-guarded' | 'risky-unguarded' | 'notify-security' | 'end';
type DiagramEdgeKind = 'flow' | 'failure' | 'requires';

export interface DiagramNode {
  /** A stable identifier for drawing tools: `s<index>`, or `finish` (`end` is a Mermaid keyword). */
  key: string;
  /** The step's id (or "step 3" without one); "end" for the way out. */
  label: string;
  /** The step's action, when it has one. */
  action?: string;
  kind: DiagramNodeKind;
  /** Index in `steps`; absent for the end node. */
  step?: number;
}

export interface DiagramEdge {
  from: string;
  to: string;
  kind: DiagramEdgeKind;
}

export interface FlowDiagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

export function flowDiagram(analysis: CheckResult): FlowDiagram {
  const { model } = analysis.parsed;
  const { policy } = analysis;
  const graph = analysis.graph();
  const key = (index: number): string => (index === graph.exit ? 'finish' : `s${index}`);
  // PB100's verdict, as the code lens shows it: suppressed or not (a suppression documents an exception, it does not guard the step), and with the rule off.
  const unguarded = unguardedSteps(analysis);
  const channel = securityChannel(analysis.parsed);
  // Labels echo playbook text (ids, actions): a diagram pasted in a pull request must not carry a secret.
  const redact = redactorFor(analysis.parsed);
  const nodes: DiagramNode[] = model.steps.map((step) => {
    const action = step.action;
    let kind: DiagramNodeKind = 'step';
    if (action === 'checkpoint') kind = isSecurityCheckpoint(step, policy) ? 'security-checkpoint' : 'checkpoint';
    else if (isRisky(step, policy)) kind = unguarded.has(step.index) ? 'risky-unguarded' : 'risky-guarded';
    else if (tellsSecurity(step, channel)) kind = 'notify-security';
    return { key: key(step.index), label: redact(step.id ?? step.label), ...(action !== undefined ? { action: redact(action) } : {}), kind, step: step.index };
  });
  nodes.push({ key: 'finish', label: 'end', kind: 'end' });
  const edges: DiagramEdge[] = [];
  for (const out of graph.out) {
    for (const edge of out) {
      // A step without `on-failure` aborts when it fails: an edge to the end from every step would hide the written ones.
      if (edge.kind === 'failure' && edge.node === undefined) continue;
      edges.push({ from: key(edge.from), to: key(edge.to), kind: edge.kind === 'failure' ? 'failure' : 'flow' });
    }
  }
  graph.requires.forEach((targets, from) => targets.forEach(({ target }) => edges.push({ from: key(target), to: key(from), kind: 'requires' })));
  return { nodes, edges };
}
