/**
 * The editor benchmark's tables and the targets as PASS/FAIL lines, all ratios taken from
 * figures measured in the same run. Also finds the advisory-loading figures of this run, if any.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { CliResult } from './cliBench.js';
import type { ScenarioResult, SizeResult } from './lspScenario.js';
import { round } from './stats.js';

export interface AdvisoryFigures {
  /** True when bench/advisories.ts wrote its results during this `npm run bench`. */
  fromThisRun: boolean;
  date?: string;
  /** `coldLoadMs`: no cache (a fresh machine, CI); `warmLoadMs`: the on-disk index cache in place (every later start). */
  loads: Array<{ source: string; coldLoadMs: number; warmLoadMs?: number; oneChangedLoadMs?: number }>;
  note?: string;
}

export interface Check {
  name: string;
  /** null: no figure to judge (e.g. advisories not measured in this run). */
  pass: boolean | null;
}

export interface Figures {
  floorMs: Map<number, number>;
  ours: ScenarioResult;
  yaml: ScenarioResult;
  cli: CliResult;
  advisories: AdvisoryFigures;
}

const ratio = (a: number, b: number): number => round(a / b, 3);
const at = (result: ScenarioResult, steps: number): SizeResult => result.sizes.find((s) => s.steps === steps)!;

export function sizeRows(f: Figures) {
  return f.ours.sizes.map((ours) => {
    const yaml = at(f.yaml, ours.steps);
    return {
      steps: ours.steps,
      lines: ours.lines,
      'parse floor ms': f.floorMs.get(ours.steps)!,
      'open ms (ours)': ours.openMedianMs,
      'open ms (yaml-ls)': yaml.openMedianMs,
      'open ratio': ratio(ours.openMedianMs, yaml.openMedianMs),
      'edit ms (ours)': ours.editMedianMs,
      'edit ms (yaml-ls)': yaml.editMedianMs,
      'edit ratio': ratio(ours.editMedianMs, yaml.editMedianMs),
      'edit p95 (ours)': ours.editP95Ms,
      'edit p95 (yaml-ls)': yaml.editP95Ms,
    };
  });
}

export function otherRows(f: Figures, largest: number) {
  const rows: Array<{ measure: string; ours: number | string; reference: number | string; ratio: number | string }> = [
    { measure: `peak memory MB, ${largest} steps open (VmHWM)`, ours: f.ours.memory.peakMB, reference: `${f.yaml.memory.peakMB} (yaml-ls)`, ratio: ratio(f.ours.memory.peakMB, f.yaml.memory.peakMB) },
    { measure: `resident memory MB at the end (VmRSS)`, ours: f.ours.memory.rssMB, reference: `${f.yaml.memory.rssMB} (yaml-ls)`, ratio: ratio(f.ours.memory.rssMB, f.yaml.memory.rssMB) },
    { measure: `CLI ms, ${f.cli.files} files × ${f.cli.stepsPerFile} steps`, ours: f.cli.cliMedianMs, reference: `${f.cli.floorMedianMs} (node + yaml floor)`, ratio: f.cli.ratio },
  ];
  const yamlOpen = at(f.yaml, largest).openMedianMs;
  for (const load of f.advisories.loads) {
    const when = f.advisories.fromThisRun ? '' : ', NOT from this run';
    rows.push({ measure: `advisories cold load ms, no cache (${load.source})${when}`, ours: load.coldLoadMs, reference: `${yamlOpen} (yaml-ls open, ${largest} steps)`, ratio: ratio(load.coldLoadMs, yamlOpen) });
    if (load.warmLoadMs !== undefined) rows.push({ measure: `advisories load ms, cache in place (${load.source})${when}`, ours: load.warmLoadMs, reference: `${yamlOpen} (yaml-ls open, ${largest} steps)`, ratio: ratio(load.warmLoadMs, yamlOpen) });
    if (load.oneChangedLoadMs !== undefined) rows.push({ measure: `advisories load ms, cache in place, one file added since (${load.source})${when}`, ours: load.oneChangedLoadMs, reference: `${yamlOpen} (yaml-ls open, ${largest} steps)`, ratio: ratio(load.oneChangedLoadMs, yamlOpen) });
  }
  if (!f.advisories.loads.length) rows.push({ measure: 'advisories cold load', ours: 'run bench/advisories.ts', reference: '', ratio: '' });
  return rows;
}

export function checks(f: Figures, largest: number): Check[] {
  const out: Check[] = [];
  const oursBig = at(f.ours, largest);
  const yamlBig = at(f.yaml, largest);
  const floor = f.floorMs.get(largest)!;
  out.push({
    name: `edit → diagnostics at ${largest} steps: ${oursBig.editMedianMs} ms vs yaml-language-server's ${yamlBig.editMedianMs} ms = ${ratio(oursBig.editMedianMs, yamlBig.editMedianMs)} (target ≤ 0.1)`,
    pass: oursBig.editMedianMs <= yamlBig.editMedianMs / 10,
  });
  out.push({ name: `edit → diagnostics at ${largest} steps: ${oursBig.editMedianMs} ms vs the full-parse floor ${floor} ms (target: below)`, pass: oursBig.editMedianMs < floor });
  for (const ours of f.ours.sizes) {
    const yaml = at(f.yaml, ours.steps);
    out.push({ name: `open → diagnostics at ${ours.steps} steps: ${ours.openMedianMs} ms vs ${yaml.openMedianMs} ms = ${ratio(ours.openMedianMs, yaml.openMedianMs)} (target ≤ 0.5)`, pass: ours.openMedianMs <= yaml.openMedianMs / 2 });
  }
  out.push({
    name: `peak memory with ${largest} steps open: ${f.ours.memory.peakMB} MB vs ${f.yaml.memory.peakMB} MB = ${ratio(f.ours.memory.peakMB, f.yaml.memory.peakMB)} (target ≤ 0.5)`,
    pass: f.ours.memory.peakMB <= f.yaml.memory.peakMB / 2,
  });
  out.push({ name: `CLI over ${f.cli.files} files: ${f.cli.cliMedianMs} ms vs the floor ${f.cli.floorMedianMs} ms = ${f.cli.ratio}× (target ≤ 1.5×)`, pass: f.cli.cliMedianMs <= f.cli.floorMedianMs * 1.5 });
  const budget = yamlBig.openMedianMs / 4;
  if (!f.advisories.fromThisRun || !f.advisories.loads.length) {
    out.push({ name: `50,000 advisory records load < 1/4 of yaml-language-server's open at ${largest} steps (${round(budget)} ms): no figure from this run (${f.advisories.note ?? 'run bench/advisories.ts'})`, pass: null });
  }
  for (const load of f.advisories.fromThisRun ? f.advisories.loads : []) {
    out.push({ name: `50,000 advisory records from the ${load.source}, first load (no cache): ${load.coldLoadMs} ms vs 1/4 of yaml-language-server's open at ${largest} steps = ${round(budget)} ms`, pass: load.coldLoadMs < budget });
    if (load.warmLoadMs !== undefined) out.push({ name: `50,000 advisory records from the ${load.source}, later loads (cache in place): ${load.warmLoadMs} ms vs ${round(budget)} ms`, pass: load.warmLoadMs < budget });
  }
  return out;
}

export function printChecks(list: Check[]): void {
  for (const check of list) console.log(`${check.pass === null ? 'SKIP' : check.pass ? 'PASS' : 'FAIL'} ${check.name}`);
}

/**
 * bench/advisories.ts's figures if it wrote them during this run: the file must be newer than the
 * shell `npm run bench` started (an ancestor of this process whose command runs bench/advisories.ts).
 */
export function advisoryFigures(file: string): AdvisoryFigures {
  if (!existsSync(file)) return { fromThisRun: false, loads: [], note: 'run bench/advisories.ts' };
  const data = JSON.parse(readFileSync(file, 'utf8')) as { date?: string; loads?: AdvisoryFigures['loads'] };
  const loads = (data.loads ?? []).map(({ source, coldLoadMs, warmLoadMs, oneChangedLoadMs }) => ({
    source,
    coldLoadMs,
    ...(typeof warmLoadMs === 'number' ? { warmLoadMs } : {}),
    ...(typeof oneChangedLoadMs === 'number' ? { oneChangedLoadMs } : {}),
  }));
  const started = benchRunStartMs();
  const fromThisRun = started !== undefined && statSync(file).mtimeMs >= started;
  return fromThisRun
    ? { fromThisRun, date: data.date, loads }
    : { fromThisRun, date: data.date, loads, note: `the figures in ${file} are from ${data.date ?? 'an earlier run'}; run bench/advisories.ts (npm run bench runs it)` };
}

/** Start time (epoch ms) of the ancestor process that runs the whole bench script, if there is one (Linux). */
function benchRunStartMs(): number | undefined {
  try {
    const bootMs = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]) * 1000;
    for (let pid = process.ppid; pid > 1;) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
      if (cmdline.includes('bench/advisories.ts') && cmdline.includes('bench/lsp.ts')) return bootMs + (Number(fields[19]) / 100) * 1000; // clock ticks: USER_HZ, 100 on Linux
      pid = Number(fields[1]);
    }
  } catch {
    // not Linux, or a process ended under us: no run to belong to
  }
  return undefined;
}
