/** How the security team's policy sees an action or a checkpoint kind, in the words shown to the user. */
import { DEFAULT_POLICY, type Policy } from '../../policy/policy.js';
import { code } from '../../util/markdownText.js';

/** "risky by default", "risky under your policy", "not risky under your policy", or undefined. */
export function riskNote(action: string, policy: Policy): string | undefined {
  const byDefault = DEFAULT_POLICY.riskyActions.has(action);
  if (policy.riskyActions.has(action)) return byDefault ? 'risky by default' : 'risky under your policy';
  return byDefault ? 'not risky under your policy' : undefined;
}

/** "security checkpoint", "security checkpoint under your policy", or the negations. */
export function checkpointNote(kind: string, policy: Policy): string {
  const byDefault = DEFAULT_POLICY.securityCheckpoints.has(kind);
  if (policy.securityCheckpoints.has(kind)) return byDefault ? 'security checkpoint' : 'security checkpoint under your policy';
  return byDefault ? 'not a security checkpoint under your policy' : 'not a security checkpoint';
}

/** `a`, `b` and `c` */
export function codeList(values: Iterable<string>): string {
  const quoted = [...values].map(code);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
