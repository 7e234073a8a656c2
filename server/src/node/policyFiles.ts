/** Finds and loads `.playbooks/policy.yaml` by walking up from a playbook to the root (spec section 1). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parsePolicyBytes, type ParsedPolicy, DEFAULT_POLICY } from '../core/index.js';
import { readFileSafely } from './readFile.js';

const POLICY_RELATIVE_PATH = path.join('.playbooks', 'policy.yaml');
const MAX_POLICY_BYTES = 1024 * 1024;

export interface LoadedPolicy extends ParsedPolicy {
  /** Absolute path of the policy file, or undefined when the built-in defaults apply. */
  file?: string;
  /** The policy's text; undefined when it could not be read or is not text (its finding says why). */
  text?: string;
  /** The file could not be read: a moment later it may be, so this load is not kept. */
  readFailed?: true;
}

/** Nearest policy file from `startDir` up to and including `rootDir` (or the filesystem root). */
export async function findPolicyFile(startDir: string, rootDir: string): Promise<string | undefined> {
  const root = path.resolve(rootDir);
  let dir = path.resolve(startDir);
  const insideRoot = dir === root || dir.startsWith(root + path.sep);
  for (;;) {
    const candidate = path.join(dir, POLICY_RELATIVE_PATH);
    if (await mayBePolicy(candidate)) return candidate;
    if ((insideRoot && dir === root) || path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

export async function loadPolicyFile(file: string): Promise<LoadedPolicy> {
  const read = await readFileSafely(file, MAX_POLICY_BYTES);
  if ('error' in read) {
    return unreadable(file, `the policy file cannot be read (${read.error}); the built-in default policy applies`);
  }
  // Only the first bytes were read: parsing them could apply half a policy.
  if (read.size > MAX_POLICY_BYTES) return refused(file, `the policy file is ${(read.size / 1024 / 1024).toFixed(1)} MB, over the 1 MB limit for a policy; the built-in default policy applies`);
  return { ...parsePolicyBytes(read.bytes), file };
}

function unreadable(file: string, message: string): LoadedPolicy {
  return { ...refused(file, message), readFailed: true };
}

function refused(file: string, message: string): LoadedPolicy {
  return { policy: DEFAULT_POLICY, applied: false, file, findings: [{ ruleId: 'PB001', severity: 'error', message, range: { start: 0, end: 0 } }] };
}

/**
 * Anything at the policy's path: a file, or something that is not one (a FIFO, a device, a
 * folder) or cannot be looked at (a link to nowhere or in a loop, a folder it may not enter). All
 * but a file are reported as a policy that cannot be read, never passed over in silence for the
 * defaults or a policy further up. Only a path where nothing is counts as no policy.
 */
async function mayBePolicy(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return true;
    return fs.lstat(p).then((l) => l.isSymbolicLink(), () => false);
  }
}

/**
 * Where no policy file applies: the built-in defaults, one object, so every playbook without a
 * policy shares one environment (a new object each time would load the advisories again per file).
 */
const NO_POLICY: LoadedPolicy = Object.freeze({ policy: DEFAULT_POLICY, findings: [], applied: false });

/** Loads each policy once per run, however many playbooks share it. */
export class PolicyCache {
  private readonly byFile = new Map<string, Promise<LoadedPolicy>>();
  private readonly byDir = new Map<string, Promise<string | undefined>>();

  /** `retryUnreadable`: a policy that could not be read is read again next time (the language server). */
  constructor(private readonly rootDir: string, private readonly explicitFile?: string, private readonly options: { retryUnreadable?: boolean } = {}) {}

  /** The policy that governs the files of `folder`: the nearest one at or above it, or the explicit one. */
  async forFolder(folder: string): Promise<LoadedPolicy> {
    if (this.explicitFile) return this.load(path.resolve(this.explicitFile));
    const dir = path.resolve(folder);
    let found = this.byDir.get(dir);
    if (!found) this.byDir.set(dir, (found = findPolicyFile(dir, this.rootDir)));
    const file = await found;
    return file ? this.load(file) : NO_POLICY;
  }

  /** Every policy file loaded so far, for reporting its own findings once. */
  async loaded(): Promise<LoadedPolicy[]> {
    return Promise.all(this.byFile.values());
  }

  private load(file: string): Promise<LoadedPolicy> {
    let loaded = this.byFile.get(file);
    if (!loaded) {
      const loading = loadPolicyFile(file);
      this.byFile.set(file, (loaded = loading));
      if (this.options.retryUnreadable) {
        const forget = (): void => {
          if (this.byFile.get(file) === loading) this.byFile.delete(file);
        };
        void loading.then((l) => l.readFailed && forget(), forget);
      }
    }
    return loaded;
  }
}
