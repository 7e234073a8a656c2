/** Diagnostics for a policy file: its own problems, and its advisory sources' (PB110). */
import { advisoryProblemFindings } from '../core/advisories/problemFindings.js';
import type { AdvisorySnapshot } from '../core/advisories/snapshot.js';
import { parsePolicy } from '../core/policy/parsePolicy.js';
import type { Finding } from '../core/types.js';

/** `text` is the editor's (possibly unsaved) text of the policy; advisories come from the saved one. */
export function policyFindings(text: string, advisories: AdvisorySnapshot | undefined, show: (file: string) => string): Finding[] {
  const parsed = parsePolicy(text);
  return [...parsed.findings, ...(advisories ? advisoryProblemFindings(advisories, text, parsed.policy, show) : [])];
}

export function isPolicyPath(file: string): boolean {
  return /[\\/]\.playbooks[\\/]policy\.ya?ml$/.test(file);
}
