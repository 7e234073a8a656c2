/**
 * A policy the CLI does not use because it lies above the folder `playbook` runs in (spec section
 * 1: a policy is looked for from each playbook up to the CLI's root, the current folder). Run from
 * a subfolder of a repository, the security team's policy would be passed over for the built-in
 * defaults without a word; this says so on standard error, with the two ways to use it.
 */
import * as path from 'node:path';
import { oneLine } from '../core/index.js';
import { findPolicyFile } from '../node/policyFiles.js';
import type { CliIO } from './io.js';

/** `usedDefaults`: some playbook was checked with the built-in defaults; `given`: `--policy` was passed. */
export async function notePolicyAbove(io: CliIO, usedDefaults: boolean, given: boolean): Promise<void> {
  if (!usedDefaults || given) return;
  const parent = path.dirname(path.resolve(io.cwd));
  if (parent === path.resolve(io.cwd)) return;
  const above = await findPolicyFile(parent, path.parse(parent).root);
  if (above === undefined) return;
  // Relative to where playbook runs (`../.playbooks/policy.yaml`): what the person types next.
  const relative = (p: string): string => path.relative(io.cwd, p).split(path.sep).join('/');
  const shown = relative(above);
  const folder = relative(path.dirname(path.dirname(above)));
  io.stderr(`playbook: note: ${oneLine(`${shown} is not used, so the built-in default policy applies: a policy is looked for from each playbook up to the current folder only. Run playbook from ${folder}, or pass --policy ${shown}`)}\n`);
}
