/**
 * Per-document debounce for diagnostics. The delay follows what the document's last check cost: a
 * check cheaper than the pause between two keystrokes (an edit inside one step is re-parsed alone)
 * runs almost at once, after each one; a costly one (a full parse of a huge playbook) waits for the
 * typing to pause, up to `maxMs`, rather than spend the CPU on text that is about to change.
 *
 * Only edits set the delay. A document's open is a full parse and a first check, many times the
 * cost of the edits that follow it; were it the measure, the first keystrokes after opening a large
 * playbook would each wait the longest delay for a check that takes a few milliseconds.
 */
export class Debouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lastDurationMs = new Map<string, number>();

  /**
   * `cheapMs`: a check that costs less than a typist's pause between two keystrokes (100–200 ms)
   * runs at once; delaying it by its own cost would only double the wait for its answer. `now`: the
   * clock a check's cost is read from (tests give one of their own).
   */
  constructor(private readonly minMs = 5, private readonly maxMs = 250, private readonly cheapMs = 100, private readonly now: () => number = () => performance.now()) {}

  /** The delay before the next check of `key`. */
  delayFor(key: string): number {
    const last = this.lastDurationMs.get(key) ?? 0;
    return last <= this.cheapMs ? this.minMs : Math.min(this.maxMs, last);
  }

  schedule(key: string, run: () => Promise<void>): void {
    this.cancel(key);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.measure(key, run);
    }, this.delayFor(key)));
  }

  /** Runs at once (a document just opened), replacing anything pending; its cost is not an edit's, so the next edit's delay starts from the shortest. */
  runNow(key: string, run: () => Promise<void>): void {
    this.cancel(key);
    this.lastDurationMs.delete(key);
    void run();
  }

  private measure(key: string, run: () => Promise<void>): void {
    const started = this.now();
    void run().finally(() => {
      this.lastDurationMs.set(key, this.now() - started);
    });
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  /** A closed document: nothing pending, nothing remembered. */
  forget(key: string): void {
    this.cancel(key);
    this.lastDurationMs.delete(key);
  }
}
