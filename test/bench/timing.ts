/** Benchmark support: medians of repeated timings, and peak memory. */

export interface BenchResult {
  name: string;
  /** Median milliseconds of radnomo's runs. */
  ms: number;
  /** Median milliseconds of the reference (R, ITK...) on the same input in the same run, when present. */
  refMs?: number;
  /** Free-form extra figures (voxels/s, peak MB...). */
  note?: string;
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns the median ms. */
export async function timeMedian(fn: () => unknown, runs = 7, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(t);
}

/** Resident set size in MB now. */
export function rssMb(): number {
  return process.memoryUsage().rss / 1048576;
}
