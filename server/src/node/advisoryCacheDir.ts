/**
 * Where the per-user advisory cache lives: `$PLAYBOOK_CACHE_DIR` (`off` turns the cache off), else
 * `$XDG_CACHE_HOME/incident-playbook`, else `~/.cache/incident-playbook`; and whether that folder
 * can be used (never one on /proc or /sys, never someone else's).
 */
import { mkdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFsError, isSystemFolder } from './fileKind.js';

/** The folder, or undefined when there is no cache. */
export function advisoryCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env['PLAYBOOK_CACHE_DIR'];
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim().toLowerCase() === 'off' ? undefined : path.resolve(explicit);
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'incident-playbook');
  try {
    const home = os.homedir();
    return home ? path.join(home, '.cache', 'incident-playbook') : undefined;
  } catch {
    return undefined;
  }
}

const ownedByUs = (stat: Stats): boolean => typeof process.getuid !== 'function' || stat.uid === process.getuid();

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
