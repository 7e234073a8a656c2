import type { Timeouts } from '../node/advisoryDownload.js';
import type { WorkerEntry } from '../node/checkPoolSetup.js';

/** What the CLI needs from the outside world, so tests can run it in process and read its output. */
export interface CliIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Writes an output file (`--output`); resolves relative to cwd. */
  writeFile(path: string, text: string): Promise<void>;
  /** The check workers' script (tests); by default the one bundled beside the CLI. */
  checkWorker?: WorkerEntry;
  /** Standard error is a terminal: `advisories --update` shows its progress there. */
  stderrIsTerminal?: boolean;
  /** `advisories --update`'s time-outs (tests); by default 15 s to connect, 30 s for the answer and between pieces of the body. */
  downloadTimeouts?: Partial<Timeouts>;
}
