/**
 * What the editor's flow view ("Playbook: Show Flow") draws: the flow diagram the CLI's `graph`
 * prints, where each step is in the text (so clicking a node reveals it), the path findings
 * (PB100, PB102, PB106) it lists (features/pathFindings.ts: PB106's missing `duration` has no path,
 * so it is not listed), and the part of the flow the focused finding is about, so every path that
 * breaks its rule lights up. Offsets only: the language server turns them into positions.
 *
 * Only the focused finding's paths are worked out: each is a search over the whole flow, and a
 * branching playbook has thousands of findings, of which the view shows one at a time.
 */
import { flowDiagram, type FlowDiagram } from '../graph/flowDiagram.js';
import { stepAnchor } from '../graph/pathReport.js';
import { violationPaths, type ViolationHighlight } from '../graph/violationPaths.js';
import { redactorFor } from '../security/redact.js';
import type { OffsetRange, Severity } from '../types.js';
import { pathFindings } from './pathFindings.js';
import type { Analysis } from './types.js';

/** Above this many steps the view lists the flow as text only: a layered drawing of thousands of nodes is unreadable and slow to lay out. */
export const MAX_DRAWN_STEPS = 400;

/** A finding whose paths to light up, by its rule and its flagged step: what a code lens names and the view asks for. */
export interface FlowFocus {
  ruleId: string;
  step: number;
}

export interface FlowViewFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The flagged step (node key `s<step>`). */
  step: number;
  range: OffsetRange;
  /** Suppressed in the playbook (`# playbook-ignore`): drawn, but said so. */
  suppressed?: string;
}

/** The focused finding's part of the flow: node keys and edge indices (into `diagram.edges`) on the paths that break its rule. */
export interface FlowHighlight extends ViolationHighlight {
  /** The finding's index in `findings`. */
  finding: number;
}

export interface FlowView {
  /** The playbook's id, for the view's title. */
  name?: string;
  diagram: FlowDiagram;
  /** Where each step's node is in the text, by node key: its id, else its first line. */
  anchors: Record<string, OffsetRange>;
  findings: FlowViewFinding[];
  /** Only with a focus the view lists: none for no focus, or for a finding that is gone. */
  highlight?: FlowHighlight;
  /** False above MAX_DRAWN_STEPS: the view shows the text alternative alone. */
  drawn: boolean;
}

export function flowView(analysis: Analysis, focus?: FlowFocus): FlowView {
  const diagram = flowDiagram(analysis);
  const anchors: Record<string, OffsetRange> = {};
  for (const node of diagram.nodes) {
    const step = node.step === undefined ? undefined : analysis.parsed.model.steps[node.step];
    if (step) anchors[node.key] = stepAnchor(analysis.parsed, step);
  }
  const findings = pathFindings(analysis).map(({ finding, step, suppressed }): FlowViewFinding => ({
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    step,
    range: finding.range,
    ...(suppressed !== undefined ? { suppressed } : {}),
  }));
  findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  const focused = focus ? findings.findIndex((f) => f.ruleId === focus.ruleId && f.step === focus.step) : -1;
  const highlight = focused < 0 ? undefined : { finding: focused, ...violationPaths(analysis, diagram)(findings[focused]!.ruleId, findings[focused]!.step) };
  const id = analysis.parsed.model.id;
  return {
    ...(id !== undefined ? { name: redactorFor(analysis.parsed)(id) } : {}),
    diagram,
    anchors,
    findings,
    ...(highlight ? { highlight } : {}),
    drawn: analysis.parsed.model.steps.length <= MAX_DRAWN_STEPS,
  };
}
