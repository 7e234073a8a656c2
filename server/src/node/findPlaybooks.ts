/**
 * Expands CLI arguments (files, folders, globs) into playbook paths, in a stable order: each real
 * file once, and every entry that could not be read reported with its reason.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { isDynamicPattern } from 'tinyglobby';
import { pathKind } from './fileKind.js';
import { Seen, walkFolder, type WalkResult } from './folderWalk.js';

const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git']);

export interface Expansion {
  files: string[];
  /** Arguments, or entries found under them, that named nothing readable, with the reason. */
  problems: Array<{ argument: string; reason: string; nothingFound?: true }>;
}

function isPlaybookPath(file: string): boolean {
  return /\.playbook\.ya?ml$/i.test(file);
}

export async function findPlaybooks(args: string[], cwd: string): Promise<Expansion> {
  const files: string[] = [];
  const problems: Expansion['problems'] = [];
  const seen = new Seen();
  // Links are followed within the working directory and every folder named (a glob's fixed part included).
  const within = await realFolders([cwd, ...args.map((a) => path.resolve(cwd, isDynamicPattern(a) ? picomatch.scan(a).base : a))]);
  // One line per unreadable entry, however many arguments reach it.
  const reported = new Set<string>();
  const problem = (absolute: string, argument: string, reason: string): void => {
    if (!reported.has(absolute)) {
      reported.add(absolute);
      problems.push({ argument, reason });
    }
  };
  // Entries are shown as the argument was written, with what the walk found below it.
  const collect = (walk: WalkResult, root: string, shownRoot: string): number => {
    for (const file of walk.files) files.push(path.normalize(file));
    for (const p of walk.problems) problem(p.path, path.join(shownRoot, path.relative(root, p.path)), p.reason);
    return walk.files.length + walk.duplicates + walk.problems.length;
  };
  for (const argument of args) {
    const absolute = path.resolve(cwd, argument);
    if ((await fs.stat(absolute).catch(() => undefined))?.isDirectory()) {
      const walk = await walkFolder(absolute, { accept: isPlaybookPath, maxDepth: Infinity, skipFolders: SKIPPED_FOLDERS, within, seen });
      if (collect(walk, absolute, argument) === 0) problems.push({ argument, reason: 'no *.playbook.yaml or *.playbook.yml files in this folder', nothingFound: true });
      continue;
    }
    const kind = await pathKind(absolute);
    if ('stat' in kind) {
      // Named explicitly: checked whatever its name, once per real file.
      const real = await fs.realpath(absolute).catch(() => absolute);
      if (!seen.has(real)) {
        seen.add(real);
        files.push(absolute);
      }
    } else if (kind.missing && isDynamicPattern(argument)) {
      const { base, glob } = picomatch.scan(argument);
      const root = path.resolve(cwd, base);
      // A pattern whose fixed part names no folder matches nothing: that is all there is to say.
      const rootIsFolder = (await fs.stat(root).catch(() => undefined))?.isDirectory() === true;
      const walk = rootIsFolder ? await walkFolder(root, { accept: picomatch(glob, { dot: true }), maxDepth: globDepth(glob), skipFolders: SKIPPED_FOLDERS, within, seen }) : undefined;
      if (!walk || collect(walk, root, base) === 0) problems.push({ argument, reason: 'no file matches this pattern', nothingFound: true });
    } else {
      problem(absolute, argument, kind.error);
    }
  }
  return { files: files.sort(), problems };
}

/** How many levels below its fixed part a pattern can match (every level when it has `**` or a brace with a `/`). */
function globDepth(glob: string): number {
  if (glob.includes('**') || /\{[^}]*\/[^}]*\}/.test(glob)) return Infinity;
  return glob.split('/').length;
}

/** The real path of each of `paths` that is a folder. */
async function realFolders(paths: string[]): Promise<string[]> {
  const real = await Promise.all(paths.map(async (p) => ((await fs.stat(p).catch(() => undefined))?.isDirectory() ? fs.realpath(p).catch(() => undefined) : undefined)));
  return [...new Set(real.filter((r): r is string => r !== undefined))];
}
