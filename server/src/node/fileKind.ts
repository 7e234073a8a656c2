/** What a path is (a regular file, or why it is not one to read), decided before anything is opened. */
import { lstatSync, promises as fs, statfsSync, statSync, type Stats } from 'node:fs';

/** A path that leads to a regular file: its stat (of the target, for a symbolic link). */
export interface RegularFile {
  stat: Stats;
  /** The path itself is a symbolic link: it must be opened following it (and checked again after). */
  viaLink: boolean;
}

/** `missing`: nothing at all is at the path (not even a broken link). */
export type PathKind = RegularFile | { error: string; missing?: true };

/** A stat or a directory entry: both tell the entry's type. */
export type EntryType = Pick<Stats, 'isFile' | 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>;

/**
 * Why an entry that is not a regular file is not read; undefined for a regular file. Opening a FIFO
 * waits for a writer and a device such as /dev/zero never ends, so neither is ever opened for reading.
 */
export function notRegularReason(stat: EntryType): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'is a directory';
  if (stat.isFIFO()) return 'is a FIFO (named pipe), not a regular file';
  if (stat.isSocket()) return 'is a socket, not a regular file';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

/** The reason in words for a failed file-system call. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a part of its path is not a directory';
    case 'ELOOP': return 'is a symbolic link loop';
    case 'ENAMETOOLONG': return 'its name is too long';
    default: return e instanceof Error ? e.message : String(e);
  }
}

/** Why following a symbolic link failed: a link whose target is missing is "dangling", not "no such file". */
export function brokenLinkReason(e: unknown): string {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'is a dangling symbolic link (its target does not exist)' : describeFsError(e);
}

function lstatError(e: unknown): PathKind {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? { error: describeFsError(e), missing: true } : { error: describeFsError(e) };
}

function kindOf(stat: Stats, viaLink: boolean): PathKind {
  const reason = notRegularReason(stat);
  return reason === undefined ? { stat, viaLink } : { error: reason };
}

/** The path's kind: `lstat` first, so a symbolic link is told apart and its target stat'ed on its own. */
export function pathKindSync(file: string): PathKind {
  let own: Stats;
  try {
    own = lstatSync(file);
  } catch (e) {
    return lstatError(e);
  }
  if (!own.isSymbolicLink()) return kindOf(own, false);
  try {
    return kindOf(statSync(file), true);
  } catch (e) {
    return { error: brokenLinkReason(e) };
  }
}

export async function pathKind(file: string): Promise<PathKind> {
  let own: Stats;
  try {
    own = await fs.lstat(file);
  } catch (e) {
    return lstatError(e);
  }
  if (!own.isSymbolicLink()) return kindOf(own, false);
  try {
    return kindOf(await fs.stat(file), true);
  } catch (e) {
    return { error: brokenLinkReason(e) };
  }
}

/** Whether two stats are of the same file (a path swapped between the check and the open is not). */
export function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * File systems of the kernel's own (Linux `statfs` magic numbers): proc, sysfs, devpts, debugfs,
 * tracefs, securityfs, cgroup, cgroup2, nsfs, binfmt_misc, bpf, selinuxfs. No cache belongs there,
 * and no walk goes there: /proc alone holds every process's view of the whole file system.
 */
const SYSTEM_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x64626720, 0x74726163, 0x73636673, 0x27e0eb, 0x63677270, 0x6e736673, 0x42494e4d, 0xcafe4a11, 0xf97cff8c]);
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/** Whether a real (link-free) folder path is /proc, /sys or /dev, inside one, or on a kernel file system mounted elsewhere. */
export function isSystemFolder(real: string): boolean {
  if (SYSTEM_ROOTS.some((root) => real === root || real.startsWith(`${root}/`))) return true;
  try {
    return typeof statfsSync === 'function' && SYSTEM_FILE_SYSTEMS.has(statfsSync(real).type);
  } catch {
    return false;
  }
}
