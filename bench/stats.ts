/** Small shared helpers for the benchmarks: order statistics, rounding, the machine they ran on. */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/** The middle value; of an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 1): number => +value.toFixed(digits);

export interface Machine {
  cpu: string;
  cores: number;
  totalMemoryGB: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, totalMemoryGB: round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/** Runs `fn` `runs` times and returns the median wall time in ms. */
export function timeSync(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/**
 * How many cores other processes keep busy right now (Linux /proc/stat over `sampleMs`, while this
 * process sleeps); unlike the load average, it does not lag behind work that just ended.
 */
export async function busyCores(sampleMs = 1000): Promise<number | undefined> {
  const read = (): number[] | undefined => {
    try {
      return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    } catch {
      return undefined;
    }
  };
  const before = read();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = read();
  if (!before || !after) return undefined;
  const delta = after.map((v, i) => v - before[i]!);
  const total = delta.reduce((a, b) => a + b, 0);
  const idle = delta[3]! + (delta[4] ?? 0); // idle + iowait
  return total > 0 ? round(((total - idle) / total) * os.cpus().length, 2) : undefined;
}
