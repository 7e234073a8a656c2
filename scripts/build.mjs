// Bundles the CLI, the language server, the worker threads they share and the VS Code client into dist/.
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { codeHash } from './codeHash.mjs';
import { standaloneValidators } from './standaloneValidators.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const entries = [
  { in: 'server/src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'server/src/lsp/main.ts', out: 'server' },
  // Worker threads of dist/cli.js and dist/server.js, found in their own folder (server/src/node/workerPool.ts):
  // checking many playbooks, and parsing advisory records for large loads.
  { in: 'server/src/node/checkWorker.ts', out: 'checkWorker' },
  { in: 'server/src/node/advisoryWorker.ts', out: 'advisoryWorker' },
  // piscina's own thread runtime: the pool, bundled into each of them, starts `worker.js` from its own folder.
  { in: 'node_modules/piscina/dist/worker.js', out: 'worker' },
  { in: 'client/src/extension.ts', out: 'extension' },
];

const META_URL_SHIM = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  // piscina's optional thread priorities, never installed: its worker goes on without them.
  external: ['vscode', '@napi-rs/nice'],
  // `yaml` as its ES module build (published for browsers, the same code but for reading base64
  // with atob, which Node has): bundled ESM is hoisted into the bundle, while its CommonJS build
  // would be reached through a getter at every call (isMap, isScalar, …, in every loop over
  // nodes), and it reads no environment variable per token.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
  // Some dependencies are ESM and read import.meta.url, which a CommonJS bundle must provide.
  define: { PLAYBOOK_VERSION: JSON.stringify(version), 'import.meta.url': '__importMetaUrl' },
};
common.define.PLAYBOOK_CODE_HASH = JSON.stringify(await codeHash(entries.map((e) => e.in), common));

// `playbook rules PB101` prints the rule's page wherever the CLI is installed: the module that reads
// docs/rules/ from the sources (server/src/cli/rulePages.ts) is replaced by one holding the pages' text.
const rulePages = {
  name: 'rule-pages',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]src[\\/]cli[\\/]rulePages\.ts$/ }, () => {
      const dir = new URL('../docs/rules/', import.meta.url);
      const files = readdirSync(dir).filter((name) => /^PB\d{3}\.md$/.test(name));
      const pages = Object.fromEntries(files.map((name) => [name.slice(0, -3), readFileSync(new URL(name, dir), 'utf8')]));
      return {
        contents: `const PAGES = ${JSON.stringify(pages)};\nexport function rulePage(ruleId) { return Object.hasOwn(PAGES, ruleId) ? PAGES[ruleId] : undefined; }\n`,
        loader: 'js',
      };
    });
  },
};

// The schema validators, compiled here rather than in every fresh process (scripts/standaloneValidators.mjs).
const validators = {
  name: 'standalone-validators',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]src[\\/]core[\\/]schema[\\/]validators\.ts$/ }, () => ({
      contents: standaloneValidators(),
      loader: 'js',
      resolveDir: new URL('..', import.meta.url).pathname,
    }));
  },
};

await Promise.all(
  entries.map((e) =>
    build({
      ...common,
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      plugins: [rulePages, validators],
      banner: { js: [e.banner, META_URL_SHIM].filter(Boolean).join('\n') },
    }),
  ),
);
// The flow view's script runs in the webview, a browser page: its own bundle, with the layout library in it.
await build({
  entryPoints: { flowView: 'client/webview/src/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: true,
  minify: common.minify,
  logLevel: 'warning',
});
if (watch) console.log('watch mode is not supported; run npm run build again');
