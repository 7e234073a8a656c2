/** Runs the CLI in process against a temporary folder, capturing its output and files. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/src/cli/run.js';
import { writeFileCreatingFolders } from '../../server/src/node/writeFile.js';

// The CLI's advisory cache goes to a folder of these tests' own (inherited by any child process), never the user's.
if (!process.env['PLAYBOOK_CACHE_DIR']) {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'playbook-cli-cache-'));
  process.env['PLAYBOOK_CACHE_DIR'] = cacheDir;
  process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], cwd: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    cwd,
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    writeFile: writeFileCreatingFolders,
  });
  return { code, stdout, stderr };
}

/** A fresh folder with the given files (path → content). */
export function workspace(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'playbook-cli-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}
