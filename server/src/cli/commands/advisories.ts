/**
 * `playbook advisories [--package PURL] [--version V]`: which advisory records are loaded, which
 * apply to a package, and why a version is or is not affected — the security team's check of
 * its own records.
 */
import * as path from 'node:path';
import { parsePurl, unreadableVersion, type AdvisoryExplanation, type AdvisorySnapshot } from '../../core/index.js';
import { CheckEnvironment } from '../../node/checkEnvironment.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import type { CliIO } from '../io.js';
import { emitReport } from '../outputFile.js';
import { shownPath } from '../report.js';

export interface AdvisoriesArgs {
  purl: string | undefined;
  version: string | undefined;
  policyFile: string | undefined;
  format: 'text' | 'json';
  /** `--output`: write the report to this file instead of standard output. */
  output: string | undefined;
}

export async function runAdvisories(args: AdvisoriesArgs, io: CliIO): Promise<ExitCode> {
  if (args.version !== undefined && args.purl === undefined) {
    io.stderr('playbook: --version needs --package (the package URL whose version to check)\nRun \'playbook --help\' for usage.\n');
    return EXIT.usage;
  }
  const pkg = args.purl === undefined ? undefined : parsePurl(args.purl);
  if (pkg && 'problem' in pkg) {
    io.stderr(`playbook: --package ${args.purl}: ${pkg.problem}\n`);
    return EXIT.usage;
  }
  // A version the package's ecosystem refuses matches no range, which must not read as "not affected".
  const unreadable = pkg && args.version !== undefined ? unreadableVersion(pkg.package, args.version) : undefined;
  if (unreadable !== undefined) {
    io.stderr(`playbook: --version ${args.version}: ${unreadable}\n`);
    return EXIT.usage;
  }
  const environment = new CheckEnvironment(io.cwd, args.policyFile ? path.resolve(io.cwd, args.policyFile) : undefined);
  // The policy that governs the working directory, as for a playbook placed here.
  const { loaded, advisories } = await environment.environmentForFolder(io.cwd);
  const show = (file: string): string => shownPath(file, io.cwd);
  const explained = pkg ? advisories.index.explain(pkg.package, args.version) : undefined;
  let report: string;
  if (args.format === 'json') {
    report = JSON.stringify({ policy: loaded.file ? show(loaded.file) : null, ...overview(advisories, show), ...(explained ? { package: args.purl, version: args.version ?? null, advisories: explained.map((e) => ({ ...e, source: show(e.source) })) } : {}) }, null, 2) + '\n';
  } else {
    const lines = [`Policy: ${loaded.file ? show(loaded.file) : 'none found (built-in defaults)'}`, ...overviewText(advisories, show)];
    if (explained) lines.push('', ...explanationText(explained, args.purl!, args.version, show));
    report = lines.join('\n') + '\n';
  }
  return (await emitReport(io, args.output, report)) ? EXIT.ok : EXIT.usage;
}

function overview(snapshot: AdvisorySnapshot, show: (f: string) => string): Record<string, unknown> {
  return {
    sources: snapshot.sources.map((s) => ({ entry: s.entry, path: show(s.path), kind: s.kind, records: s.records, ...(s.problem ? { problem: s.problem } : {}) })),
    counts: snapshot.index.counts(),
    problems: snapshot.problems.map((p) => ({ file: p.file ? show(p.file) : null, severity: p.severity, message: p.message })),
  };
}

function overviewText(snapshot: AdvisorySnapshot, show: (f: string) => string): string[] {
  const counts = snapshot.index.counts();
  const lines = ['Sources:'];
  for (const s of snapshot.sources) lines.push(`  ${s.entry} (${show(s.path)}): ${s.kind === 'missing' ? `cannot be read: ${s.problem}` : `${s.kind}, ${s.records} record${s.records === 1 ? '' : 's'}`}`);
  const ecosystems = Object.entries(counts.byEcosystem).map(([e, n]) => `${e} ${n}`).join(', ');
  lines.push(`Records: ${counts.records} in use${ecosystems ? ` (${ecosystems})` : ''}; ${counts.withdrawn} withdrawn, ${counts.duplicates} duplicate ids`);
  if (snapshot.problems.length) {
    lines.push('Problems:');
    for (const p of snapshot.problems) lines.push(`  ${p.severity} ${p.file ? `${show(p.file)}: ` : ''}${p.message}`);
  }
  return lines;
}

function explanationText(explained: AdvisoryExplanation[], purl: string, version: string | undefined, show: (f: string) => string): string[] {
  if (explained.length === 0) return [`No record names ${purl}.`];
  const affecting = explained.filter((e) => e.verdict?.affected).length;
  const lines = [version === undefined ? `${explained.length} record${explained.length === 1 ? ' names' : 's name'} ${purl}:` : `${purl}@${version}: affected by ${affecting} of the ${explained.length} record${explained.length === 1 ? '' : 's'} naming it`];
  for (const e of explained) {
    const mark = e.verdict ? (e.verdict.affected ? 'AFFECTED ' : 'not affected ') : '';
    lines.push(`  ${mark}${e.id}${e.aliases.length ? ` (${e.aliases.join(', ')})` : ''} ${e.severity ?? 'no severity'}: ${e.summary ?? ''}`);
    for (const a of e.affects) lines.push(`      affects ${a}`);
    if (e.verdict) lines.push(`      ${e.verdict.affected ? 'why' : 'why not'}: ${e.verdict.reason}`);
    lines.push(`      from ${show(e.source)}`);
  }
  return lines;
}
