/** Where a policy's `advisories` entries point on disk (spec section 5: relative to the policy file). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Policy } from '../core/index.js';
import type { SourceRef } from './advisoryStore.js';

/**
 * Relative to the policy file's folder. The spec's own default, `.playbooks/advisories`, is written
 * as if relative to the folder holding `.playbooks/`, so when the first reading does not exist and
 * the policy sits in `.playbooks/`, the folder above it is tried too. Without a policy file the
 * defaults are relative to the root (the workspace, or the CLI's working directory). `exists` says
 * which paths are there (an update asks about the folders it is about to create).
 */
export function advisorySources(policy: Policy, policyFile: string | undefined, rootDir: string, exists: (p: string) => boolean = existsSync): SourceRef[] {
  const base = policyFile ? path.dirname(policyFile) : rootDir;
  return policy.advisories.map((entry) => {
    const direct = path.resolve(base, entry);
    if (exists(direct) || !policyFile || path.basename(base) !== '.playbooks') return { entry, path: direct };
    const fromRoot = path.resolve(path.dirname(base), entry);
    return { entry, path: exists(fromRoot) ? fromRoot : direct };
  });
}
