/** Diagnostics for a policy file: its own problems, and those of what it names (PB110): its advisory sources, its SBOM and VEX folders, its baseline. */
import { advisoryProblemFindings, type AdvisorySnapshot, baselineProblemFindings, parsePolicy, type Finding, releaseProblemFindings, type ReleaseFileProblem } from '../core/index.js';
import type { LoadedBaseline } from '../node/baselineFile.js';
import type { LoadedPolicy } from '../node/policyFiles.js';

/** What the environment read from the files the policy names. */
export interface PolicyReads {
  advisories?: AdvisorySnapshot;
  releaseProblems: readonly ReleaseFileProblem[];
  baseline?: LoadedBaseline;
}

/** `text` is the editor's (possibly unsaved) text of the policy; what it names was read by the saved one. */
export function policyFindings(text: string, reads: PolicyReads, show: (file: string) => string): Finding[] {
  const parsed = parsePolicy(text);
  const { advisories, releaseProblems, baseline } = reads;
  const baselineProblem = baseline?.problem !== undefined ? { file: baseline.file, problem: baseline.problem } : undefined;
  return [
    ...parsed.findings,
    ...(advisories ? advisoryProblemFindings(advisories, text, parsed.policy, show) : []),
    ...releaseProblemFindings(releaseProblems, text, parsed.policy, show),
    ...baselineProblemFindings(baselineProblem, text, parsed.policy, show),
  ];
}

/** A policy file no editor has open, as it was loaded from disk: one that could not be read or is not text has only its load's finding. */
export function closedPolicyFindings(loaded: LoadedPolicy, reads: PolicyReads, show: (file: string) => string): Finding[] {
  return loaded.text === undefined ? loaded.findings : policyFindings(loaded.text, reads, show);
}

export function isPolicyPath(file: string): boolean {
  return /[\\/]\.playbooks[\\/]policy\.ya?ml$/.test(file);
}
