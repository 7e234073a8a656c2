/**
 * Per-document debounce for diagnostics. The delay adapts to how long the last check took (a
 * small file is checked almost at once, a huge one waits for the typing to pause), within bounds.
 */
export class Debouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private lastDurationMs = 0;

  constructor(private readonly minMs = 15, private readonly maxMs = 250) {}

  schedule(key: string, run: () => Promise<void>): void {
    this.cancel(key);
    const delay = Math.min(this.maxMs, Math.max(this.minMs, this.lastDurationMs));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      const started = performance.now();
      void run().finally(() => {
        this.lastDurationMs = performance.now() - started;
      });
    }, delay));
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }
}
