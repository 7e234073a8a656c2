/** Offsets ↔ LSP positions, and core findings → LSP diagnostics: the only place LSP shapes are made. */
import { URI } from 'vscode-uri';
import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { plainText, type Finding, type OffsetRange, type Severity } from '../core/index.js';

export function toRange(doc: TextDocument, range: OffsetRange): Range {
  return Range.create(doc.positionAt(range.start), doc.positionAt(Math.max(range.start, range.end)));
}

export function toOffsets(doc: TextDocument, range: Range): OffsetRange {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };

/** What a diagnostic carries so a code action request can be matched to the finding it came from. */
export interface DiagnosticData {
  ruleId: string;
  /** The document version the finding was computed for: fixes for older versions are refused. */
  version: number;
  start: number;
  end: number;
}

/** `ruleHref` gives the link of the rule's code (Workspace.ruleHref: the user's documentation URL, or the shipped page). */
export function toDiagnostic(doc: TextDocument, finding: Finding, ruleHref: (ruleId: string) => string): Diagnostic {
  // A finding the baseline lists is old debt the team accepted for now: visible where it is, without the noise of an error or warning.
  const severity = finding.baselined ? DiagnosticSeverity.Hint : SEVERITY[finding.severity];
  // The Problems panel shows text as it is: code spans become quoted names.
  const message = plainText(finding.baselined ? `${finding.message} (in the baseline)` : finding.message);
  const diagnostic = Diagnostic.create(toRange(doc, finding.range), message, severity, finding.ruleId, 'playbook');
  diagnostic.codeDescription = { href: ruleHref(finding.ruleId) };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) =>
      DiagnosticRelatedInformation.create(
        r.file ? Location.create(URI.file(r.file.split('!')[0]!).toString(), otherFileRange(r.file.includes('!') ? undefined : r.position)) : Location.create(doc.uri, toRange(doc, r.range)),
        plainText(r.message),
      ),
    );
  }
  if (finding.data?.unnecessary) diagnostic.tags = [DiagnosticTag.Unnecessary];
  const data: DiagnosticData = { ruleId: finding.ruleId, version: doc.version, start: finding.range.start, end: finding.range.end };
  diagnostic.data = data;
  return diagnostic;
}

/**
 * A place in another file: its line and column when the core knows them (a component in an SBOM, the
 * advisory entry that matched), else the file's start. A record inside a zip (`x.zip!GHSA-….json`)
 * opens as the zip, where its line means nothing, so it opens at the start.
 */
function otherFileRange(position: { line: number; character: number } | undefined): Range {
  return position ? Range.create(position.line, position.character, position.line, position.character) : Range.create(0, 0, 0, 0);
}
