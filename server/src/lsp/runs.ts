/**
 * The incident runs open in the language server, by id: each a RunSession (node/runSession.ts), the
 * one `playbook run --answers` drives, so the editor and the CLI write the same record by the same
 * code. A run starts on a saved playbook (its record names the file and hashes the text), or goes
 * on from its record (the record is the state: a reloaded window, a restarted server or a crashed
 * editor loses nothing written). Answers to one run are taken one at a time, each naming the step
 * it is about, so a double click never marks the next step too. The step shown is started at once;
 * a run whose flow has ended is ended at once: its record is complete without another click.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { redactor, renderRunMarkdown, type Policy } from '../core/index.js';
import { isInside } from '../node/pathInside.js';
import { readPlaybookText } from '../node/readPlaybookText.js';
import { analyseForRun, autoNotifyOf, runRefusal } from '../node/runAnalysis.js';
import { readRunRecord, recordedPlaybookPaths, recordPlace } from '../node/runRecord.js';
import { reportOfRecord } from '../node/runReportFile.js';
import { RunSession, type ResumeOptions } from '../node/runSession.js';
import { RUN_NOT_OPEN, type ReleasePreview, type RunAnswerParams, type RunIdParams, type RunResumeParams, type RunStartParams, type RunView } from '../shared/protocol.js';
import { runNotifier, type SecretLookup } from '../node/runNotifier.js';
import type { DeliverySettings } from '../node/webhookQueue.js';
import { answerProblem } from './runAnswerCheck.js';
import { runView, type LiveRun } from './runView.js';
import type { Workspace } from './workspace.js';

const refused = (message: string): ResponseError<void> => new ResponseError(ErrorCodes.InvalidParams, message);

export class Runs {
  private readonly live = new Map<string, LiveRun>();

  /** `secrets`: the editor's stored webhook URLs (playbook/webhookSecrets). */
  constructor(
    private readonly workspace: Workspace,
    private readonly now: () => Date,
    private readonly toolVersion: string,
    private readonly secrets?: SecretLookup,
    /** Webhook time-outs and backoff (tests shorten them). */
    private readonly delivery: DeliverySettings = {},
  ) {}

  async start(params: RunStartParams): Promise<RunView | ResponseError<void>> {
    const who = whoOf(params.who);
    if (who instanceof ResponseError) return who;
    const uri = URI.parse(params.uri);
    if (uri.scheme !== 'file') return refused('save the playbook first: a run\'s record names its file');
    const file = uri.fsPath;
    const root = this.workspace.rootFor(file);
    const playbook = await this.playbookOptions(file, who);
    if (playbook instanceof ResponseError) return playbook;
    const analysis = await playbook.analyse();
    const refusal = runRefusal(analysis);
    if (refusal) return refused(`${path.basename(file)}: ${refusal}`);
    const { loaded } = await this.workspace.environmentFor(file);
    const place = recordPlace(loaded.file, root);
    if (!isInside(place.dir, root)) return refused(`the record would go to ${place.dir}, outside the workspace folder ${root}; records are written only inside it`);
    let session: RunSession;
    try {
      session = await RunSession.start({ ...playbook, workspace: place.workspace, recordDir: place.dir, mode: 'editor' });
    } catch (error) {
      return refused(`the record cannot be written in ${path.relative(root, place.dir) || place.dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    this.goOn(session);
    return this.open(session, params.uri, root, loaded.policy);
  }

  async resume(params: RunResumeParams): Promise<RunView | ResponseError<void>> {
    const who = whoOf(params.who);
    if (who instanceof ResponseError) return who;
    const record = path.resolve(params.record);
    const open = [...this.live.values()].find((r) => r.session.recordFile === record);
    if (open) return runView(open);
    const root = this.workspace.allRoots().find((r) => isInside(record, r));
    if (!root || !record.endsWith('.jsonl')) return refused(`${record} is not a run record in a workspace folder`);
    const read = await readRunRecord(record);
    const shown = path.relative(root, record);
    if ('problem' in read) return refused(read.line === undefined ? `${shown} ${read.problem}` : `${shown} cannot be trusted: line ${read.line} ${read.problem}`);
    const started = read.events[0];
    if (started?.type !== 'run-started') return refused(`${shown} does not start with run-started`);
    const candidates = recordedPlaybookPaths(record, started.playbook.file, root);
    const file = (await Promise.all(candidates.map((c) => fs.stat(c).then((s) => (s.isFile() ? c : undefined), () => undefined)))).find((c) => c !== undefined);
    if (!file) return refused(`the playbook the record names, ${started.playbook.file}, is not found`);
    const playbook = await this.playbookOptions(file, who);
    if (playbook instanceof ResponseError) return playbook;
    const session = await RunSession.resume(record, playbook);
    if ('problem' in session) return refused(`${shown}: ${session.problem}`);
    this.goOn(session);
    return this.open(session, URI.file(file).toString(), root, (await this.workspace.environmentFor(file)).loaded.policy);
  }

  /** A record's report, as `playbook runs report` makes it: only of a record in a workspace folder. */
  async report(params: { record: string }): Promise<{ markdown: string } | ResponseError<void>> {
    const record = path.resolve(String(params.record));
    const root = this.workspace.allRoots().find((r) => isInside(record, r));
    if (!root || !record.endsWith('.jsonl')) return refused(`${record} is not a run record in a workspace folder`);
    const report = await reportOfRecord(record, root);
    return 'problem' in report ? refused(`${path.relative(root, record)} ${report.problem}`) : { markdown: renderRunMarkdown(report) };
  }

  state(params: RunIdParams): RunView | ResponseError<void> {
    const run = this.live.get(params.runId);
    return run ? runView(run) : notOpen();
  }

  answer(params: RunAnswerParams): Promise<RunView | ResponseError<void>> {
    return this.exclusive(params.runId, async (run) => {
      const { session } = run;
      if (session.ended !== undefined) return refused(`the run has ended (${session.ended})`);
      const step = session.stepView;
      if (!step) return refused('the flow has ended');
      if (params.step !== step.name) return refused(`the run has moved on: the step to do now is '${step.name}', not '${params.step}'`);
      const problem = answerProblem(params.answer, step);
      if (problem) return refused(problem);
      run.stopped = await session.answer(params.answer);
      this.goOn(session);
      return runView(run);
    });
  }

  previewRelease(params: RunIdParams): Promise<ReleasePreview | null | ResponseError<void>> {
    return this.exclusive(params.runId, async ({ session }) => {
      const check = session.ended === undefined ? await session.releasePreview() : undefined;
      return check ? { step: check.step, service: check.service, version: check.version, standing: check.standing, decided: check.decided } : null;
    });
  }

  giveUp(params: RunIdParams & { notification: number }): Promise<RunView | ResponseError<void>> {
    return this.exclusive(params.runId, async (run) => {
      const id = Number(params.notification);
      if (!Number.isSafeInteger(id) || !run.session.giveUp(id)) return refused(`notification ${String(params.notification)} is not waiting for delivery`);
      return runView(run);
    });
  }

  retry(params: RunIdParams): Promise<RunView | ResponseError<void>> {
    return this.exclusive(params.runId, async (run) => {
      if (run.session.ended === undefined) await run.session.retryQueued();
      return runView(run);
    });
  }

  end(params: RunIdParams): Promise<RunView | ResponseError<void>> {
    return this.exclusive(params.runId, async (run) => {
      if (run.session.ended === undefined) run.session.end();
      run.stopped = undefined;
      return runView(run);
    });
  }

  /**
   * The step the panel shows next is started (its `step-started` says when the person turned to
   * it); a run whose flow has ended is ended, so its record is complete without another click.
   */
  private goOn(session: RunSession): void {
    if (session.flowOutcome !== undefined) session.end();
    else session.startStep();
  }

  /** What a session needs of the playbook: its text as saved, checked against the environment as it is whenever asked. */
  private async playbookOptions(file: string, who: string): Promise<ResumeOptions | ResponseError<void>> {
    const environment = await this.workspace.environmentFor(file);
    const read = await readPlaybookText(file, environment.loaded.policy);
    if ('problem' in read) return refused(`${path.basename(file)}: ${read.problem}`);
    const { text } = read;
    return {
      // The environment is asked for again each time: a changed advisory, SBOM or VEX file reloads it.
      analyse: async () => analyseForRun(file, text, await this.workspace.environmentFor(file), this.now()),
      file, text, workspace: this.workspace.rootFor(file), who, toolVersion: this.toolVersion,
      // The webhooks the policy's `notify` names, from the editor's secret storage or its environment; the messages are the run's, already redacted (the queue redacts PB104's shapes again).
      ...sendingFor(environment.loaded.policy, this.secrets, this.delivery),
      autoNotify: autoNotifyOf(environment.loaded.policy),
      now: this.now,
    };
  }

  private open(session: RunSession, uri: string, root: string, policy: Policy): RunView {
    const webhookEnv = new Map([...policy.notify].map(([channel, binding]) => [channel, binding.webhookEnv]));
    const run: LiveRun = { id: randomUUID(), session, uri, root, webhookEnv, queue: Promise.resolve() };
    this.live.set(run.id, run);
    return runView(run);
  }

  /** One request at a time per run, in the order they came. */
  private exclusive<T>(runId: string, work: (run: LiveRun) => Promise<T | ResponseError<void>>): Promise<T | ResponseError<void>> {
    const run = this.live.get(runId);
    if (!run) return Promise.resolve(notOpen());
    const result = run.queue.then(() => work(run));
    run.queue = result.catch(() => undefined);
    return result;
  }
}

function sendingFor(policy: Policy, secrets: SecretLookup | undefined, delivery: DeliverySettings): Pick<ResumeOptions, 'send' | 'retryQueued' | 'giveUp'> {
  const notifier = runNotifier(policy, process.env, redactor([]), delivery, secrets);
  return { send: (channel, text, id) => notifier.send(channel, text, id), retryQueued: () => notifier.retryQueued(), giveUp: (id) => notifier.giveUp(id) };
}

function notOpen(): ResponseError<void> {
  return new ResponseError(RUN_NOT_OPEN, 'the run is not open in the language server (it was restarted): resume it from its record');
}

/** Who answers: one line of text, as short as a name or handle is. */
function whoOf(who: unknown): string | ResponseError<void> {
  const text = typeof who === 'string' ? who.trim() : '';
  if (!text || text.length > 200 || /[\u0000-\u001f\u007f]/.test(text)) return refused('say who runs it: a name or handle on one line (e.g. "@alice")');
  return text;
}
