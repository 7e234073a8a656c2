/**
 * Diagnostics for open playbooks and policies: debounced while typing, never published for text
 * older than the document's current one, pulled when the client supports it and pushed
 * otherwise. Files no editor has open (Check Workspace results, policy files) are pushed, one set
 * per file whatever URI spells it, handed over to the editor when it opens the file and taken
 * back, checked from disk, when it closes a file Check Workspace covered. Also tells the client
 * how many advisory records are loaded, and how old they are.
 */
import * as path from 'node:path';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { type Finding, oneLine } from '../core/index.js';
import { baselineOption } from '../node/baselineFile.js';
import type { Environment } from '../node/checkEnvironment.js';
import { policyPaths } from '../node/policyPaths.js';
import { checkFile, type FileCheck } from '../node/checkFile.js';
import type { LoadedPolicy } from '../node/policyFiles.js';
import { advisoryStatusNotification, type AdvisoryStatus } from '../shared/protocol.js';
import { ageStatus } from './advisoryAgeStatus.js';
import type { Analyses } from './analyses.js';
import { ClosedFileDiagnostics } from './closedFileDiagnostics.js';
import { toDiagnostic } from './convert.js';
import { Debouncer } from './debounce.js';
import { FirstFindings } from './firstFindings.js';
import { fileKey, fileKeyOfPath } from './fileKey.js';
import { closedPolicyFindings, isPolicyPath, policyFindings, type PolicyReads } from './policyDiagnostics.js';
import { detach, type Log } from './runSafe.js';
import type { Workspace } from './workspace.js';

export function isPlaybookDocument(doc: TextDocument): boolean {
  return doc.languageId === 'incident-playbook' || /\.playbook\.ya?ml$/i.test(doc.uri);
}

/** What an environment read from the files its policy names, for the policy's diagnostics. */
function readsOf({ advisories, releases, baseline }: Environment): PolicyReads {
  return { advisories, releaseProblems: releases.folders.problems, ...(baseline ? { baseline } : {}) };
}

function sameReads(a: PolicyReads, b: PolicyReads): boolean {
  return a.advisories === b.advisories && a.releaseProblems === b.releaseProblems && a.baseline === b.baseline;
}

/** The folder that holds a policy's `.playbooks/`: the environment the policy governs is that folder's. */
function folderOfPolicy(policyFile: string): string {
  return path.dirname(path.dirname(policyFile));
}

/** What one loaded environment adds to the status: its policy (as shown), SBOMs (readable or not), VEX documents (statements), folders. */
interface EnvironmentFacts {
  policy?: string;
  sboms: Array<[file: string, readable: boolean]>;
  vex: Array<[file: string, statements: number]>;
  sbomFolders: string[];
  vexFolders: string[];
}

export class DiagnosticsService {
  private readonly debouncer = new Debouncer();
  /** Pull mode: a just-opened document's outline and lenses wait for its first diagnostics (firstFindings.ts). */
  private readonly firstFindings = new FirstFindings();
  private readonly closedFiles: ClosedFileDiagnostics;
  /** The file key of each open document, taken when it opened (by close the file may be gone). */
  private readonly openKeys = new Map<string, string>();
  /** Files Check Workspace covered (key → path): closed again, they keep their findings in Problems. */
  private readonly checked = new Map<string, string>();
  /** Runs that publish closed policies, one after the other, so an older one never has the last word. */
  private policyRuns: Promise<void> = Promise.resolve();
  /** Re-checks of closed files after the policy or settings changed: one running, at most one more waiting. */
  private recheckRun: Promise<void> = Promise.resolve();
  private recheckWaiting = false;
  /** The last status sent, so the client hears of every change and only of changes. */
  private lastStatus = '';
  /** Each loaded policy's own findings, worked out once per load (they are looked at after every check). */
  /** Each loaded environment's part of the status (factsOf). */
  private readonly environmentFacts = new WeakMap<Environment, EnvironmentFacts>();
  private readonly policyFindingsOf = new WeakMap<LoadedPolicy, { reads: PolicyReads; findings: Finding[] }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: Analyses,
    private readonly workspace: Workspace,
    private readonly pull: boolean,
    private readonly log: Log,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.closedFiles = new ClosedFileDiagnostics((uri, diagnostics) => detach(this.connection.sendDiagnostics({ uri, diagnostics })));
  }

  /** Diagnostics for a document's current text (the pull handler's answer, and the pushed one). */
  async compute(doc: TextDocument): Promise<Diagnostic[]> {
    const file = this.workspace.fileOf(doc.uri);
    if (isPolicyPath(file)) {
      const environment = await this.workspace.environmentForFolder(folderOfPolicy(file));
      const { loaded } = environment;
      // Checks use the file on disk: when it could not be read, or is not text (an editor shows binary or broken UTF-8 as some text), that is what applies.
      const onDisk = loaded.file !== undefined && loaded.text === undefined && fileKeyOfPath(loaded.file) === fileKey(doc.uri);
      return (onDisk ? loaded.findings : policyFindings(doc.getText(), readsOf(environment), (f) => this.show(f))).map((f) => toDiagnostic(doc, f, this.workspace.ruleHref));
    }
    if (!isPlaybookDocument(doc)) return [];
    const analysis = await this.analyses.current(doc);
    // Converted at once: the analysis and the document's positions belong to this text only.
    const diagnostics = analysis.findings.map((f) => toDiagnostic(doc, f, this.workspace.ruleHref));
    await this.sendStatusIfChanged();
    // The check may have loaded a policy: its own problems show on it.
    void this.publishClosedPolicies();
    return diagnostics;
  }

  /** A pulling client's request: the document's diagnostics (none once it is closed). */
  async pulled(uri: string): Promise<Diagnostic[]> {
    const doc = this.documents.get(uri);
    try {
      return doc ? await this.compute(doc) : [];
    } finally {
      this.firstFindings.answered(uri);
    }
  }

  /** Resolves once a just-opened document's first diagnostics are out (pull mode), or at once. */
  firstFindingsOut(uri: string): Promise<void> {
    return this.firstFindings.before(uri);
  }

  changed(doc: TextDocument): void {
    if (this.pull) return; // the client asks when it needs them
    this.debouncer.schedule(doc.uri, () => this.push(doc.uri));
  }

  /** A newly opened document is checked at once: nobody is typing yet, so there is nothing to wait for. */
  opened(doc: TextDocument): void {
    const key = fileKey(doc.uri);
    this.openKeys.set(doc.uri, key);
    this.closedFiles.handOver(key, doc.uri, this.pull);
    if (this.pull) {
      this.firstFindings.opened(doc.uri);
      return;
    }
    this.debouncer.runNow(doc.uri, () => this.push(doc.uri));
  }

  /**
   * A file Check Workspace covered, or a policy, keeps its findings in Problems once closed (as
   * the file on disk has them); any other document's go with it.
   */
  closed(doc: TextDocument): void {
    this.firstFindings.answered(doc.uri);
    this.debouncer.forget(doc.uri);
    this.analyses.drop(doc.uri);
    const key = this.openKeys.get(doc.uri) ?? fileKey(doc.uri);
    this.openKeys.delete(doc.uri);
    const file = URI.parse(doc.uri).fsPath;
    if (this.isOpen(key)) {
      // Still open under another URI, which shows the file's findings.
      if (!this.pull) detach(this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }));
      return;
    }
    const checked = this.checked.get(key);
    if (checked === undefined && !isPolicyPath(file)) {
      if (!this.pull) detach(this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }));
      return;
    }
    // Pushed: the document's last set stays under its URI until the file's replaces it (no flicker). Pulled: the client dropped it.
    if (!this.pull) this.closedFiles.adopt(key, doc.uri);
    if (checked !== undefined) void this.recheckClosed(key, checked, doc.uri).catch((e) => this.fail(`checking ${oneLine(file)}`, e));
    else void this.publishClosedPolicies([file]);
  }

  /** After the policy, the advisories or the settings changed: every open document, and every closed one Check Workspace covered, is checked again. */
  async refreshAll(): Promise<void> {
    if (this.pull) {
      detach(this.connection.languages.diagnostics.refresh());
    } else {
      for (const doc of this.documents.all()) this.changed(doc);
    }
    await this.publishClosedPolicies();
    void this.recheckAllClosed();
    await this.sendStatus();
  }

  /** After start-up: the status, and the problems of the policies loaded. */
  async started(): Promise<void> {
    await this.publishClosedPolicies();
    await this.sendStatus();
  }

  /** An open document of the file, under whatever URI the editor gave it. */
  openDocumentFor(file: string): TextDocument | undefined {
    const key = fileKeyOfPath(file);
    for (const [uri, openKey] of this.openKeys) if (openKey === key) return this.documents.get(uri);
    return undefined;
  }

  /**
   * Check Workspace found these files: they are the ones whose findings stay once closed. One it
   * covered last time and did not find now (deleted, moved away) loses its pushed set.
   */
  workspaceFiles(files: readonly string[]): void {
    const found = new Map(files.map((file) => [fileKeyOfPath(file), file]));
    for (const key of this.checked.keys()) {
      if (found.has(key)) continue;
      const uri = this.closedFiles.uriOf(key);
      if (uri) this.closedFiles.publish(key, uri, []);
    }
    this.checked.clear();
    for (const [key, file] of found) this.checked.set(key, file);
  }

  /** Pushes Check Workspace's result for a closed file, unless an editor has it open. */
  publishChecked(check: FileCheck): void {
    const key = fileKeyOfPath(check.file);
    if (this.isOpen(key)) return;
    this.publishFileCheck(key, this.closedFiles.uriOf(key) ?? URI.file(check.file).toString(), check);
  }

  async sendStatus(): Promise<void> {
    this.lastStatus = '';
    await this.sendStatusIfChanged();
  }

  /** The status, when it differs from the last one sent (advisories loaded, or grown older). */
  async sendStatusIfChanged(): Promise<void> {
    const environments = await this.workspace.loadedEnvironments();
    const seenSources = new Set<string>();
    // Environments share sources (the user's extra paths, one folder named by two policies): each problem counts once.
    const seenProblems = new Set<string>();
    const status: AdvisoryStatus = { records: 0, sources: [], problems: 0 };
    for (const { advisories } of environments) {
      for (const s of advisories.sources) {
        if (seenSources.has(s.path)) continue;
        seenSources.add(s.path);
        status.records += s.records;
        status.sources.push(`${this.show(s.path)}: ${s.kind === 'missing' ? `cannot be read (${s.problem})` : `${s.records} record${s.records === 1 ? '' : 's'}`}`);
      }
      for (const p of advisories.problems) seenProblems.add(`${p.file}\0${p.message}`);
    }
    status.problems = seenProblems.size;
    Object.assign(status, this.loadedSummary(environments));
    const age = ageStatus(environments, this.now(), (f) => this.show(f));
    if (age) status.age = age;
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    // The log says what checks are made with, each time that changes: the first thing to read when a finding surprises.
    this.log(statusSummary(status));
    detach(this.connection.sendNotification(advisoryStatusNotification, status));
  }

  /** The policies, SBOMs and VEX documents behind the loaded environments, each file once. */
  private loadedSummary(environments: readonly Environment[]): Pick<AdvisoryStatus, 'policies' | 'sboms' | 'vex'> {
    const policies = new Set<string>();
    let defaults = 0;
    const sboms = new Map<string, boolean>();
    const vex = new Map<string, number>();
    const sbomFolders = new Set<string>();
    const vexFolders = new Set<string>();
    for (const environment of environments) {
      const facts = this.factsOf(environment);
      if (facts.policy !== undefined) policies.add(facts.policy);
      else defaults++;
      for (const [file, ok] of facts.sboms) sboms.set(file, ok);
      for (const [file, statements] of facts.vex) vex.set(file, statements);
      for (const folder of facts.sbomFolders) sbomFolders.add(folder);
      for (const folder of facts.vexFolders) vexFolders.add(folder);
    }
    const unreadable = [...sboms.values()].filter((ok) => !ok).length;
    return {
      policies: { files: [...policies].sort(), defaults },
      sboms: { files: sboms.size, unreadable, folders: [...sbomFolders].sort() },
      vex: { documents: vex.size, statements: [...vex.values()].reduce((a, b) => a + b, 0), folders: [...vexFolders].sort() },
    };
  }

  /**
   * One environment's part of the status, worked out once per loaded environment: the status is
   * looked at after every check, and an environment's SBOMs may number in the thousands.
   */
  private factsOf(environment: Environment): EnvironmentFacts {
    let facts = this.environmentFacts.get(environment);
    if (!facts) {
      const { loaded, releases } = environment;
      facts = {
        ...(loaded.file ? { policy: this.show(loaded.file) } : {}),
        sboms: releases.folders.found.map((entry) => [entry.file, !('problem' in entry)]),
        vex: releases.folders.vex.map((document) => [document.file, document.statements.length]),
        sbomFolders: policyPaths(loaded.policy.sboms, loaded.file, releases.rootDir).map((folder) => this.show(folder)),
        vexFolders: policyPaths(loaded.policy.vex, loaded.file, releases.rootDir).map((folder) => this.show(folder)),
      };
      this.environmentFacts.set(environment, facts);
    }
    return facts;
  }

  private async push(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const { version } = doc;
    const text = doc.getText();
    try {
      const diagnostics = await this.compute(doc);
      const now = this.documents.get(uri);
      if (now?.version !== version || now.getText() !== text) return; // newer text arrived: its own run publishes
      detach(this.connection.sendDiagnostics({ uri, version, diagnostics }));
    } catch (error) {
      this.fail(`checking ${oneLine(uri)}`, error);
    }
  }

  private isOpen(key: string): boolean {
    for (const openKey of this.openKeys.values()) if (openKey === key) return true;
    return false;
  }

  /** A closed file Check Workspace covered, checked from disk as it is now. */
  private async recheckClosed(key: string, file: string, uri: string): Promise<void> {
    const { loaded, advisories, releases, baseline } = await this.workspace.environmentFor(file);
    const check = await checkFile(file, { policy: loaded.policy, advisories, releases, ...baselineOption(baseline, file) });
    if ('error' in check) this.log(oneLine(`${check.file}: ${check.error}`));
    if (!this.isOpen(key)) this.publishFileCheck(key, uri, check);
  }

  private recheckAllClosed(): Promise<void> {
    if (this.recheckWaiting) return this.recheckRun;
    this.recheckWaiting = true;
    this.recheckRun = this.recheckRun.then(async () => {
      this.recheckWaiting = false;
      // Every file Check Workspace covered, clean ones too: the new policy may find something in them.
      for (const [key, file] of [...this.checked]) {
        if (this.isOpen(key)) continue; // the editor's text is checked instead
        const uri = this.closedFiles.uriOf(key) ?? URI.file(file).toString();
        await this.recheckClosed(key, file, uri).catch((e) => this.fail(`checking ${oneLine(file)}`, e));
      }
    });
    return this.recheckRun;
  }

  private publishFileCheck(key: string, uri: string, check: FileCheck): void {
    if ('error' in check) {
      // Findings of a text that cannot be read any more would point at lines nobody can see.
      this.closedFiles.publish(key, uri, []);
      return;
    }
    this.closedFiles.publish(key, uri, this.diagnosticsOf(uri, check.text, check.findings));
  }

  private diagnosticsOf(uri: string, text: string, findings: readonly Finding[]): Diagnostic[] {
    const doc = TextDocument.create(uri, 'yaml', 0, text);
    return findings.map((f) => toDiagnostic(doc, f, this.workspace.ruleHref));
  }

  /**
   * Problems of policy files no editor has open (an invalid policy, broken advisory records),
   * for the policies loaded, the ones shown before and `also`. One shown before that is no longer
   * the policy of its folder (deleted, or moved) is cleared.
   */
  private publishClosedPolicies(also: readonly string[] = []): Promise<void> {
    this.policyRuns = this.policyRuns.then(() => this.publishClosedPoliciesNow(also)).catch((e) => this.fail('publishing the policy files\' problems', e));
    return this.policyRuns;
  }

  private async publishClosedPoliciesNow(also: readonly string[]): Promise<void> {
    const done = new Set<string>();
    const publish = (environment: Environment): void => {
      const { loaded } = environment;
      if (!loaded.file) return;
      const key = fileKeyOfPath(loaded.file);
      if (done.has(key)) return;
      done.add(key);
      if (this.isOpen(key)) return;
      const reads = readsOf(environment);
      let known = this.policyFindingsOf.get(loaded);
      if (!known || !sameReads(known.reads, reads)) this.policyFindingsOf.set(loaded, (known = { reads, findings: closedPolicyFindings(loaded, reads, (f) => this.show(f)) }));
      const { findings } = known;
      if (findings.length === 0 && !this.closedFiles.has(key)) return;
      const uri = this.closedFiles.uriOf(key) ?? URI.file(loaded.file).toString();
      this.closedFiles.publish(key, uri, this.diagnosticsOf(uri, loaded.text ?? '', findings));
    };
    for (const environment of await this.workspace.loadedEnvironments()) publish(environment);
    const shown = this.closedFiles.entries().flatMap(([key, uri]) => {
      const file = URI.parse(uri).fsPath;
      return isPolicyPath(file) ? [{ key, file }] : [];
    });
    for (const { key, file } of [...also.map((file) => ({ key: fileKeyOfPath(file), file })), ...shown]) {
      if (done.has(key)) continue;
      const environment = await this.workspace.environmentForFolder(folderOfPolicy(file)).catch(() => undefined);
      if (environment?.loaded.file && fileKeyOfPath(environment.loaded.file) === key) {
        publish(environment);
      } else {
        done.add(key);
        const uri = this.closedFiles.uriOf(key);
        if (uri && !this.isOpen(key)) this.closedFiles.publish(key, uri, []);
      }
    }
  }

  private fail(what: string, error: unknown): void {
    this.log(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  private show(file: string): string {
    const root = this.workspace.rootFor(file);
    const relative = path.relative(root, file);
    return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
  }
}

/** One line of the log: what the open playbooks are checked with. */
function statusSummary(status: AdvisoryStatus): string {
  const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
  const policies = status.policies ? [...status.policies.files, ...(status.policies.defaults ? ['the built-in defaults'] : [])].join(', ') || 'none yet' : 'none yet';
  const parts = [
    `policy: ${policies}`,
    `advisories: ${plural(status.records, 'record')} from ${plural(status.sources.length, 'source')}${status.age ? `, ${status.age.text} old` : ''}${status.problems ? `, ${plural(status.problems, 'problem')}` : ''}`,
    `SBOMs: ${plural(status.sboms?.files ?? 0, 'file')}${status.sboms?.unreadable ? ` (${status.sboms.unreadable} unreadable)` : ''}`,
    `VEX: ${plural(status.vex?.documents ?? 0, 'document')}, ${plural(status.vex?.statements ?? 0, 'statement')}`,
  ];
  return `Checking with ${parts.join('; ')}`;
}
