/**
 * What a check worker does with one file, also run in process when there are no workers: find or
 * take the file's environment (policy + advisories, loaded once per runner), check the file, and
 * the first time a policy is used, report the policy's own problems so they are shown once.
 * Tasks and results are plain data, so they cross the thread boundary unchanged.
 */
import * as path from 'node:path';
import { advisoryProblemFindings, type AdvisorySnapshot, type BaselineEntry, type Policy, type Finding, oneLine, releaseProblemFindings } from '../core/index.js';
import { AdvisoryStore, type SourceRef } from './advisoryStore.js';
import { checkFailure, checkFile, type FileCheck } from './checkFile.js';
import { CheckEnvironment, type Environment } from './checkEnvironment.js';
import { readReleaseFolders, ReleaseFileCache, type ReleaseContext } from './releaseFiles.js';

export type EnvironmentSpec =
  /** Each playbook's nearest policy up to `rootDir` (or `policyFile` for all), as the CLI finds them. */
  | { kind: 'discover'; rootDir: string; policyFile?: string }
  /** A policy the caller has already resolved (the server, with the user's settings) and the advisory sources it names. */
  | { kind: 'given'; key: string; policy: Policy; sources: SourceRef[]; policyFile?: string; rootDir: string };

export interface CheckTask {
  file: string;
  environment: EnvironmentSpec;
  /** The entries of the baseline the caller matches this file against (it resolved which baseline applies). */
  baseline?: readonly BaselineEntry[];
}

export interface TaskResult {
  check: FileCheck;
  /** With a `discover` spec: the policy file the playbook was checked under ('' for the built-in defaults). */
  policyKey?: string;
  /** With a `discover` spec, the first time this runner used that policy. */
  environment?: EnvironmentReport;
}

export interface EnvironmentReport {
  key: string;
  policy: Policy;
  /** Findings on the policy file itself, or on each broken advisory record when there is no policy file. */
  files: PolicyFileFindings[];
}

interface PolicyFileFindings {
  file: string;
  text: string;
  findings: Finding[];
}

/** Runs in a worker thread or in the CLI's own thread, which have nothing else to do: files are read blocking. */
export class TaskRunner {
  private readonly store = new AdvisoryStore();
  private readonly discovered = new Map<string, CheckEnvironment>();
  private readonly given = new Map<string, Promise<AdvisorySnapshot>>();
  private readonly givenReleases = new Map<string, Promise<ReleaseContext>>();
  private readonly releaseFiles = new ReleaseFileCache();
  private readonly reported = new Set<string>();

  async run(task: CheckTask): Promise<TaskResult> {
    try {
      const spec = task.environment;
      const baseline = task.baseline ? { baseline: task.baseline } : {};
      if (spec.kind === 'given') return { check: await checkFile(task.file, { policy: spec.policy, advisories: await this.advisoriesFor(spec), releases: await this.releasesFor(spec), ...baseline }, true) };
      const environment = await this.discover(spec).forPlaybook(task.file);
      const policyKey = environment.loaded.file ?? '';
      const check = await checkFile(task.file, { policy: environment.loaded.policy, advisories: environment.advisories, releases: environment.releases, ...baseline }, true);
      if (this.reported.has(policyKey)) return { check, policyKey };
      this.reported.add(policyKey);
      const files = environmentFindings(environment, (file) => displayPath(file, spec.rootDir));
      return { check, policyKey, environment: { key: policyKey, policy: environment.loaded.policy, files } };
    } catch (error) {
      return { check: { file: task.file, error: checkFailure(error) } };
    }
  }

  private discover(spec: Extract<EnvironmentSpec, { kind: 'discover' }>): CheckEnvironment {
    const key = `${spec.rootDir}\0${spec.policyFile ?? ''}`;
    let environment = this.discovered.get(key);
    if (!environment) this.discovered.set(key, (environment = new CheckEnvironment(spec.rootDir, spec.policyFile, this.store)));
    return environment;
  }

  private releasesFor(spec: Extract<EnvironmentSpec, { kind: 'given' }>): Promise<ReleaseContext> {
    let releases = this.givenReleases.get(spec.key);
    if (!releases) {
      const context = readReleaseFolders(spec.policy, spec.policyFile, spec.rootDir, this.releaseFiles).then((folders) => ({ folders, cache: this.releaseFiles, rootDir: spec.rootDir }));
      this.givenReleases.set(spec.key, (releases = context));
    }
    return releases;
  }

  private advisoriesFor(spec: Extract<EnvironmentSpec, { kind: 'given' }>): Promise<AdvisorySnapshot> {
    let advisories = this.given.get(spec.key);
    if (!advisories) this.given.set(spec.key, (advisories = this.store.load(spec.sources, spec.policy.limits)));
    return advisories;
  }
}

/** The policy's own findings and its advisory problems (PB110), on the policy file, or on each broken record when there is no policy file. */
function environmentFindings({ loaded, advisories, releases }: Environment, show: (file: string) => string): PolicyFileFindings[] {
  if (loaded.file) {
    const text = loaded.text ?? '';
    const findings = [...loaded.findings, ...advisoryProblemFindings(advisories, text, loaded.policy, show), ...releaseProblemFindings(releases.folders.problems, text, loaded.policy, show)];
    return findings.length ? [{ file: loaded.file, text, findings }] : [];
  }
  const problems = [...advisories.problems.filter((p) => p.file), ...releases.folders.problems];
  return problems.map((p) => ({ file: p.file, text: '', findings: [{ ruleId: 'PB110', severity: p.severity, message: p.message, range: { start: 0, end: 0 } }] }));
}

/** A path as users see it in output: relative to the working directory, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  return shown.split(path.sep).join('/');
}

/** `displayPath` for a line of text output: control characters in the name escaped, so one message stays one line. */
export function shownPath(file: string, cwd: string): string {
  return oneLine(displayPath(file, cwd));
}
