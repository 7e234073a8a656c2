/**
 * Where this server's time goes on an edit of a large playbook: the real server in a child process
 * under `--cpu-prof`, the same edits as the benchmark, and the samples of the edit window split
 * into stages (per edit). The in-process stage timers (pipelineTimers.ts) give each stage alone.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitProfile, readProfile } from './cpuProfile.js';
import { generatePlaybook } from './generate.js';
import type { LspServer } from './lspClient.js';
import { measureEdits } from './lspScenario.js';
import { PLAYBOOK_SERVER, ROOT, tempWorkspace } from './lspServers.js';
import { median, round } from './stats.js';

export interface EditProfile {
  steps: number;
  /** Edits inside the profiled window (warm-up ones included). */
  edits: number;
  samplingIntervalUs: number;
  /** Edit → diagnostics under the profiler (slower than unprofiled). */
  editMedianMs: number;
  perEditMs: Array<{ stage: string; ms: number }>;
  /** The same, in the buckets the optimisation is planned by. */
  groupedPerEditMs: Array<{ group: string; ms: number }>;
  busyPerEditMs: number;
  topFunctions: Array<{ fn: string; selfMs: number }>;
  /** Where the raw profile was kept, for a closer look in a profiler UI. */
  profileFile: string;
}

const INTERVAL_US = 250;

/** Buckets for planning: the first whose test matches a stage takes its time. */
const GROUPS: Array<{ group: string; test: (stage: string) => boolean }> = [
  { group: 'idle: debounce wait + client turnaround', test: (s) => s.startsWith('idle') },
  { group: 'YAML parse', test: (s) => s.startsWith('YAML parse') },
  { group: 'garbage collection', test: (s) => s === 'garbage collection' },
  { group: 'nesting checks (text + tree)', test: (s) => s === 'nesting checks' },
  { group: 'toJS (plain data)', test: (s) => s.startsWith('toJS') },
  { group: 'ajv + schema findings (PB002)', test: (s) => s.startsWith('ajv') || s.startsWith('schema') || s === 'rule PB002' },
  { group: 'model (buildModel)', test: (s) => s.startsWith('model') },
  { group: 'flow graph', test: (s) => s === 'flow graph' },
  { group: 'other rules (all but PB002)', test: (s) => s.startsWith('rule ') || s === 'suppression scan' || s.startsWith('check ') },
  { group: 'findings → diagnostics', test: (s) => s.startsWith('findings') },
  { group: 'JSON-RPC + document sync', test: (s) => s.startsWith('JSON-RPC') || s.startsWith('document sync') },
  { group: 'other (V8, node, server glue)', test: () => true },
];

function group(perEdit: Array<{ stage: string; ms: number }>): Array<{ group: string; ms: number }> {
  return GROUPS.map(({ group: name }) => ({
    group: name,
    ms: round(perEdit.filter(({ stage }) => GROUPS.find((g) => g.test(stage))!.group === name).reduce((a, s) => a + s.ms, 0), 2),
  }));
}
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

export async function profileEdits(steps: number, edits: number, deadlineMs: number, track: (server: LspServer) => void): Promise<EditProfile> {
  const workspace = tempWorkspace('profile');
  const dir = path.join(workspace, 'cpu');
  const server = PLAYBOOK_SERVER.start(workspace, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(INTERVAL_US)]);
  track(server);
  try {
    let window: { from: number; to: number; ms: number[] };
    try {
      await server.start(PLAYBOOK_SERVER.section, deadlineMs);
      const text = generatePlaybook(steps);
      const uri = `${pathToFileURL(workspace).href}/profiled.playbook.yaml`;
      await server.open(uri, PLAYBOOK_SERVER.languageId, text);
      const clean = await server.publishFor(uri, 0, () => true, deadlineMs);
      await server.quiet(100, deadlineMs);
      // The profile's timestamps and process.hrtime share the monotonic clock, so the window can be cut out.
      const from = monotonicUs();
      const measured = await measureEdits(server, uri, text, clean.params, { sizes: [steps], opens: 1, edits, warmupEdits: 0, deadlineMs });
      window = { from, to: monotonicUs(), ms: measured.ms };
    } finally {
      await server.stop(); // the profile is written when the server exits
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the profiled server wrote no .cpuprofile');
    const split = splitProfile(readProfile(path.join(dir, file)), path.join(ROOT, 'dist/server.js'), window.from, window.to);
    const kept = path.join(ROOT, 'bench-results', 'lsp-edit.cpuprofile');
    mkdirSync(path.dirname(kept), { recursive: true });
    copyFileSync(path.join(dir, file), kept);
    const perEditMs = split.stagesMs.map(({ stage, ms }) => ({ stage, ms: round(ms / edits, 2) }));
    return {
      steps,
      edits,
      samplingIntervalUs: INTERVAL_US,
      editMedianMs: round(median(window.ms)),
      perEditMs,
      groupedPerEditMs: group(perEditMs),
      busyPerEditMs: round(perEditMs.filter((s) => !s.stage.startsWith('idle')).reduce((a, s) => a + s.ms, 0)),
      topFunctions: split.topFunctions.map(({ fn, selfMs }) => ({ fn, selfMs: round(selfMs / edits, 2) })),
      profileFile: path.relative(ROOT, kept),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
