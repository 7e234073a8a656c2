/**
 * Runs the CLI or the language server from source in a child process that is killed when it
 * takes too long or holds too much memory, so a test of a file that could hang (a FIFO) or read
 * forever (/dev/zero) fails instead of hanging CI or filling the machine's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.join(__dirname, '../..');
export const CLI_MAIN = path.join(ROOT, 'server/src/cli/main.ts');
export const SERVER_MAIN = path.join(ROOT, 'server/src/lsp/main.ts');
/** tsx as an absolute URL, so the child may run in any folder. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** How a guarded child ended when it was stopped from outside. */
export type Killed = 'time' | 'memory';

/** Far above what a check of a few small files needs; far below what reading /dev/zero reaches. */
const MAX_RSS_BYTES = 1024 * 1024 * 1024;

export interface GuardedChild {
  child: ChildProcess;
  /** Set when the guard killed the child. */
  killed(): Killed | undefined;
  /** Resolves when the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): void;
}

/** Resident memory of a process (Linux), or undefined where it cannot be read. */
function residentBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `node --import tsx script args…` under the guard. */
export function startGuarded(script: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): GuardedChild {
  const child = spawn(process.execPath, ['--import', TSX, script, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let killed: Killed | undefined;
  const kill = (why: Killed): void => {
    killed ??= why;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('time'), options.timeoutMs);
  const memory = setInterval(() => {
    const rss = child.pid === undefined ? undefined : residentBytes(child.pid);
    if (rss !== undefined && rss > MAX_RSS_BYTES) kill('memory');
  }, 100);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(memory);
      resolve({ code, signal });
    });
  });
  return { child, killed: () => killed, exited, stop: () => child.kill('SIGKILL') };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: Killed | undefined;
}

/** `playbook argv…` in `cwd`, in a child process, stopped after `timeoutMs`. */
export async function runCliGuarded(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 15_000): Promise<CliRun> {
  const guarded = startGuarded(CLI_MAIN, argv, { cwd, env, timeoutMs });
  guarded.child.stdin!.end();
  let stdout = '';
  let stderr = '';
  guarded.child.stdout!.setEncoding('utf8').on('data', (t: string) => { stdout += t; });
  guarded.child.stderr!.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  const { code } = await guarded.exited;
  return { code, stdout, stderr, killed: guarded.killed() };
}
