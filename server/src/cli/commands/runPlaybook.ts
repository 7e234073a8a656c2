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
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { answerFor, parseAnswers, redactorFor, type Analysis as CheckResult } from '../../core/index.js';
import { CheckEnvironment } from '../../node/checkEnvironment.js';
import { analyseForRun, autoNotifyOf, runRefusal } from '../../node/runAnalysis.js';
import { runNotifier } from '../../node/runNotifier.js';
import { recordPlace } from '../../node/runRecord.js';
import { RunSession } from '../../node/runSession.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { readPlaybookText } from '../../node/readPlaybookText.js';
import { shownPath } from '../report.js';
import { notePolicyAbove } from '../policyAbove.js';

export interface RunArgs {
  file: string;
  answers: string;
  recordDir: string | undefined;
  policyFile: string | undefined;
  toolVersion: string;
  /** The clock; tests give their own. */
  now?: () => Date;
  /** Where webhook variables are looked up (default: the process's environment). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Time-out and backoff of deliveries (tests make them short). */
  delivery?: { timeoutMs?: number; backoffMs?: readonly number[] };
}

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
  await notePolicyAbove(io, environment.loaded.file === undefined, args.policyFile !== undefined);
  const answersFile = path.resolve(io.cwd, args.answers);
  const answersText = await readFile(answersFile, 'utf8').catch((e: NodeJS.ErrnoException) => ({ error: e.code === 'ENOENT' ? 'no such file' : e.message }));
  if (typeof answersText !== 'string') return usage(`${shownPath(answersFile, io.cwd)}: cannot be read (${answersText.error})`);

  // The check as it stands now: the same policy, advisories, SBOMs and VEX as `check`.
  const analyse = (): Promise<CheckResult> => analyseForRun(file, read.text, environment, now());
  const analysis = await analyse();
  const refusal = runRefusal(analysis);
  if (refusal) return usage(`${shown}: ${refusal}`);
  const answers = parseAnswers(answersText, analysis.parsed.model.steps);
  if ('problems' in answers) {
    for (const problem of answers.problems) io.stderr(`playbook: ${shownPath(answersFile, io.cwd)}: ${problem.replace(/`/g, "'")}\n`);
    return EXIT.usage;
  }

  const place = recordPlace(environment.loaded.file, io.cwd);
  const recordDir = args.recordDir ? path.resolve(io.cwd, args.recordDir) : place.dir;
  const notifier = runNotifier(environment.loaded.policy, args.env ?? process.env, redactorFor(analysis.parsed), args.delivery);
  let session: RunSession;
  try {
    session = await RunSession.start({
      analyse, file, text: read.text, workspace: place.workspace, recordDir, who: answers.who, mode: 'answers', toolVersion: args.toolVersion,
      send: (channel, text, id) => notifier.send(channel, text, id),
      retryQueued: () => notifier.retryQueued(),
      autoNotify: autoNotifyOf(environment.loaded.policy),
      ...(args.now ? { now: args.now } : {}),
    });
  } catch (e) {
    await notifier.close();
    return usage(`the record cannot be written in ${shownPath(recordDir, io.cwd)} (${(e as Error).message})`);
  }
  let stopped: string | undefined;
  try {
    for (let step = session.step; step && !stopped; step = session.step) stopped = await session.answer(answerFor(answers, step));
    // One more try at what is still queued; what is left is listed in the record's end.
    await session.retryQueued();
  } catch (e) {
    session.close();
    throw e;
  } finally {
    await notifier.close();
  }
  const outcome = session.end();
  const id = analysis.parsed.model.id ?? path.basename(file);
  // Step ids and messages are playbook text: what PB104 flags never reaches the terminal either.
  io.stdout(session.redact(`${id}: ${outcome}; path: ${session.path.join(' → ') || '(no step)'}\n`));
  if (stopped) io.stdout(`stopped: ${stopped.replace(/; acknowledge them or/, '; acknowledge them in the answers (acknowledge-advisories: true) or')}\n`);
  io.stdout(`record: ${shownPath(session.recordFile, io.cwd)}\n`);
  return outcome === 'resolved' ? EXIT.ok : EXIT.findings;
}
