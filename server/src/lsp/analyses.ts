/**
 * One analysis per document version and workspace generation: features never re-check the same
 * text. Each check builds on the document's previous parse, so an edit inside one step re-parses
 * only that step; that parse's tree then belongs to the newer version, which is why readers use
 * `current()`, never an analysis of a version the document has left.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { checkPlaybook } from '../core/check.js';
import type { Analysis } from '../core/features/types.js';
import type { ParsedPlaybook } from '../core/parse/model.js';
import type { Workspace } from './workspace.js';

interface Cached {
  version: number;
  generation: number;
  analysis: Promise<Analysis>;
}

export class Analyses {
  private readonly cache = new Map<string, Cached>();
  /** The newest parse of each open document, for the next version to build on. */
  private readonly lastParse = new Map<string, ParsedPlaybook>();

  constructor(private readonly workspace: Workspace) {}

  get(doc: TextDocument): Promise<Analysis> {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.workspace.generation) return hit.analysis;
    const { uri } = doc;
    const text = doc.getText();
    const entry = { version: doc.version, generation: this.workspace.generation } as Cached;
    entry.analysis = this.workspace.environmentFor(URI.parse(uri).fsPath).then(({ loaded, advisories }) => {
      // Only the newest request builds on (and replaces) the last parse; an older one still running parses afresh.
      const newest = this.cache.get(uri) === entry;
      const result = checkPlaybook(text, { policy: loaded.policy, advisories, previous: newest ? this.lastParse.get(uri) : undefined });
      if (newest) this.lastParse.set(uri, result.parsed);
      return result;
    });
    this.cache.set(uri, entry);
    return entry.analysis;
  }

  /**
   * The analysis of the document's version when this resolves (the caller must read it before
   * awaiting anything else): if an edit arrived while it was computed, the newer one is awaited.
   */
  async current(doc: TextDocument): Promise<Analysis> {
    let analysis: Analysis | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const version = doc.version;
      analysis = await this.get(doc);
      if (doc.version === version) return analysis;
    }
    return analysis!;
  }

  drop(uri: string): void {
    this.cache.delete(uri);
    this.lastParse.delete(uri);
  }
}
