/**
 * Walks a folder for the files a caller accepts, following symbolic links to folders once per real
 * folder, and reports every entry it cannot read with the reason. Written here rather than taken
 * from a glob library because those skip a FIFO, a dangling link or a link loop without a word, and
 * a security check must not pass a folder it could not fully see.
 *
 * Real folders are walked before any link is followed, so a file is shown under a path without
 * links when it has one, and one real file (or folder) is never taken twice: `self -> ..` adds
 * nothing. A link is followed only into the folders being checked, and never into /proc, /sys or
 * /dev. Plain entries cost one directory listing per folder (listed side by side); only links are
 * stat'ed.
 */
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { brokenLinkReason, describeFsError, isSystemFolder, notRegularReason } from './fileKind.js';

/** /proc alone holds every process's view of the whole file system: a walk never goes there, and says so. */
const SYSTEM_FOLDER = 'leads to a system folder (/proc, /sys, /dev or the like); not searched';

export interface WalkOptions {
  /** Whether to take a file (or report it when it is not a regular file), by its path below the root with `/` separators. */
  accept: (relative: string) => boolean;
  /** Entries below the root at most this many levels deep (1: the root's own entries). */
  maxDepth: number;
  /** Folder names never entered (at any depth below the root). */
  skipFolders: ReadonlySet<string>;
  /**
   * Real folders a link may lead into besides the root (the working directory, the other folders
   * named). A link out of them is reported, not followed: a link to `/` in a pull request would
   * otherwise have the whole machine searched, and a link to a file outside have it read.
   */
  within: readonly string[];
  /** Real paths already taken, shared across walks so that one real file or folder is taken once. */
  seen: Seen;
}

/** Real files and folders already taken, shared across walks so that one real file or folder is taken once. */
export class Seen {
  readonly folders = new Set<string>();
  private readonly files = new Set<string>();
  /** Files taken by name (a link's target, a file named alone): until there is one, no file can be met twice. */
  private byName = 0;
  /**
   * Files taken from a listing, by real folder: entered in `files` only once a link or a named
   * file makes it worth asking, so a folder of 50,000 files and no link costs no set of paths.
   */
  private readonly listed: Array<[folder: string, names: string[]]> = [];

  has(real: string): boolean {
    for (const [folder, names] of this.listed.splice(0)) for (const name of names) this.files.add(below(folder, name));
    return this.files.has(real);
  }

  /** Whether a file met in a listing may have been taken already: real folders are listed once, so only once a file was taken by name. */
  mayHaveListed(): boolean {
    return this.byName > 0;
  }

  /** A file taken by its real path (check `has` first). */
  add(real: string): void {
    this.byName++;
    this.files.add(real);
  }

  /** Files taken from one listing of a real folder (none of them `has`). */
  addListed(folder: string, names: string[]): void {
    if (this.byName === 0) this.listed.push([folder, names]);
    else for (const name of names) this.files.add(below(folder, name));
  }
}

export interface WalkResult {
  /** Paths below the root (the root joined with the relative path), in no set order (callers sort what they show). */
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
  if (isSystemFolder(rootReal)) {
    result.problems.push({ path: root, reason: SYSTEM_FOLDER });
    return result;
  }
  if (options.seen.folders.has(rootReal)) {
    // Walked already, through another argument: what it holds was taken then.
    result.duplicates++;
    return result;
  }
  options.seen.folders.add(rootReal);
  await new Walk(options, [rootReal, ...options.within], result).run({ shown: root, real: rootReal, relative: '', depth: 0 });
  result.problems.sort(byPath);
  return result;
}

const byShown = (a: Link, b: Link): number => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0);
const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `path.join` for a normalized folder and a plain name, without normalizing again (a walk may meet 50,000 files). */
function below(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

function isInside(real: string, folder: string): boolean {
  return real === folder || real.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** /proc, /sys and /dev by name: the cheap check for every real folder (a link's target gets isSystemFolder's full one). */
const isSystemPath = (real: string): boolean => process.platform !== 'win32' && ['/proc', '/sys', '/dev'].some((root) => isInside(real, root));

class Walk {
  private folders: Folder[] = [];
  private readonly links: Link[] = [];

  constructor(
    private readonly options: WalkOptions,
    private readonly within: readonly string[],
    private readonly result: WalkResult,
  ) {}

  async run(root: Folder): Promise<void> {
    this.folders.push(root);
    while (this.folders.length > 0 || this.links.length > 0) {
      // Every real folder reachable without a link first, listed side by side (a real folder has one
      // path, so the order cannot matter); then the first link by path, which may add folders.
      while (this.folders.length > 0) {
        const listing = this.folders;
        this.folders = [];
        await Promise.all(listing.map((folder) => this.list(folder)));
      }
      this.links.sort(byShown);
      const link = this.links.shift();
      if (link) await this.follow(link);
    }
  }

  /** A file reached through a link. */
  private take(shown: string, real: string): void {
    if (this.options.seen.has(real)) this.result.duplicates++;
    else {
      this.options.seen.add(real);
      this.result.files.push(shown);
    }
  }

  private problem(shown: string, reason: string): void {
    this.result.problems.push({ path: shown, reason });
  }

  private async list(folder: Folder): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(folder.real, { withFileTypes: true });
    } catch (e) {
      this.problem(folder.shown, `is a folder that cannot be read (${describeFsError(e)})`);
      return;
    }
    const { options } = this;
    const depth = folder.depth + 1;
    const taken: string[] = [];
    for (const entry of entries) {
      const relative = folder.relative === '' ? entry.name : `${folder.relative}/${entry.name}`;
      const shown = below(folder.shown, entry.name);
      if (entry.isDirectory()) {
        if (depth >= options.maxDepth || options.skipFolders.has(entry.name)) continue;
        const real = below(folder.real, entry.name);
        if (options.seen.folders.has(real)) continue;
        options.seen.folders.add(real);
        if (isSystemPath(real)) this.problem(shown, SYSTEM_FOLDER);
        else this.folders.push({ shown, real, relative, depth });
      } else if (entry.isSymbolicLink()) {
        if (!options.skipFolders.has(entry.name)) this.links.push({ shown, relative, depth });
      } else if (options.accept(relative)) {
        const reason = notRegularReason(entry);
        if (reason !== undefined) this.problem(shown, reason);
        else if (options.seen.mayHaveListed() && options.seen.has(below(folder.real, entry.name))) this.result.duplicates++;
        else {
          taken.push(entry.name);
          this.result.files.push(shown);
        }
      }
    }
    options.seen.addListed(folder.real, taken);
  }

  /**
   * A link: a folder is walked unless its real folder was, a file taken unless its real file was;
   * a broken link, or one that leads out of the folders being checked, is reported.
   */
  private async follow(link: Link): Promise<void> {
    const { options } = this;
    // A broken link may have been a folder of playbooks as well as a playbook: reported wherever either could match.
    const couldMatch = options.accept(link.relative) || link.depth < options.maxDepth;
    let real: string;
    let stat: Stats;
    try {
      real = await fs.realpath(link.shown);
      stat = await fs.stat(real);
    } catch (e) {
      if (couldMatch) this.problem(link.shown, brokenLinkReason(e));
      return;
    }
    const folder = stat.isDirectory();
    if (folder ? link.depth >= options.maxDepth : !options.accept(link.relative)) return;
    if (folder && options.seen.folders.has(real)) return;
    const outside = this.within.some((inside) => isInside(real, inside)) ? undefined : `leads outside the folders being checked (to ${real}); not followed: name it to check it`;
    if (!folder) {
      // What the target is says more than where it is: a device or a FIFO is never read, wherever it lies.
      const reason = notRegularReason(stat) ?? outside;
      if (reason === undefined) this.take(link.shown, real);
      else this.problem(link.shown, reason);
      return;
    }
    if (outside !== undefined) {
      this.problem(link.shown, outside);
      return;
    }
    options.seen.folders.add(real);
    if (isSystemFolder(real)) this.problem(link.shown, SYSTEM_FOLDER);
    else this.folders.push({ shown: link.shown, real, relative: link.relative, depth: link.depth });
  }
}
