/** Small helpers over the `vscode` API: positions by text, diagnostics by rule, reverting what a test changed. */
import * as vscode from 'vscode';
import { waitFor } from './waitFor';

/** The position of the n-th occurrence of `needle` in the document, moved `delta` characters. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = document.getText().indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" (occurrence ${nth + 1}) is not in ${document.uri.path}`);
  }
  return document.positionAt(offset + delta);
}

/** The rule id of a diagnostic: VS Code gives `code` as a string or as `{ value, target }`. */
export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
}

const SEVERITY: Record<vscode.DiagnosticSeverity, string> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'hint' };
export const severityName = (d: vscode.Diagnostic): string => SEVERITY[d.severity];

/** "PB100@29" for each of the extension's diagnostics, in a stable order. */
export function summarize(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.source === 'playbook').map((d) => `${ruleOf(d)}@${d.range.start.line + 1}`).sort();
}

/** The extension's diagnostics for `uri` once `accept` holds for them. */
export function diagnosticsWhen(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return waitFor(() => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'playbook'), accept, { what, timeoutMs, describe: (d) => JSON.stringify(summarize(d ?? [])) });
}

/** Throws away unsaved changes in the active editor and closes it. */
export async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Applies text edits to a string, as the editor would (edits do not overlap). */
export function applyTextEdits(document: vscode.TextDocument, edits: readonly vscode.TextEdit[]): string {
  const text = document.getText();
  const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  return sorted.reduce((acc, e) => acc.slice(0, document.offsetAt(e.range.start)) + e.newText + acc.slice(document.offsetAt(e.range.end)), text);
}
