/** The effective policy: the security team's settings merged over the built-in defaults (spec section 5). */
import type { SeveritySetting } from '../types.js';

export interface Policy {
  riskyActions: ReadonlySet<string>;
  securityCheckpoints: ReadonlySet<string>;
  notifySecurityAfter: ReadonlySet<string>;
  /** Advisory sources as written in the policy, relative to the policy file. */
  advisories: readonly string[];
  /** Per-rule severity overrides. */
  rules: Readonly<Record<string, SeveritySetting>>;
  snippets?: string;
}

export const DEFAULT_POLICY: Policy = {
  riskyActions: new Set(['run', 'rollback', 'deploy', 'failover', 'config-change', 'access-grant', 'rotate-secret', 'block-traffic']),
  securityCheckpoints: new Set(['security-review', 'vulnerability-scan', 'access-review']),
  notifySecurityAfter: new Set(['rollback', 'deploy', 'access-grant']),
  advisories: ['.playbooks/advisories'],
  rules: {},
};
