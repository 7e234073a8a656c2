/** A command's report on standard output, or in the file `--output` names; a file that cannot be written is one line on stderr, never a stack trace. */
import * as path from 'node:path';
import { oneLine } from '../core/index.js';
import { describeFsError } from '../node/readFile.js';
import type { CliIO } from './io.js';

/** Writes `text` to `output` (relative to the working directory); returns the absolute path, or undefined when it could not be written (said on stderr). */
export async function writeOutput(io: CliIO, output: string, text: string): Promise<string | undefined> {
  const file = path.resolve(io.cwd, output);
  try {
    await io.writeFile(file, text);
    return file;
  } catch (error) {
    io.stderr(`playbook: ${oneLine(`${output}: the report cannot be written: ${describeFsError(error)}`)}\n`);
    return undefined;
  }
}

/** Prints the report, or writes it to the `--output` file; false when that file could not be written. */
export async function emitReport(io: CliIO, output: string | undefined, text: string): Promise<boolean> {
  if (output === undefined) {
    io.stdout(text);
    return true;
  }
  return (await writeOutput(io, output, text)) !== undefined;
}
