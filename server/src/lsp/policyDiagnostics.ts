/** Diagnostics for a policy file: its own problems, its advisory sources' and its SBOM and VEX folders' (PB110). */
import { advisoryProblemFindings, type AdvisorySnapshot, parsePolicy, type Finding, releaseProblemFindings, type ReleaseFileProblem } from '../core/index.js';
import type { LoadedPolicy } from '../node/policyFiles.js';

/** `text` is the editor's (possibly unsaved) text of the policy; advisories come from the saved one. */
export function policyFindings(text: string, advisories: AdvisorySnapshot | undefined, show: (file: string) => string, releaseProblems: readonly ReleaseFileProblem[] = []): Finding[] {
  const parsed = parsePolicy(text);
  return [...parsed.findings, ...(advisories ? advisoryProblemFindings(advisories, text, parsed.policy, show) : []), ...releaseProblemFindings(releaseProblems, text, parsed.policy, show)];
}

/** A policy file no editor has open, as it was loaded from disk: one that could not be read or is not text has only its load's finding. */
export function closedPolicyFindings(loaded: LoadedPolicy, advisories: AdvisorySnapshot | undefined, show: (file: string) => string, releaseProblems: readonly ReleaseFileProblem[] = []): Finding[] {
  return loaded.text === undefined ? loaded.findings : policyFindings(loaded.text, advisories, show, releaseProblems);
}

export function isPolicyPath(file: string): boolean {
  return /[\\/]\.playbooks[\\/]policy\.ya?ml$/.test(file);
}
