/**
 * Advisories grow old while the editor stays open: once an hour the server looks again, and when
 * time alone has changed PB110's age findings (a source crossed `advisories-max-age`, or a stale
 * one is a day older) open playbooks are checked again and the status bar told. Nothing else
 * would, since no file changed. A new day (UTC) is such a change too: a suppression written
 * `until` that day has ended (PB109).
 */
import type { Workspace } from './workspace.js';
import type { Analyses } from './analyses.js';
import type { DiagnosticsService } from './diagnosticsService.js';
import { ageFindingsKey } from './advisoryAgeStatus.js';
import type { Log } from './runSafe.js';

export const AGE_CHECK_EVERY_MS = 60 * 60 * 1000;

export interface AgeWatchOptions {
  workspace: Workspace;
  analyses: Analyses;
  diagnostics: () => DiagnosticsService | undefined;
  now: () => Date;
  everyMs: number;
  log: Log;
}

export function watchAdvisoryAge(options: AgeWatchOptions): { dispose(): void } {
  let last: string | undefined;
  let running = false;
  const look = async (): Promise<void> => {
    const environments = await options.workspace.loadedEnvironments();
    const now = options.now();
    const key = `${now.toISOString().slice(0, 10)}\0${ageFindingsKey(environments, now)}`;
    const diagnostics = options.diagnostics();
    if (last !== undefined && key !== last && diagnostics) {
      options.analyses.timePassed();
      await diagnostics.refreshAll();
    } else {
      await diagnostics?.sendStatusIfChanged();
    }
    last = key;
  };
  const tick = (): void => {
    if (running) return;
    running = true;
    look().catch((e) => options.log(`checking how old the advisories are failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)).finally(() => {
      running = false;
    });
  };
  // The first look is the baseline: what the checks so far were made with.
  tick();
  const timer = setInterval(tick, options.everyMs);
  // The watch never keeps the process alive on its own.
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
