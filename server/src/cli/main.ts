/** Entry point of `dist/cli.js` (the `playbook` bin). */
import { writeFileCreatingFolders } from '../node/writeFile.js';
import { run } from './run.js';

run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: writeFileCreatingFolders,
  stderrIsTerminal: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a user error: say so in one line, with the detail only when asked for.
    process.stderr.write(`playbook: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.PLAYBOOK_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exitCode = 2;
  },
);
