/**
 * "Playbook: Check Workspace": every playbook under the workspace folders, open or not, with
 * progress and cancellation. Open documents come from the server's own analyses; closed files are
 * checked on the check workers when there are enough of them (the server's thread keeps
 * answering), each published as soon as it is done.
 */
import type { Connection } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { type Finding, oneLine } from '../core/index.js';
import { baselineOption } from '../node/baselineFile.js';
import type { Environment } from '../node/checkEnvironment.js';
import { checkFile } from '../node/checkFile.js';
import { createFileChecker } from '../node/checkPool.js';
import type { EnvironmentSpec, TaskResult } from '../node/checkTask.js';
import { findPlaybooks } from '../node/findPlaybooks.js';
import type { CheckWorkspaceResult } from '../shared/protocol.js';
import type { Analyses } from './analyses.js';
import type { DiagnosticsService } from './diagnosticsService.js';
import type { Workspace } from './workspace.js';

/** Each worker holds its own bundle and environments (about 40 MB): the editor's process stays modest on many-core machines. */
const MAX_SERVER_WORKERS = 4;

export async function checkWorkspace(connection: Connection, workspace: Workspace, analyses: Analyses, diagnostics: DiagnosticsService): Promise<CheckWorkspaceResult> {
  // All roots in one expansion, so a file under two nested roots (or reached through a link) is checked once.
  const roots = workspace.allRoots();
  const { files, problems } = await findPlaybooks(roots, roots[0] ?? '.');
  const unreadable = problems.filter((p) => !p.nothingFound);
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Checking playbooks', 0, `${files.length} files`, true);
  const result: CheckWorkspaceResult = { files: 0, errors: 0, warnings: 0, infos: 0, unreadable: unreadable.map((p) => ({ path: p.argument, reason: p.reason })) };
  const cancelled = (): boolean => progress.token.isCancellationRequested;
  const done = (file: string, findings: readonly Finding[]): void => {
    result.files++;
    // What the baseline lists is shown as a hint, not counted: the totals agree with `playbook check`.
    for (const f of findings.filter((x) => !x.baselined)) {
      if (f.severity === 'error') result.errors++;
      else if (f.severity === 'warning') result.warnings++;
      else result.infos++;
    }
    progress.report(Math.round((result.files / Math.max(1, files.length)) * 100), file);
  };

  // These are the files whose findings stay in Problems; an editor may have one open under another spelling of its URI.
  diagnostics.workspaceFiles(files);
  const openByFile = new Map(files.map((file) => [file, diagnostics.openDocumentFor(file)]));
  const open = files.flatMap((file) => openByFile.get(file) ?? []);
  const closed = files.filter((file) => !openByFile.get(file));
  const environments = new Map<string, Environment>();
  const checker = createFileChecker({
    files: closed.length,
    maxWorkers: MAX_SERVER_WORKERS,
    // Without workers, closed files are checked here with the environments the server already holds.
    inProcess: async ({ file, environment: spec, baseline }) => {
      const environment = environments.get(spec.kind === 'given' ? spec.key : '')!;
      return { check: await checkFile(file, { policy: environment.loaded.policy, advisories: environment.advisories, releases: environment.releases, ...(baseline ? { baseline } : {}) }) };
    },
  });
  connection.console.log(`Check Workspace: ${files.length} playbooks, ${closed.length} closed, checked ${checker.workers ? `on ${checker.workers} worker threads` : 'in the server thread'}`);
  for (const p of unreadable) connection.console.log(`Check Workspace: ${oneLine(`${p.argument}: ${p.reason}`)}; not checked`);
  const stop = progress.token.onCancellationRequested(() => void checker.close());
  try {
    const pending: Array<Promise<void>> = [];
    for (const file of closed) {
      if (cancelled()) break;
      const environment = await environmentSpec(file, workspace, environments);
      const baseline = baselineOption(environments.get(environment.kind === 'given' ? environment.key : '')?.baseline, file);
      pending.push(checker.check({ file, environment, ...baseline }).then((r) => closedChecked(r, connection, diagnostics, cancelled, done)));
    }
    for (const doc of open) {
      if (cancelled()) break;
      done(URI.parse(doc.uri).fsPath, (await analyses.get(doc)).findings);
    }
    await Promise.all(pending);
  } finally {
    stop.dispose();
    await checker.close();
    progress.done();
  }
  await diagnostics.sendStatus();
  return result;
}

/** The policy the server uses for this file (with the user's settings) and the advisory sources it loaded, for a worker to load once. */
async function environmentSpec(file: string, workspace: Workspace, environments: Map<string, Environment>): Promise<EnvironmentSpec> {
  const environment = await workspace.environmentFor(file);
  const key = `${workspace.rootFor(file)}\0${environment.loaded.file ?? ''}`;
  environments.set(key, environment);
  const sources = environment.advisories.sources.map(({ entry, path }) => ({ entry, path }));
  return { kind: 'given', key, policy: environment.loaded.policy, sources, ...(environment.loaded.file ? { policyFile: environment.loaded.file } : {}), rootDir: environment.releases.rootDir };
}

function closedChecked({ check }: TaskResult, connection: Connection, diagnostics: DiagnosticsService, cancelled: () => boolean, done: (file: string, findings: readonly Finding[]) => void): void {
  if (cancelled()) return;
  diagnostics.publishChecked(check);
  if ('error' in check) {
    connection.console.log(`Check Workspace: ${oneLine(`${check.file}: ${check.error}`)}`);
    done(check.file, []);
    return;
  }
  done(check.file, check.findings);
}
