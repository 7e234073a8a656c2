/**
 * Which baseline each playbook of a `playbook check` run is matched against: the `--baseline` file
 * for all, else the `baseline` its own policy names (so CI and the editor agree), else none. Every
 * baseline is read before any file is checked: one that cannot be used stops the run with one
 * line (exit 2), rather than printing every finding it would have held back.
 */
import * as path from 'node:path';
import type { BaselineEntry } from '../core/index.js';
import { baselineEntriesFor, loadBaseline, policyBaselineFile, type LoadedBaseline } from '../node/baselineFile.js';
import { PolicyCache } from '../node/policyFiles.js';
import { displayPath } from './report.js';

export interface BaselinePlan {
  /** Some playbook of the run is matched against a baseline: SARIF and JSON then say of each result whether it is new. */
  readonly inUse: boolean;
  /** The entries of the file's baseline (empty when it lists none for the file); undefined when no baseline applies to it. */
  entriesFor(file: string): readonly BaselineEntry[] | undefined;
}

interface PlanArgs {
  /** `--baseline`, as given. */
  baseline?: string | undefined;
  /** `--policy`, as given. */
  policyFile?: string | undefined;
}

/** The plan, or the problems of the baselines that cannot be used, each a line without `playbook: `. */
export async function baselinePlan(files: readonly string[], args: PlanArgs, cwd: string): Promise<BaselinePlan | { problems: string[] }> {
  if (args.baseline !== undefined) {
    const loaded = await loadBaseline(path.resolve(cwd, args.baseline));
    if (loaded.problem !== undefined) return { problems: [`baseline ${displayPath(loaded.file, cwd)}: ${loaded.problem}`] };
    return { inUse: true, entriesFor: (file) => baselineEntriesFor(loaded, file) };
  }
  const policies = new PolicyCache(cwd, args.policyFile === undefined ? undefined : path.resolve(cwd, args.policyFile));
  const loads = new Map<string, Promise<LoadedBaseline>>();
  const byFile = new Map<string, LoadedBaseline>();
  const problems: string[] = [];
  for (const file of files) {
    const { policy, file: policyFile } = await policies.forFolder(path.dirname(file));
    const baselineFile = policyBaselineFile(policy, policyFile, cwd);
    if (baselineFile === undefined) continue;
    let load = loads.get(baselineFile);
    if (!load) {
      loads.set(baselineFile, (load = loadBaseline(baselineFile)));
      const { problem } = await load;
      if (problem !== undefined) problems.push(`baseline ${displayPath(baselineFile, cwd)} (the policy ${displayPath(policyFile ?? '', cwd)} names it): ${problem}`);
    }
    byFile.set(file, await load);
  }
  if (problems.length) return { problems };
  return {
    inUse: byFile.size > 0,
    entriesFor: (file) => {
      const loaded = byFile.get(file);
      return loaded && baselineEntriesFor(loaded, file);
    },
  };
}

/** `--write-baseline`: every file's findings carry their keys, none is matched. */
export const WRITING_PLAN: BaselinePlan = { inUse: false, entriesFor: () => [] };
