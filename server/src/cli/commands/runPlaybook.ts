/**
 * `playbook run FILE --answers ANSWERS.yaml [--record DIR] [--policy FILE]`: an incident run without
 * a person at the keyboard, for game days and tests. The same engine and events as the editor's run
 * panel: each step is started, then done, failed, skipped or (a checkpoint) decided as the answers
 * say; a rollback or deploy has its target checked against the advisories, SBOMs and VEX as they are
 * now before it is done, and a standing advisory must be acknowledged in the answers; notify steps
 * and `auto-notify-security` send their messages. Nothing is executed. The record is written as the
 * run goes (docs/design/incident-runs.md); it prints the path taken and the record's name.
 * Exit 0: resolved; 1: aborted, blocked or stopped; 2: usage.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  answerFor, applyEvent, flowRefusal, lineLocator, redactorFor, autoNotifyMessage, checkParsed, currentStep, needsReleaseCheck, notifyMessage, parseAnswers, parseForCheck, redactEvent, releaseCheck, runPath, runPlaybook, startRun, stepName,
  type Answer, type Analysis as CheckResult, type Delivery, type RunEvent, type RunOutcome,
} from '../../core/index.js';
import { CheckEnvironment } from '../../node/checkEnvironment.js';
import { releaseDataFor } from '../../node/releaseFiles.js';
import { recordFileName, RunRecordWriter } from '../../node/runRecord.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { readPlaybookText } from '../readPlaybook.js';
import { shownPath } from '../report.js';

export interface RunArgs {
  file: string;
  answers: string;
  recordDir: string | undefined;
  policyFile: string | undefined;
  toolVersion: string;
  /** The clock; tests give their own. */
  now?: () => Date;
  /** How messages are sent: by channel role, the text already redacted. */
  send?: (channel: string, text: string) => Promise<Delivery>;
}

/** Until the policy binds channels to webhooks, a message reaches no one, and the record says so. */
const notConfigured = async (): Promise<Delivery> => ({ status: 'not-configured', attempts: 0 });

export async function runPlaybookRun(args: RunArgs, io: CliIO): Promise<ExitCode> {
  const usage = (message: string): ExitCode => {
    io.stderr(`playbook: ${message}\n`);
    return EXIT.usage;
  };
  const now = args.now ?? (() => new Date());
  const file = path.resolve(io.cwd, args.file);
  const shown = shownPath(file, io.cwd);
  const environments = new CheckEnvironment(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const environment = await environments.forPlaybook(file);
  const read = await readPlaybookText(file, environment.loaded.policy);
  if ('problem' in read) return usage(`${shown}: ${read.problem}`);
  const answersFile = path.resolve(io.cwd, args.answers);
  const answersText = await readFile(answersFile, 'utf8').catch((e: NodeJS.ErrnoException) => ({ error: e.code === 'ENOENT' ? 'no such file' : e.message }));
  if (typeof answersText !== 'string') return usage(`${shownPath(answersFile, io.cwd)}: cannot be read (${answersText.error})`);

  // The check as it stands now: the same policy, advisories, SBOMs and VEX as `check`.
  const analyse = async (): Promise<CheckResult> => {
    const parsed = parseForCheck(read.text, { policy: environment.loaded.policy });
    const releases = await releaseDataFor(file, parsed, environment.loaded.policy, environment.releases);
    return checkParsed(parsed, { policy: environment.loaded.policy, advisories: environment.advisories, releases, now: now() });
  };
  const analysis = await analyse();
  const refusal = runRefusal(analysis);
  if (refusal) return usage(`${shown}: ${refusal}`);
  const answers = parseAnswers(answersText, analysis.parsed.model.steps);
  if ('problems' in answers) {
    for (const problem of answers.problems) io.stderr(`playbook: ${shownPath(answersFile, io.cwd)}: ${problem.replace(/`/g, "'")}\n`);
    return EXIT.usage;
  }

  const policyDir = environment.loaded.file ? path.dirname(environment.loaded.file) : path.join(io.cwd, '.playbooks');
  const recordDir = args.recordDir ? path.resolve(io.cwd, args.recordDir) : path.join(policyDir, 'runs');
  const playbook = runPlaybook(analysis);
  const id = analysis.parsed.model.id ?? path.basename(file).replace(/\.playbook\.ya?ml$/i, '');
  const started = now();
  let writer: RunRecordWriter;
  try {
    writer = RunRecordWriter.create(recordDir, recordFileName(started, id));
  } catch (e) {
    return usage(`the record cannot be written in ${shownPath(recordDir, io.cwd)} (${(e as Error).message})`);
  }
  const send = args.send ?? notConfigured;
  let state = startRun(playbook);
  const by = answers.who;
  const record = (event: RunEvent): void => {
    const next = applyEvent(playbook, state, event);
    // The engine and this driver are one code path: an event it refuses is a bug here, not a user error.
    if ('problem' in next) throw new Error(`the run cannot record ${event.type}: ${next.problem}`);
    state = next;
    writer.append(redactEvent(analysis, event));
  };
  const stamp = (): { at: string; by: string } => ({ at: now().toISOString(), by });
  let notifications = 0;
  const notify = async (message: { channel: string; target?: string; message: string }, auto: boolean, step?: string): Promise<void> => {
    const delivery = await send(message.channel, message.message);
    record({ type: 'notification', ...stamp(), id: ++notifications, ...(step !== undefined ? { step } : {}), channel: message.channel, ...(message.target !== undefined ? { target: message.target } : {}), message: message.message, auto, delivery });
  };

  try {
    record({ type: 'run-started', ...stamp(), playbook: { id, file: path.relative(path.dirname(policyDir), file).split(path.sep).join('/'), sha256: createHash('sha256').update(read.text).digest('hex') }, tool: { name: 'playbook', version: args.toolVersion }, mode: 'answers' });
    let stopped: string | undefined;
    for (let step = currentStep(playbook, state); step; step = currentStep(playbook, state)) {
      const name = stepName(step);
      record({ type: 'step-started', ...stamp(), step: name, index: step.index });
      const answer = answerFor(answers, step);
      stopped = await takeStep(answer);
      if (stopped) break;
    }
    const outcome: RunOutcome = stopped ? 'abandoned' : (state.flow.outcome as RunOutcome);
    const undelivered = [...state.notifications].filter(([, n]) => n.waiting).map(([n]) => n);
    record({ type: 'run-ended', ...stamp(), outcome, path: runPath(playbook, state), undelivered });
    // Step ids and messages are playbook text: what PB104 flags never reaches the terminal either.
    const redact = redactorFor(analysis.parsed);
    io.stdout(redact(`${id}: ${outcome}; path: ${runPath(playbook, state).join(' → ') || '(no step)'}\n`));
    if (stopped) io.stdout(redact(`stopped: ${stopped}\n`));
    io.stdout(`record: ${shownPath(writer.file, io.cwd)}\n`);
    return outcome === 'resolved' ? EXIT.ok : EXIT.findings;
  } finally {
    writer.close();
  }

  /** One step as answered; why the run stops there, when it must. */
  async function takeStep(answer: Answer): Promise<string | undefined> {
    const step = currentStep(playbook, state)!;
    const name = stepName(step);
    switch (answer.kind) {
      case 'approved':
      case 'denied':
        record({ type: 'approval', ...stamp(), step: name, approver: answer.by, decision: answer.kind === 'approved' ? 'granted' : 'denied', ...(answer.note !== undefined ? { note: answer.note } : {}) });
        return undefined;
      case 'undecided':
        record({ type: 'approval', ...stamp(), step: name, decision: 'failed', ...(answer.note !== undefined ? { note: answer.note } : {}) });
        return undefined;
      case 'skipped':
        record({ type: 'deviation', ...stamp(), step: name, kind: 'skipped', reason: answer.reason });
        return undefined;
      case 'failed':
        record({ type: 'step-failed', ...stamp(), step: name, ...(answer.note !== undefined ? { note: answer.note } : {}) });
        return undefined;
      case 'done': {
        // The target as it stands now: advisories, SBOMs and VEX read again for this moment.
        const check = needsReleaseCheck(step) ? releaseCheck(await analyse(), step, name, answer.acknowledgeAdvisories, stamp()) : undefined;
        if (check) record(check);
        if (check && check.standing.length > 0 && !answer.acknowledgeAdvisories) {
          return `step '${name}': ${check.service} ${check.version} has ${check.standing.length} standing advisor${check.standing.length === 1 ? 'y' : 'ies'} (${check.standing.map((s) => `${s.id} ${s.severity ?? 'unknown'}`).join(', ')}); acknowledge them in the answers (acknowledge-advisories: true) or choose another release`;
        }
        if (step.action === 'notify') await notify(notifyMessage(analysis, step), false, name);
        record({ type: 'step-done', ...stamp(), step: name, ...(answer.note !== undefined ? { note: answer.note } : {}) });
        const policy = environment.loaded.policy;
        if ((policy as { autoNotifySecurity?: boolean }).autoNotifySecurity === true && step.action !== undefined && policy.notifySecurityAfter.has(step.action)) await notify(autoNotifyMessage(analysis, step, name, by, check), true);
        return undefined;
      }
    }
  }
}

/** Why a playbook cannot be run: its flow cannot be followed (the dry-run refuses the same playbooks). */
function runRefusal(analysis: CheckResult): string | undefined {
  const refusal = flowRefusal(analysis, lineLocator(analysis.parsed.text));
  return refusal && redactorFor(analysis.parsed)(refusal.message.replace('cannot be rehearsed', 'cannot be followed').replace(/`/g, "'"));
}
