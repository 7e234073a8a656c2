// Prepares a real VS Code for the editor tests and `npm start`, offline-friendly and cached:
// code-server (VS Code for the browser, from npm) under .cache/code-server, and a Chromium to drive it.
// Run directly (`node scripts/editor/prepare.mjs`) or import `prepareEditor()`. A second run is instant.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.96.4';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = path.join(ROOT, '.cache');
const INSTALL_DIR = path.join(CACHE, 'code-server', CODE_SERVER_VERSION);
const MARKER = path.join(INSTALL_DIR, '.prepared');
const LOG = path.join(CACHE, 'code-server', `prepare-${CODE_SERVER_VERSION}.log`);
// The native modules VS Code's server loads; their install scripts were skipped, so they are rebuilt here.
const VSCODE_NATIVE = ['node-pty', '@parcel/watcher', '@vscode/spdlog', 'native-watchdog'];

/** Runs a command, its output into the log; on failure throws with the log's tail. */
function run(step, command, args, cwd, env = {}) {
  appendFileSync(LOG, `\n$ (cd ${cwd} && ${command} ${args.join(' ')})\n`);
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  appendFileSync(LOG, `${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? result.error?.message ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`preparing the editor failed at "${step}" (${command} ${args.join(' ')} exited ${result.status}); full log: ${LOG}\n${tail}`);
  }
}

/** code-server's own launcher; installs it first unless the marker says this version is ready. */
export function prepareCodeServer(log = console.log) {
  const bin = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION && existsSync(bin)) return bin;

  const started = Date.now();
  // A half-finished earlier attempt is thrown away: every step below assumes a clean folder.
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  writeFileSync(LOG, `preparing code-server ${CODE_SERVER_VERSION} in ${INSTALL_DIR}\n`);
  // Its own package.json keeps npm from installing into the repository's.
  writeFileSync(path.join(INSTALL_DIR, 'package.json'), JSON.stringify({ name: 'editor-cache', private: true }, null, 2));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  log(`[editor] installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, INSTALL_DIR)} (first run only; log: ${path.relative(ROOT, LOG)})`);
  // Its postinstall downloads from the network; the steps it would do are done below, offline-safe.
  run('install code-server', npm, ['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`], INSTALL_DIR);

  const vscodeDir = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
  // The shrinkwrap pins a dependency to a git URL, which cannot be fetched here; the registry versions work.
  rmSync(path.join(vscodeDir, 'npm-shrinkwrap.json'), { force: true });
  log('[editor] installing VS Code server dependencies');
  run('install VS Code server dependencies', npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], vscodeDir);
  log(`[editor] building native modules: ${VSCODE_NATIVE.join(', ')}, argon2`);
  run('rebuild VS Code native modules', npm, ['rebuild', ...quiet, ...VSCODE_NATIVE], vscodeDir);
  // VS Code's loader looks for node_modules.asar; a link to the plain folder is what a release ships.
  if (!existsSync(path.join(vscodeDir, 'node_modules.asar'))) symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  run('rebuild argon2', npm, ['rebuild', ...quiet, 'argon2'], INSTALL_DIR);
  if (!existsSync(bin)) throw new Error(`code-server installed, but ${bin} is missing; full log: ${LOG}`);
  writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n`);
  log(`[editor] code-server ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

/** A Chromium binary: CHROME_PATH, else /usr/bin/chromium, else the Debian package when running as root. */
export function findChromium(log = console.log) {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const system = '/usr/bin/chromium';
  if (existsSync(system)) return system;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    mkdirSync(path.dirname(LOG), { recursive: true });
    log('[editor] installing the Debian package chromium (first run only)');
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get update', 'apt-get', ['update', '-qq'], ROOT, env);
    run('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'], ROOT, env);
    if (existsSync(system)) return system;
  }
  throw new Error('no Chromium found: install the `chromium` package (e.g. `sudo apt-get install chromium`) or set CHROME_PATH to a Chrome or Chromium binary');
}

/** Everything the editor tests and `npm start` need. */
export function prepareEditor(log = console.log) {
  mkdirSync(CACHE, { recursive: true });
  return { codeServer: prepareCodeServer(log), chromium: findChromium(log) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const ready = prepareEditor();
    console.log(`[editor] code-server: ${path.relative(ROOT, ready.codeServer)}\n[editor] chromium: ${ready.chromium}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
