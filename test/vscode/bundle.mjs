// Bundles the in-editor suite (test/vscode/suite/*.test.ts) into one CommonJS file VS Code can load
// as `extensionTestsPath`. `vscode` comes from the extension host; mocha from node_modules.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'suite');

/** Writes the bundle into `outDir` and returns its path. */
export async function bundleSuite(outDir) {
  const files = readdirSync(SUITE).filter((f) => f.endsWith('.test.ts')).sort();
  if (files.length === 0) throw new Error(`no *.test.ts in ${SUITE}`);
  // Each test file is required inside run(), after mocha has put `suite`/`test` in place.
  const entry = [
    "const { runWith } = require('./index');",
    `exports.run = () => runWith(() => {\n${files.map((f) => `  require('./${f}');`).join('\n')}\n});`,
  ].join('\n');
  const outfile = path.join(outDir, 'suite.js');
  await build({
    stdin: { contents: entry, resolveDir: SUITE, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return { outfile, files };
}
