/** Paths a policy names (`sboms`, `vex`, `baseline`) on disk. */
import * as path from 'node:path';

/**
 * Relative to the policy file, or to `rootDir` without one. An entry starting with `.playbooks/`
 * in a policy inside `.playbooks/` is read from the folder above: the defaults (`.playbooks/sboms`)
 * are written as if from the folder that holds `.playbooks/`.
 */
export function policyPaths(entries: readonly string[], policyFile: string | undefined, rootDir: string): string[] {
  const base = policyFile ? path.dirname(policyFile) : rootDir;
  return entries.map((entry) => (policyFile && path.basename(base) === '.playbooks' && entry.startsWith('.playbooks/') ? path.resolve(path.dirname(base), entry) : path.resolve(base, entry)));
}
