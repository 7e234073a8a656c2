/**
 * `playbook advisories --update [--mirror URL] [--ecosystems LIST] [--policy FILE]`: fetches OSV's
 * per-ecosystem exports into the folder the policy loads (node/advisoryUpdate.ts). One line per
 * ecosystem on stdout, one line per failure on stderr, progress on stderr only at a terminal;
 * exit 0 only when every ecosystem was updated or found unchanged.
 *
 * The CLI runs where the user chose to run it, so it takes the workspace policy's mirror and folder
 * as they are (the folder kept inside the policy's repository); the editor runs an update only in
 * a trusted workspace.
 */
import * as path from 'node:path';
import { oneLine, plainText, redactor } from '../../core/index.js';
import { sizeText } from '../../node/advisoryDownload.js';
import { shownUrl, updateAdvisories, type EcosystemUpdate } from '../../node/advisoryUpdate.js';
import { prepareUpdate } from '../../node/advisoryUpdatePlan.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { shownPath } from '../report.js';

export interface UpdateArgs {
  policyFile: string | undefined;
  mirror: string | undefined;
  ecosystems: string | undefined;
  format: 'text' | 'json';
  toolVersion: string;
}

/** A line of output names URLs, paths and service names: one line each, and no secret shape shown. */
/** One line of terminal text: no secret a URL might carry, no line break, code spans quoted. */
const safe = ((redact) => (text: string): string => plainText(redact(oneLine(text))))(redactor([]));

export async function runAdvisoriesUpdate(args: UpdateArgs, io: CliIO): Promise<ExitCode> {
  const prepared = await prepareUpdate({ rootDir: io.cwd, policyFile: args.policyFile === undefined ? undefined : path.resolve(io.cwd, args.policyFile), mirror: args.mirror, ecosystems: args.ecosystems });
  if ('problem' in prepared) {
    io.stderr(`playbook: ${safe(prepared.problem)}${prepared.usage ? "\nRun 'playbook --help' for usage." : ''}\n`);
    return EXIT.usage;
  }
  const { plan } = prepared;
  const show = (file: string): string => shownPath(file, io.cwd);
  const mirror = safe(shownUrl(plan.mirror).replace(/\/$/, ''));
  const notes = [...prepared.notes];
  if (plan.mirror.protocol === 'http:') notes.push('the mirror is plain http: anyone on the network path can change what is downloaded; prefer https');
  if (args.format === 'text') {
    const from = { option: '--mirror', policy: "the policy's advisories-mirror", default: "OSV's public bucket" }[prepared.mirrorFrom];
    io.stdout(`Downloading from ${mirror} (${from}) into ${show(plan.dir)}\n`);
    for (const note of notes) io.stdout(`note: ${safe(note)}\n`);
  }
  for (const failure of prepared.failures) io.stderr(`playbook: ${safe(failure)}\n`);

  const progress = io.stderrIsTerminal ? terminalProgress(io) : undefined;
  const results = await updateAdvisories(plan, { userAgent: `incident-playbook/${args.toolVersion}`, timeouts: io.downloadTimeouts, onProgress: progress?.report });
  progress?.clear();

  for (const r of results) {
    if (r.outcome === 'failed') io.stderr(`playbook: ${r.ecosystem}: ${safe(r.problem ?? 'failed')}\n`);
  }
  if (args.format === 'json') {
    io.stdout(JSON.stringify({
      policy: prepared.policyFile ? show(prepared.policyFile) : null,
      mirror,
      dir: show(plan.dir),
      ecosystems: results.map((r) => ({ ...r, url: safe(r.url), file: show(r.file), ...(r.problem ? { problem: safe(r.problem) } : {}) })),
      notes: notes.map(safe),
      failures: prepared.failures.map(safe),
    }, null, 2) + '\n');
  } else {
    for (const r of results) if (r.outcome !== 'failed') io.stdout(`${r.ecosystem}: ${outcomeText(r, show)}\n`);
    const failed = results.filter((r) => r.outcome === 'failed').length;
    if (failed) io.stdout(`${failed} of ${results.length} ecosystem${results.length === 1 ? '' : 's'} failed; ${failed === 1 ? 'its' : 'their'} previous data, if any, is kept and still in use.\n`);
  }
  return results.every((r) => r.outcome !== 'failed') && prepared.failures.length === 0 ? EXIT.ok : EXIT.usage;
}

function outcomeText(r: EcosystemUpdate, show: (file: string) => string): string {
  if (r.outcome === 'not-modified') return `not modified since the last fetch; ${show(r.file)} kept`;
  return `updated ${show(r.file)} (${sizeText(r.bytes ?? 0)}, ${r.records} record${r.records === 1 ? '' : 's'})`;
}

/** One line rewritten in place: the ecosystem, the bytes so far and the share of the whole when the server said its size. */
function terminalProgress(io: CliIO): { report(ecosystem: string, received: number, total: number | undefined): void; clear(): void } {
  let last = '';
  return {
    report(ecosystem, received, total) {
      const line = total ? `${ecosystem}: ${sizeText(received)} of ${sizeText(total)} (${Math.floor((received / total) * 100)}%)` : `${ecosystem}: ${sizeText(received)}`;
      if (line === last) return;
      last = line;
      io.stderr(`\r\u001b[K${line}`);
    },
    clear() {
      if (last) io.stderr('\r\u001b[K');
    },
  };
}
