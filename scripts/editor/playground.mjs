// The folder `npm start` serves: a fresh copy of examples/ (with its .playbooks/) in playground/,
// which git ignores. The editor saves (and code-server autosaves) into the copy, so trying a quick
// fix never rewrites the tracked examples that the tests read.
import { cpSync, rmSync } from 'node:fs';
import * as path from 'node:path';

export const PLAYGROUND = 'playground';

/** Replaces `<root>/playground` with a copy of `<root>/examples`; returns its path. */
export function freshPlayground(root) {
  const folder = path.join(root, PLAYGROUND);
  rmSync(folder, { recursive: true, force: true });
  cpSync(path.join(root, 'examples'), folder, { recursive: true });
  return folder;
}
