/**
 * Where the per-user advisory cache lives: `$PLAYBOOK_CACHE_DIR` (`off` turns the cache off), else
 * `$XDG_CACHE_HOME/incident-playbook`, else `~/.cache/incident-playbook`.
 */
import * as os from 'node:os';
import * as path from 'node:path';

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
