/** The effective policy: the security team's settings merged over the built-in defaults (spec section 5). */
import type { Limits } from '../limits.js';
import type { SeveritySetting } from '../types.js';

/** Limits on advisory data, applied by the adapter that reads it. */
interface AdvisoryDataLimits {
  maxRecordBytes: number;
  maxZipEntries: number;
  maxZipBytes: number;
}

/** Limits on SBOM and VEX documents: the size the adapter reads, the components the core parses. */
interface ReleaseDataLimits {
  maxSbomBytes: number;
  maxSbomComponents: number;
}

/** How old advisory data may get before PB110 and the status bar say so (`advisories-max-age`). */
export interface AgeLimit {
  /** As the policy writes it, e.g. `7d` or `36h`. */
  written: string;
  ms: number;
}

export const DEFAULT_ADVISORIES_MAX_AGE: AgeLimit = { written: '7d', ms: 7 * 24 * 60 * 60 * 1000 };

/** Where a channel role's notifications go during a run (`notify`): the variable that holds its webhook URL, never the URL. */
interface WebhookBinding {
  /** The environment variable (or editor secret) holding the URL (`webhook-env`). */
  webhookEnv: string;
}

export interface Policy {
  riskyActions: ReadonlySet<string>;
  securityCheckpoints: ReadonlySet<string>;
  notifySecurityAfter: ReadonlySet<string>;
  /** Channel role → where its notifications are delivered in a run (`notify`); a role left out has none. */
  notify: ReadonlyMap<string, WebhookBinding>;
  /** Marking a step of `notifySecurityAfter` done in a run also notifies security at once (`auto-notify-security`). */
  autoNotifySecurity: boolean;
  /** Advisory sources as written in the policy, relative to the policy file. */
  advisories: readonly string[];
  /** Per-rule severity overrides. */
  rules: Readonly<Record<string, SeveritySetting>>;
  snippets?: string;
  /** Base URL that `playbook advisories --update` downloads `<Ecosystem>/all.zip` from (`advisories-mirror`). */
  advisoriesMirror?: string;
  /** Folder `--update` writes the zips to, relative to the policy file (`advisories-update-dir`). */
  advisoriesUpdateDir?: string;
  /** Absent: the default, 7 days. */
  advisoriesMaxAge?: AgeLimit;
  /** Folders searched for release SBOMs, relative to the policy file (spec section 8). */
  sboms: readonly string[];
  /** Folders of VEX documents, relative to the policy file (spec section 9). */
  vex: readonly string[];
  /** A rollback or deploy target without an SBOM is PB111. */
  requireSbom: boolean;
  /** How PB104's fix references a secret: `NAME` stands for its name (`secret-reference`, default `${NAME}`). */
  secretReference: string;
  /** The baseline file (`playbook check --write-baseline`), relative to the policy file: only findings it does not list count. Absent: none. */
  baseline?: string;
  /** Limits the policy sets; absent ones keep their defaults. */
  limits: Partial<Limits & AdvisoryDataLimits & ReleaseDataLimits>;
}

export const DEFAULT_POLICY: Policy = {
  riskyActions: new Set(['run', 'rollback', 'deploy', 'failover', 'config-change', 'access-grant', 'rotate-secret', 'block-traffic']),
  securityCheckpoints: new Set(['security-review', 'vulnerability-scan', 'access-review']),
  notifySecurityAfter: new Set(['rollback', 'deploy', 'access-grant']),
  notify: new Map(),
  autoNotifySecurity: false,
  advisories: ['.playbooks/advisories'],
  rules: {},
  advisoriesMaxAge: DEFAULT_ADVISORIES_MAX_AGE,
  sboms: ['.playbooks/sboms'],
  vex: ['.playbooks/vex'],
  requireSbom: false,
  secretReference: '${NAME}',
  limits: {},
};
