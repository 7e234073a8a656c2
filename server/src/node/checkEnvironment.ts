/**
 * What a playbook is checked with: the nearest policy, the advisories it names and the baseline it
 * names. Each policy and each advisory set is loaded once and shared by every playbook under it. A load that threw
 * is never kept. The language server, which lives for hours, keeps no failed load either: one
 * that met a policy or an advisory source it could not read is done again for the next playbook
 * that needs it (what was unreadable a moment ago may be readable now, and no file-change event
 * need say so). A CLI run keeps its first answer, so every file of the run is checked alike.
 */
import * as path from 'node:path';
import { unknownVulnerabilities, type AdvisorySnapshot } from '../core/index.js';
import { advisorySources } from './advisorySources.js';
import { AdvisoryStore, type SourceRef } from './advisoryStore.js';
import { loadBaseline, policyBaselineFile, type LoadedBaseline } from './baselineFile.js';
import { PolicyCache, type LoadedPolicy } from './policyFiles.js';
import { isReleaseFile, readReleaseFolders, ReleaseFileCache, type BackgroundPace, type ReleaseContext, type ReleaseFolders } from './releaseFiles.js';

export interface Environment {
  loaded: LoadedPolicy;
  advisories: AdvisorySnapshot;
  /** The policy's SBOM and VEX folders as read, and the cache the playbooks' own SBOMs are read through. */
  releases: ReleaseContext;
  /** The baseline the policy names (`baseline`), as read: its entries, or why it cannot be used. */
  baseline?: LoadedBaseline;
}

interface Entry {
  loaded: LoadedPolicy;
  environment: Promise<Environment>;
  /** Set when the load met something it could not read: the next request loads again. */
  retry: boolean;
}

export interface EnvironmentOptions {
  /** Load again what could not be read (the language server); default: keep the first answer (a CLI run). */
  retryUnreadable?: boolean;
  /**
   * Read the SBOMs of the policy's folders by their heads first, and the rest when a check asks
   * (`releases.readRest`), so the first diagnostics wait for the releases they are about, not for
   * every SBOM (the language server); default: read each whole at once (a CLI run).
   */
  sbomHeadsFirst?: boolean;
  /** Read the baseline the policy names into the environment (the language server); a CLI run resolves its baselines itself, before checking. */
  readBaseline?: boolean;
  /** What the SBOMs read in the background (`releases.readRest`) wait for first: the language server's pause in typing. */
  backgroundPace?: BackgroundPace;
}

export class CheckEnvironment {
  private readonly policies: PolicyCache;
  private readonly entries = new Map<string, Entry>();
  /** SBOM and VEX files, read once per environment set (the server makes a new one when a file changes); parsed SBOMs kept where the store keeps advisories. */
  private readonly releaseFiles: ReleaseFileCache;
  /** Baselines, by path: read once per environment set; one that could not be read is read again. */
  private readonly baselines = new Map<string, LoadedBaseline>();

  constructor(
    private readonly rootDir: string,
    explicitPolicyFile?: string,
    private readonly store = new AdvisoryStore(),
    private readonly extraSources: readonly SourceRef[] = [],
    private readonly options: EnvironmentOptions = {},
  ) {
    this.policies = new PolicyCache(rootDir, explicitPolicyFile, options);
    this.releaseFiles = new ReleaseFileCache(store.cacheDir, options.backgroundPace);
  }

  /** What the playbooks of `folder` are checked with: the nearest policy at or above it and its advisories. */
  async environmentForFolder(folder: string): Promise<Environment> {
    const loaded = await this.policies.forFolder(folder);
    const key = loaded.file ?? '';
    const entry = this.entries.get(key);
    if (entry && entry.loaded === loaded && !entry.retry) return entry.environment;
    return this.load(key, loaded, entry);
  }

  forPlaybook(playbookPath: string): Promise<Environment> {
    return this.environmentForFolder(path.dirname(path.resolve(playbookPath)));
  }

  /** Whether a changed file is an SBOM or VEX document the environments read, or lies in one of their folders. */
  async readsReleaseFile(file: string): Promise<boolean> {
    return (await this.used()).some((e) => isReleaseFile(file, e.releases.folders, this.releaseFiles));
  }

  /** Whether a changed file is the baseline a policy names (read or not: one that was missing may have been written). */
  async readsBaselineFile(file: string): Promise<boolean> {
    return (await this.used()).some((e) => e.baseline?.file === path.resolve(file));
  }

  /** Every environment used so far (loads that failed left out), to report the policy's own findings once. */
  async used(): Promise<Environment[]> {
    const settled = await Promise.allSettled([...this.entries.values()].map((e) => e.environment));
    return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  }

  private load(key: string, loaded: LoadedPolicy, previous: Entry | undefined): Promise<Environment> {
    const sources = [...advisorySources(loaded.policy, loaded.file, this.rootDir), ...this.extraSources];
    const entry: Entry = { loaded, environment: undefined as unknown as Promise<Environment>, retry: false };
    const byHeads = this.options.sbomHeadsFirst === true;
    const folders = readReleaseFolders(loaded.policy, loaded.file, this.rootDir, this.releaseFiles, byHeads);
    const baselineFile = this.options.readBaseline ? policyBaselineFile(loaded.policy, loaded.file, this.rootDir) : undefined;
    const baselineLoad = baselineFile === undefined ? undefined : this.baselineFor(baselineFile);
    entry.environment = Promise.all([this.store.load(sources, loaded.policy.limits), folders, baselineLoad]).then(async ([advisories, releaseFolders, baseline]) => {
      entry.retry = this.options.retryUnreadable === true && (metReadFailure(advisories) || baseline?.readFailed === true);
      // The store answers an unchanged set of sources with the same snapshot: then the environment stays the same object, and analyses built on it stay valid.
      const before = await previous?.environment.catch(() => undefined);
      if (before && before.loaded === loaded && before.advisories === advisories && foldersRead.get(before) === releaseFolders && before.baseline === baseline) return before;
      const withBaseline = baseline ? { baseline } : {};
      const whole = (read: ReleaseFolders): Environment => remember({ loaded, advisories, releases: { folders: withUnknownVulnerabilities(read, advisories), cache: this.releaseFiles, rootDir: this.rootDir }, ...withBaseline }, read);
      if (!releaseFolders.found.some((found) => 'head' in found)) return whole(releaseFolders);
      // Until the rest is read, statements about found releases cannot be judged: their problems come with the whole environment.
      const byHead: Environment = remember({ loaded, advisories, releases: { folders: releaseFolders, cache: this.releaseFiles, rootDir: this.rootDir }, ...withBaseline }, releaseFolders);
      let rest: Promise<void> | undefined;
      byHead.releases.readRest = () =>
        (rest ??= readReleaseFolders(loaded.policy, loaded.file, this.rootDir, this.releaseFiles, false, true).then((read) => {
          if (this.entries.get(key) === entry) entry.environment = Promise.resolve(whole(read));
        }));
      return byHead;
    });
    entry.environment.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry.environment;
  }

  /**
   * The baseline at `file`: kept once read, so an environment loaded again because an advisory
   * source could not be read does not parse it again (a change to it makes a new environment set);
   * read again while it cannot be read.
   */
  private async baselineFor(file: string): Promise<LoadedBaseline> {
    const known = this.baselines.get(file);
    if (known && !known.readFailed) return known;
    const fresh = await loadBaseline(file);
    this.baselines.set(file, fresh);
    return fresh;
  }
}

/** The release folders each environment was made from, as read (before the problems the environment adds). */
const foldersRead = new WeakMap<Environment, ReleaseFolders>();
function remember(environment: Environment, read: ReleaseFolders): Environment {
  foldersRead.set(environment, read);
  return environment;
}

/** A VEX statement about a vulnerability no advisory reports for its products decides nothing: said on the policy (PB110). */
function withUnknownVulnerabilities(folders: ReleaseFolders, advisories: AdvisorySnapshot): ReleaseFolders {
  const unknown = unknownVulnerabilities(folders.vex, folders.found, advisories.index);
  return unknown.length ? { ...folders, problems: [...folders.problems, ...unknown] } : folders;
}

/**
 * A source that is missing or a file that could not be read (the loaders word these problems
 * "cannot be read (…)") may be there a moment later; a record that was read and found broken
 * stays broken until its file changes, which the file watcher reports.
 */
function metReadFailure(advisories: AdvisorySnapshot): boolean {
  return advisories.sources.some((s) => s.kind === 'missing') || advisories.problems.some((p) => /^cannot be read\b/.test(p.message));
}
