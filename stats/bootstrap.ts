/**
 * Seeded (stratified) bootstrap: resample indices drawn with radnomo's `Random`, and percentile
 * confidence intervals with R's `quantile(type = 7)`, as pROC's bootstrap CIs use them.
 */
import { RadnomoError } from '../src/errors';
import type { Random } from '../src/random';

/**
 * Sample quantiles of `values` at `probs`, R's default `quantile(x, probs, type = 7)`:
 * index = 1 + (n - 1) p, linear interpolation (1 - h) x[lo] + h x[hi] between order statistics.
 * NaN values are an error (R stops too unless na.rm).
 */
export function quantile7(values: ArrayLike<number>, probs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) throw new RadnomoError('E_DATA', 'quantile of an empty set of values is undefined.');
  const x = Float64Array.from(values);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(x[i]!)) throw new RadnomoError('E_VALUE', `quantile: value ${i + 1} is NaN.`);
  }
  x.sort();
  return probs.map((p0) => {
    if (!(p0 >= -100 * Number.EPSILON && p0 <= 1 + 100 * Number.EPSILON)) {
      throw new RadnomoError('E_VALUE', `quantile: probability ${p0} is outside [0, 1].`);
    }
    const p = Math.max(0, Math.min(1, p0));
    const index = 1 + Math.max(n - 1, 0) * p; // 1-based, as R
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const qlo = x[lo - 1]!;
    const qhi = x[hi - 1]!;
    if (index > lo && qhi !== qlo) {
      const h = index - lo;
      return (1 - h) * qlo + h * qhi;
    }
    return qlo;
  });
}

/** A percentile bootstrap interval: the lower and upper quantiles and the median of the replicates. */
export interface PercentileCi {
  lower: number;
  median: number;
  upper: number;
  confLevel: number;
}

/**
 * Percentile CI of bootstrap replicates exactly as pROC's `ci.auc(method = "bootstrap")` makes it:
 * `quantile(reps, c((1 - conf)/2, 0.5, 1 - (1 - conf)/2))` with R's default type 7.
 */
export function percentileCi(replicates: ArrayLike<number>, confLevel = 0.95): PercentileCi {
  if (!(confLevel > 0 && confLevel < 1)) {
    throw new RadnomoError('E_PARAMS', `conf.level must be between 0 and 1, got ${confLevel}.`);
  }
  const a = (1 - confLevel) / 2;
  const [lower, median, upper] = quantile7(replicates, [0 + a, 0.5, 1 - a]) as [number, number, number];
  return { lower, median, upper, confLevel };
}

/**
 * Groups rows by stratum code (any numbers; NaN is an error). Returns the members of each
 * stratum in row order and, for each row, the number of its stratum (strata numbered by first
 * appearance).
 */
export function strataMembers(strata: ArrayLike<number>): { members: Int32Array[]; of: Int32Array } {
  const codes = new Map<number, number>();
  const of = new Int32Array(strata.length);
  const counts: number[] = [];
  for (let i = 0; i < strata.length; i++) {
    const s = strata[i]!;
    if (Number.isNaN(s)) throw new RadnomoError('E_VALUE', `bootstrap: stratum of row ${i + 1} is NaN.`);
    let k = codes.get(s);
    if (k === undefined) {
      k = counts.length;
      codes.set(s, k);
      counts.push(0);
    }
    of[i] = k;
    counts[k]!++;
  }
  const members = counts.map((c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < of.length; i++) {
    const k = of[i]!;
    members[k]![fill[k]!++] = i;
  }
  return { members, of };
}

/**
 * One bootstrap resample of rows 0..n-1, drawn with replacement with `rng`.
 * Without strata: n uniform draws from all rows. With strata (one code per row): row i's slot is
 * filled with a uniform draw from the rows of i's stratum, so every stratum keeps its size and the
 * strata stay where they were (e.g. `outcome[idx[i]] === outcome[i]`) — the stratified bootstrap
 * of pROC's `boot.stratified = TRUE`. Draws are made in row order; the same seed gives the same
 * indices. `out` may be passed to avoid allocation.
 *
 * Draws use `rng.nextUint32()`: for groups of at most 65536 rows each 32-bit output gives two
 * 16-bit halves (high half first), each mapped onto 0..k-1 by Lemire's multiply-and-shift with
 * rejection (Lemire, ACM TOMACS 2019), which is exactly uniform; larger groups take one 32-bit
 * output per draw with the same method.
 */
export function bootstrapIndices(
  n: number,
  rng: Random,
  strata?: ArrayLike<number> | { members: Int32Array[]; of: Int32Array },
  out?: Int32Array,
): Int32Array {
  if (!(Number.isInteger(n) && n >= 1)) throw new RadnomoError('E_DATA', `bootstrap needs at least one row, got ${n}.`);
  const idx = out && out.length === n ? out : new Int32Array(n);
  const s = strata === undefined ? undefined : 'members' in strata ? strata : strataMembers(strata);
  if (s !== undefined && s.of.length !== n) {
    throw new RadnomoError('E_DATA', `bootstrap: ${s.of.length} strata codes for ${n} rows.`);
  }
  const sizes = s === undefined ? [n] : s.members.map((m) => m.length);
  if (sizes.every((k) => k <= 65536)) {
    let spare = -1; // unused low half of the last 32-bit output
    for (let i = 0; i < n; i++) {
      const k = s === undefined ? n : sizes[s.of[i]!]!;
      const t = 65536 % k; // Lemire's rejection threshold for 16-bit inputs
      let r: number;
      for (;;) {
        let h: number;
        if (spare >= 0) {
          h = spare;
          spare = -1;
        } else {
          const u = rng.nextUint32();
          h = u >>> 16;
          spare = u & 0xffff;
        }
        const x = h * k; // < 2^32
        if ((x & 0xffff) >= t) {
          r = x >>> 16;
          break;
        }
      }
      idx[i] = s === undefined ? r : s.members[s.of[i]!]![r]!;
    }
    return idx;
  }
  for (let i = 0; i < n; i++) {
    const k = s === undefined ? n : sizes[s.of[i]!]!;
    const r = k < 2097152 ? lemire32(rng, k) : rng.int(k);
    idx[i] = s === undefined ? r : s.members[s.of[i]!]![r]!;
  }
  return idx;
}

/** Uniform integer in 0..k-1 (k < 2^21, so u·k is exact) from 32-bit outputs, Lemire's method. */
function lemire32(rng: Random, k: number): number {
  const t = 4294967296 % k;
  for (;;) {
    const x = rng.nextUint32() * k;
    const lo = x % 4294967296;
    if (lo >= t) return Math.floor(x / 4294967296);
  }
}

/** Replicates of a statistic, and how many were dropped for being NaN (pROC drops NA replicates with a warning). */
export interface BootstrapReplicates {
  values: Float64Array;
  dropped: number;
}

/**
 * Runs `statistic` on `reps` seeded (optionally stratified) bootstrap resamples of n rows. The
 * index array passed to `statistic` is reused between calls; copy it to keep it. NaN replicates
 * are dropped and counted, as pROC's `ci.auc` does with NA ones.
 */
export function bootstrapReplicates(
  n: number,
  reps: number,
  rng: Random,
  statistic: (idx: Int32Array) => number,
  strata?: ArrayLike<number>,
): BootstrapReplicates {
  if (!(Number.isInteger(reps) && reps >= 1)) {
    throw new RadnomoError('E_PARAMS', `the number of bootstrap replicates must be a positive integer, got ${reps}.`);
  }
  const s = strata === undefined ? undefined : strataMembers(strata);
  const idx = new Int32Array(n);
  const vals = new Float64Array(reps);
  let k = 0;
  for (let r = 0; r < reps; r++) {
    bootstrapIndices(n, rng, s, idx);
    const v = statistic(idx);
    if (!Number.isNaN(v)) vals[k++] = v;
  }
  return { values: vals.slice(0, k), dropped: reps - k };
}
