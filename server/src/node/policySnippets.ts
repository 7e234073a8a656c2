/**
 * The security team's own snippets (the policy's `snippets` folder): VS Code snippet files
 * (`*.code-snippets` or `*.json`), offered as completions where a step may start. A file that
 * does not parse is skipped; snippets are data, never executed.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SnippetDefinition } from '../core/index.js';
import { readFileSafely } from './readFile.js';

const MAX_SNIPPET_FILE_BYTES = 256 * 1024;

async function loadPolicySnippets(policyFile: string | undefined, folder: string | undefined): Promise<SnippetDefinition[]> {
  if (!policyFile || !folder) return [];
  const dir = path.resolve(path.dirname(policyFile), folder);
  const candidates = [dir, path.resolve(path.dirname(path.dirname(policyFile)), folder)];
  for (const candidate of candidates) {
    const entries = await fs.readdir(candidate).catch(() => undefined);
    if (!entries) continue;
    const out: SnippetDefinition[] = [];
    for (const name of entries.filter((n) => /\.(code-snippets|json)$/i.test(n)).sort()) {
      out.push(...(await readSnippetFile(path.join(candidate, name))));
    }
    return out;
  }
  return [];
}

async function readSnippetFile(file: string): Promise<SnippetDefinition[]> {
  try {
    const read = await readFileSafely(file, MAX_SNIPPET_FILE_BYTES);
    if ('error' in read || read.size > MAX_SNIPPET_FILE_BYTES) return [];
    const json = JSON.parse(new TextDecoder().decode(read.bytes)) as Record<string, { prefix?: unknown; body?: unknown; description?: unknown }>;
    return Object.entries(json).flatMap(([name, s]) => {
      const prefix = Array.isArray(s.prefix) ? s.prefix[0] : s.prefix;
      const body = Array.isArray(s.body) ? s.body.join('\n') : s.body;
      if (typeof prefix !== 'string' || typeof body !== 'string') return [];
      return [{ name, prefix, body, ...(typeof s.description === 'string' ? { description: s.description } : {}) }];
    });
  } catch {
    return [];
  }
}

/**
 * Each policy's snippets, read once and then served from memory: completion asks on every
 * keystroke. The server makes a new cache whenever a file under `.playbooks/` changes.
 */
export class PolicySnippetCache {
  private readonly byFolder = new Map<string, Promise<SnippetDefinition[]>>();

  get(policyFile: string | undefined, folder: string | undefined): Promise<SnippetDefinition[]> {
    if (!policyFile || !folder) return Promise.resolve([]);
    const key = `${policyFile}\0${folder}`;
    let snippets = this.byFolder.get(key);
    if (!snippets) this.byFolder.set(key, (snippets = loadPolicySnippets(policyFile, folder)));
    return snippets;
  }
}
