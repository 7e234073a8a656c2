/** One analysis per document version and workspace generation: features never re-check the same text. */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { checkPlaybook } from '../core/check.js';
import type { Analysis } from '../core/features/types.js';
import type { Workspace } from './workspace.js';

interface Cached {
  version: number;
  generation: number;
  analysis: Promise<Analysis>;
}

export class Analyses {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly workspace: Workspace) {}

  get(doc: TextDocument): Promise<Analysis> {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.workspace.generation) return hit.analysis;
    const generation = this.workspace.generation;
    const analysis = this.analyze(doc.getText(), URI.parse(doc.uri).fsPath);
    this.cache.set(doc.uri, { version: doc.version, generation, analysis });
    return analysis;
  }

  /** Checks text that is not open in the editor (Check Workspace), with the same environment. */
  async analyze(text: string, file: string): Promise<Analysis> {
    const { loaded, advisories } = await this.workspace.environmentFor(file);
    return checkPlaybook(text, { policy: loaded.policy, advisories });
  }

  environmentFor(file: string): ReturnType<Workspace['environmentFor']> {
    return this.workspace.environmentFor(file);
  }

  drop(uri: string): void {
    this.cache.delete(uri);
  }
}
