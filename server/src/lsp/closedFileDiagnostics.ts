/**
 * The pushed diagnostics of files no editor has open (Check Workspace results, policy files):
 * one set per file, under one URI. A client keeps pushed diagnostics in one collection and pulled
 * ones in another and shows both, so when an editor opens the file and the editor's diagnostics
 * take over, the pushed set must go (or, when the client is pushed to, be replaced under the very
 * same URI), or every finding would be listed twice.
 */
import type { Diagnostic } from 'vscode-languageserver';

export class ClosedFileDiagnostics {
  /** Per file key: the URI its set was pushed under, and the set as sent (so an unchanged one is not sent again). */
  private readonly pushed = new Map<string, { uri: string; sent: string | undefined }>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  has(key: string): boolean {
    return this.pushed.has(key);
  }

  uriOf(key: string): string | undefined {
    return this.pushed.get(key)?.uri;
  }

  /** Files with a pushed set, as [key, URI]. */
  entries(): Array<[string, string]> {
    return [...this.pushed].map(([key, { uri }]) => [key, uri]);
  }

  /** The file's set now; a set pushed for it under another spelling of its URI is cleared. */
  publish(key: string, uri: string, diagnostics: Diagnostic[]): void {
    const previous = this.pushed.get(key);
    if (previous && previous.uri !== uri) this.send(previous.uri, []);
    const sent = JSON.stringify(diagnostics);
    if (previous?.uri === uri && previous.sent === sent) return;
    this.send(uri, diagnostics);
    if (diagnostics.length) this.pushed.set(key, { uri, sent });
    else this.pushed.delete(key);
  }

  /**
   * An editor opened the file as `openUri`, and its diagnostics now come from the editor's text.
   * Pulled ones live in the client's other collection: the pushed set is cleared. Pushed ones
   * replace it when they have the same URI: only a set under another spelling is cleared.
   */
  handOver(key: string, openUri: string, pull: boolean): void {
    const previous = this.pushed.get(key);
    if (!previous) return;
    this.pushed.delete(key);
    if (pull || previous.uri !== openUri) this.send(previous.uri, []);
  }

  /** An editor closed the file; its pushed set under `uri` is now the closed file's, until replaced. */
  adopt(key: string, uri: string): void {
    const previous = this.pushed.get(key);
    if (previous && previous.uri !== uri) this.send(previous.uri, []);
    this.pushed.set(key, { uri, sent: undefined });
  }
}
