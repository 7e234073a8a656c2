/**
 * The CLI over a folder of generated playbooks against the floor of starting Node and parsing the
 * same files with `yaml` alone: wall time of each child process, runs interleaved, medians. The CLI
 * runs as users run it (worker threads when there are enough files and cores), and once more with
 * `--jobs 1` to show what the workers bring.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { availableParallelism } from 'node:os';
import { poolSize } from '../server/src/node/checkPoolSetup.js';
import { generatePlaybook } from './generate.js';
import { ROOT, tempWorkspace } from './lspServers.js';
import { median, round } from './stats.js';

export interface CliResult {
  files: number;
  stepsPerFile: number;
  runs: number;
  cliMs: number[];
  floorMs: number[];
  cliMedianMs: number;
  floorMedianMs: number;
  ratio: number;
  /** Worker threads the CLI starts for this many files on this machine (0: one thread), and the cores it saw. */
  jobs: number;
  cores: number;
  /** The same CLI with `--jobs 1` (no workers), for comparison. */
  serialMs: number[];
  serialMedianMs: number;
  serialRatio: number;
  /** Playbooks in the CLI's JSON report and its exit code, so a fast run that skipped files is caught. */
  reportedFiles: number;
  exitCode: number | null;
}

const FLOOR_SCRIPT = `
const { parseDocument } = require(${JSON.stringify(path.join(ROOT, 'node_modules/yaml'))});
const fs = require('node:fs'), path = require('node:path');
const dir = process.argv[1];
let parsed = 0;
for (const name of fs.readdirSync(dir)) {
  if (!name.endsWith('.playbook.yaml')) continue;
  parseDocument(fs.readFileSync(path.join(dir, name), 'utf8'));
  parsed++;
}
process.stdout.write(String(parsed));
`;

export function benchCli(files: number, stepsPerFile: number, runs: number, deadlineMs: number): CliResult {
  const workspace = tempWorkspace('cli');
  try {
    const folder = path.join(workspace, 'playbooks');
    mkdirSync(folder);
    const text = generatePlaybook(stepsPerFile);
    const id = `playbook: generated-${stepsPerFile}`;
    for (let i = 0; i < files; i++) {
      // Playbook ids are unique in a workspace, as the spec asks.
      writeFileSync(path.join(folder, `p${String(i).padStart(5, '0')}.playbook.yaml`), text.replace(id, `${id}-${i}`));
    }
    const report = path.join(workspace, 'report.json');
    const cli = [path.join(ROOT, 'dist/cli.js'), 'check', folder, '--format', 'json', '--output', report];
    const serialReport = path.join(workspace, 'report-serial.json');
    const serial = [...cli.slice(0, -1), serialReport, '--jobs', '1'];
    const floor = ['-e', FLOOR_SCRIPT, folder];
    const cliMs: number[] = [];
    const serialMs: number[] = [];
    const floorMs: number[] = [];
    let exitCode: number | null = null;
    for (let run = 0; run < runs; run++) {
      const c = timedChild(cli, workspace, deadlineMs);
      exitCode = c.status;
      cliMs.push(c.ms);
      serialMs.push(timedChild(serial, workspace, deadlineMs).ms);
      const f = timedChild(floor, workspace, deadlineMs);
      if (f.stdout !== String(files)) throw new Error(`the floor script parsed ${f.stdout} files, expected ${files}`);
      floorMs.push(f.ms);
    }
    const reportText = readFileSync(report, 'utf8');
    if (readFileSync(serialReport, 'utf8') !== reportText) throw new Error('the CLI with --jobs 1 wrote a different report than with workers');
    const reportedFiles = (JSON.parse(reportText) as { files: unknown[] }).files.length;
    if (reportedFiles !== files) throw new Error(`the CLI reported ${reportedFiles} playbooks, expected ${files}`);
    return {
      files, stepsPerFile, runs, exitCode, reportedFiles,
      cliMs: cliMs.map((ms) => round(ms)),
      floorMs: floorMs.map((ms) => round(ms)),
      cliMedianMs: round(median(cliMs)),
      floorMedianMs: round(median(floorMs)),
      ratio: round(median(cliMs) / median(floorMs), 2),
      jobs: poolSize(files),
      cores: availableParallelism(),
      serialMs: serialMs.map((ms) => round(ms)),
      serialMedianMs: round(median(serialMs)),
      serialRatio: round(median(serialMs) / median(floorMs), 2),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function timedChild(args: string[], cwd: string, deadlineMs: number): { ms: number; status: number | null; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: deadlineMs, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - start;
  if (result.error) throw new Error(`${path.basename(args[0]!)}: ${result.error.message}`);
  if (result.status === null || result.status > 1) throw new Error(`${args.slice(0, 2).join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.slice(-2000)}`);
  return { ms, status: result.status, stdout: result.stdout };
}
