/**
 * Diagnostics for open playbooks and policies: debounced while typing, never published for a
 * version older than the document's current one, pulled when the client supports it and pushed
 * otherwise. Also tells the client how many advisory records are loaded.
 */
import * as path from 'node:path';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Finding } from '../core/types.js';
import { advisoryStatusNotification, type AdvisoryStatus } from '../shared/protocol.js';
import type { Analyses } from './analyses.js';
import { toDiagnostic } from './convert.js';
import { Debouncer } from './debounce.js';
import { isPolicyPath, policyFindings } from './policyDiagnostics.js';
import { detach, type Log } from './runSafe.js';
import type { Workspace } from './workspace.js';

export function isPlaybookDocument(doc: TextDocument): boolean {
  return doc.languageId === 'incident-playbook' || /\.playbook\.ya?ml$/i.test(doc.uri);
}

export class DiagnosticsService {
  private readonly debouncer = new Debouncer();
  /** Policy files that received pushed diagnostics, so they can be cleared when they recover. */
  private readonly publishedPolicies = new Set<string>();
  /** The last status sent, so the client hears of every change and only of changes. */
  private lastStatus = '';

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: Analyses,
    private readonly workspace: Workspace,
    private readonly pull: boolean,
    private readonly log: Log,
  ) {}

  /** Diagnostics for a document's current version (the pull handler's answer, and the pushed one). */
  async compute(doc: TextDocument): Promise<Diagnostic[]> {
    const file = URI.parse(doc.uri).fsPath;
    if (isPolicyPath(file)) {
      const { advisories } = await this.workspace.environmentFor(path.join(path.dirname(path.dirname(file)), 'x.playbook.yaml'));
      return policyFindings(doc.getText(), advisories, (f) => this.show(f)).map((f) => toDiagnostic(doc, f));
    }
    if (!isPlaybookDocument(doc)) return [];
    const analysis = await this.analyses.current(doc);
    await this.sendStatusIfChanged();
    return analysis.findings.map((f) => toDiagnostic(doc, f));
  }

  changed(doc: TextDocument): void {
    if (this.pull) return; // the client asks when it needs them
    this.debouncer.schedule(doc.uri, () => this.push(doc.uri));
  }

  /** A newly opened document is checked at once: nobody is typing yet, so there is nothing to wait for. */
  opened(doc: TextDocument): void {
    if (this.pull) return;
    this.debouncer.runNow(doc.uri, () => this.push(doc.uri));
  }

  closed(doc: TextDocument): void {
    this.debouncer.forget(doc.uri);
    this.analyses.drop(doc.uri);
    if (!this.pull) detach(this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }));
  }

  /** After the policy or advisories changed: every open document is checked again. */
  async refreshAll(): Promise<void> {
    if (this.pull) {
      this.connection.languages.diagnostics.refresh();
    } else {
      for (const doc of this.documents.all()) this.changed(doc);
    }
    await this.publishClosedPolicies();
    await this.sendStatus();
  }

  /** Pushes diagnostics for a closed file (Check Workspace), unless the editor has it open. */
  publishFor(uri: string, text: string, findings: Finding[]): void {
    if (this.documents.get(uri)) return;
    const doc = TextDocument.create(uri, 'yaml', 0, text);
    detach(this.connection.sendDiagnostics({ uri, diagnostics: findings.map((f) => toDiagnostic(doc, f)) }));
  }

  async sendStatus(): Promise<void> {
    this.lastStatus = '';
    await this.sendStatusIfChanged();
  }

  private async sendStatusIfChanged(): Promise<void> {
    const environments = await this.workspace.loadedEnvironments();
    const seen = new Set<string>();
    const status: AdvisoryStatus = { records: 0, sources: [], problems: 0 };
    for (const { advisories } of environments) {
      for (const s of advisories.sources) {
        if (seen.has(s.path)) continue;
        seen.add(s.path);
        status.records += s.records;
        status.sources.push(`${this.show(s.path)}: ${s.kind === 'missing' ? `cannot be read (${s.problem})` : `${s.records} record${s.records === 1 ? '' : 's'}`}`);
      }
      status.problems += advisories.problems.length;
    }
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    detach(this.connection.sendNotification(advisoryStatusNotification, status));
  }

  private async push(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    try {
      const diagnostics = await this.compute(doc);
      if (this.documents.get(uri)?.version !== version) return; // newer text arrived: its own run publishes
      detach(this.connection.sendDiagnostics({ uri, version, diagnostics }));
      if (isPlaybookDocument(doc)) await this.publishClosedPolicies();
    } catch (error) {
      this.log(`checking ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  /** Problems of policy files that are not open (an invalid policy, broken advisory records). */
  private async publishClosedPolicies(): Promise<void> {
    for (const { loaded, advisories } of await this.workspace.loadedEnvironments()) {
      if (!loaded.file) continue;
      const uri = URI.file(loaded.file).toString();
      if (this.documents.get(uri)) continue;
      const findings = policyFindings(loaded.text ?? '', advisories, (f) => this.show(f));
      if (findings.length === 0 && !this.publishedPolicies.has(uri)) continue;
      this.publishedPolicies.add(uri);
      this.publishFor(uri, loaded.text ?? '', findings);
    }
  }

  private show(file: string): string {
    const root = this.workspace.rootFor(file);
    const relative = path.relative(root, file);
    return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
  }
}
