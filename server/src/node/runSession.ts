/**
 * One incident run as it goes: the engine's state, the record it is written to, and what a step's
 * answer does (docs/design/incident-runs.md). `playbook run --answers` and the editor's run panel
 * both drive this, so they take the same code path and write the same record: each step is started,
 * then done, failed, skipped or (a checkpoint) decided; a rollback or deploy has its target checked
 * against the advisories, SBOMs and VEX of an analysis made at that moment before it is done, and a
 * standing advisory must be acknowledged; notify steps and `auto-notify-security` send their
 * messages and record how each delivery went. Every event passes the playbook's redaction.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  applyEvent, autoNotifyMessage, currentStep, needsReleaseCheck, notifyMessage, redactEvent, redactorFor, releaseCheck, replayRun, runPath, runPlaybook, runStepView, startRun, stepName,
  type Analysis, type Answer, type Delivery, type PassedStep, type RunEvent, type RunOutcome, type RunStepView, type StepModel,
} from '../core/index.js';
import { readRunRecord, recordFileName, RunRecordWriter } from './runRecord.js';

type RunState = ReturnType<typeof startRun>;
type ReleaseCheckEvent = Extract<RunEvent, { type: 'release-check' }>;
/** A notification as the record holds it (its message redacted). */
export type SentNotification = Extract<RunEvent, { type: 'notification' }>;


const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface RunSessionOptions {
  /** The playbook checked as it stands now (advisories, SBOMs and VEX read for this moment). */
  analyse: () => Promise<Analysis>;
  /** The playbook's file and text (the record names the file, relative to `workspace`, and hashes the text). */
  file: string;
  text: string;
  workspace: string;
  recordDir: string;
  who: string;
  mode: 'editor' | 'answers';
  toolVersion: string;
  /** Sends notification `id` to a channel role's webhook (the text already redacted). */
  send: (channel: string, text: string, id: number) => Promise<Delivery>;
  /** One more attempt at each queued notification (runNotifier.ts): those whose delivery changed, recorded as `delivery` events. */
  retryQueued?: () => Promise<Array<{ id: number; delivery: Delivery }>>;
  /** Takes queued notification `id` off the queue, with its last delivery as `given-up` (undefined: not queued here, e.g. after a restart). */
  giveUp?: (id: number) => Delivery | undefined;
  /** The policy's `auto-notify-security` and `notify-security-after`. */
  autoNotify: { enabled: boolean; after: ReadonlySet<string> };
  now?: () => Date;
}

/** Resuming needs no folder for a new record and keeps the record's mode. */
export type ResumeOptions = Omit<RunSessionOptions, 'recordDir' | 'mode'>;

export class RunSession {
  private state: RunState;
  private notifications = 0;
  /** The notifications of the run so far, as recorded. */
  private readonly sent: SentNotification[] = [];
  private readonly now: () => Date;

  private constructor(
    private readonly options: ResumeOptions,
    private analysis: Analysis,
    private readonly writer: RunRecordWriter,
  ) {
    this.now = options.now ?? (() => new Date());
    this.state = startRun(runPlaybook(analysis));
  }

  /** Starts the run: a new record, and its `run-started`. */
  static async start(options: RunSessionOptions): Promise<RunSession> {
    const analysis = await options.analyse();
    const id = analysis.parsed.model.id ?? path.basename(options.file).replace(/\.playbook\.ya?ml$/i, '');
    const now = options.now ?? (() => new Date());
    const session = new RunSession(options, analysis, RunRecordWriter.create(options.recordDir, recordFileName(now(), id)));
    session.record({ type: 'run-started', ...session.stamp(), playbook: { id, file: path.relative(options.workspace, options.file).split(path.sep).join('/'), sha256: sha256(options.text) }, tool: { name: 'playbook', version: options.toolVersion }, mode: options.mode });
    return session;
  }

  /**
   * Goes on with a run from its record (the record is the state): the record is read and its chain
   * verified, it must be of this playbook's text (the `sha256` its `run-started` names: a playbook
   * changed since is refused, as the steps recorded may no longer be the steps it has), every event
   * is replayed through the engine, and the run goes on appending to the same file. Returns why it
   * cannot, naming the line when one is at fault.
   */
  static async resume(file: string, options: ResumeOptions): Promise<RunSession | { problem: string; line?: number }> {
    const record = await readRunRecord(file);
    if ('problem' in record) return record.line === undefined ? { problem: `the record ${record.problem}` } : { problem: `the record cannot be trusted: line ${record.line} ${record.problem}`, line: record.line };
    const [started] = record.events;
    if (started?.type !== 'run-started') return { problem: 'the record does not start with run-started', line: 1 };
    const last = record.events[record.events.length - 1]!;
    if (last.type === 'run-ended') return { problem: `the run has ended (${last.outcome}): there is nothing to resume` };
    if (started.playbook.sha256 !== sha256(options.text)) {
      return { problem: `the playbook ${started.playbook.file} has changed since the run started (its text is not the one the record names, sha256 ${started.playbook.sha256.slice(0, 12)}…): a run goes on only with the playbook it started with; restore that text to resume it, or start a new run` };
    }
    const analysis = await options.analyse();
    const replayed = replayRun(analysis, record.events);
    if ('problem' in replayed) return { problem: `line ${replayed.index + 1} does not follow the playbook: ${replayed.problem}`, line: replayed.index + 1 };
    const session = new RunSession(options, analysis, RunRecordWriter.resume(file, record));
    session.state = replayed.state;
    for (const event of record.events) session.keepSent(event);
    session.notifications = Math.max(0, ...session.state.notifications.keys());
    return session;
  }

  /** The playbook's file. */
  get playbookFile(): string {
    return this.options.file;
  }

  /** Who runs it now (a resumed run: who resumed it). */
  get who(): string {
    return this.options.who;
  }

  /** The playbook's id, else its file's name. */
  get playbookId(): string {
    return this.analysis.parsed.model.id ?? path.basename(this.options.file).replace(/\.playbook\.ya?ml$/i, '');
  }

  /** The current step has its `step-started`. */
  get stepStarted(): boolean {
    return this.state.stepStarted;
  }

  /** How the run ended, once `run-ended` is written. */
  get ended(): RunOutcome | undefined {
    return this.state.ended;
  }

  /** The current step as the run panel shows it (redacted). */
  get stepView(): RunStepView | undefined {
    const step = this.step;
    return step && runStepView(this.analysis, step);
  }

  /** The steps gone through so far and how each ended (names redacted). */
  get passed(): PassedStep[] {
    const steps = this.analysis.parsed.model.steps;
    return this.state.flow.visits.map((v) => {
      const step = steps[v.index]!;
      const checkpoint = step.action === 'checkpoint';
      const result = v.status === 'ran' ? (checkpoint ? 'approved' : 'done') : v.status === 'failed' && checkpoint ? 'undecided' : v.status;
      return { step: this.redact(stepName(step)), action: step.action ?? '', result };
    });
  }

  /** The notifications sent so far, as recorded. */
  get notificationsSent(): readonly SentNotification[] {
    return this.sent;
  }

  /** Whether marking the current step done also tells security at once (`auto-notify-security`). */
  get autoNotifies(): boolean {
    const action = this.step?.action;
    return this.options.autoNotify.enabled && action !== undefined && this.options.autoNotify.after.has(action);
  }

  /**
   * The current rollback or deploy's target checked now, shown before the person says it is done
   * (nothing is recorded: the check that counts is made and recorded when the step is marked done).
   */
  async releasePreview(): Promise<ReleaseCheckEvent | undefined> {
    const step = this.step;
    if (!step || !needsReleaseCheck(step)) return undefined;
    this.analysis = await this.options.analyse();
    return redactEvent(this.analysis, releaseCheck(this.analysis, step, stepName(step), false, this.stamp()));
  }

  get recordFile(): string {
    return this.writer.file;
  }

  /** The step to do now; undefined once the flow has ended. */
  get step(): StepModel | undefined {
    return currentStep(runPlaybook(this.analysis), this.state);
  }

  /** The steps gone through so far, by name. */
  get path(): string[] {
    return runPath(runPlaybook(this.analysis), this.state);
  }

  /** The flow's outcome once it has ended (resolved, aborted, blocked). */
  get flowOutcome(): RunOutcome | undefined {
    return this.state.flow.outcome === 'invalid' ? undefined : this.state.flow.outcome;
  }

  /** Starts the current step (its `step-started`), once. */
  startStep(): void {
    const step = this.step;
    if (step && !this.state.stepStarted) this.record({ type: 'step-started', ...this.stamp(), step: stepName(step), index: step.index });
  }

  /**
   * What happened to the current step. Returns why the run cannot go on from it, when it cannot:
   * a release with a standing advisory that was not acknowledged (the check is recorded either way).
   */
  async answer(answer: Answer): Promise<string | undefined> {
    const stopped = await this.answerStep(answer);
    // After each step, one more try at what is still queued.
    if (!stopped) await this.retryQueued();
    return stopped;
  }

  private async answerStep(answer: Answer): Promise<string | undefined> {
    const step = this.step;
    if (!step) throw new Error('the flow has ended');
    this.startStep();
    const name = stepName(step);
    const note = 'note' in answer && answer.note !== undefined ? { note: answer.note } : {};
    switch (answer.kind) {
      case 'approved':
      case 'denied':
        this.record({ type: 'approval', ...this.stamp(), step: name, approver: answer.by.trim(), decision: answer.kind === 'approved' ? 'granted' : 'denied', ...note });
        return undefined;
      case 'undecided':
        this.record({ type: 'approval', ...this.stamp(), step: name, decision: 'failed', ...note });
        return undefined;
      case 'skipped':
        this.record({ type: 'deviation', ...this.stamp(), step: name, kind: 'skipped', reason: answer.reason });
        return undefined;
      case 'failed':
        this.record({ type: 'step-failed', ...this.stamp(), step: name, ...note });
        return undefined;
      case 'done': {
        // The target as it stands now: advisories, SBOMs and VEX read again for this moment.
        if (needsReleaseCheck(step)) this.analysis = await this.options.analyse();
        const check = needsReleaseCheck(step) ? releaseCheck(this.analysis, step, name, answer.acknowledgeAdvisories, this.stamp()) : undefined;
        if (check) this.record(check);
        if (check && check.standing.length > 0 && !answer.acknowledgeAdvisories) {
          const listed = check.standing.map((s) => `${s.id} ${s.severity ?? 'unknown'}`).join(', ');
          return this.redact(`step '${name}': ${check.service} ${check.version} has ${check.standing.length} standing advisor${check.standing.length === 1 ? 'y' : 'ies'} (${listed}); acknowledge them or choose another release`);
        }
        if (step.action === 'notify') await this.notify(notifyMessage(this.analysis, step), false, name);
        this.record({ type: 'step-done', ...this.stamp(), step: name, ...note });
        const { enabled, after } = this.options.autoNotify;
        if (enabled && step.action !== undefined && after.has(step.action)) await this.notify(autoNotifyMessage(this.analysis, step, name, this.options.who, check), true);
        return undefined;
      }
    }
  }

  /**
   * The person gives up on delivering notification `id`: recorded as a `given-up` delivery, with
   * the attempts made so far. False when it is not waiting for delivery.
   */
  giveUp(id: number): boolean {
    if (this.ended !== undefined || !this.state.notifications.get(id)?.waiting) return false;
    const delivery: Delivery = this.options.giveUp?.(id) ?? { status: 'given-up', attempts: 0 };
    this.record({ type: 'delivery', ...this.stamp(), notification: id, delivery });
    return true;
  }

  /** Tries the queued notifications again and records each that was delivered or now fails otherwise. */
  async retryQueued(): Promise<void> {
    for (const { id, delivery } of (await this.options.retryQueued?.()) ?? []) {
      if (this.state.notifications.get(id)?.waiting) this.record({ type: 'delivery', ...this.stamp(), notification: id, delivery });
    }
  }

  /** Ends the run: with the flow's outcome, or abandoned before the flow ended. */
  end(): RunOutcome {
    const outcome: RunOutcome = this.flowOutcome ?? 'abandoned';
    const undelivered = [...this.state.notifications].filter(([, n]) => n.waiting).map(([n]) => n);
    this.record({ type: 'run-ended', ...this.stamp(), outcome, path: this.path, undelivered });
    this.writer.close();
    return outcome;
  }

  /** Closes the record without ending the run (it can be resumed). */
  close(): void {
    this.writer.close();
  }

  /** Text about the run for a person: what PB104 flags in the playbook never shows. */
  redact(text: string): string {
    return redactorFor(this.analysis.parsed)(text);
  }

  private async notify(message: { channel: string; target?: string; message: string }, auto: boolean, step?: string): Promise<void> {
    const id = ++this.notifications;
    const delivery = await this.options.send(message.channel, message.message, id);
    this.record({ type: 'notification', ...this.stamp(), id, ...(step !== undefined ? { step } : {}), channel: message.channel, ...(message.target !== undefined ? { target: message.target } : {}), message: message.message, auto, delivery });
  }

  /** The notifications as the record has them: each with its latest delivery (a retry that got through, a give-up). */
  private keepSent(event: RunEvent): void {
    if (event.type === 'notification') this.sent.push(event);
    if (event.type !== 'delivery') return;
    const at = this.sent.findIndex((n) => n.id === event.notification);
    if (at >= 0) this.sent[at] = { ...this.sent[at]!, delivery: event.delivery };
  }

  private stamp(): { at: string; by: string } {
    return { at: this.now().toISOString(), by: this.options.who };
  }

  private record<T extends RunEvent>(event: T): T {
    const next = applyEvent(runPlaybook(this.analysis), this.state, event);
    // This session and the engine are one code path: an event the engine refuses is a bug here, not a user error.
    if ('problem' in next) throw new Error(`the run cannot record ${event.type}: ${next.problem}`);
    const redacted = redactEvent(this.analysis, event);
    this.writer.append(redacted);
    // The state moves on once the line is on disk: a write that failed leaves the run where the record is.
    this.state = next;
    this.keepSent(redacted);
    return redacted;
  }
}
