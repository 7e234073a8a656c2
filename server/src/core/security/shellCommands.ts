/**
 * What a shell stage runs: its command word found behind assignments, reserved words and wrappers
 * (`sudo -E`, `env -i VAR=x`, `/usr/bin/env`, `command`, `exec`, `nice -n 5`, `nohup`,
 * `timeout 30`, `xargs -I{}`, `busybox`, `stdbuf -oL`, …), and whether that command is a
 * download, or an interpreter that takes its program from standard input.
 */
import type { ShellWord, Stage } from './shellSyntaxTree.js';

export interface ResolvedCommand {
  /** Index of the command word in the words given. */
  index: number;
  word: ShellWord;
  /** The command's name: its last path segment, lower case, without `.exe` (`/usr/bin/Env` → `env`). */
  name: string;
  args: ShellWord[];
}

/** `/usr/bin/python3.12` → `python3.12`; `C:\\…\\powershell.exe` → `powershell`. */
function commandName(value: string): string {
  const base = value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1).toLowerCase();
  return base.endsWith('.exe') ? base.slice(0, -4) : base;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'coproc', 'function']);

/** How to step over a wrapper's own options: letters and long options that take a value. */
interface WrapperSpec {
  argLetters?: string;
  argLong?: readonly string[];
  /** Words after the options that are not the command (`timeout DURATION`). */
  operands?: number;
  /** Options after which no command follows (`command -v x` only prints). */
  noCommand?: string;
}

const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  sudo: { argLetters: 'ugCDhprtTUR', argLong: ['--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--role', '--type', '--command-timeout', '--other-user'] },
  doas: { argLetters: 'uC' },
  pkexec: { argLong: ['--user'] },
  env: { argLetters: 'uCS', argLong: ['--unset', '--chdir', '--split-string'] },
  command: { noCommand: 'vV' },
  builtin: {},
  exec: { argLetters: 'a' },
  nice: { argLetters: 'n', argLong: ['--adjustment'] },
  nohup: {},
  timeout: { argLetters: 'sk', argLong: ['--signal', '--kill-after'], operands: 1 },
  xargs: { argLetters: 'ILnPsEdaR', argLong: ['--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--max-lines', '--replace', '--eof', '--process-slot-var'] },
  busybox: {},
  stdbuf: { argLetters: 'ioe', argLong: ['--input', '--output', '--error'] },
  ionice: { argLetters: 'cnt', argLong: ['--class', '--classdata'] },
  unbuffer: {},
  chronic: {},
  torsocks: {},
  proxychains: { argLetters: 'f' },
  proxychains4: { argLetters: 'f' },
  catchsegv: {},
};

/** The command a stage's words run, from `from` on; undefined when there is none (`command -v x`, only assignments). */
export function resolveCommand(stageWords: readonly ShellWord[], from = 0): ResolvedCommand | undefined {
  let words = stageWords;
  let i = from;
  let splits = 0;
  while (i < words.length) {
    const word = words[i]!;
    if (ASSIGNMENT.test(word.value) || RESERVED.has(word.value)) {
      i++;
      continue;
    }
    const name = commandName(word.value);
    if (name === 'time' && words[i + 1]?.value === '-p') {
      i += 2;
      continue;
    }
    const spec = WRAPPERS[name];
    if (!spec) return { index: i, word, name, args: words.slice(i + 1) };
    // `sudo -s`, `sudo -i` and `doas -s` with no command start a shell that reads standard input.
    if ((name === 'sudo' || name === 'doas') && loneShellOption(words, i + 1)) return { index: i, word, name: 'sh', args: [] };
    const split = name === 'env' && splits < 8 ? envSplitString(words, i + 1) : undefined;
    if (split) {
      words = split;
      i = 0;
      splits++;
      continue;
    }
    const next = skipOptions(words, i + 1, spec);
    if (next === undefined) return undefined;
    i = next;
  }
  return undefined;
}

/** Only options follow, one of them `-s` or `-i`. */
function loneShellOption(words: readonly ShellWord[], from: number): boolean {
  let shell = false;
  for (let i = from; i < words.length; i++) {
    if (!words[i]!.value.startsWith('-')) return false;
    shell ||= /^-[a-zA-Z]*[si][a-zA-Z]*$/.test(words[i]!.value);
  }
  return shell;
}

/** Index of the word after a wrapper's options and operands, or undefined when it runs no command. */
function skipOptions(words: readonly ShellWord[], from: number, spec: WrapperSpec): number | undefined {
  let i = from;
  while (i < words.length) {
    const v = words[i]!.value;
    if (v === '--') return i + 1;
    if (!v.startsWith('-') || v === '-') break;
    if (v.startsWith('--')) {
      const [option] = v.split('=', 1);
      i += spec.argLong?.includes(option!) && !v.includes('=') ? 2 : 1;
      continue;
    }
    if (spec.noCommand && [...v.slice(1)].some((letter) => spec.noCommand!.includes(letter))) return undefined;
    // A cluster such as `-Eu root` or `-n10`: the first letter that takes a value takes the rest, or the next word.
    const letters = v.slice(1);
    const at = [...letters].findIndex((letter) => spec.argLetters?.includes(letter));
    i += at !== -1 && at === letters.length - 1 ? 2 : 1;
  }
  return Math.min(i + (spec.operands ?? 0), words.length);
}

/** `env -S 'bash -x' …` (and `#!/usr/bin/env -S`): the string is split into words that come first. */
function envSplitString(words: readonly ShellWord[], from: number): ShellWord[] | undefined {
  for (let i = from; i < words.length; i++) {
    const v = words[i]!.value;
    if (!v.startsWith('-')) return undefined;
    const inline = v.startsWith('-S') ? v.slice(2) : v.startsWith('--split-string=') ? v.slice('--split-string='.length) : undefined;
    if (inline === undefined && v !== '--split-string') continue;
    const source = inline ? sliceWord(words[i]!, v.length - inline.length, v.length) : words[i + 1];
    if (!source) return undefined;
    return [...splitWord(source), ...words.slice(inline ? i + 1 : i + 2)];
  }
  return undefined;
}

/** The part `[from, to)` of a word's value as a word of its own, with its source offsets. */
function sliceWord(word: ShellWord, from: number, to: number): ShellWord {
  const starts = word.starts.slice(from, to);
  const ends = word.ends.slice(from, to);
  return { value: word.value.slice(from, to), starts, ends, start: starts[0] ?? word.start, end: ends[ends.length - 1] ?? word.start, quoted: word.quoted, substitutions: [] };
}

/** A word's value cut at blanks, as `env -S` and `nft` read one argument. */
export function splitWord(word: ShellWord): ShellWord[] {
  const out: ShellWord[] = [];
  for (const match of word.value.matchAll(/\S+/g)) out.push(sliceWord(word, match.index, match.index + match[0].length));
  return out;
}

export const STDIN_PATHS = new Set(['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ksh93', 'mksh', 'pdksh', 'ash', 'yash', 'posh', 'fish', 'csh', 'tcsh', 'rbash', '$shell', '${shell}']);
const SCRIPT_INTERPRETERS = /^(?:python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|php[0-9.]*|lua[0-9.]*|luajit)$/;
const POWERSHELLS = new Set(['pwsh', 'powershell']);
const INVOKE_EXPRESSION = new Set(['iex', 'invoke-expression']);

export type InterpreterKind = 'shell' | 'script' | 'powershell' | 'invoke-expression' | 'source' | 'su';

/** The kind of interpreter a command name is, if it is one. */
export function interpreterKind(name: string): InterpreterKind | undefined {
  if (POSIX_SHELLS.has(name)) return 'shell';
  if (SCRIPT_INTERPRETERS.test(name)) return 'script';
  if (POWERSHELLS.has(name)) return 'powershell';
  if (INVOKE_EXPRESSION.has(name)) return 'invoke-expression';
  if (name === 'source' || name === '.') return 'source';
  if (name === 'su' || name === 'runuser') return 'su';
  return undefined;
}

/** The option that makes each interpreter take its program from the next word, e.g. `sh -c`, `python -c`, `perl -e`. */
const CODE_OPTION: Readonly<Record<string, RegExp>> = {
  shell: /^-[a-zA-Z]*c[a-zA-Z]*$/,
  python: /^-[a-zA-Z]*c$/,
  perl: /^-[a-zA-Z]*[eE]$/,
  ruby: /^-[a-zA-Z]*e$/,
  node: /^(?:-e|-p|--eval|--print|-pe)$/,
  php: /^-[a-zA-Z]*r$/,
  lua: /^-e$/,
  powershell: /^-(?:c|command|ec|e|encodedcommand|enc)$/i,
};

function codeOptionFor(cmd: ResolvedCommand): RegExp | undefined {
  const kind = interpreterKind(cmd.name);
  if (kind === 'shell' || kind === 'powershell') return CODE_OPTION[kind];
  if (kind === 'su') return /^(?:-c|--command|-[a-zA-Z]*c)$/;
  if (kind !== 'script') return undefined;
  const family = /^[a-z]+/.exec(cmd.name)![0].replace('pypy', 'python').replace('nodejs', 'node').replace('luajit', 'lua');
  return CODE_OPTION[family];
}

/** The word holding an interpreter's inline program (`sh -c '…'`, `python -c '…'`, `pwsh -Command '…'`), if any. */
export function inlineProgram(cmd: ResolvedCommand): ShellWord | undefined {
  const option = codeOptionFor(cmd);
  if (!option) return undefined;
  for (let i = 0; i < cmd.args.length; i++) {
    const v = cmd.args[i]!.value;
    if (v === '--') return undefined;
    if (option.test(v)) return cmd.args[i + 1];
    if (!v.startsWith('-') && !v.startsWith('+') && interpreterKind(cmd.name) !== 'su') return undefined;
  }
  return undefined;
}

/** Options of each interpreter that take the next word as their value (so it is not the script). */
const VALUE_OPTIONS = /^(?:-[oO]|\+[oO]|--rcfile|--init-file|-W|-X|-r|--require|-I|-M|-m|-ExecutionPolicy|-ep|-WindowStyle|-w|-Version|-v|-ConfigurationName|-OutputFormat|-InputFormat|-of|-if|-WorkingDirectory|-wd|-CustomPipeName|-SettingsFile)$/i;

/**
 * The word naming an interpreter's script file (`bash <(curl …)`, `python3 install.py`), or
 * undefined when it reads its program from standard input or an inline option.
 */
export function scriptOperand(cmd: ResolvedCommand): ShellWord | undefined {
  if (inlineProgram(cmd)) return undefined;
  const kind = interpreterKind(cmd.name);
  for (let i = 0; i < cmd.args.length; i++) {
    const word = cmd.args[i]!;
    const v = word.value;
    if (v === '--') return cmd.args[i + 1];
    if (kind === 'powershell' && /^-(?:f|file)$/i.test(v)) return cmd.args[i + 1];
    if ((v.startsWith('-') || (kind === 'shell' && v.startsWith('+'))) && v !== '-') {
      if (VALUE_OPTIONS.test(v)) i++;
      continue;
    }
    return word;
  }
  return undefined;
}

/** The interpreter reads the program it runs from standard input (`| sh`, `| sudo bash -s -- --yes`, `| python3 -`, `| iex`). */
export function readsProgramFromStdin(cmd: ResolvedCommand): boolean {
  const kind = interpreterKind(cmd.name);
  if (!kind) return false;
  if (kind === 'invoke-expression') return cmd.args.length === 0;
  if (kind === 'source') return STDIN_PATHS.has(cmd.args[0]?.value ?? '') && cmd.args[0]?.value !== '-';
  const inline = inlineProgram(cmd);
  if (inline) return kind === 'powershell' && inline.value === '-';
  if (kind === 'su') return true;
  if (kind === 'shell' && cmd.args.some((a) => /^-[a-zA-Z]*s[a-zA-Z]*$/.test(a.value))) return true;
  const script = scriptOperand(cmd);
  return !script || STDIN_PATHS.has(script.value);
}

const DOWNLOADERS = new Set(['curl', 'wget', 'wget2', 'fetch', 'http', 'https', 'xh', 'xhs', 'curlie', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'lwp-request', 'lwp-download', 'aria2c']);

/** Code that downloads: an inline program using a client library, or PowerShell's web client. */
const DOWNLOAD_CODE = /urllib|urlopen|urlretrieve|requests\s*\.\s*get|http\.client|httpx\s*\.\s*get|LWP::|HTTP::Tiny|\bgetprint\b|\bgetstore\b|open-uri|Net::HTTP|\bhttps?\s*\.\s*get\s*\(|\bfetch\s*\(|file_get_contents\s*\(\s*['"]?(?:https?|ftp):|DownloadString|DownloadFile|DownloadData|Net\.WebClient|Invoke-WebRequest|Invoke-RestMethod|Start-BitsTransfer|\b(?:iwr|irm)\b/i;
const DOWNLOAD_MODULE = /^-(?:M|m)(?:LWP|HTTP::Tiny|urllib)|^-r(?:open-uri|net\/http)/;

/** The stage fetches something from the network and writes it out (or, in PowerShell, returns it). */
export function isDownload(stage: Stage, cmd: ResolvedCommand | undefined): boolean {
  if (cmd) {
    if (DOWNLOADERS.has(cmd.name)) return true;
    if (cmd.name === 'lynx' && cmd.args.some((a) => /^-(?:source|dump)$/.test(a.value))) return true;
    const inline = inlineProgram(cmd);
    if (inline && DOWNLOAD_CODE.test(inline.value)) return true;
    if (interpreterKind(cmd.name) === 'script' && cmd.args.some((a) => DOWNLOAD_MODULE.test(a.value))) return true;
  }
  // PowerShell: `(New-Object Net.WebClient).DownloadString('…')` reads as words and groups.
  return stage.words.some((w) => /DownloadString|DownloadFile|DownloadData|Net\.WebClient|Invoke-WebRequest|Invoke-RestMethod/i.test(w.value));
}

/** Options of `docker exec`/`run` and their kin that take a value, so the container or image is found after them. */
const CONTAINER_VALUE_OPTIONS = /^(?:-[euwvpl]|-h|--env|--user|--workdir|--env-file|--detach-keys|--name|--volume|--publish|--label|--mount|--network|--net|--entrypoint|--hostname|--platform|--pull|--restart|--cpus|--memory|-m|--add-host|--device|--dns|--cap-add|--cap-drop|--security-opt|--tmpfs|--ulimit|--log-driver|--log-opt|--runtime|--pid|--ipc|--userns|--gpus|--shm-size|--stop-signal|--health-cmd|--init-path|--cidfile|--group-add)$/;
const SSH_VALUE_OPTIONS = /^-[BbcDEeFIiJLlmOopQRSWw]$/;

/**
 * The command another host or container runs for this one: `kubectl exec -i pod -- sh`,
 * `docker exec -i ctr bash -s`, `ssh host 'sh -c …'` (a lone quoted command is returned as its word).
 */
export function remoteCommand(cmd: ResolvedCommand): ResolvedCommand | undefined {
  const args = cmd.args;
  if ((cmd.name === 'kubectl' || cmd.name === 'oc') && args.some((a) => a.value === 'exec')) {
    const dashes = args.findIndex((a) => a.value === '--');
    return dashes === -1 ? undefined : resolveCommand(args.slice(dashes + 1));
  }
  if (cmd.name === 'docker' || cmd.name === 'podman' || cmd.name === 'nerdctl') {
    let i = args.findIndex((a) => a.value === 'exec' || a.value === 'run');
    if (i === -1) return undefined;
    for (i++; i < args.length && args[i]!.value.startsWith('-'); i++) if (CONTAINER_VALUE_OPTIONS.test(args[i]!.value) && !args[i]!.value.includes('=')) i++;
    return resolveCommand(args.slice(i + 1));
  }
  if (cmd.name === 'ssh') {
    let i = 0;
    while (i < args.length && args[i]!.value.startsWith('-')) i += SSH_VALUE_OPTIONS.test(args[i]!.value) ? 2 : 1;
    return resolveCommand(args.slice(i + 1));
  }
  return undefined;
}
