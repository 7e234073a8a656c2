/** Polling for a condition the editor reaches asynchronously: the extension's answers arrive when they arrive. */

/**
 * Calls `read` until `accept` holds for its value, and returns that value. On timeout, throws
 * with `describe(last value)` so the failure shows what the editor had instead.
 */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; what?: string; describe?: (value: T | undefined) => string } = {},
): Promise<T> {
  const { timeoutMs = 30_000, what = 'condition', describe = (v) => JSON.stringify(v) } = options;
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${describe(last)}`);
    await new Promise((resolve) => setTimeout(resolve, delay)); // poll interval, not a wait for a fixed outcome
  }
}
