// Starts and stops code-server (a real VS Code served to a browser) on the loopback interface only.
// Everything it writes stays in one state folder: settings, extensions, logs, its config.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

/** User settings for an editor that never reaches out to the network and opens straight to the folder. */
export const OFFLINE_SETTINGS = {
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  // The current default theme, chosen: no "try the new default theme" notification over the screenshots.
  'workbench.colorTheme': 'Default Light Modern',
  'npm.fetchOnlinePackageInfo': false,
  // examples/ sits inside this repository: no prompt to open the parent git repository.
  'git.openRepositoryInParentFolders': 'never',
};

/** Whether `port` on 127.0.0.1 can be listened on. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The folders code-server uses under `stateDir`. */
export function statePaths(stateDir) {
  return {
    userDataDir: path.join(stateDir, 'user-data'),
    extensionsDir: path.join(stateDir, 'extensions'),
    logFile: path.join(stateDir, 'code-server.log'),
    config: path.join(stateDir, 'config.yaml'),
  };
}

/** Its own config file: otherwise code-server creates one with a generated password in the user's home. */
function writeConfig(config) {
  mkdirSync(path.dirname(config), { recursive: true });
  writeFileSync(config, 'auth: none\ncert: false\n');
}

function codeServerEnv(stateDir) {
  return {
    ...process.env,
    // An empty gallery: no extension marketplace queries, so the editor works offline without errors.
    EXTENSIONS_GALLERY: '{}',
    // Its heartbeat, logs and device id go to the state folder, not to the user's home.
    XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
    XDG_CACHE_HOME: path.join(stateDir, 'xdg-cache'),
  };
}

/** Installs a .vsix into the extensions folder under `stateDir`; throws with its output on failure. */
export function installExtension({ bin, stateDir, vsix }) {
  const { userDataDir, extensionsDir, config } = statePaths(stateDir);
  writeConfig(config);
  const args = [bin, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
  const result = spawnSync(process.execPath, args, { env: codeServerEnv(stateDir), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Starts code-server with its state in `stateDir` and resolves once it answers on /healthz.
 * `port` 0 lets the system pick a free port (no race with another run); the one it bound is
 * read from its output. `settings` are written as the user settings when given. Its output
 * goes to `<stateDir>/code-server.log`; `stop()` ends it and every process it started.
 */
export async function startCodeServer({ bin, stateDir, port = 0, folder, settings, timeoutMs = 60_000 }) {
  const { userDataDir, extensionsDir, logFile, config } = statePaths(stateDir);
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  if (settings) writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  writeConfig(config);
  const args = [
    bin,
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(folder ? [folder] : []),
  ];
  const env = codeServerEnv(stateDir);
  // Its own process group, so stop() reaches the extension hosts and the language server too.
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(logFile);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  let boundUrl;
  let output = '';
  child.stdout.on('data', (chunk) => {
    if (boundUrl) return;
    output += chunk;
    boundUrl = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`code-server did not answer within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
    }
    if (boundUrl && (await healthy(boundUrl))) break;
    await new Promise((r) => setTimeout(r, 200)); // polling a server that is starting up
  }
  return { url: boundUrl, port: Number(new URL(boundUrl).port), child, logFile, userDataDir, stop: () => stop(child) };
}

async function healthy(url) {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Ends code-server's whole process group: TERM, then KILL if it lingers. Resolves when it is gone. */
export function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        try { child.kill(signal); } catch { /* already gone */ }
      }
    };
    const force = setTimeout(() => kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      kill('SIGKILL'); // whatever it started and left behind in its group
      resolve();
    });
    kill('SIGTERM');
  });
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
