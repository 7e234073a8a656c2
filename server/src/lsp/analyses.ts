/**
 * One analysis per document text and environment: features never re-check the same text under
 * the same policy and advisories. The text is part of the key, not only the version number: a
 * client may send one version twice with different text, and an analysis of the first would give
 * the second stale offsets. Each check builds on the document's previous parse, so an edit inside
 * one step re-parses only that step; that parse's tree then belongs to the newer text, which is
 * why readers use `current()`, never an analysis of a text the document has left.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkParsed, parseForCheck, readingSboms, targetFoundSboms, targetSbomPaths, versionTargets, type Analysis, type ParsedPlaybook } from '../core/index.js';
import { baselineOption } from '../node/baselineFile.js';
import { releaseDataFor, releaseDataNow } from '../node/releaseFiles.js';
import type { Environment } from '../node/checkEnvironment.js';
import { waitAtMost } from './waitAtMost.js';
import type { Workspace } from './workspace.js';

interface Cached {
  version: number;
  text: string;
  /** The policy and advisories it was made with: a reloaded environment is a new object. */
  environment: Environment;
  /** The clock's epoch it was made in: advisories that grew old since change its findings. */
  epoch: number;
  analysis: Analysis;
}

/** How long a hover waits for the SBOMs still being read before it answers without them. */
const SETTLE_WAIT_MS = 2_000;

export class Analyses {
  private readonly cache = new Map<string, Cached>();
  /** The newest parse of each open document, for the next text to build on. */
  private readonly lastParse = new Map<string, ParsedPlaybook>();

  private epoch = 0;

  /** Release data whose pending SBOMs are being read already (once each, however many checks see them pending). */
  private readonly reading = new WeakSet<object>();

  /** Called when SBOMs left pending by a check have been read: the server checks open playbooks again. */
  onReleaseFilesRead: (() => void) | undefined;

  constructor(private readonly workspace: Workspace, private readonly now: () => Date = () => new Date()) {}

  /** Time passed a point that changes findings (advisories grew older than the policy allows): no analysis made before is reused. */
  timePassed(): void {
    this.epoch++;
  }

  /**
   * The analysis of the document's text at the call. Comparing texts costs a pass over them at
   * most (an unchanged document hands back the very same string), far less than a check.
   */
  async get(doc: TextDocument): Promise<Analysis> {
    const { uri, version } = doc;
    const text = doc.getText();
    const file = this.workspace.fileOf(uri);
    const environment = await this.workspace.environmentFor(file);
    const hit = this.cache.get(uri);
    // An analysis made while some SBOMs were still being read is not reused: once they are in, the check is made again with them.
    if (hit && hit.version === version && hit.environment === environment && hit.epoch === this.epoch && hit.text === text && !readingSboms(hit.analysis.releases)) return hit.analysis;
    // Only the document's current text builds on (and replaces) the last parse: an older request still running parses afresh.
    const current = doc.version === version && doc.getText() === text;
    const { policy } = environment.loaded;
    const parsed = parseForCheck(text, { policy, previous: current ? this.lastParse.get(uri) : undefined });
    if (current) this.lastParse.set(uri, parsed);
    // The SBOMs the text names come from the cache, and those found in the policy's folders were
    // read by their heads. The rollback and deploy targets' are read whole and waited for (once;
    // the check starts over); the others are read after these diagnostics, and then every open
    // playbook is checked again: a first open waits for two SBOMs, not twenty.
    const targets = versionTargets(parsed);
    const required = { named: targetSbomPaths(targets), found: targetFoundSboms(targets, environment.releases.folders.found) };
    const releases = releaseDataNow(file, parsed, policy, environment.releases, required);
    if (!releases) {
      await releaseDataFor(file, parsed, policy, environment.releases, required);
      return this.get(doc);
    }
    if (readingSboms(releases) && !this.reading.has(releases)) {
      this.reading.add(releases);
      // In the background: each of these SBOMs waits for a pause in typing (the workspace's pace).
      const rest = Promise.all([releaseDataFor(file, parsed, policy, environment.releases, undefined, true), environment.releases.readRest?.()]);
      void rest.then(() => this.onReleaseFilesRead?.(), () => undefined);
    }
    const analysis = checkParsed(parsed, { policy, advisories: environment.advisories, releases, now: this.now(), ...baselineOption(environment.baseline, file) });
    if (current) this.cache.set(uri, { version, text, environment, epoch: this.epoch, analysis });
    return analysis;
  }

  /**
   * The analysis of the document's text when this resolves (the caller must read it before
   * awaiting anything else): if an edit arrived while it was computed, the newer one is awaited.
   */
  async current(doc: TextDocument): Promise<Analysis> {
    let analysis: Analysis | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const version = doc.version;
      const text = doc.getText();
      analysis = await this.get(doc);
      if (doc.version === version && doc.getText() === text) return analysis;
    }
    return analysis!;
  }

  /**
   * As `current`, with the SBOMs its check was still reading (left for a pause in typing) read
   * first, at once: for a request the user waits on, such as a hover, which would otherwise say
   * "still being read" for as long as the user types on. Waits at most `maxWaitMs`: what is not
   * read by then goes on being read, and the answer says so.
   */
  async settled(doc: TextDocument, maxWaitMs = SETTLE_WAIT_MS): Promise<Analysis> {
    const analysis = await this.current(doc);
    if (!readingSboms(analysis.releases)) return analysis;
    const file = this.workspace.fileOf(doc.uri);
    // Read before anything is awaited: a later edit may build on this parse (see `get`).
    const { parsed, policy } = analysis;
    const environment = await this.workspace.environmentFor(file);
    await waitAtMost(releaseDataFor(file, parsed, policy, environment.releases), maxWaitMs);
    return this.current(doc);
  }

  drop(uri: string): void {
    this.cache.delete(uri);
    this.lastParse.delete(uri);
  }
}
