/**
 * A pause in typing, for work no answer waits for (the SBOMs of releases no step targets, read
 * after the first diagnostics): each piece of it starts once no document has changed for a
 * moment, so a keystroke typed right after opening a playbook is not answered behind it.
 */

/** Longer than the gap between two keystrokes of a typist, far shorter than a pause to read. */
const PAUSE_MS = 250;

export class TypingPause {
  private lastChange = -Infinity;

  constructor(private readonly pauseMs = PAUSE_MS, private readonly clock: () => number = () => performance.now()) {}

  /** A document changed. */
  changed(): void {
    this.lastChange = this.clock();
  }

  /** Resolves once no document has changed for the pause (at once when none has lately). */
  pause(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        const quiet = this.clock() - this.lastChange;
        if (quiet >= this.pauseMs) resolve();
        else setTimeout(check, this.pauseMs - quiet);
      };
      check();
    });
  }
}
