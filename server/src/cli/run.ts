/** The CLI: `run(argv, io)` returns the exit code, so tests call it directly. */
import type { ParseArgsConfig } from 'node:util';
import { didYouMean, plainText } from '../core/index.js';
import { runAdvisories } from './commands/advisories.js';
import { runWriteIndex } from './commands/advisoriesIndex.js';
import { runAdvisoriesUpdate } from './commands/advisoriesUpdate.js';
import { runCheck } from './commands/check.js';
import { runDryRun } from './commands/dryRun.js';
import { runGraph } from './commands/graph.js';
import { runReleases } from './commands/releases.js';
import { runRules } from './commands/rules.js';
import { runPlaybookRun } from './commands/runPlaybook.js';
import { runRunsReport, runRunsVerify } from './commands/runs.js';
import { MAX_JOBS } from '../node/checkPoolSetup.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import type { CliIO } from './io.js';
import { parseCommandLine } from './parseCommandLine.js';
import { UsageError } from './usageError.js';
import { GRAPH_USAGE, RELEASES_USAGE, RUN_USAGE, USAGE } from './usage.js';

declare const PLAYBOOK_VERSION: string | undefined;
const TOOL_VERSION = typeof PLAYBOOK_VERSION === 'string' ? PLAYBOOK_VERSION : '0.0.0-dev';

const CHECK_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  'show-suppressed': { type: 'boolean', default: false },
  policy: { type: 'string' },
  output: { type: 'string', short: 'o' },
  jobs: { type: 'string', short: 'j' },
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const ADVISORIES_OPTIONS = {
  package: { type: 'string', short: 'p' },
  'write-index': { type: 'boolean', default: false },
  update: { type: 'boolean', default: false },
  mirror: { type: 'string' },
  ecosystems: { type: 'string' },
  version: { type: 'string' },
  policy: { type: 'string' },
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const RULES_OPTIONS = {
  policy: { type: 'string' },
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const DRY_RUN_OPTIONS = {
  fail: { type: 'string', multiple: true, default: [] },
  deny: { type: 'string', multiple: true, default: [] },
  'advisories-as-of': { type: 'string' },
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  // The first spelling of --output, still read.
  out: { type: 'string' },
  policy: { type: 'string' },
  timestamp: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const GRAPH_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'mermaid' },
  output: { type: 'string', short: 'o' },
  policy: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const RELEASES_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'text' },
  output: { type: 'string', short: 'o' },
  policy: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const RUN_OPTIONS = {
  answers: { type: 'string' },
  record: { type: 'string' },
  policy: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const RUNS_OPTIONS = {
  format: { type: 'string', short: 'f', default: 'markdown' },
  output: { type: 'string', short: 'o' },
  policy: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

export async function run(argv: string[], io: CliIO): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': {
        const { values, positionals } = parseCommandLine('check', rest, CHECK_OPTIONS);
        if (values.help) return help(io);
        const format = oneOf(values.format, ['text', 'json', 'sarif', 'github'], '--format');
        const maxWarnings = values['max-warnings'] === undefined ? undefined : wholeNumber(values['max-warnings'], '--max-warnings');
        const jobs = values.jobs === undefined ? undefined : jobCount(values.jobs);
        const writeBaseline = values['write-baseline'];
        if (writeBaseline !== undefined) {
          // It writes the baseline and says so in one line: there is no report to format or match.
          const other = values.baseline !== undefined ? '--baseline' : values.output !== undefined ? '--output' : format !== 'text' ? '--format' : undefined;
          if (other) throw new UsageError(`--write-baseline writes every current finding to its file and prints one line; it takes no ${other}`);
        }
        for (const [flag, file] of [['--baseline', values.baseline], ['--write-baseline', writeBaseline]] as const) if (file === '') throw new UsageError(`${flag} takes a file`);
        return await runCheck({ paths: positionals, format, maxWarnings, quiet: values.quiet, showSuppressed: values['show-suppressed'], policyFile: values.policy, output: values.output, jobs, toolVersion: TOOL_VERSION, baseline: values.baseline, writeBaseline }, io);
      }
      case 'rules': {
        const { values, positionals } = parseCommandLine('rules', rest, RULES_OPTIONS);
        if (values.help) return help(io);
        if (positionals.length > 1) throw new UsageError(`\`rules\` takes at most one rule id (got ${positionals.length}: ${positionals.join(' ')})`);
        return await runRules({ rule: positionals[0], policyFile: values.policy, format: oneOf(values.format, ['text', 'json'], '--format'), output: values.output }, io);
      }
      case 'advisories': {
        const { values, positionals } = parseCommandLine('advisories', rest, ADVISORIES_OPTIONS);
        if (values.help) return help(io);
        if (positionals.length) throw new UsageError(`\`advisories\` takes no paths (got ${positionals[0]})`);
        if (values.update) {
          const other = values['write-index'] ? '--write-index' : values.package !== undefined ? '--package' : values.version !== undefined ? '--version' : values.output !== undefined ? '--output' : undefined;
          if (other) throw new UsageError(`--update takes no ${other}`);
          return await runAdvisoriesUpdate({ policyFile: values.policy, mirror: values.mirror, ecosystems: values.ecosystems, format: oneOf(values.format, ['text', 'json'], '--format'), toolVersion: TOOL_VERSION }, io);
        }
        if (values.mirror !== undefined || values.ecosystems !== undefined) throw new UsageError(`${values.mirror !== undefined ? '--mirror' : '--ecosystems'} goes with --update`);
        if (values['write-index']) {
          if (values.package !== undefined || values.version !== undefined) throw new UsageError('--write-index takes no --package or --version');
          // --update and --write-index write data files where the policy says; their report is the lines they print.
          if (values.output !== undefined) throw new UsageError('--write-index takes no --output');
          return await runWriteIndex({ policyFile: values.policy, format: oneOf(values.format, ['text', 'json'], '--format') }, io);
        }
        return await runAdvisories({ purl: values.package, version: values.version, policyFile: values.policy, format: oneOf(values.format, ['text', 'json'], '--format'), output: values.output }, io);
      }
      case 'dry-run': {
        const { values, positionals } = parseCommandLine('dry-run', rest, DRY_RUN_OPTIONS);
        if (values.help) return help(io);
        if (positionals.length !== 1) throw new UsageError(`\`dry-run\` takes one playbook file (got ${positionals.length})`);
        const format = oneOf(values.format, ['text', 'json', 'markdown'], '--format');
        if (values.output !== undefined && values.out !== undefined) throw new UsageError('--out is the old name of --output: give one of them');
        const generatedAt = values.timestamp ? new Date().toISOString() : undefined;
        return await runDryRun({ file: positionals[0]!, fail: values.fail, deny: values.deny, advisoriesAsOf: values['advisories-as-of'], format, out: values.output ?? values.out, policyFile: values.policy, generatedAt }, io);
      }
      case 'graph': {
        const { values, positionals } = parseCommandLine('graph', rest, GRAPH_OPTIONS);
        if (values.help) return help(io, GRAPH_USAGE);
        if (positionals.length !== 1) throw new UsageError(`\`graph\` takes one playbook file (got ${positionals.length})`);
        return await runGraph({ file: positionals[0]!, format: oneOf(values.format, ['mermaid', 'dot'], '--format'), out: values.output, policyFile: values.policy }, io);
      }
      case 'releases': {
        const { values, positionals } = parseCommandLine('releases', rest, RELEASES_OPTIONS);
        if (values.help) return help(io, RELEASES_USAGE);
        return await runReleases({ paths: positionals, format: oneOf(values.format, ['text', 'json'], '--format'), policyFile: values.policy, output: values.output }, io);
      }
      case 'run': {
        const { values, positionals } = parseCommandLine('run', rest, RUN_OPTIONS);
        if (values.help) return help(io, RUN_USAGE);
        if (positionals.length !== 1) throw new UsageError(`\`run\` takes one playbook file (got ${positionals.length})`);
        if (values.answers === undefined || values.answers === '') throw new UsageError('`run` takes --answers FILE: what happened at each step (the editor\'s run panel asks a person instead)');
        return await runPlaybookRun({ file: positionals[0]!, answers: values.answers, recordDir: values.record, policyFile: values.policy, toolVersion: TOOL_VERSION }, io);
      }
      case 'runs': {
        const { values, positionals } = parseCommandLine('runs', rest, RUNS_OPTIONS);
        if (values.help) return help(io, RUN_USAGE);
        const [sub, ...files] = positionals;
        if (sub !== 'verify' && sub !== 'report') throw new UsageError(sub === undefined ? '`runs` takes a subcommand: verify FILE, or report FILE' : `\`runs ${sub}\` is not a subcommand${didYouMean(sub, ['verify', 'report'])}`);
        if (files.length !== 1) throw new UsageError(`\`runs ${sub}\` takes one record file (got ${files.length})`);
        if (sub === 'verify') {
          const other = values.output !== undefined ? '--output' : values.policy !== undefined ? '--policy' : values.format !== 'markdown' ? '--format' : undefined;
          if (other) throw new UsageError(`\`runs verify\` prints one line; it takes no ${other}`);
          return await runRunsVerify(files[0]!, io);
        }
        return await runRunsReport({ file: files[0]!, format: oneOf(values.format, ['markdown', 'json'], '--format'), output: values.output, policyFile: values.policy }, io);
      }
      case 'help':
      case '--help':
      case '-h':
        return help(io);
      case '--version':
      case '-V':
      case '-v':
        io.stdout(`${TOOL_VERSION}\n`);
        return EXIT.ok;
      case undefined:
        // No command is a mistake (a script that lost its arguments), not a request for help: the usage goes to stderr, exit 2.
        io.stderr(USAGE);
        return EXIT.usage;
      default:
        if (command.startsWith('-')) throw new UsageError(`unknown option \`${command}\`${didYouMean(command, GLOBAL_OPTIONS) || ' (the command comes first: `playbook <command> [options]`)'}`);
        throw new UsageError(`unknown command \`${command}\`${didYouMean(command, COMMANDS)}`);
    }
  } catch (e) {
    if (e instanceof UsageError || isParseArgsError(e)) {
      // A terminal shows text as it is: names in code spans (from the core's suggestions too) become quoted.
      io.stderr(`playbook: ${plainText((e as Error).message)}\nRun 'playbook --help' for usage.\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

const COMMANDS = ['check', 'rules', 'advisories', 'dry-run', 'graph', 'releases', 'run', 'runs', 'help'];
const GLOBAL_OPTIONS = ['--help', '--version'];

function help(io: CliIO, usage = USAGE): ExitCode {
  io.stdout(usage);
  return EXIT.ok;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got ${value})`);
}

function wholeNumber(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number (got ${value})`);
  return Number(value);
}

function jobCount(value: string): number {
  const jobs = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(jobs >= 1 && jobs <= MAX_JOBS)) throw new UsageError(`--jobs takes a whole number from 1 to ${MAX_JOBS} (got ${value})`);
  return jobs;
}

function isParseArgsError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && String((e as { code: string }).code).startsWith('ERR_PARSE_ARGS');
}
