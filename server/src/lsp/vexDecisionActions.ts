/**
 * "Record security's decision (VEX)…" on a PB101 finding: one code action per advisory the
 * finding names (the first few), each running the client's command with what the decision is
 * about. The client asks for the decision and is the one to offer it only in a trusted workspace.
 */
import { CodeAction, CodeActionKind, Command, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, OffsetRange } from '../core/index.js';
import { RECORD_VEX_DECISION_COMMAND, type VexDecisionSubject } from '../shared/protocol.js';
import type { DiagnosticData } from './convert.js';

/** More advisories than this on one finding: the first ones, worst first (the rest from the next finding once these are decided). */
const MAX_ACTIONS = 5;

interface DecisionFact {
  advisory: string;
  aliases: string[];
  component?: string;
  componentName?: string;
}

export function vexDecisionActions(doc: TextDocument, analysis: Analysis, range: OffsetRange, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const finding of analysis.findings) {
    if (finding.ruleId !== 'PB101' || finding.range.start > range.end || range.start > finding.range.end) continue;
    const product = finding.data?.['release'];
    const decisions = finding.data?.['decisions'];
    if (typeof product !== 'string' || !Array.isArray(decisions)) continue;
    const matching = diagnostics.filter((d) => {
      const data = d.data as Partial<DiagnosticData> | undefined;
      return d.code === 'PB101' && data?.start === finding.range.start && data.end === finding.range.end;
    });
    for (const fact of (decisions as DecisionFact[]).slice(0, MAX_ACTIONS)) {
      const subject: VexDecisionSubject = { uri: doc.uri, vulnerability: fact.advisory, aliases: fact.aliases, product, ...(fact.component ? { subcomponent: fact.component } : {}), ...(fact.componentName ? { componentName: fact.componentName } : {}) };
      const on = fact.componentName ? ` on ${fact.componentName}` : '';
      const title = `Record security's decision on ${fact.advisory}${on} (VEX)…`;
      const action = CodeAction.create(title, Command.create(title, RECORD_VEX_DECISION_COMMAND, subject), CodeActionKind.QuickFix);
      if (matching.length) action.diagnostics = matching;
      out.push(action);
    }
  }
  return out;
}
