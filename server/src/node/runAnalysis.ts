/**
 * A playbook as an incident run sees it, the same for `playbook run` and the editor's run panel: its
 * text checked against the policy, advisories, SBOMs and VEX of the environment as it is at that
 * moment (a release is re-checked when a rollback or deploy is marked done); why its flow cannot be
 * followed; what the policy says about telling security after a risky change.
 */
import { checkParsed, flowRefusal, lineLocator, parseForCheck, redactorFor, type Analysis, type Policy } from '../core/index.js';
import type { Environment } from './checkEnvironment.js';
import { releaseDataFor } from './releaseFiles.js';

export async function analyseForRun(file: string, text: string, environment: Environment, now: Date): Promise<Analysis> {
  const { policy } = environment.loaded;
  const parsed = parseForCheck(text, { policy });
  const releases = await releaseDataFor(file, parsed, policy, environment.releases);
  return checkParsed(parsed, { policy, advisories: environment.advisories, releases, now });
}

/** Why a playbook cannot be run: its flow cannot be followed (the dry-run refuses the same playbooks). Plain text, redacted. */
export function runRefusal(analysis: Analysis): string | undefined {
  const refusal = flowRefusal(analysis, lineLocator(analysis.parsed.text));
  return refusal && redactorFor(analysis.parsed)(refusal.message.replace('cannot be rehearsed', 'cannot be followed').replace(/`/g, "'"));
}

/** The policy's `auto-notify-security` and `notify-security-after`. */
export function autoNotifyOf(policy: Policy): { enabled: boolean; after: ReadonlySet<string> } {
  return { enabled: policy.autoNotifySecurity, after: policy.notifySecurityAfter };
}
