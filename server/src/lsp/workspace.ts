/**
 * The server's view of the workspace: for each playbook, the nearest policy and the advisories it
 * names (plus the user's extra advisory paths), its baseline and the policy's snippets, loaded once
 * and reloaded only when a file under `.playbooks/` (or a file a check read) changes — and then only
 * the changed advisory files are parsed again. A load that failed is not kept (see CheckEnvironment): the next request retries.
 */
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { URI } from 'vscode-uri';
import { type SnippetDefinition, withRuleOverrides } from '../core/index.js';
import { AdvisoryStore } from '../node/advisoryStore.js';
import { CheckEnvironment, type Environment } from '../node/checkEnvironment.js';
import type { BackgroundPace } from '../node/releaseFiles.js';
import { ruleLink } from './ruleLink.js';
import { waitAtMost } from './waitAtMost.js';
import { PolicySnippetCache } from '../node/policySnippets.js';
import { DEFAULT_SETTINGS, type PlaybookSettings } from '../shared/protocol.js';

/** Where an unsaved playbook is checked from when no workspace folder is open: a folder that does not exist, so no policy applies. */
const UNSAVED_FOLDER = '.incident-playbook-unsaved';

/** How long environments wait for a client's settings at start-up before going on with the defaults. */
const SETTINGS_WAIT_MS = 2_000;

export class Workspace {
  private environments = new Map<string, CheckEnvironment>();
  private snippets = new PolicySnippetCache();
  /** The environment with the user's rule settings on top, one object per loaded environment: analyses compare them by identity. */
  private withSettings = new WeakMap<Environment, Environment>();
  private settings: PlaybookSettings = DEFAULT_SETTINGS;
  /** Resolved once the client's settings are in (or were waited for long enough): see `readingSettings`. */
  private settingsRead: Promise<void> = Promise.resolve();

  /** `backgroundPace`: what SBOMs read in the background wait for (the server's pause in typing). */
  constructor(private roots: string[], private readonly store = new AdvisoryStore(), private readonly backgroundPace?: BackgroundPace) {}

  setRoots(roots: string[]): void {
    this.roots = roots;
    this.invalidate();
  }

  /**
   * Whether the settings changed. The same settings again keep every environment, and with them
   * every analysis: the editor's client reports a change at start-up, and on changes that leave
   * this extension's settings as they were.
   */
  setSettings(settings: PlaybookSettings): boolean {
    if (isDeepStrictEqual(settings, this.settings)) return false;
    this.settings = settings;
    this.invalidate();
    return true;
  }

  /**
   * The client's settings are being read (at start-up): environments wait for them, at most
   * `maxWaitMs`, so that a playbook opened meanwhile is not first checked under the defaults and
   * then again, its findings shown and taken back (a rule the user turned off, an advisory path).
   * `late`: the settings came after the environments stopped waiting and are not the defaults
   * (what was checked meanwhile must be checked again).
   */
  readingSettings(read: Promise<PlaybookSettings>, maxWaitMs = SETTINGS_WAIT_MS): Promise<{ late: boolean }> {
    const applied = read.then((settings) => this.setSettings(settings));
    const inTime = waitAtMost(applied, maxWaitMs);
    this.settingsRead = inTime.then(() => undefined);
    return applied.then(async (changed) => ({ late: changed && (await inTime) === undefined }));
  }

  /** Where a diagnostic's rule link leads (`playbook.ruleDocumentationUrl`, else the page shipped with the extension). */
  readonly ruleHref = (ruleId: string): string => ruleLink(ruleId, this.settings.ruleDocumentationUrl);

  /** Policies, advisories and snippets are loaded again when next asked for (an analysis of older ones is not reused). */
  invalidate(): void {
    this.environments = new Map();
    this.snippets = new PolicySnippetCache();
    this.withSettings = new WeakMap();
  }

  /**
   * The path a document is checked as: its file, or for a document with no file behind it (an
   * unsaved `untitled:` playbook) a file of that name in the first workspace folder, whose policy,
   * advisories and SBOM folders then apply (with no folder open, a folder that holds no policy).
   */
  fileOf(uri: string): string {
    const parsed = URI.parse(uri);
    if (parsed.scheme === 'file') return parsed.fsPath;
    const name = path.basename(parsed.path) || 'untitled';
    return path.join(this.roots[0] ?? path.join(path.parse(process.cwd()).root, UNSAVED_FOLDER), name);
  }

  /** The workspace folder holding the file, else the file's own folder. */
  rootFor(file: string): string {
    return this.enclosingRoot(file) ?? path.dirname(file);
  }

  /** The innermost workspace folder that is or holds `p`. */
  private enclosingRoot(p: string): string | undefined {
    const inside = this.roots.filter((r) => p === r || p.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    return inside.sort((a, b) => b.length - a.length)[0];
  }

  allRoots(): string[] {
    return [...this.roots];
  }

  /** The environment a playbook at `file` is checked with. */
  environmentFor(file: string): Promise<Environment> {
    return this.environmentForFolder(path.dirname(file), this.rootFor(file));
  }

  /** The environment the playbooks of `folder` are checked with (the folder of a policy's `.playbooks/`, a workspace root). */
  async environmentForFolder(folder: string, root = this.enclosingRoot(folder) ?? folder): Promise<Environment> {
    await this.settingsRead;
    let environment = this.environments.get(root);
    if (!environment) {
      const extra = this.settings.advisoryPaths.map((p) => ({ entry: p, path: path.resolve(root, p) }));
      environment = new CheckEnvironment(root, undefined, this.store, extra, { retryUnreadable: true, sbomHeadsFirst: true, readBaseline: true, ...(this.backgroundPace ? { backgroundPace: this.backgroundPace } : {}) });
      this.environments.set(root, environment);
    }
    const found = await environment.environmentForFolder(folder);
    const rules = this.settings.rules;
    if (!Object.keys(rules).length) return found;
    let shown = this.withSettings.get(found);
    if (!shown) this.withSettings.set(found, (shown = { ...found, loaded: { ...found.loaded, policy: withRuleOverrides(found.loaded.policy, rules) } }));
    return shown;
  }

  /** The snippets of the policy the file falls under, read once per load of the workspace's policies. */
  async snippetsFor(file: string): Promise<SnippetDefinition[]> {
    const { loaded } = await this.environmentFor(file);
    return this.snippets.get(loaded.file, loaded.policy.snippets);
  }

  /** Whether a changed file is an SBOM or VEX document some check read, or lies in a policy's `sboms` or `vex` folder. */
  async readsReleaseFile(file: string): Promise<boolean> {
    return (await Promise.all([...this.environments.values()].map((e) => e.readsReleaseFile(file)))).some(Boolean);
  }

  /** Whether a changed file is the baseline some policy names. */
  async readsBaselineFile(file: string): Promise<boolean> {
    return (await Promise.all([...this.environments.values()].map((e) => e.readsBaselineFile(file)))).some(Boolean);
  }

  /** Every environment loaded so far, for the status bar and the policy's own diagnostics. */
  async loadedEnvironments(): Promise<Environment[]> {
    return (await Promise.all([...this.environments.values()].map((e) => e.used()))).flat();
  }
}
