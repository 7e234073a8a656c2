// `npm start`: the extension in a real VS Code in your browser, with no VS Code installed.
// Packages the extension, installs the .vsix into the cached code-server and serves a fresh copy of
// examples/ (playground/, git-ignored) on 127.0.0.1 only (PORT, default 8080, or a free port when
// that one is taken). Runs until Ctrl+C. PLAYBOOK_START_STATE moves the editor's state (the tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { OFFLINE_SETTINGS, installExtension, portIsFree, startCodeServer, statePaths } from './codeServer.mjs';
import { freshPlayground } from './playground.mjs';
import { CACHE, ROOT, prepareCodeServer } from './prepare.mjs';

const STATE = process.env.PLAYBOOK_START_STATE ? path.resolve(process.env.PLAYBOOK_START_STATE) : path.join(CACHE, 'editor');
const { userDataDir, logFile } = statePaths(STATE);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[start] ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

const bin = prepareCodeServer();
mkdirSync(STATE, { recursive: true });
console.log('[start] packaging the extension');
run('npm', ['run', '--silent', 'package']);
console.log('[start] installing incident-playbook.vsix into the local editor');
console.log(installExtension({ bin, stateDir: STATE, vsix: path.join(ROOT, 'incident-playbook.vsix') }));

const folder = freshPlayground(ROOT);
const wanted = Number(process.env.PORT ?? 8080);
// The wanted port, or any free one (0: the system picks) when it is taken.
const port = (await portIsFree(wanted)) ? wanted : 0;
// Settings are written once; after that they are the user's.
const settings = existsSync(path.join(userDataDir, 'User', 'settings.json')) ? undefined : OFFLINE_SETTINGS;
const server = await startCodeServer({ bin, stateDir: STATE, port, folder, settings });
if (wanted !== 0 && server.port !== wanted) console.log(`[start] port ${wanted} is taken; using ${server.port} (set PORT to choose)`);
console.log(`\n  Incident Playbooks in VS Code: ${server.url}/?folder=${encodeURIComponent(folder)}\n`);
console.log(`  Serving ${path.relative(process.cwd(), folder) || folder}, a fresh copy of examples/ (made again at every start), on 127.0.0.1 only;`);
console.log(`  edits are saved to the copy, never to examples/. Log: ${path.relative(process.cwd(), logFile)}`);
console.log('  Press Ctrl+C to stop.\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping the editor');
    await server.stop();
    process.exit(0);
  });
}
server.child.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`[start] code-server stopped unexpectedly (${code ?? signal}); see ${logFile}`);
  process.exit(1);
});
