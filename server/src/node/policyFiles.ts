/** Finds and loads `.playbooks/policy.yaml` by walking up from a playbook to the root (spec section 1). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { decodeBytes } from '../core/parse/decode.js';
import { parsePolicy, type ParsedPolicy } from '../core/policy/parsePolicy.js';
import { DEFAULT_POLICY } from '../core/policy/policy.js';
import { readFileSafely } from './readFile.js';

export const POLICY_RELATIVE_PATH = path.join('.playbooks', 'policy.yaml');
const MAX_POLICY_BYTES = 1024 * 1024;

export interface LoadedPolicy extends ParsedPolicy {
  /** Absolute path of the policy file, or undefined when the built-in defaults apply. */
  file?: string;
  text?: string;
}

/** Nearest policy file from `startDir` up to and including `rootDir` (or the filesystem root). */
export async function findPolicyFile(startDir: string, rootDir: string): Promise<string | undefined> {
  const root = path.resolve(rootDir);
  let dir = path.resolve(startDir);
  const insideRoot = dir === root || dir.startsWith(root + path.sep);
  for (;;) {
    const candidate = path.join(dir, POLICY_RELATIVE_PATH);
    if (await isFile(candidate)) return candidate;
    if ((insideRoot && dir === root) || path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

export async function loadPolicyFile(file: string): Promise<LoadedPolicy> {
  const read = await readFileSafely(file, MAX_POLICY_BYTES);
  if ('error' in read) {
    return unreadable(file, `the policy file cannot be read (${read.error}); the built-in default policy applies`);
  }
  const decoded = decodeBytes(read.bytes);
  if ('finding' in decoded) return { policy: DEFAULT_POLICY, findings: [decoded.finding], applied: false, file };
  return { ...parsePolicy(decoded.text), file, text: decoded.text };
}

function unreadable(file: string, message: string): LoadedPolicy {
  return { policy: DEFAULT_POLICY, applied: false, file, findings: [{ ruleId: 'PB001', severity: 'error', message, range: { start: 0, end: 0 } }] };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Loads each policy once per run, however many playbooks share it. */
export class PolicyCache {
  private readonly byFile = new Map<string, Promise<LoadedPolicy>>();
  private readonly byDir = new Map<string, Promise<string | undefined>>();

  constructor(private readonly rootDir: string, private readonly explicitFile?: string) {}

  async forPlaybook(playbookPath: string): Promise<LoadedPolicy> {
    if (this.explicitFile) return this.load(path.resolve(this.explicitFile));
    const dir = path.dirname(path.resolve(playbookPath));
    let found = this.byDir.get(dir);
    if (!found) this.byDir.set(dir, (found = findPolicyFile(dir, this.rootDir)));
    const file = await found;
    return file ? this.load(file) : { policy: DEFAULT_POLICY, findings: [], applied: false };
  }

  /** Every policy file loaded so far, for reporting its own findings once. */
  async loaded(): Promise<LoadedPolicy[]> {
    return Promise.all(this.byFile.values());
  }

  private load(file: string): Promise<LoadedPolicy> {
    let loaded = this.byFile.get(file);
    if (!loaded) this.byFile.set(file, (loaded = loadPolicyFile(file)));
    return loaded;
  }
}
