/**
 * The two servers under test, each started as a child process over stdio in its own temp
 * workspace: this project's (`dist/server.js`, rebuilt when older than its sources) and
 * yaml-language-server given this project's playbook schema.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_NODE_FLAGS } from '../server/src/shared/serverNodeFlags.js';
import { LspServer } from './lspClient.js';

export const ROOT = path.resolve(__dirname, '..');

export interface ServerUnderTest {
  /** Short name for tables: `playbook` or `yaml-ls`. */
  name: string;
  languageId: string;
  /** The settings section the server reads once it is configured. */
  section: string;
  start(workspace: string, nodeFlags?: string[]): LspServer;
}

/** This project's server from a bundle (dist/server.js, or a copy of dist/), started with the flags the editor starts it with. */
export function playbookServerAt(bundle: string): ServerUnderTest {
  return {
    name: 'playbook',
    languageId: 'incident-playbook',
    section: 'playbook',
    start: (workspace, nodeFlags) =>
      new LspServer({
        name: 'playbook',
        command: bundle,
        args: ['--stdio'],
        cwd: workspace,
        rootUri: pathToFileURL(workspace).href,
        settings: { playbook: { advisories: { extraPaths: [] }, rules: {} } },
        nodeFlags: [...SERVER_NODE_FLAGS, ...(nodeFlags ?? [])],
      }),
  };
}

export const PLAYBOOK_SERVER: ServerUnderTest = playbookServerAt(path.join(ROOT, 'dist/server.js'));

/** The installed yaml-language-server (a devDependency, resolved as Node resolves it). */
const YAML_SERVER_DIR = path.dirname(require.resolve('yaml-language-server/package.json'));

export const YAML_SERVER: ServerUnderTest = {
  name: 'yaml-ls',
  languageId: 'yaml',
  section: 'yaml',
  start: (workspace, nodeFlags) =>
    new LspServer({
      name: 'yaml-ls',
      command: path.join(YAML_SERVER_DIR, 'bin/yaml-language-server'),
      args: ['--stdio'],
      cwd: workspace,
      rootUri: pathToFileURL(workspace).href,
      settings: {
        yaml: {
          validate: true,
          schemas: { [pathToFileURL(path.join(ROOT, 'schemas/playbook.schema.json')).href]: '*.playbook.yaml' },
          // Offline and schema-only: no catalog download, no Kubernetes CRD store, nothing else to compute.
          schemaStore: { enable: false },
          kubernetesCRDStore: { enable: false },
          hover: false,
          completion: false,
          format: { enable: false },
          yamlVersion: '1.2',
          customTags: [],
        },
        http: { proxy: '', proxyStrictSSL: false },
        '[yaml]': {},
        editor: {},
      },
      nodeFlags,
    }),
};

export function tempWorkspace(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `playbook-bench-${name}-`));
}

/** Builds dist/ when it is missing or older than any source it bundles (or the schemas it embeds). */
export function buildIfStale(): 'built' | 'up to date' {
  const outputs = ['dist/server.js', 'dist/cli.js'].map((f) => path.join(ROOT, f));
  const oldestOutput = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const newestSource = Math.max(...['server/src', 'schemas', 'scripts/build.mjs', 'package.json'].map((p) => newestMtime(path.join(ROOT, p))));
  if (oldestOutput > newestSource) return 'up to date';
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit', timeout: 120_000 });
  return 'built';
}

export function yamlServerVersion(): string {
  return (JSON.parse(readFileSync(path.join(YAML_SERVER_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `npm run package` leaves a minified bundle in dist/; the figures say which one was measured. */
export function distKind(): 'minified' | 'plain' {
  const text = readFileSync(path.join(ROOT, 'dist/server.js'), 'utf8');
  return text.split('\n').length < 1000 ? 'minified' : 'plain';
}

function newestMtime(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestMtime(path.join(file, entry))));
}
