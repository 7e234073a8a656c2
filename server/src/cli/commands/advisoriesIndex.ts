/**
 * `playbook advisories --write-index`: writes the published index beside each zip the policy
 * names (node/advisoryIndexBuild.ts), for the job that publishes the zip. Loads anywhere else
 * then take that zip's records from it instead of parsing the zip, as long as the zip is unchanged.
 */
import * as path from 'node:path';
import { buildPublishedIndex } from '../../node/advisoryIndexBuild.js';
import { advisorySources } from '../../node/advisorySources.js';
import { PolicyCache } from '../../node/policyFiles.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { shownPath } from '../report.js';

export interface WriteIndexArgs {
  policyFile: string | undefined;
  format: 'text' | 'json';
}

export async function runWriteIndex(args: WriteIndexArgs, io: CliIO): Promise<ExitCode> {
  const policies = new PolicyCache(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  const loaded = await policies.forFolder(io.cwd);
  const show = (file: string): string => shownPath(file, io.cwd);
  const results = [];
  for (const ref of advisorySources(loaded.policy, loaded.file, io.cwd)) {
    if (!ref.path.toLowerCase().endsWith('.zip')) {
      results.push({ entry: ref.entry, skipped: 'not a zip: a folder or file is kept in the per-user cache instead' });
      continue;
    }
    const built = await buildPublishedIndex(ref, loaded.policy.limits);
    results.push('problem' in built ? { entry: ref.entry, problem: built.problem } : { entry: ref.entry, ...built, file: show(built.file), problems: built.problems.length });
  }
  const failed = results.some((r) => 'problem' in r);
  if (args.format === 'json') {
    io.stdout(JSON.stringify({ policy: loaded.file ? show(loaded.file) : null, indexes: results }, null, 2) + '\n');
  } else {
    for (const r of results) {
      if ('skipped' in r) io.stdout(`${r.entry}: skipped (${r.skipped})\n`);
      else if ('problem' in r) io.stderr(`playbook: ${r.entry}: no index written: ${r.problem}\n`);
      else io.stdout(`${r.entry}: wrote ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB): ${r.entries} entries, ${r.records} records; ${r.parsed} parsed, ${r.reused} unchanged from the previous index${r.problems ? `; ${r.problems} problem${r.problems === 1 ? '' : 's'} (see 'playbook advisories')` : ''}\n`);
    }
    if (results.length === 0) io.stdout('The policy names no advisory sources.\n');
  }
  return failed ? EXIT.usage : EXIT.ok;
}
