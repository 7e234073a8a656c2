/** The effective policy: the security team's settings merged over the built-in defaults (spec section 5). */
import type { Limits } from '../limits.js';
import type { SeveritySetting } from '../types.js';

/** Limits on advisory data, applied by the adapter that reads it. */
export interface AdvisoryDataLimits {
  maxRecordBytes: number;
  maxZipEntries: number;
  maxZipBytes: number;
}

export interface Policy {
  riskyActions: ReadonlySet<string>;
  securityCheckpoints: ReadonlySet<string>;
  notifySecurityAfter: ReadonlySet<string>;
  /** Advisory sources as written in the policy, relative to the policy file. */
  advisories: readonly string[];
  /** Per-rule severity overrides. */
  rules: Readonly<Record<string, SeveritySetting>>;
  snippets?: string;
  /** Limits the policy sets; absent ones keep their defaults. */
  limits: Partial<Limits & AdvisoryDataLimits>;
}

export const DEFAULT_POLICY: Policy = {
  riskyActions: new Set(['run', 'rollback', 'deploy', 'failover', 'config-change', 'access-grant', 'rotate-secret', 'block-traffic']),
  securityCheckpoints: new Set(['security-review', 'vulnerability-scan', 'access-review']),
  notifySecurityAfter: new Set(['rollback', 'deploy', 'access-grant']),
  advisories: ['.playbooks/advisories'],
  rules: {},
  limits: {},
};
