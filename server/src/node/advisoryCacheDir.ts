/**
 * The per-user cache's folder and files (loaded advisories, parsed SBOMs): `$PLAYBOOK_CACHE_DIR` (`off`: no cache), else the
 * platform's cache folder (env-paths: `~/.cache/incident-playbook` on Linux, `~/Library/Caches/…` on
 * macOS, `%LOCALAPPDATA%\…\Cache` on Windows). The folder is created one level at a time and never
 * used on /proc or /sys or when it is someone else's; one file per set of sources and limits, and
 * files unused for 30 days are removed when another is written.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, realpathSync, statSync, unlinkSync, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import envPaths from 'env-paths';
import { oneLine } from '../core/index.js';
import { describeFsError, isSystemFolder } from './fileKind.js';
import { isAbandonedTemporary, writeFileAtomically } from './writeFile.js';

/** Cache files not rewritten for this long are removed when another is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;

/** The folder, or undefined when there is no cache. */
export function advisoryCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['PLAYBOOK_CACHE_DIR']?.trim();
  if (explicit) return explicit.toLowerCase() === 'off' ? undefined : path.resolve(explicit);
  try {
    const dir = envPaths('incident-playbook', { suffix: '' }).cache;
    // A relative XDG_CACHE_HOME is invalid (XDG says absolute): its default then, not a folder below the working directory.
    return path.isAbsolute(dir) ? dir : path.join(os.homedir(), '.cache', 'incident-playbook');
  } catch {
    return undefined;
  }
}

export const ownedByUs = (stat: Stats): boolean => typeof process.getuid !== 'function' || stat.uid === process.getuid();

/**
 * Makes sure `dir` is a folder of this user's where a cache may be written, creating what is
 * missing (0700) one level at a time; undefined when it is, else why not. Never a recursive mkdir:
 * Node's loops forever under /proc. Each step is one bounded system call, so this cannot hang.
 */
export function prepareCacheDir(dir: string): string | undefined {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) return `${existing} is not a folder`;
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(existing) === existing) return `${existing}: ${describeFsError(e)}`;
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  try {
    if (isSystemFolder(realpathSync(existing))) return `${target} is on a system file system (proc, sysfs or the like), not a place for a cache`;
    let at = existing;
    for (const name of missing) {
      at = path.join(at, name);
      try {
        mkdirSync(at, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const stat = statSync(target);
    if (!stat.isDirectory()) return `${target} is not a folder`;
    if (!ownedByUs(stat)) return `${target} belongs to another user`;
    return undefined;
  } catch (e) {
    return `${target}: ${describeFsError(e)}`;
  }
}

/** Per folder, why it cannot hold a cache (undefined: it can): checked, and said on stderr, once per thread. */
const folders = new Map<string, string | undefined>();

/** What the cache folder holds: loaded advisories (one file per set of sources and limits) and parsed SBOMs (one per content). */
type CacheKind = 'advisories' | 'sbom';
const KINDS: readonly CacheKind[] = ['advisories', 'sbom'];

/** The file that keeps what `slot` names (a set of sources and limits, an SBOM's key) in `dir`, when the folder may hold a cache. */
export function cacheFileIn(dir: string, slot: string, kind: CacheKind = 'advisories'): string | undefined {
  if (!folders.has(dir)) {
    folders.set(dir, prepareCacheDir(dir));
    // A worker says nothing: its line would land in the middle of a report.
    if (folders.get(dir) !== undefined && isMainThread) console.error(`playbook: advisories and SBOMs are not cached: ${oneLine(folders.get(dir)!)}`);
  }
  return folders.get(dir) === undefined ? path.join(dir, `${kind}-${createHash('sha256').update(slot).digest('hex').slice(0, 32)}.cache`) : undefined;
}

/** Writes a cache file (0600, all at once); then removes old ones (sources no longer used) and temporary files left by a process that died. False when it could not be written. */
export function writeCacheFile(dir: string, file: string, chunks: Buffer[]): boolean {
  try {
    writeFileAtomically(file, chunks, 0o600);
  } catch {
    // No room, no permission: no cache, the load goes on.
    return false;
  }
  try {
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (full === file || !KINDS.some((kind) => name.startsWith(`${kind}-`))) continue;
      const stat = lstatSync(full);
      if (stat.isFile() && (isAbandonedTemporary(name, stat, now) || (name.endsWith('.cache') && now - stat.mtimeMs > STALE_MS))) unlinkSync(full);
    }
  } catch {
    // Tidying up is a courtesy.
  }
  return true;
}
