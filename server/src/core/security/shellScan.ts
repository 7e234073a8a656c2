/**
 * PB105 over a shell script by its structure: every pipeline, stage and word of the script and of
 * the scripts inside it (`$( )`, `<( )`, groups, `sh -c '…'`, `eval`, `su -c`, here-documents fed
 * to a shell, `find -exec`, `kubectl exec -- …`), mapped back to offsets in the scanned text.
 * A download anywhere before an interpreter that reads its program from standard input, in the
 * same pipeline, is `pipe-to-shell`; an interpreter whose script or inline program is the output of
 * a download is `shell-from-download`. No length cap: one pass over the text per nesting of script.
 */
import { checkCommand, checkRedirect, type CommandHit } from './commandChecks.js';
import { findSettings } from './settingPatterns.js';
import {
  inlineProgram, interpreterKind, isDownload, readsProgramFromStdin, remoteCommand, resolveCommand, scriptOperand, STDIN_PATHS,
  type ResolvedCommand,
} from './shellCommands.js';
import { parseShell, parseShellWithComments } from './shellSyntax.js';
import type { Pipeline, ShellList, ShellWord, Stage } from './shellSyntaxTree.js';

export type ShellHit = CommandHit;

/** Scripts inside scripts (`sh -c "sh -c '…'"`) are read this deep; deeper ones are still scanned as words. */
const MAX_SCRIPT_DEPTH = 4;

type MapRange = (start: number, end: number) => { start: number; end: number };

interface Scan {
  out: ShellHit[];
  text: string;
  map: MapRange;
  depth: number;
}

/** Every danger PB105 finds by structure in `text`, with offsets into `text`, and where the text's own comments are. */
export function scanShell(text: string): { hits: ShellHit[]; comments: Array<{ start: number; end: number }> } {
  const out: ShellHit[] = [];
  const { list, comments } = parseShellWithComments(text);
  walkList(list, { out, text, map: sameRange, depth: 0 });
  return { hits: out, comments };
}

function sameRange(start: number, end: number): { start: number; end: number } {
  return { start, end };
}

function hit(scan: Scan, id: string, start: number, end: number): void {
  scan.out.push({ id, ...scan.map(start, end) });
}

function walkList(list: ShellList, scan: Scan): void {
  for (const pipeline of list) walkPipeline(pipeline, scan);
}

function walkPipeline(pipeline: Pipeline, scan: Scan): void {
  const commands = pipeline.stages.map((stage) => resolveCommand(stage.words));
  const interpreters = commands.map(stdinInterpreter);
  let download: number | undefined;
  let reported = false;
  pipeline.stages.forEach((stage, i) => {
    const cmd = commands[i];
    const interpreter = interpreters[i] ?? teeInterpreter(stage);
    if (download !== undefined && !reported && interpreter) {
      hit(scan, 'pipe-to-shell', download, interpreter.word.end);
      reported = true;
    }
    if (download === undefined && stageDownloads(stage, cmd)) download = cmd && isDownload(stage, cmd) ? cmd.word.start : stage.start;
  });
  // A stage feeds an interpreter when it or a later stage of the pipeline is one.
  const feeds: boolean[] = [];
  for (let i = pipeline.stages.length - 1; i >= 0; i--) feeds[i] = interpreters[i] !== undefined || (feeds[i + 1] ?? false);
  pipeline.stages.forEach((stage, i) => walkStage(stage, commands[i], feeds[i]!, scan));
}

/** The interpreter a stage hands its standard input to as a program: the command, or what it runs remotely. */
function stdinInterpreter(cmd: ResolvedCommand | undefined): ResolvedCommand | undefined {
  if (!cmd) return undefined;
  if (readsProgramFromStdin(cmd)) return cmd;
  const remote = remoteCommand(cmd);
  return remote && readsProgramFromStdin(remote) ? remote : undefined;
}

/** `tee >(sh)`: a process substitution whose first stage runs what the stage writes to it. */
function teeInterpreter(stage: Stage): ResolvedCommand | undefined {
  for (const word of stage.words) {
    for (const sub of word.substitutions) {
      if (sub.kind !== '>(') continue;
      const first = sub.body[0]?.stages[0];
      const interpreter = first && stdinInterpreter(resolveCommand(first.words));
      if (interpreter) return interpreter;
    }
  }
  return undefined;
}

function stageDownloads(stage: Stage, cmd: ResolvedCommand | undefined): boolean {
  return isDownload(stage, cmd) || stage.groups.some(listDownloads);
}

/** Some stage of the list downloads (its output is the list's output). */
function listDownloads(list: ShellList): boolean {
  return list.some((p) => p.stages.some((s) => stageDownloads(s, resolveCommand(s.words))));
}

function wordDownloads(word: ShellWord | undefined): ShellWord['substitutions'][number] | undefined {
  return word?.substitutions.find((s) => s.kind !== '>(' && listDownloads(s.body));
}

function walkStage(stage: Stage, cmd: ResolvedCommand | undefined, feedsInterpreter: boolean, scan: Scan): void {
  if (cmd) walkCommand(stage, cmd, scan);
  for (const redirect of stage.redirects) {
    const disk = checkRedirect(redirect);
    if (disk) hit(scan, disk.id, disk.start, disk.end);
    if (redirect.target) walkWord(redirect.target, scan);
    // What a here-document or here-string feeds an interpreter is a script.
    if (redirect.heredoc && feedsInterpreter) walkList(parseShell(scan.text, redirect.heredoc.start, redirect.heredoc.end), scan);
    if (redirect.op === '<<<' && redirect.target && feedsInterpreter) reparse(redirect.target, scan);
  }
  for (const word of stage.words) walkWord(word, scan);
  for (const group of stage.groups) walkList(group, scan);
}

/** The checks of one command, then of the commands it runs (`find -exec …`, `kubectl exec … -- …`), up to MAX_SCRIPT_DEPTH deep. */
function walkCommand(stage: Stage, cmd: ResolvedCommand, scan: Scan, nesting = 0): void {
  for (const h of checkCommand(cmd)) hit(scan, h.id, h.start, h.end);
  fromDownload(stage, cmd, scan);
  const kind = interpreterKind(cmd.name);
  const inline = inlineProgram(cmd);
  if (inline && (kind === 'shell' || kind === 'su' || kind === 'powershell')) reparse(inline, scan);
  if (cmd.name === 'eval' || cmd.name === 'watch' || cmd.name === 'ssh') {
    const words = remoteOrEvalArgs(cmd);
    if (words.length) reparse(joinWords(words), scan);
  }
  if (nesting >= MAX_SCRIPT_DEPTH) return;
  const remote = cmd.name === 'ssh' ? undefined : remoteCommand(cmd);
  if (remote) return walkCommand(stage, remote, scan, nesting + 1);
  // Commands that other commands run: after `find -exec`, and after `--` (`timeout 5 -- …`, `su -- …`).
  for (let i = 0; i < cmd.args.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir', '--'].includes(cmd.args[i]!.value)) continue;
    let end = i + 1;
    while (end < cmd.args.length && ![';', '+', '-exec', '-execdir', '-ok', '-okdir', '--'].includes(cmd.args[end]!.value)) end++;
    const inner = resolveCommand(cmd.args.slice(i + 1, end));
    if (inner) walkCommand(stage, inner, scan, nesting + 1);
    i = end - 1;
  }
}

/** Words as the one string that `eval` and `ssh` hand on: joined by spaces, each character still mapped to its source. */
function joinWords(words: readonly ShellWord[]): ShellWord {
  if (words.length === 1) return words[0]!;
  const joined: ShellWord = { value: '', starts: [], ends: [], start: words[0]!.start, end: words[words.length - 1]!.end, quoted: true, substitutions: [] };
  words.forEach((w, i) => {
    if (i > 0) {
      joined.value += ' ';
      joined.starts.push(words[i - 1]!.end);
      joined.ends.push(w.start);
    }
    joined.value += w.value;
    for (let k = 0; k < w.starts.length; k++) {
      joined.starts.push(w.starts[k]!);
      joined.ends.push(w.ends[k]!);
    }
  });
  return joined;
}

/** `eval ARGS`, `watch [-n N] COMMAND…`, `ssh [options] HOST COMMAND…`: the words that are commands. */
function remoteOrEvalArgs(cmd: ResolvedCommand): ShellWord[] {
  if (cmd.name === 'eval') return cmd.args;
  const valueOptions = cmd.name === 'ssh' ? /^-[BbcDEeFIiJLlmOopQRSWw]$/ : /^-[nd]$|^--(?:interval|differences)$/;
  let i = 0;
  while (i < cmd.args.length && cmd.args[i]!.value.startsWith('-')) i += valueOptions.test(cmd.args[i]!.value) ? 2 : 1;
  return cmd.args.slice(cmd.name === 'ssh' ? i + 1 : i);
}

/** `bash <(curl …)`, `sh -c "$(curl …)"`, `source <(curl …)`, `eval "$(curl …)"`, `bash < <(curl …)`, `iex (iwr …)`, `$(curl …)` as a command. */
function fromDownload(stage: Stage, cmd: ResolvedCommand, scan: Scan): void {
  const end = downloadedProgramEnd(stage, cmd, scan.text);
  if (end !== undefined) hit(scan, 'shell-from-download', cmd.word.start, end);
}

/** Where the downloaded program that `cmd` runs ends (its substitution's end), if it runs one. */
function downloadedProgramEnd(stage: Stage, cmd: ResolvedCommand, text: string): number | undefined {
  const fromCommandWord = wordDownloads(cmd.word);
  if (fromCommandWord && fromCommandWord.kind !== '<(') return cmd.word.end;
  if (cmd.name === 'eval') return cmd.args.map(wordDownloads).find((s) => s !== undefined)?.end;
  const kind = interpreterKind(cmd.name);
  if (!kind) return undefined;
  if (kind === 'invoke-expression') {
    return isDownload(stage, undefined) || stage.groups.some(listDownloads) || cmd.args.some((a) => wordDownloads(a)) ? trimmedEnd(text, stage) : undefined;
  }
  const program = kind === 'source' ? cmd.args[0] : (inlineProgram(cmd) ?? scriptOperand(cmd));
  const sub = wordDownloads(program);
  if (sub) return sub.end;
  if (!readsProgramFromStdin(cmd) && !(program && STDIN_PATHS.has(program.value))) return undefined;
  for (const redirect of stage.redirects) {
    const input = redirect.op === '<' || redirect.op === '<<<' ? wordDownloads(redirect.target) : undefined;
    if (input) return input.end;
  }
  return undefined;
}

function trimmedEnd(text: string, stage: Stage): number {
  let end = stage.end;
  while (end > stage.start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** A word's substitutions, and the settings it spells once its quotes are removed. */
function walkWord(word: ShellWord, scan: Scan): void {
  for (const sub of word.substitutions) walkList(sub.body, scan);
  for (const h of findSettings(word.value)) hit(scan, h.id, word.starts[h.start]!, word.ends[h.end - 1]!);
}

/** A word whose value is itself a script (`sh -c '…'`): parsed and scanned, offsets mapped through the word. */
function reparse(word: ShellWord, scan: Scan): void {
  if (scan.depth >= MAX_SCRIPT_DEPTH || !word.value) return;
  const map: MapRange = (start, end) => {
    const from = word.starts[Math.min(start, word.starts.length - 1)]!;
    const to = end > start ? word.ends[end - 1]! : from;
    return scan.map(from, to);
  };
  walkList(parseShell(word.value), { out: scan.out, text: word.value, map, depth: scan.depth + 1 });
}
