// The hash of the code a bundle is made of (every file esbuild takes into it), injected as PLAYBOOK_CODE_HASH:
// part of the key of the advisory cache and of published advisory indexes (server/src/node/advisorySnapshotFile.ts),
// so files written by other code are never read.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** `options`: esbuild's, as the real builds use them (absWorkingDir included when not the working directory). */
export async function codeHash(entryPoints, options) {
  const { metafile } = await build({ ...options, entryPoints, bundle: true, write: false, metafile: true, outdir: 'code-hash', logLevel: 'silent' });
  const hash = createHash('sha256');
  for (const input of Object.keys(metafile.inputs).sort()) {
    const file = path.resolve(options.absWorkingDir ?? process.cwd(), input);
    hash.update(`${input}\0`).update(existsSync(file) ? readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex');
}
