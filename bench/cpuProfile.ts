/**
 * Reads a V8 `.cpuprofile` of the bundled server and splits the samples of a time window into the
 * stages of a check. Frames are mapped back to their sources through dist's source map; each
 * sample goes to the nearest enclosing frame that names a stage (so `yaml` code or a shared helper
 * called by a rule counts for that rule, and the lexer called by parseDocument counts as the parse).
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  parent?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface StageSplit {
  windowMs: number;
  /** ms per stage inside the window, largest first. */
  stagesMs: Array<{ stage: string; ms: number }>;
  /** The source functions with the most self time in the window (after source mapping). */
  topFunctions: Array<{ fn: string; selfMs: number }>;
}

type Marker = { stage: string; test: (source: string, fn: string) => boolean };

/** Stages, looked for from the sampled frame outwards; the first that matches names the sample's stage. */
const STAGES: Marker[] = [
  { stage: 'ajv validate (schema)', test: (s, fn) => s.includes('node_modules/ajv/') || (s === '' && /^validate\d+$/.test(fn)) },
  { stage: 'schema errors → findings', test: (s) => s.includes('core/schema/') },
  // By file, not by function name, so a minified bundle is split the same way.
  { stage: 'incremental re-parse (diff, shift)', test: (s) => /core\/parse\/(reparse|textDiff|stepChunks|shiftRanges)\.ts$/.test(s) },
  { stage: 'YAML parse (parseDocument)', test: (s) => /node_modules\/yaml\/(browser\/)?dist\/(public-api\.js|parse\/|compose\/)/.test(s) },
  { stage: 'toJS (plain data)', test: (s) => s.endsWith('core/parse/plainData.ts') },
  { stage: 'model (buildModel)', test: (s) => s.endsWith('core/parse/buildModel.ts') },
  { stage: 'nesting checks', test: (s) => s.endsWith('core/parse/nesting.ts') },
  { stage: 'flow graph', test: (s) => s.includes('core/graph/') },
  { stage: 'suppression scan', test: (s) => s.endsWith('core/suppressions.ts') },
  { stage: 'rule *', test: (s) => /core\/rules\/PB\d{3}\.ts$/.test(s) },
  { stage: 'check (severities, sort)', test: (s) => s.endsWith('core/check.ts') },
  { stage: 'findings → diagnostics', test: (s) => s.endsWith('lsp/convert.ts') },
  { stage: 'document sync (apply edit)', test: (s) => s.includes('vscode-languageserver/lib/common/textDocuments') },
];

/** When no stage encloses the sample (message reading, writing, server glue): the nearest of these. */
const FALLBACKS: Marker[] = [
  { stage: 'JSON-RPC (read, parse, serialise, write)', test: (s) => s.includes('node_modules/vscode-jsonrpc/') || s.includes('node_modules/vscode-languageserver') },
  { stage: 'lsp: *', test: (s) => s.includes('server/src/lsp/') || s.includes('server/src/node/') },
  { stage: 'core: *', test: (s) => s.includes('server/src/core/') },
  { stage: 'node internals', test: (s) => s.startsWith('node:') },
];

const SPECIAL = new Map([
  ['(idle)', 'idle (debounce wait, client turnaround)'],
  ['(garbage collector)', 'garbage collection'],
  ['(program)', 'V8 (compile, runtime)'],
]);

export function readProfile(file: string): Profile {
  return JSON.parse(readFileSync(file, 'utf8')) as Profile;
}

/** Splits the samples taken between `fromUs` and `toUs` (monotonic clock, µs, as the profile's). */
export function splitProfile(profile: Profile, bundle: string, fromUs: number, toUs: number): StageSplit {
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  const bundleUrl = `file://${bundle}`;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) byId.get(child)!.parent = node.id;
  const frames = new Map<number, { source: string; fn: string }>();
  const frameOf = (node: ProfileNode) => {
    let frame = frames.get(node.id);
    if (!frame) {
      const { url, lineNumber, columnNumber, functionName } = node.callFrame;
      const entry = url === bundleUrl ? (map.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number; name?: string }) : {};
      const where = entry.originalLine === undefined ? '' : `:${entry.originalLine + 1}`;
      frame = { source: entry.originalSource ?? url, fn: `${entry.name ?? (functionName || '(anonymous)')}${where}` };
      frames.set(node.id, frame);
    }
    return frame;
  };
  const stageCache = new Map<number, string>();
  const stageOf = (leaf: ProfileNode): string => {
    const cached = stageCache.get(leaf.id);
    if (cached) return cached;
    let stage = SPECIAL.get(leaf.callFrame.functionName);
    for (const markers of [STAGES, FALLBACKS]) {
      for (let node: ProfileNode | undefined = leaf; !stage && node; node = node.parent === undefined ? undefined : byId.get(node.parent)) {
        const { source, fn } = frameOf(node);
        const marker = markers.find((m) => m.test(source, fn));
        if (marker) stage = marker.stage.replace('*', () => /PB\d{3}/.exec(source)?.[0] ?? shortSource(source));
      }
    }
    stage ??= 'other';
    stageCache.set(leaf.id, stage);
    return stage;
  };
  const stages = new Map<string, number>();
  const self = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    // A sample stands for the time until the next one.
    const span = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (at < fromUs || at > toUs) continue;
    const leaf = byId.get(profile.samples[i]!)!;
    const stage = stageOf(leaf);
    stages.set(stage, (stages.get(stage) ?? 0) + span);
    const { source, fn } = frameOf(leaf);
    const key = `${fn} (${shortSource(source) || 'native'})`;
    self.set(key, (self.get(key) ?? 0) + span);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    windowMs: (toUs - fromUs) / 1000,
    stagesMs: sorted(stages).map(([stage, ms]) => ({ stage, ms })),
    topFunctions: sorted(self).filter(([fn]) => !/^\((idle|program|garbage collector)\)/.test(fn)).slice(0, 15).map(([fn, selfMs]) => ({ fn, selfMs })),
  };
}

function shortSource(source: string): string {
  const modules = source.lastIndexOf('node_modules/');
  if (modules >= 0) return source.slice(modules + 'node_modules/'.length);
  const src = source.indexOf('server/src/');
  return src >= 0 ? source.slice(src + 'server/src/'.length) : source;
}
