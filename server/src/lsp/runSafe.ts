/** Handlers never take the server down: an exception becomes a logged default answer. */
import type { CancellationToken } from 'vscode-languageserver';

export type Log = (message: string) => void;

export async function runSafe<T>(log: Log, name: string, fallback: T, work: () => T | Promise<T>, token?: CancellationToken): Promise<T> {
  if (token?.isCancellationRequested) return fallback;
  try {
    const result = await work();
    return token?.isCancellationRequested ? fallback : result;
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}

/** A notification to a client that may be gone: a closed connection is not an error worth a crash. */
export function detach(sent: Promise<unknown> | void): void {
  if (sent) sent.catch(() => undefined);
}
