/** Small shared helpers for the benchmarks: order statistics, rounding, the machine they ran on. */
import * as os from 'node:os';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
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
  /** 1-minute load average when the figures were taken: other work on the machine skews them. */
  loadAverage: number;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, totalMemoryGB: round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: round(os.loadavg()[0]!, 2) };
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
