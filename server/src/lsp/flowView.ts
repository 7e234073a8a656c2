/** The flow view request: the core's flow view of the editor's text, with offsets turned into ranges. */
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagramCaption, flowView, MAX_DRAWN_STEPS, type FlowFocus } from '../core/index.js';
import type { FlowViewParams, FlowViewResult } from '../shared/protocol.js';
import type { Analyses } from './analyses.js';
import { toRange } from './convert.js';
import { isPlaybookDocument } from './diagnosticsService.js';

export async function flowViewOf(params: FlowViewParams, documents: TextDocuments<TextDocument>, analyses: Analyses): Promise<FlowViewResult | null> {
  const doc = documents.get(params.uri);
  if (!doc || !isPlaybookDocument(doc)) return null;
  const version = doc.version;
  const analysis = await analyses.current(doc);
  const view = flowView(analysis, focusOf(params.focus));
  return {
    version,
    ...(view.name !== undefined ? { name: view.name } : {}),
    nodes: view.diagram.nodes.map((node) => {
      const anchor = view.anchors[node.key];
      return { ...node, caption: diagramCaption(node), ...(anchor ? { range: toRange(doc, anchor) } : {}) };
    }),
    edges: view.diagram.edges,
    findings: view.findings.map((f) => ({ ...f, range: toRange(doc, f.range) })),
    ...(view.highlight ? { highlight: view.highlight } : {}),
    drawn: view.drawn,
    maxDrawn: MAX_DRAWN_STEPS,
  };
}

/** The focus as the wire gave it, if it names a rule and a step: anything else lights up nothing. */
function focusOf(focus: unknown): FlowFocus | undefined {
  if (typeof focus !== 'object' || focus === null) return undefined;
  const { ruleId, step } = focus as { ruleId?: unknown; step?: unknown };
  return typeof ruleId === 'string' && Number.isInteger(step) ? { ruleId, step: step as number } : undefined;
}
