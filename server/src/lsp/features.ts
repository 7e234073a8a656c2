/** Editor features: each handler converts positions to offsets, calls the core, converts back. */
import {
  CodeAction, CodeActionKind, CompletionItem, CompletionItemKind, CompletionItemTag, DocumentSymbol, ErrorCodes, InsertTextFormat, ResponseError,
  MarkupKind, SymbolKind, TextDocumentEdit, TextEdit as LspTextEdit, type Connection, type Diagnostic, type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkPlaybook, plainText, codeActions, fixAll, codeLenses, completions, hover, definition, prepareRename, references, rename, documentSymbols, readingSboms, type Analysis, type CompletionEntry, type CompletionKind, type FixAction, type SymbolEntry, type TextEdit } from '../core/index.js';
import type { Analyses } from './analyses.js';
import { toOffsets, toRange, type DiagnosticData } from './convert.js';
import { vexDecisionActions } from './vexDecisionActions.js';
import { isPlaybookDocument } from './diagnosticsService.js';
import { runSafe, type Log } from './runSafe.js';
import type { Workspace } from './workspace.js';

/** `firstFindings`: resolves once an opened document's first diagnostics are out (firstFindings.ts), which its outline and lenses wait for. */
export function registerFeatures(connection: Connection, documents: TextDocuments<TextDocument>, analyses: Analyses, workspace: Workspace, log: Log, firstFindings: (uri: string) => Promise<void>): void {
  /** `settled`: the SBOMs still being read are read first (Analyses.settled), for an answer that would otherwise say so. */
  const withAnalysis = async <T>(uri: string, fallback: T, work: (doc: TextDocument, analysis: Analysis) => T | Promise<T>, settled = false): Promise<T> => {
    const doc = documents.get(uri);
    if (!doc || !isPlaybookDocument(doc)) return fallback;
    return work(doc, await (settled ? analyses.settled(doc) : analyses.current(doc)));
  };

  connection.onCodeAction((params, token) => runSafe(log, 'codeAction', [], () => withAnalysis(params.textDocument.uri, [] as CodeAction[], async (doc, analysis) => {
    // The server re-checks the version: fixes are computed only for diagnostics of the current text.
    const stale = params.context.diagnostics.some((d) => isStale(d, doc.version));
    if (stale) return [];
    const only = params.context.only;
    const out: CodeAction[] = [];
    if (!only || only.some((k) => k.startsWith(CodeActionKind.QuickFix))) {
      const range = toOffsets(doc, params.range);
      for (const action of codeActions(analysis, range)) out.push(toCodeAction(doc, action, params.context.diagnostics));
      out.push(...vexDecisionActions(doc, analysis, range, params.context.diagnostics));
    }
    if (!only || only.some((k) => CodeActionKind.SourceFixAll.startsWith(k) || k.startsWith(CodeActionKind.SourceFixAll))) {
      const recheck = (text: string): Analysis => checkPlaybook(text, { policy: analysis.policy, advisories: analysis.advisories, ...(analysis.releases ? { releases: analysis.releases } : {}) });
      const all = fixAll(analysis, recheck);
      if (all) out.push(toCodeAction(doc, all, []));
    }
    return out;
  }), token));

  connection.onCompletion((params, token) => runSafe(log, 'completion', [], async () => {
    // Read first: the analysis must be used before anything else is awaited (see Analyses.current).
    const snippets = await workspace.snippetsFor(workspace.fileOf(params.textDocument.uri));
    return withAnalysis(params.textDocument.uri, [] as CompletionItem[], async (doc, analysis) => {
      let entries = completions(analysis, doc.offsetAt(params.position), snippets);
      // Versions are offered with what stands against each, which needs its SBOM: one still waiting
      // for a pause in typing is read at once (as for a hover), since the user is picking a release now.
      if (entries.some((e) => e.kind === 'version') && readingSboms(analysis.releases)) entries = completions(await analyses.settled(doc), doc.offsetAt(params.position), snippets);
      return entries.map((entry, i) => toCompletionItem(doc, entry, i));
    });
  }, token));

  connection.onHover((params, token) => runSafe(log, 'hover', null, () => withAnalysis(params.textDocument.uri, null, (doc, analysis) => {
    const result = hover(analysis, doc.offsetAt(params.position));
    return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(doc, result.range) } : null;
  }, true), token));

  connection.onDefinition((params, token) => runSafe(log, 'definition', [], () => withAnalysis(params.textDocument.uri, [], (doc, analysis) =>
    definition(analysis, doc.offsetAt(params.position)).map((r) => ({ uri: doc.uri, range: toRange(doc, r) }))), token));

  connection.onReferences((params, token) => runSafe(log, 'references', [], () => withAnalysis(params.textDocument.uri, [], (doc, analysis) =>
    references(analysis, doc.offsetAt(params.position), params.context.includeDeclaration).map((r) => ({ uri: doc.uri, range: toRange(doc, r) }))), token));

  // A rename the core refuses reaches the user as the request's error message.
  connection.onPrepareRename((params, token) => runSafe(log, 'prepareRename', null, () => withAnalysis(params.textDocument.uri, null, (doc, analysis) => {
    const result = prepareRename(analysis, doc.offsetAt(params.position));
    if (!result) return null;
    if ('error' in result) return new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return { range: toRange(doc, result.range), placeholder: result.placeholder };
  }), token));

  connection.onRenameRequest((params, token) => runSafe(log, 'rename', null, () => withAnalysis(params.textDocument.uri, null, (doc, analysis) => {
    const result = rename(analysis, doc.offsetAt(params.position), params.newName);
    if ('error' in result) return new ResponseError(ErrorCodes.InvalidRequest, result.error);
    return { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, toLspEdits(doc, result.edits))] };
  }), token));

  connection.onDocumentSymbol((params, token) => runSafe(log, 'documentSymbol', [], async () => {
    await firstFindings(params.textDocument.uri);
    return withAnalysis(params.textDocument.uri, [] as DocumentSymbol[], (doc, analysis) => documentSymbols(analysis).map((s) => toSymbol(doc, s)));
  }, token));

  connection.onCodeLens((params, token) => runSafe(log, 'codeLens', [], async () => {
    await firstFindings(params.textDocument.uri);
    return withAnalysis(params.textDocument.uri, [], (doc, analysis) => codeLenses(analysis).map((lens) => ({
      range: toRange(doc, lens.range),
      command: { title: plainText(lens.title), command: lens.command?.id ?? '', arguments: lens.command ? [doc.uri, ...lens.command.arguments] : [] },
    })));
  }, token));
}

function toCompletionItem(doc: TextDocument, entry: CompletionEntry, i: number): CompletionItem {
  const item = CompletionItem.create(entry.label);
  item.kind = COMPLETION_KIND[entry.kind];
  item.textEdit = LspTextEdit.replace(toRange(doc, entry.replace), entry.insertText);
  item.insertTextFormat = entry.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
  if (entry.detail) item.detail = plainText(entry.detail); // shown as text; the documentation is Markdown
  if (entry.documentation) item.documentation = { kind: MarkupKind.Markdown, value: entry.documentation };
  item.sortText = entry.sortText ?? String(i).padStart(4, '0');
  if (entry.deprecated) item.tags = [CompletionItemTag.Deprecated];
  return item;
}

function isStale(diagnostic: Diagnostic, version: number): boolean {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return typeof data?.version === 'number' && data.version !== version;
}

function toCodeAction(doc: TextDocument, action: FixAction, diagnostics: Diagnostic[]): CodeAction {
  const kind = action.kind === 'source.fixAll' ? CodeActionKind.SourceFixAll : CodeActionKind.QuickFix;
  const result = CodeAction.create(plainText(action.title), { documentChanges: [TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, toLspEdits(doc, action.edits))] }, kind);
  if (action.isPreferred) result.isPreferred = true;
  if (action.finding) {
    const matching = diagnostics.filter((d) => {
      const data = d.data as Partial<DiagnosticData> | undefined;
      return d.code === action.finding!.ruleId && data?.start === action.finding!.range.start && data?.end === action.finding!.range.end;
    });
    if (matching.length) result.diagnostics = matching;
  }
  return result;
}

function toLspEdits(doc: TextDocument, edits: TextEdit[]): LspTextEdit[] {
  return edits.map((e) => LspTextEdit.replace(toRange(doc, e.range), e.newText));
}

function toSymbol(doc: TextDocument, s: SymbolEntry): DocumentSymbol {
  const kind = s.kind === 'step' ? SymbolKind.Event : s.kind === 'service' ? SymbolKind.Module : s.kind === 'channel' ? SymbolKind.Interface : SymbolKind.Field;
  return DocumentSymbol.create(s.name, s.detail === undefined ? undefined : plainText(s.detail), kind, toRange(doc, s.range), toRange(doc, s.selectionRange), s.children?.map((c) => toSymbol(doc, c)));
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  action: CompletionItemKind.EnumMember,
  step: CompletionItemKind.Reference,
  service: CompletionItemKind.Module,
  channel: CompletionItemKind.Interface,
  version: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
  keyword: CompletionItemKind.Keyword,
};
