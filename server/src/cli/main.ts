/** Entry point of `dist/cli.js` (the `playbook` bin). */
import { writeFileCreatingFolders } from '../node/writeFile.js';
import { run } from './run.js';

// A reader that stops early (`playbook check | head`) closes the pipe: that ends the output, as
// for any Unix tool, not in a stack trace. The exit status is what the shell expects of a closed pipe.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(141);
    process.exitCode = 2;
  });
}

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
