/**
 * "Playbook: Update Advisories": the same update as `playbook advisories --update`, for each
 * workspace folder with its own policy, with progress and cancellation (the request's token or the
 * progress's own button); then the advisories are loaded again and open playbooks re-checked. The
 * client sends it only from a trusted workspace, since the policy names the mirror and folder.
 */
import * as path from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { oneLine, redactor } from '../core/index.js';
import { sizeText } from '../node/advisoryDownload.js';
import { updateAdvisories as runUpdate, type UpdateOptions } from '../node/advisoryUpdate.js';
import { prepareUpdate } from '../node/advisoryUpdatePlan.js';
import type { UpdateAdvisoriesParams, UpdateAdvisoriesResult } from '../shared/protocol.js';
import type { DiagnosticsService } from './diagnosticsService.js';
import type { Log } from './runSafe.js';
import type { Workspace } from './workspace.js';

/** What goes to the log and back to the client names URLs and paths: one line each, no secret shape. */
const safe = ((redact) => (text: string): string => redact(oneLine(text)))(redactor([]));

export interface UpdateHandlerOptions {
  userAgent: string;
  /** The server's clock: the fetch time recorded is the one its age checks compare with. */
  now: () => Date;
  /** Tests shorten the time-outs. */
  timeouts?: UpdateOptions['timeouts'];
}

export async function updateAdvisories(params: UpdateAdvisoriesParams | undefined, connection: Connection, workspace: Workspace, diagnostics: DiagnosticsService | undefined, token: CancellationToken, log: Log, options: UpdateHandlerOptions): Promise<UpdateAdvisoriesResult> {
  const result: UpdateAdvisoriesResult = { ecosystems: [], problems: [], cancelled: false };
  const roots = workspace.allRoots();
  if (roots.length === 0) {
    result.problems.push('no workspace folder is open');
    return result;
  }
  const abort = new AbortController();
  // The client's own progress (cancelled through the request), or one of the server's (with its own Cancel).
  const own = params?.workDoneToken === undefined ? await connection.window.createWorkDoneProgress() : undefined;
  const progress = own ?? connection.window.attachWorkDoneProgress(params?.workDoneToken);
  progress.begin('Updating advisories', 0, roots.length === 1 ? '' : `${roots.length} folders`, true);
  const stops = [token.onCancellationRequested(() => abort.abort()), ...(own ? [own.token.onCancellationRequested(() => abort.abort())] : [])];
  // Two folders under one policy write the same files: each is fetched once.
  const done = new Set<string>();
  try {
    for (const [i, root] of roots.entries()) {
      if (abort.signal.aborted) break;
      const prepared = await prepareUpdate({ rootDir: root });
      if ('problem' in prepared) {
        result.problems.push(safe(`${path.basename(root)}: ${prepared.problem}`));
        continue;
      }
      for (const failure of prepared.failures) result.problems.push(safe(`${path.basename(root)}: ${failure}`));
      for (const note of prepared.notes) log(`Update Advisories: ${safe(`${path.basename(root)}: ${note}`)}`);
      const plan = { ...prepared.plan, ecosystems: prepared.plan.ecosystems.filter((e) => !done.has(path.join(prepared.plan.dir, e))) };
      for (const e of plan.ecosystems) done.add(path.join(plan.dir, e));
      const share = 100 / roots.length;
      const updates = await runUpdate(plan, {
        userAgent: options.userAgent,
        timeouts: options.timeouts,
        now: options.now,
        signal: abort.signal,
        onProgress: (ecosystem, received, total) => {
          const index = plan.ecosystems.indexOf(ecosystem);
          const within = total ? received / total : 0;
          progress.report(Math.floor(i * share + ((index + within) / plan.ecosystems.length) * share), `${ecosystem}: ${total ? `${sizeText(received)} of ${sizeText(total)}` : sizeText(received)}`);
        },
      });
      for (const u of updates) {
        const entry = { folder: root, ecosystem: u.ecosystem, file: path.relative(root, u.file).split(path.sep).join('/'), outcome: u.outcome, ...(u.problem ? { problem: safe(u.problem) } : {}) };
        result.ecosystems.push(entry);
        log(`Update Advisories: ${safe(`${entry.file}: ${u.outcome === 'failed' ? `not updated: ${u.problem}` : u.outcome}`)}`);
      }
    }
  } finally {
    result.cancelled = abort.signal.aborted;
    for (const stop of stops) stop.dispose();
    progress.done();
  }
  // Whatever was written, cancelled or not, is what loads from now on.
  workspace.invalidate();
  await diagnostics?.refreshAll();
  return result;
}
