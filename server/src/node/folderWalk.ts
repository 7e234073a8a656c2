/**
 * Walks a folder for the files a caller accepts, following symbolic links to folders once per real
 * folder, and reports every entry it cannot read with the reason. Written here rather than taken
 * from a glob library because those skip a FIFO, a dangling link or a link loop without a word, and
 * a security check must not pass a folder it could not fully see.
 *
 * Real folders are walked before any link is followed, so a file is shown under a path without
 * links when it has one, and one real file (or folder) is never taken twice: `self -> ..` adds
 * nothing. Plain entries cost one directory listing per folder (listed side by side); only links
 * are stat'ed.
 */
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { brokenLinkReason, describeFsError, notRegularReason } from './fileKind.js';

export interface WalkOptions {
  /** Whether to take a file (or report it when it is not a regular file), by its path below the root with `/` separators. */
  accept: (relative: string) => boolean;
  /** Entries below the root at most this many levels deep (1: the root's own entries). */
  maxDepth: number;
  /** Folder names never entered (at any depth below the root). */
  skipFolders: ReadonlySet<string>;
  /** Real paths already taken, shared across walks so that one real file or folder is taken once. */
  seen: Seen;
}

export interface Seen {
  files: Set<string>;
  folders: Set<string>;
}

export interface WalkResult {
  /** Paths below the root (the root joined with the relative path), sorted. */
  files: string[];
  /** Files the caller accepts that were not taken because another path leads to the same real file (or folder, for the root). */
  duplicates: number;
  /** Entries that could not be read: `path` joined like `files`; sorted by it. */
  problems: Array<{ path: string; reason: string }>;
}

interface Folder {
  /** The path shown (below the root as given). */
  shown: string;
  /** Its real path (no links), for telling folders and files apart from aliases. */
  real: string;
  relative: string;
  depth: number;
}

interface Link {
  shown: string;
  relative: string;
  name: string;
  depth: number;
}

export async function walkFolder(root: string, options: WalkOptions): Promise<WalkResult> {
  const result: WalkResult = { files: [], duplicates: 0, problems: [] };
  root = path.resolve(root);
  let rootReal: string;
  try {
    rootReal = await fs.realpath(root);
  } catch (e) {
    result.problems.push({ path: root, reason: describeFsError(e) });
    return result;
  }
  if (options.seen.folders.has(rootReal)) {
    // Walked already, through another argument: what it holds was taken then.
    result.duplicates++;
    return result;
  }
  options.seen.folders.add(rootReal);

  const take = (shown: string, real: string): void => {
    if (options.seen.files.has(real)) result.duplicates++;
    else {
      options.seen.files.add(real);
      result.files.push(shown);
    }
  };
  let folders: Folder[] = [{ shown: root, real: rootReal, relative: '', depth: 0 }];
  const links: Link[] = [];
  while (folders.length > 0 || links.length > 0) {
    // Every real folder reachable without a link first, listed side by side (a real folder has one
    // path, so the order cannot matter); then the first link by path, which may add folders.
    while (folders.length > 0) {
      const listing = folders;
      folders = [];
      await Promise.all(listing.map((folder) => listFolder(folder, options, folders, links, take, result)));
    }
    links.sort(byShown);
    const link = links.shift();
    if (link) await followLink(link, options, folders, take, result);
  }
  result.files.sort();
  result.problems.sort(byPath);
  return result;
}

const byShown = (a: Link, b: Link): number => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0);
const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

async function listFolder(folder: Folder, options: WalkOptions, folders: Folder[], links: Link[], take: (shown: string, real: string) => void, result: WalkResult): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(folder.real, { withFileTypes: true });
  } catch (e) {
    result.problems.push({ path: folder.shown, reason: `is a folder that cannot be read (${describeFsError(e)})` });
    return;
  }
  const depth = folder.depth + 1;
  for (const entry of entries) {
    const relative = folder.relative === '' ? entry.name : `${folder.relative}/${entry.name}`;
    const shown = below(folder.shown, entry.name);
    if (entry.isDirectory()) {
      if (depth >= options.maxDepth || options.skipFolders.has(entry.name)) continue;
      const real = below(folder.real, entry.name);
      if (options.seen.folders.has(real)) continue;
      options.seen.folders.add(real);
      folders.push({ shown, real, relative, depth });
    } else if (entry.isSymbolicLink()) {
      if (!options.skipFolders.has(entry.name)) links.push({ shown, relative, name: entry.name, depth });
    } else if (options.accept(relative)) {
      const reason = notRegularReason(entry);
      if (reason === undefined) take(shown, below(folder.real, entry.name));
      else result.problems.push({ path: shown, reason });
    }
  }
}

/** `path.join` for a normalized folder and a plain name, without normalizing again (a walk may meet 50,000 files). */
function below(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

/** A link: a folder is walked unless its real folder was; a file is taken unless its real file was; a broken link is reported. */
async function followLink(link: Link, options: WalkOptions, folders: Folder[], take: (shown: string, real: string) => void, result: WalkResult): Promise<void> {
  let real: string;
  let stat: Stats;
  try {
    real = await fs.realpath(link.shown);
    stat = await fs.stat(real);
  } catch (e) {
    // A broken link may have been a folder of playbooks as well as a playbook: reported wherever either could match.
    if (options.accept(link.relative) || link.depth < options.maxDepth) result.problems.push({ path: link.shown, reason: brokenLinkReason(e) });
    return;
  }
  if (stat.isDirectory()) {
    if (link.depth >= options.maxDepth || options.seen.folders.has(real)) return;
    options.seen.folders.add(real);
    folders.push({ shown: link.shown, real, relative: link.relative, depth: link.depth });
    return;
  }
  if (!options.accept(link.relative)) return;
  const reason = notRegularReason(stat);
  if (reason === undefined) take(link.shown, real);
  else result.problems.push({ path: link.shown, reason });
}
