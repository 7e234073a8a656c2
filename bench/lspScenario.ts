/**
 * The servers through the editor scenario: fresh opens of generated playbooks (time to the first
 * diagnostics), then one-character edits answered one at a time (time to the diagnostics of that
 * version), then their memory with the largest playbook still open.
 *
 * Every measured edit toggles `run:` ↔ `rum:` in a step near the middle of the file, so the
 * diagnostics count alternates and each answer can be told apart from a stale one, whether or not
 * the server says which version it answers.
 */
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { generatePlaybook } from './generate.js';
import type { LspServer } from './lspClient.js';
import type { ServerUnderTest } from './lspServers.js';
import { median, percentile, round } from './stats.js';

export interface ScenarioOptions {
  sizes: number[];
  opens: number;
  edits: number;
  warmupEdits: number;
  /** Deadline of any single wait, in ms. */
  deadlineMs: number;
}

export interface SizeResult {
  steps: number;
  lines: number;
  openMs: number[];
  openMedianMs: number;
  /** The first open of this size (the very first also pays for schema loading and compilation). */
  firstOpenMs: number;
  editMs: number[];
  editMedianMs: number;
  editP95Ms: number;
  /** Diagnostics count on the clean text and with the misspelt key. */
  diagnostics: { clean: number; edited: number };
  /** What the server said about the misspelt key, to compare the two servers' checks. */
  editedMessages: string[];
  /** Bytes of the publish notifications (JSON), clean / edited. */
  publishBytes: { clean: number; edited: number };
}

export interface ScenarioResult {
  server: string;
  pid: number;
  sizes: SizeResult[];
  /** With the largest playbook open, after its opens and edits. */
  memory: { peakMB: number; rssMB: number };
  /** Does an edit that leaves the diagnostics unchanged still get a publish? (checked on the smallest size) */
  publishesWhenUnchanged: boolean;
}

/** Offset of the character that the edits toggle: the `n` of `run:` in a step near the middle. */
export function editOffset(text: string): number {
  const at = text.indexOf('\n    run: ', Math.floor(text.length / 2));
  if (at < 0) throw new Error('no `run:` after the middle of the generated playbook');
  return at + '\n    ru'.length;
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

export interface Contender {
  target: ServerUnderTest;
  server: LspServer;
  /** The workspace folder's URI; documents are opened under it. */
  root: string;
}

/**
 * Every contender through every size, interleaved size by size (so a change in the machine's load
 * hits both alike). The largest playbook stays open for the memory reading.
 */
export async function runScenarios(contenders: Contender[], options: ScenarioOptions): Promise<ScenarioResult[]> {
  const results = contenders.map(({ target, server }): ScenarioResult => ({ server: target.name, pid: server.pid, sizes: [], memory: { peakMB: 0, rssMB: 0 }, publishesWhenUnchanged: false }));
  for (const [sizeIndex, steps] of options.sizes.entries()) {
    for (const [i, contender] of contenders.entries()) {
      const { size, uri, text } = await measureSize(contender, steps, options);
      results[i]!.sizes.push(size);
      const { server } = contender;
      if (sizeIndex === 0) results[i]!.publishesWhenUnchanged = await probeUnchanged(server, uri, text, options.warmupEdits + options.edits + 2, Math.min(options.deadlineMs, 3000));
      if (sizeIndex < options.sizes.length - 1) await server.close(uri);
    }
  }
  for (const [i, { server }] of contenders.entries()) results[i]!.memory = server.memory();
  return results;
}

async function measureSize({ target, server, root }: Contender, steps: number, options: ScenarioOptions) {
  const text = generatePlaybook(steps);
  const openMs: number[] = [];
  let uri = '';
  let clean: PublishDiagnosticsParams | undefined;
  for (let i = 0; i < options.opens; i++) {
    if (uri) await server.close(uri);
    await server.quiet(50, options.deadlineMs);
    uri = `${root}/s${steps}-open${i}.playbook.yaml`;
    const from = server.published.length;
    const sent = performance.now();
    await server.open(uri, target.languageId, text);
    const answer = await server.publishFor(uri, from, () => true, options.deadlineMs);
    openMs.push(answer.at - sent);
    clean = answer.params;
  }
  await server.quiet(50, options.deadlineMs);
  const edits = await measureEdits(server, uri, text, clean!, options);
  const size: SizeResult = {
    steps,
    lines: text.split('\n').length - 1,
    openMs: openMs.map((ms) => round(ms)),
    openMedianMs: round(median(openMs)),
    firstOpenMs: round(openMs[0]!),
    editMs: edits.ms.map((ms) => round(ms)),
    editMedianMs: round(median(edits.ms)),
    editP95Ms: round(percentile(edits.ms, 95)),
    diagnostics: { clean: clean!.diagnostics.length, edited: edits.edited.diagnostics.length },
    editedMessages: edits.edited.diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)),
    publishBytes: { clean: JSON.stringify(clean).length, edited: JSON.stringify(edits.edited).length },
  };
  return { size, uri, text };
}

/** Warm-up edits, then measured ones (times in ms); each waits for its own answer and checks its diagnostics count. */
export async function measureEdits(server: LspServer, uri: string, text: string, clean: PublishDiagnosticsParams, options: ScenarioOptions) {
  const at = positionAt(text, editOffset(text));
  const range = { start: at, end: { line: at.line, character: at.character + 1 } };
  const ms: number[] = [];
  let edited: PublishDiagnosticsParams | undefined;
  const total = options.warmupEdits + options.edits;
  for (let k = 1; k <= total; k++) {
    const version = k + 1;
    const misspelt = k % 2 === 1;
    const from = server.published.length;
    const sent = performance.now();
    await server.change(uri, version, [{ range, text: misspelt ? 'm' : 'n' }]);
    // A server that names the version must name this one; one that does not answers edits in order.
    const answer = await server.publishFor(uri, from, (p) => p.version === undefined || p.version === null || p.version === version, options.deadlineMs);
    const count = answer.params.diagnostics.length;
    if (misspelt) {
      if (count === clean.diagnostics.length) throw new Error(`${server.options.name}: misspelling \`run\` left ${count} diagnostics unchanged; is the schema applied?`);
      if (edited && count !== edited.diagnostics.length) throw new Error(`${server.options.name}: edit ${k} answered with ${count} diagnostics, expected ${edited.diagnostics.length}`);
      edited = answer.params;
    } else if (count !== clean.diagnostics.length) {
      throw new Error(`${server.options.name}: edit ${k} (back to clean) answered with ${count} diagnostics, expected ${clean.diagnostics.length}`);
    }
    if (k > options.warmupEdits) ms.push(answer.at - sent);
  }
  return { ms, edited: edited! };
}

/** One edit inside a command string (diagnostics unchanged): is there a publish for it at all? */
async function probeUnchanged(server: LspServer, uri: string, text: string, version: number, deadlineMs: number): Promise<boolean> {
  const at = positionAt(text, editOffset(text) + ': kubectl'.length + 1);
  const from = server.published.length;
  await server.change(uri, version, [{ range: { start: at, end: at }, text: 'x' }]);
  try {
    await server.publishFor(uri, from, (p) => p.version === undefined || p.version === null || p.version === version, deadlineMs);
    return true;
  } catch {
    return false;
  }
}
