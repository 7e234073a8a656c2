/**
 * Runs the built CLI or language server (`dist/cli.js`, `dist/server.js`) in a child process that
 * is killed when it takes too long or holds too much memory, so a test of a file that could hang
 * (a FIFO) or read forever (/dev/zero) fails instead of hanging CI or filling the machine's memory.
 * The bundles start in a fraction of the time the sources take through tsx; `npm test` builds them
 * first, and a test run without them builds them once.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '../..');

/** `dist/<name>.js`, built (scripts/build.mjs) when it is not there. */
export function built(name: 'cli' | 'server'): string {
  const file = path.join(ROOT, 'dist', `${name}.js`);
  if (!existsSync(file)) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  return file;
}

/** How a guarded child ended when it was stopped from outside. */
type Killed = 'time' | 'memory';

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

/** Starts `node script args…` under the guard. */
export function startGuarded(script: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; nodeFlags?: readonly string[] }): GuardedChild {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
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
  const guarded = startGuarded(built('cli'), argv, { cwd, env, timeoutMs });
  guarded.child.stdin!.end();
  let stdout = '';
  let stderr = '';
  guarded.child.stdout!.setEncoding('utf8').on('data', (t: string) => { stdout += t; });
  guarded.child.stderr!.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  const { code } = await guarded.exited;
  return { code, stdout, stderr, killed: guarded.killed() };
}
