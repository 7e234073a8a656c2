/**
 * What a user meets: a fresh server process (no warm-up), the largest playbook opened (time to its
 * first diagnostics), and typing at once: three kinds of edit, each alternated with its undo, each
 * sent as the whole text (full sync) and waited for before the next:
 *
 * - `step`: a character inside one step near the middle (`run:` ↔ `rum:`), from the very first edit
 *   after the open, so the figure includes what the open leaves behind (a cold JIT, the debounce);
 * - `title`: a character added to and removed from the header's `title`;
 * - `release`: a release added to and removed from the service's `releases` under `services`.
 *
 * Each round starts new servers, in turns (the order swapped every round), so a change in the
 * machine's load hits both alike; further rounds only open, since an open varies more from run to
 * run than an edit.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { generatePlaybook } from './generate.js';
import type { LspServer } from './lspClient.js';
import { editOffset } from './lspScenario.js';
import { tempWorkspace, type ServerUnderTest } from './lspServers.js';
import { median, round } from './stats.js';

export type EditKind = 'step' | 'title' | 'release';
export const EDIT_KINDS: readonly EditKind[] = ['step', 'title', 'release'];

export interface ColdFigures {
  server: string;
  /** Open → first diagnostics in a fresh process, per round. */
  openMs: number[];
  /** Edit → its diagnostics, every edit of every round, per kind. */
  editMs: Record<EditKind, number[]>;
  /** Peak resident memory after the edits, per round (MB). */
  peakMB: number[];
}

export interface ColdOptions {
  steps: number;
  /** Rounds of open + edits per server. */
  rounds: number;
  /** Further fresh-process opens per server, without edits: an open varies more from run to run than an edit. */
  extraOpens: number;
  editsPerKind: number;
  deadlineMs: number;
}

/** The text after edit `k` (1-based) of a kind: odd edits make the change, even ones undo it. */
export function editedText(kind: EditKind, clean: string, k: number): string {
  if (k % 2 === 0) return clean;
  switch (kind) {
    case 'step': {
      const at = editOffset(clean);
      return clean.slice(0, at) + 'm' + clean.slice(at + 1);
    }
    case 'title':
      return replaceOnce(clean, /^title: .*$/m, (line) => `${line}s`);
    case 'release':
      return replaceOnce(clean, /releases: \[([^\]]*)\]/, (list) => list.replace(']', ', 2.5.0]'));
  }
}

function replaceOnce(text: string, pattern: RegExp, by: (match: string) => string): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`the generated playbook has no ${pattern}`);
  return text.slice(0, match.index) + by(match[0]) + text.slice(match.index + match[0].length);
}

export async function measureCold(targets: ServerUnderTest[], options: ColdOptions, onStart: (server: LspServer) => void): Promise<ColdFigures[]> {
  const figures = targets.map((t): ColdFigures => ({ server: t.name, openMs: [], editMs: { step: [], title: [], release: [] }, peakMB: [] }));
  const text = generatePlaybook(options.steps);
  const inTurns = (round: number): number[] => (round % 2 === 0 ? targets.map((_, i) => i) : targets.map((_, i) => targets.length - 1 - i));
  for (let round = 0; round < options.extraOpens; round++) {
    for (const i of inTurns(round)) await oneRound(targets[i]!, text, { ...options, editsPerKind: 0 }, figures[i]!, onStart);
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const i of inTurns(round)) await oneRound(targets[i]!, text, options, figures[i]!, onStart);
  }
  return figures;
}

async function oneRound(target: ServerUnderTest, clean: string, options: ColdOptions, into: ColdFigures, onStart: (server: LspServer) => void): Promise<void> {
  const workspace = tempWorkspace(`${target.name}-cold`);
  const server = target.start(workspace);
  onStart(server);
  try {
    await server.start(target.section, options.deadlineMs);
    const uri = `${pathToFileURL(workspace).href}/cold.playbook.yaml`;
    const from = server.published.length;
    const sent = performance.now();
    await server.open(uri, target.languageId, clean);
    const opened = await server.publishFor(uri, from, () => true, options.deadlineMs);
    into.openMs.push(opened.at - sent);
    const cleanCount = opened.params.diagnostics.length;
    let version = 1;
    for (const kind of options.editsPerKind ? EDIT_KINDS : []) {
      if (kind !== 'step') await server.quiet(50, options.deadlineMs); // the step edits start at once; later kinds start from a settled server
      for (let k = 1; k <= options.editsPerKind; k++) {
        version++;
        const v = version;
        const mark = server.published.length;
        const start = performance.now();
        await server.change(uri, v, [{ text: editedText(kind, clean, k) }]);
        // A server that names the version must name this one; one that does not answers in order. A misspelt key changes the count.
        const answer = await server.publishFor(uri, mark, (p) => (p.version === undefined || p.version === null || p.version === v)
          && (kind !== 'step' || (k % 2 === 1) !== (p.diagnostics.length === cleanCount)), options.deadlineMs);
        into.editMs[kind].push(answer.at - start);
      }
    }
    if (options.editsPerKind) into.peakMB.push(server.memory().peakMB);
  } finally {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

export interface ColdRow {
  measure: string;
  ours: number;
  'yaml-ls': number;
  ratio: number;
  target: number;
}

/** Medians per measure, with the targets (ratios to yaml-language-server). */
export function coldRows(ours: ColdFigures, yaml: ColdFigures, steps: number): ColdRow[] {
  const row = (measure: string, a: number[], b: number[], target: number): ColdRow => {
    const oursMs = round(median(a));
    const yamlMs = round(median(b));
    return { measure, ours: oursMs, 'yaml-ls': yamlMs, ratio: round(oursMs / yamlMs, 3), target };
  };
  return [
    row(`open → diagnostics, ${steps} steps, fresh process (ms)`, ours.openMs, yaml.openMs, 0.4),
    row('a character inside one step, first edits after the open (ms)', ours.editMs.step, yaml.editMs.step, 0.05),
    row('a character in the header\'s title (ms)', ours.editMs.title, yaml.editMs.title, 0.1),
    row('a release added under services (ms)', ours.editMs.release, yaml.editMs.release, 0.1),
    row('peak memory after the edits (MB)', ours.peakMB, yaml.peakMB, 0.5),
  ];
}
