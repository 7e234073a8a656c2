/**
 * What the editor's flow view ("Playbook: Show Flow") draws: the flow diagram the CLI's `graph`
 * prints, where each step is in the text (so clicking a node reveals it), and the path findings
 * (PB100, PB102, PB106) with the part of the flow each is about, so selecting one lights up every
 * path that breaks its rule (features/pathFindings.ts: PB106's missing `duration` has no path, so it
 * is not listed). Offsets only: the language server turns them into positions.
 */
import { flowDiagram, type FlowDiagram } from '../graph/flowDiagram.js';
import { stepAnchor } from '../graph/pathReport.js';
import { violationPaths } from '../graph/violationPaths.js';
import { redactorFor } from '../security/redact.js';
import type { OffsetRange, Severity } from '../types.js';
import { pathFindings } from './pathFindings.js';
import type { Analysis } from './types.js';

/** Above this many steps the view lists the flow as text only: a layered drawing of thousands of nodes is unreadable and slow to lay out. */
export const MAX_DRAWN_STEPS = 400;

export interface FlowViewFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The flagged step (node key `s<step>`). */
  step: number;
  range: OffsetRange;
  /** Node keys and edge indices (into `diagram.edges`) on the paths that break the rule. */
  nodes: string[];
  edges: number[];
  /** Suppressed in the playbook (`# playbook-ignore`): drawn, but said so. */
  suppressed?: string;
}

export interface FlowView {
  /** The playbook's id, for the view's title. */
  name?: string;
  diagram: FlowDiagram;
  /** Where each step's node is in the text, by node key: its id, else its first line. */
  anchors: Record<string, OffsetRange>;
  findings: FlowViewFinding[];
  /** False above MAX_DRAWN_STEPS: the view shows the text alternative alone. */
  drawn: boolean;
}

export function flowView(analysis: Analysis): FlowView {
  const diagram = flowDiagram(analysis);
  const anchors: Record<string, OffsetRange> = {};
  for (const node of diagram.nodes) {
    const step = node.step === undefined ? undefined : analysis.parsed.model.steps[node.step];
    if (step) anchors[node.key] = stepAnchor(analysis.parsed, step);
  }
  const paths = violationPaths(analysis, diagram);
  const findings = pathFindings(analysis).map(({ finding, step, suppressed }): FlowViewFinding => ({
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    step,
    range: finding.range,
    ...paths(finding.ruleId, step),
    ...(suppressed !== undefined ? { suppressed } : {}),
  }));
  findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  const id = analysis.parsed.model.id;
  return { ...(id !== undefined ? { name: redactorFor(analysis.parsed)(id) } : {}), diagram, anchors, findings, drawn: analysis.parsed.model.steps.length <= MAX_DRAWN_STEPS };
}
