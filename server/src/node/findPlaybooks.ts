/** Expands CLI arguments (files, folders, globs) into playbook paths, in a stable order. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export const PLAYBOOK_GLOB = '**/*.playbook.{yaml,yml}';
const IGNORED = ['**/node_modules/**', '**/.git/**'];

export interface Expansion {
  files: string[];
  /** Arguments that named nothing readable, with the reason. */
  problems: Array<{ argument: string; reason: string }>;
}

export function isPlaybookPath(file: string): boolean {
  return /\.playbook\.ya?ml$/i.test(file);
}

export async function findPlaybooks(args: string[], cwd: string): Promise<Expansion> {
  const files = new Set<string>();
  const problems: Expansion['problems'] = [];
  for (const argument of args) {
    const absolute = path.resolve(cwd, argument);
    const stat = await fs.stat(absolute).catch(() => undefined);
    if (stat?.isDirectory()) {
      const found = await glob(PLAYBOOK_GLOB, { cwd: absolute, absolute: true, dot: true, ignore: IGNORED });
      if (found.length === 0) problems.push({ argument, reason: 'no *.playbook.yaml or *.playbook.yml files in this folder' });
      found.forEach((f) => files.add(path.normalize(f)));
    } else if (stat?.isFile()) {
      files.add(absolute); // named explicitly: checked whatever its name
    } else if (isDynamicPattern(argument)) {
      const found = await glob(argument, { cwd, absolute: true, dot: true, ignore: IGNORED });
      if (found.length === 0) problems.push({ argument, reason: 'no file matches this pattern' });
      found.forEach((f) => files.add(path.normalize(f)));
    } else {
      problems.push({ argument, reason: 'no such file or directory' });
    }
  }
  return { files: [...files].sort(), problems };
}
