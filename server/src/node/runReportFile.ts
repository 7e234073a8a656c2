/**
 * A run record's report, as `playbook runs report` and the editor's Open Run Report make it: the
 * record read and its chain verified (a broken chain is still reported, under a warning, from every
 * line that is JSON), and the playbook the run followed when its text still has the SHA-256 the run
 * recorded (its actions known, the record replayed through the engine).
 */
import { createHash } from 'node:crypto';
import { checkPlaybook, reportPlaybook, runReport, redactorFor } from '../core/index.js';
import { CheckEnvironment } from './checkEnvironment.js';
import { readPlaybookText } from './readPlaybookText.js';
import { readRunRecord, recordedPlaybookPaths } from './runRecord.js';

type RunReport = ReturnType<typeof runReport>;

/** `rootDir`: where the policy is looked for; the playbook is looked for two folders above `.playbooks/runs/`, then there. */
export async function reportOfRecord(file: string, rootDir: string, policyFile?: string): Promise<RunReport | { problem: string }> {
  const verified = await readRunRecord(file);
  if ('problem' in verified && !verified.readable) return { problem: verified.problem };
  const events = 'problem' in verified ? verified.readable! : verified.events;
  const verification = 'problem' in verified ? { ok: false, problem: verified.line === undefined ? verified.problem : `line ${verified.line} ${verified.problem}` } : { ok: true, unfinished: verified.unfinished };
  const playbook = await followedPlaybook(file, events[0], rootDir, policyFile);
  return runReport(events, verification, playbook ?? {});
}

async function followedPlaybook(recordFile: string, first: unknown, rootDir: string, policyFile: string | undefined): Promise<Parameters<typeof runReport>[2] | undefined> {
  const started = first as { type?: unknown; playbook?: { file?: unknown; sha256?: unknown } } | undefined;
  const named = started?.type === 'run-started' && typeof started.playbook?.file === 'string' ? started.playbook.file : undefined;
  const sha256 = typeof started?.playbook?.sha256 === 'string' ? started.playbook.sha256 : undefined;
  if (named === undefined || sha256 === undefined) return undefined;
  const environments = new CheckEnvironment(rootDir, policyFile);
  for (const file of recordedPlaybookPaths(recordFile, named, rootDir)) {
    const environment = await environments.forPlaybook(file);
    // Read as a run reads it (the policy's size limit, decoded as UTF-8), so the text hashes as the run's did.
    const read = await readPlaybookText(file, environment.loaded.policy);
    if ('problem' in read || createHash('sha256').update(read.text).digest('hex') !== sha256) continue;
    const analysis = checkPlaybook(read.text, { policy: environment.loaded.policy });
    return { playbook: reportPlaybook(analysis, sha256), redact: redactorFor(analysis.parsed) };
  }
  return undefined;
}
