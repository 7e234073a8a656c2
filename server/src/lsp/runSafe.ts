/** Handlers never take the server down: an exception becomes a logged default answer (or, for a notification, a log line). */
import type { CancellationToken } from 'vscode-languageserver';

export type Log = (message: string) => void;

export async function runSafe<T, F = T>(log: Log, name: string, fallback: F, work: () => T | Promise<T>, token?: CancellationToken): Promise<T | F> {
  if (token?.isCancellationRequested) return fallback;
  try {
    const result = await work();
    return token?.isCancellationRequested ? fallback : result;
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}

/** A notification handler that cannot take the server down: an exception is logged, and nothing else happens. */
export function safely<A extends unknown[]>(log: Log, name: string, handler: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => void runSafe(log, name, undefined, () => handler(...args));
}

/** A notification to a client that may be gone: a closed connection is not an error worth a crash. */
export function detach(sent: Promise<unknown> | void): void {
  if (sent) sent.catch(() => undefined);
}
