/**
 * The editor benchmark: this language server and yaml-language-server (given this project's
 * playbook schema), side by side in one run on the same machine. First what a user meets (fresh
 * server processes, the largest playbook opened, then three kinds of edit typed at once:
 * bench/lspColdEdits.ts), the primary figures; then, warm, open → diagnostics and edit →
 * diagnostics on generated playbooks of every size, peak server memory, the YAML parse floor, the CLI over a
 * folder against the floor of Node + `yaml`, advisory loading (from bench/advisories.ts), then a
 * profile of where this server's time goes on an edit of the largest playbook. Prints tables and
 * PASS/FAIL lines for the issue's targets and writes bench-results/lsp.json.
 *
 * Exits non-zero only when the measurement itself failed (a deadline, a wrong answer); missed
 * targets are results, not errors.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { benchCli } from './cliBench.js';
import { generatePlaybook } from './generate.js';
import type { LspServer } from './lspClient.js';
import { profileEdits } from './lspProfile.js';
import { advisoryFigures, checks, otherRows, printChecks, sizeRows, type Check } from './lspReport.js';
import { runScenarios, type Contender, type ScenarioOptions, type ScenarioResult } from './lspScenario.js';
import { coldRows, measureCold, type ColdFigures, type ColdRow } from './lspColdEdits.js';
import { buildIfStale, distKind, PLAYBOOK_SERVER, ROOT, tempWorkspace, YAML_SERVER, yamlServerVersion, type ServerUnderTest } from './lspServers.js';
import { timePipeline } from './pipelineTimers.js';
import { busyCores, machine, round, timeSync } from './stats.js';

const SIZES = [10, 100, 1000, 5000];
const LARGEST = SIZES[SIZES.length - 1]!;
/** An even number of edits (warm-up included) leaves each document clean again. */
const SCENARIO: ScenarioOptions = { sizes: SIZES, opens: 7, edits: 30, warmupEdits: 2, deadlineMs: 30_000 };
const CLI = { files: 1000, stepsPerFile: 50, runs: 3, deadlineMs: 120_000 };
const PROFILE_EDITS = 20;
/** Fresh servers per contender: BENCH_COLD_ROUNDS rounds typing 20 edits of each kind, and five more that only open. */
const COLD = { steps: LARGEST, rounds: Number(process.env['BENCH_COLD_ROUNDS'] ?? 2), extraOpens: 5, editsPerKind: 20, deadlineMs: 30_000 };
/** The whole run must end by then, whatever a server does. */
const RUN_DEADLINE_MS = 16 * 60_000;

const running = new Set<LspServer>();
const killAll = (): void => running.forEach((server) => server.kill());
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { killAll(); process.exit(130); });

function parseFloor(): Map<number, number> {
  return new Map(SIZES.map((steps) => {
    const text = generatePlaybook(steps);
    parseDocument(text); // warm-up
    return [steps, round(timeSync(() => parseDocument(text), steps >= 5000 ? 9 : 21), 2)];
  }));
}

/** Both servers started, measured size by size, and stopped whatever happens. */
async function measureServers(targets: ServerUnderTest[]): Promise<ScenarioResult[]> {
  const workspaces: string[] = [];
  const contenders: Contender[] = [];
  try {
    for (const target of targets) {
      const workspace = tempWorkspace(target.name);
      workspaces.push(workspace);
      const server = target.start(workspace);
      running.add(server);
      contenders.push({ target, server, root: pathToFileURL(workspace).href });
      await server.start(target.section, SCENARIO.deadlineMs);
    }
    return await runScenarios(contenders, SCENARIO);
  } finally {
    await Promise.all(contenders.map(async ({ server }) => {
      await server.stop();
      running.delete(server);
    }));
    for (const workspace of workspaces) rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const watchdog = setTimeout(() => {
    console.error(`the benchmark did not finish within ${RUN_DEADLINE_MS / 60_000} minutes; stopping the servers`);
    killAll();
    process.exit(1);
  }, RUN_DEADLINE_MS);
  watchdog.unref();

  const build = buildIfStale();
  const bundle = distKind();
  const busyAtStart = await busyCores();
  console.log(`dist: ${build} (${bundle} bundle); other processes keep ${busyAtStart ?? '?'} of ${machine().cores} cores busy`);
  if ((busyAtStart ?? 0) > 0.25) console.log('WARNING: the machine is busy; other work skews these figures (ratios less so, since the servers are measured size by size in turn)');
  const floorMs = parseFloor();
  console.log(`yaml.parseDocument floor (ms): ${[...floorMs].map(([steps, ms]) => `${steps} steps ${ms}`).join(', ')}`);
  const [oursCold, yamlCold] = (await measureCold([PLAYBOOK_SERVER, YAML_SERVER], COLD, (server) => running.add(server))) as [ColdFigures, ColdFigures];
  const cold = coldRows(oursCold, yamlCold, COLD.steps);
  console.log(`\nWhat a user meets: a fresh server, the ${COLD.steps}-step playbook opened, then ${COLD.editsPerKind} edits of each kind typed at once (each with its undo, full-text sync); medians of ${COLD.rounds} rounds, opens of ${COLD.rounds + COLD.extraOpens} (${round((performance.now() - started) / 1000, 0)} s so far):`);
  console.table(cold);
  const coldChecks = cold.map(coldCheck);
  printChecks(coldChecks);
  const [yaml, ours] = (await measureServers([YAML_SERVER, PLAYBOOK_SERVER])) as [ScenarioResult, ScenarioResult];
  console.log(`both servers measured (${round((performance.now() - started) / 1000, 0)} s)`);
  const cli = benchCli(CLI.files, CLI.stepsPerFile, CLI.runs, CLI.deadlineMs);
  const advisories = advisoryFigures(path.join(ROOT, 'bench-results/advisories.json'));
  const figures = { floorMs, ours, yaml, cli, advisories };

  console.log('\nWarm: open and edit → diagnostics in one server per contender, every size in turn, medians of opens and of sequential one-character edits inside a step after two warm-up edits (ms; ratio = ours / yaml-ls):');
  console.table(sizeRows(figures));
  console.table(otherRows(figures, LARGEST));
  console.log(`Both servers publish for an edit that leaves the diagnostics unchanged: ours ${ours.publishesWhenUnchanged}, yaml-ls ${yaml.publishesWhenUnchanged}.`);
  const results = [...coldChecks, ...checks(figures, LARGEST)];
  printChecks(results.slice(coldChecks.length));

  const profile = await profileEdits(LARGEST, PROFILE_EDITS, SCENARIO.deadlineMs, (server) => running.add(server));
  const stages = timePipeline(LARGEST, 5);
  console.log(`\nWhere an edit of the ${LARGEST}-step playbook goes in this server (CPU profile of the child, ${profile.samplingIntervalUs} µs sampling, per edit; edit median under the profiler ${profile.editMedianMs} ms, busy ${profile.busyPerEditMs} ms):`);
  console.table(profile.groupedPerEditMs);
  console.log(`Costliest rules per edit: ${profile.perEditMs.filter((s) => s.stage.startsWith('rule ')).slice(0, 5).map((s) => `${s.stage.slice(5)} ${s.ms} ms`).join(', ')}.`);
  console.log(`Each stage alone, in this process (median of ${stages.runs}; sum ${stages.sumOfStagesMs} ms, checkPlaybook + conversion whole ${stages.wholeCheckMs} ms):`);
  console.table(Object.entries(stages.stagesMs).filter(([, ms]) => ms >= 0.5).map(([stage, ms]) => ({ stage, ms })));
  console.log(`Raw profile: ${profile.profileFile}`);

  const m = machine();
  const busyAtEnd = await busyCores();
  mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench-results/lsp.json'), JSON.stringify({
    date: new Date().toISOString(),
    machine: { ...m, busyCoresAtStart: busyAtStart, busyCoresAtEnd: busyAtEnd },
    servers: { ours: `dist/server.js --stdio (${bundle} bundle)`, yaml: `yaml-language-server ${yamlServerVersion()} --stdio, yaml.schemas → schemas/playbook.schema.json` },
    scenario: SCENARIO,
    parseFloorMs: Object.fromEntries(floorMs),
    cold: { options: COLD, ours: oursCold, yaml: yamlCold, table: cold },
    ours, yaml, cli, advisories,
    table: sizeRows(figures),
    other: otherRows(figures, LARGEST),
    checks: results,
    profile,
    stages,
  }, null, 2));
  clearTimeout(watchdog);
  console.log(`(${round((performance.now() - started) / 1000, 0)} s in all; ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGB} GB, Node ${m.node}; ${busyAtStart ?? '?'} cores busy with other work at the start, ${busyAtEnd ?? '?'} at the end; bench-results/lsp.json)`);
}

function coldCheck(row: ColdRow): Check {
  return { name: `${row.measure}: ${row.ours} vs yaml-language-server's ${row['yaml-ls']} = ${row.ratio} (target ≤ ${row.target})`, pass: row.ratio <= row.target };
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAll();
  process.exitCode = 1;
});
