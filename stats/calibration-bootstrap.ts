/**
 * Bootstrap bias-corrected (optimism-corrected) calibration curve of a logistic model, as
 * rms::calibrate(fit, method = "boot", B) computes it for an lrm fit (rms calibrate.default with
 * predab.resample, Harrell, Regression Modeling Strategies 2nd ed. §5.3):
 *
 *  - grid: predy = seq(p[5], p[n - 4], length = 50) over the sorted apparent probabilities p;
 *  - measure: lowess(prob, y, iter = 0) read at predy by approx(ties = first, rule = 1), minus
 *    predy (NA outside the range of prob);
 *  - each replicate refits the model on a bootstrap resample and evaluates the measure on the
 *    resample (training) and on the original rows (test) with the refitted coefficients;
 *  - optimism = mean(training - test) over the replicates where both exist at a grid point,
 *    calibrated.corrected = calibrated.orig - optimism.
 *
 * Models are fitted by a lean Newton–Raphson (IRLS) on typed arrays, which reaches the same
 * maximum-likelihood estimate as lrm.fit; a replicate whose fit fails (singular information,
 * no convergence, single-class resample) is skipped as predab.resample skips it.
 */
import { RadnomoError } from '../src/errors';
import { Random } from '../src/random';
import { bootstrapIndices } from './bootstrap';
import { quantileType7 } from './hosmer-lemeshow';

/** Options of calibrateBoot. */
export interface CalibrateBootOptions {
  /** Bootstrap replicates (default 200; rms's own default is 40). */
  B?: number;
  /** Seed of radnomo's generator when `random` is not given (default 1). */
  seed?: number;
  /** Seeded generator for the resamples. */
  random?: Random;
  /** Explicit resamples (0-based row indices, one array of n per replicate); overrides B and the generator. */
  indices?: ReadonlyArray<ArrayLike<number>>;
  /** Grid of predicted probabilities (default rms's seq(p[5], p[n-4], length = 50)). */
  predy?: ArrayLike<number>;
  /** Column names, for error messages. */
  names?: readonly string[];
}

/** rms::calibrate's matrix (columns camel-cased) plus print.calibrate's error summary. */
export interface CalibrateBootResult {
  /** Replicates asked for, and how many fitted successfully. */
  B: number;
  successes: number;
  n: number;
  /** Apparent predicted probabilities of the original fit (attr(, "predicted")). */
  predicted: Float64Array;
  /** Coefficients of the original fit, intercept first. */
  coefficients: Float64Array;
  predy: Float64Array;
  calibratedOrig: Float64Array;
  calibratedCorrected: Float64Array;
  indexOrig: Float64Array;
  training: Float64Array;
  test: Float64Array;
  optimism: Float64Array;
  indexCorrected: Float64Array;
  /** Replicates contributing at each grid point (the "n" column). */
  nUsed: Int32Array;
  /** print.calibrate: error = predicted - approx(predy, calibrated.corrected, xout = predicted); NA dropped. */
  meanAbsError: number;
  meanSquaredError: number;
  q90AbsError: number;
  warnings: string[];
}

/** Column-major design with the intercept column first. */
interface Design {
  n: number;
  p: number;
  cols: Float64Array[];
}

/** Work buffers reused across replicates. */
interface Work {
  eta: Float64Array;
  info: Float64Array;
  score: Float64Array;
  step: Float64Array;
}

/**
 * Maximum-likelihood logistic fit on the rows `idx` of the design by Newton–Raphson (identical
 * to glm's IRLS for the canonical link). Returns null when the fit fails.
 */
function fitRows(d: Design, y: Float64Array, idx: Int32Array, w: Work): Float64Array | null {
  const { p, cols } = d;
  const m = idx.length;
  const beta = new Float64Array(p);
  // start from the logit of the mean, as glm's mustart gives nearly
  let ys = 0;
  for (let i = 0; i < m; i++) ys += y[idx[i]!]!;
  if (ys === 0 || ys === m) return null;
  beta[0] = Math.log(ys / (m - ys));
  let devOld = Infinity;
  for (let iter = 0; iter < 30; iter++) {
    w.info.fill(0);
    w.score.fill(0);
    let dev = 0;
    for (let i = 0; i < m; i++) {
      const r = idx[i]!;
      let e = 0;
      for (let j = 0; j < p; j++) e += cols[j]![r]! * beta[j]!;
      const mu = 1 / (1 + Math.exp(-e));
      const yi = y[r]!;
      dev -= 2 * (yi === 1 ? Math.log(mu) : Math.log1p(-mu));
      const wt = mu * (1 - mu);
      const res = yi - mu;
      for (let a = 0; a < p; a++) {
        const xa = cols[a]![r]!;
        w.score[a]! += xa * res;
        const wx = wt * xa;
        for (let b = 0; b <= a; b++) w.info[a * p + b]! += wx * cols[b]![r]!;
      }
    }
    if (!Number.isFinite(dev)) return null;
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-12) return beta;
    devOld = dev;
    if (!choleskySolve(w.info, w.score, w.step, p)) return null;
    for (let j = 0; j < p; j++) beta[j]! += w.step[j]!;
  }
  return null;
}

/** Solves A x = b for symmetric positive definite A (lower triangle used, overwritten). */
function choleskySolve(A: Float64Array, b: Float64Array, x: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let s = A[j * p + j]!;
    for (let k = 0; k < j; k++) s -= A[j * p + k]! * A[j * p + k]!;
    if (!(s > 1e-13 * Math.max(1, Math.abs(A[j * p + j]!)))) return false;
    const l = Math.sqrt(s);
    A[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let t = A[i * p + j]!;
      for (let k = 0; k < j; k++) t -= A[i * p + k]! * A[j * p + k]!;
      A[i * p + j] = t / l;
    }
  }
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= A[i * p + k]! * x[k]!;
    x[i] = s / A[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < p; k++) s -= A[k * p + i]! * x[k]!;
    x[i] = s / A[i * p + i]!;
  }
  return true;
}

/**
 * R's approx(x, y, xout, ties = function(v) v[1], rule = 1) for x sorted ascending: tied x keep
 * their first y; NaN outside [min x, max x].
 */
export function approxTiesFirst(xs: ArrayLike<number>, ys: ArrayLike<number>, xout: ArrayLike<number>, out: Float64Array = new Float64Array(xout.length)): Float64Array {
  const ux: number[] = [];
  const uy: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (ux.length > 0 && xs[i] === ux[ux.length - 1]) continue;
    ux.push(xs[i]!);
    uy.push(ys[i]!);
  }
  const m = ux.length;
  for (let k = 0; k < xout.length; k++) {
    const v = xout[k]!;
    if (!(v >= ux[0]! && v <= ux[m - 1]!)) {
      out[k] = NaN;
      continue;
    }
    // largest i with ux[i] <= v
    let lo = 0;
    let hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ux[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    if (v === ux[lo] || lo === m - 1) out[k] = uy[lo]!;
    else out[k] = uy[lo]! + (uy[lo + 1]! - uy[lo]!) * ((v - ux[lo]!) / (ux[lo + 1]! - ux[lo]!));
  }
  return out;
}

/** Buffers of the lean lowess. */
interface SmoothWork {
  order: Int32Array;
  x: Float64Array;
  y: Float64Array;
  fit: Float64Array;
}

function smoothWork(n: number): SmoothWork {
  return { order: new Int32Array(n), x: new Float64Array(n), y: new Float64Array(n), fit: new Float64Array(n) };
}

/**
 * R's lowess(x, y, f = 2/3, iter = 0) (clowess, the same algorithm as stats/calibration.ts's
 * `lowess`, which the tests compare it with) in one pass over preallocated buffers: the
 * bootstrap calls it twice per replicate, so it avoids all allocation. Sorts stably by x.
 */
export function lowessIter0(xIn: ArrayLike<number>, yIn: ArrayLike<number>, w: SmoothWork = smoothWork(xIn.length)): { x: Float64Array; y: Float64Array } {
  const n = xIn.length;
  // stable sort by x (as R's order()): native numeric sort of the values, then each row, in
  // index order, takes the next free slot of its tie group
  const x = w.x.subarray(0, n);
  const y = w.y.subarray(0, n);
  const ys = w.fit.subarray(0, n);
  const cursor = w.order.subarray(0, n);
  for (let i = 0; i < n; i++) x[i] = xIn[i]!;
  x.sort();
  cursor.fill(-1);
  for (let i = 0; i < n; i++) {
    const v = xIn[i]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const slot = cursor[lo]! < 0 ? lo : cursor[lo]!;
    cursor[lo] = slot + 1;
    y[slot] = yIn[i]!;
  }
  if (n < 2) {
    ys[0] = y[0]!;
    return { x, y: ys };
  }
  const range = x[n - 1]! - x[0]!;
  const delta = 0.01 * range;
  const ns = Math.max(2, Math.min(n, Math.trunc((2 / 3) * n + 1e-7)));
  // 0-based: window [nl, nr], current point i, last fitted point `last` (-1 = none)
  let nl = 0;
  let nr = ns - 1;
  let last = -1;
  let i = 0;
  for (;;) {
    if (nr < n - 1) {
      if (x[i]! - x[nl]! > x[nr + 1]! - x[i]!) {
        nl++;
        nr++;
        continue;
      }
    }
    // local weighted linear fit at xs = x[i] (clowess `lowest`)
    const xs = x[i]!;
    const h = Math.max(xs - x[nl]!, x[nr]! - xs);
    const h9 = 0.999 * h;
    const h1 = 0.001 * h;
    let a = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let j = nl;
    for (; j < n; j++) {
      const xj = x[j]!;
      const r = Math.abs(xj - xs);
      if (r <= h9) {
        let wj: number;
        if (r <= h1) wj = 1;
        else {
          const q = r / h;
          const c = 1 - q * q * q;
          wj = c * c * c;
        }
        // centred at xs to keep the moment sums well conditioned
        const dx = xj - xs;
        const wy = wj * y[j]!;
        a += wj;
        sx += wj * dx;
        sy += wy;
        sxx += wj * dx * dx;
        sxy += wy * dx;
      } else if (xj > xs) break;
    }
    let fit: number;
    if (a <= 0) fit = y[i]!;
    else {
      const mdx = sx / a;
      const my = sy / a;
      fit = my;
      if (h > 0) {
        // weighted variance of x and covariance of x with y (weights normalised to 1)
        const c = sxx / a - mdx * mdx;
        const cxy = sxy / a - mdx * my;
        if (Math.sqrt(c) > 0.001 * range) fit = my + ((0 - mdx) / c) * cxy;
      }
    }
    ys[i] = fit;
    if (last < i - 1) {
      const denom = x[i]! - x[last]!;
      for (let k = last + 1; k < i; k++) {
        const alpha = (x[k]! - x[last]!) / denom;
        ys[k] = alpha * ys[i]! + (1 - alpha) * ys[last]!;
      }
    }
    last = i;
    const cut = x[last]! + delta;
    for (i = last + 1; i < n; i++) {
      if (x[i]! > cut) break;
      if (x[i] === x[last]) {
        ys[i] = ys[last]!;
        last = i;
      }
    }
    i = Math.max(last + 1, i - 1);
    if (last >= n - 1) break;
  }
  return { x, y: ys };
}

/** calibrate's cal.error: lowess(prob, y, iter = 0) at predy by approx (ties first), minus predy. */
function calError(prob: Float64Array, y: Float64Array, predy: Float64Array, out: Float64Array, w: SmoothWork): Float64Array {
  const s = lowessIter0(prob, y, w);
  approxTiesFirst(s.x, s.y, predy, out);
  for (let k = 0; k < predy.length; k++) out[k]! -= predy[k]!;
  return out;
}

/**
 * Optimism-corrected calibration curve by the bootstrap; matches rms::calibrate(lrm(y ~ X, x = TRUE,
 * y = TRUE), method = "boot", B) (see the file comment). `rows` are the predictor values (no
 * intercept column), `y` the 0/1 outcome.
 */
export function calibrateBoot(rows: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, opts: CalibrateBootOptions = {}): CalibrateBootResult {
  const n = y.length;
  if (rows.length !== n) throw new RadnomoError('E_DATA', `calibrate: ${rows.length} predictor rows but ${n} outcome values.`);
  if (n < 11 && opts.predy === undefined) throw new RadnomoError('E_DATA', `calibrate: needs more than 10 rows to build the default grid (rms's rule), got ${n}.`);
  const k = n > 0 ? rows[0]!.length : 0;
  const names = opts.names ?? Array.from({ length: k }, (_, j) => `x${j + 1}`);
  const p = k + 1;
  const cols: Float64Array[] = [new Float64Array(n).fill(1)];
  for (let j = 0; j < k; j++) cols.push(new Float64Array(n));
  const yy = new Float64Array(n);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw new RadnomoError('E_VALUE', `calibrate: outcome at row ${i + 1} is ${v}; it must be 0/1.`);
    yy[i] = v;
    n1 += v;
    const r = rows[i]!;
    if (r.length !== k) throw new RadnomoError('E_DATA', `calibrate: row ${i + 1} has ${r.length} values, expected ${k}.`);
    for (let j = 0; j < k; j++) {
      const x = r[j]!;
      if (!Number.isFinite(x)) throw new RadnomoError('E_VALUE', `calibrate: predictor "${names[j]}" at row ${i + 1} is ${x}; drop or impute missing values first.`);
      cols[j + 1]![i] = x;
    }
  }
  if (n1 === 0 || n1 === n) throw new RadnomoError('E_DATA', `calibrate: the outcome has a single class in all ${n} rows.`);
  const d: Design = { n, p, cols };
  const work: Work = { eta: new Float64Array(n), info: new Float64Array(p * p), score: new Float64Array(p), step: new Float64Array(p) };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const beta0 = fitRows(d, yy, all, work);
  if (!beta0) throw new RadnomoError('E_DATA', `calibrate: the logistic model on ${names.map((s) => `"${s}"`).join(', ')} could not be fitted (separation or collinear predictors).`);
  const probAt = (beta: Float64Array, idx: Int32Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i]!;
      let e = 0;
      for (let j = 0; j < p; j++) e += cols[j]![r]! * beta[j]!;
      out[i] = 1 / (1 + Math.exp(-e));
    }
    return out;
  };
  const predicted = probAt(beta0, all, new Float64Array(n));
  let predy: Float64Array;
  if (opts.predy !== undefined) predy = Float64Array.from(opts.predy);
  else {
    const s = Float64Array.from(predicted).sort();
    const lo = s[4]!;
    const hi = s[n - 5]!;
    predy = new Float64Array(50);
    // seq(lo, hi, length = 50): ends exact, inner lo + i * by
    const by = (hi - lo) / 49;
    for (let i = 0; i < 50; i++) predy[i] = i === 0 ? lo : i === 49 ? hi : lo + i * by;
  }
  const G = predy.length;
  const sw = smoothWork(n);
  const indexOrig = calError(predicted, yy, predy, new Float64Array(G), sw);
  const calibratedOrig = Float64Array.from(indexOrig, (v, g) => v + predy[g]!);

  const explicit = opts.indices;
  const B = explicit ? explicit.length : (opts.B ?? 200);
  if (!(Number.isInteger(B) && B >= 1)) throw new RadnomoError('E_PARAMS', `calibrate: B must be a positive integer, got ${B}.`);
  const rng = opts.random ?? new Random(opts.seed ?? 1);
  const trainSum = new Float64Array(G);
  const testSum = new Float64Array(G);
  const num = new Int32Array(G);
  const idx = new Int32Array(n);
  const probTrain = new Float64Array(n);
  const probTest = new Float64Array(n);
  const yTrain = new Float64Array(n);
  const tr = new Float64Array(G);
  const te = new Float64Array(G);
  let successes = 0;
  for (let b = 0; b < B; b++) {
    if (explicit) {
      const e = explicit[b]!;
      if (e.length !== n) throw new RadnomoError('E_PARAMS', `calibrate: resample ${b + 1} has ${e.length} indices, expected ${n}.`);
      for (let i = 0; i < n; i++) {
        const v = e[i]!;
        if (!(Number.isInteger(v) && v >= 0 && v < n)) throw new RadnomoError('E_PARAMS', `calibrate: resample ${b + 1} has index ${v}, outside 0..${n - 1}.`);
        idx[i] = v;
      }
    } else bootstrapIndices(n, rng, undefined, idx);
    const beta = fitRows(d, yy, idx, work);
    if (!beta) continue;
    successes++;
    probAt(beta, idx, probTrain);
    for (let i = 0; i < n; i++) yTrain[i] = yy[idx[i]!]!;
    probAt(beta, all, probTest);
    calError(probTrain, yTrain, predy, tr, sw);
    calError(probTest, yy, predy, te, sw);
    for (let g = 0; g < G; g++) {
      const a = tr[g]!;
      const c = te[g]!;
      if (Number.isNaN(a + c)) continue;
      trainSum[g]! += a;
      testSum[g]! += c;
      num[g]!++;
    }
  }
  const warnings: string[] = [];
  if (successes < B) warnings.push(`Divergence or singularity in ${B - successes} of ${B} bootstrap samples (skipped, as rms does).`);
  const training = Float64Array.from(trainSum, (s, g) => s / num[g]!);
  const test = Float64Array.from(testSum, (s, g) => s / num[g]!);
  const optimism = Float64Array.from(training, (t, g) => t - test[g]!);
  const indexCorrected = Float64Array.from(indexOrig, (v, g) => v - optimism[g]!);
  const calibratedCorrected = Float64Array.from(calibratedOrig, (v, g) => v - optimism[g]!);

  // print.calibrate: error at each apparent prediction, NA outside the grid dropped
  const sx: number[] = [];
  const sy: number[] = [];
  for (let g = 0; g < G; g++) {
    if (Number.isNaN(predy[g]! + calibratedCorrected[g]!)) continue;
    sx.push(predy[g]!);
    sy.push(calibratedCorrected[g]!);
  }
  let meanAbsError = NaN;
  let meanSquaredError = NaN;
  let q90AbsError = NaN;
  if (sx.length > 0) {
    const order = sx.map((_, i) => i).sort((a, c) => sx[a]! - sx[c]!);
    const at = approxTiesFirst(order.map((i) => sx[i]!), order.map((i) => sy[i]!), predicted);
    const abs: number[] = [];
    let se = 0;
    for (let i = 0; i < n; i++) {
      const e = predicted[i]! - at[i]!;
      if (Number.isNaN(e)) continue;
      abs.push(Math.abs(e));
      se += e * e;
    }
    if (abs.length > 0) {
      meanAbsError = abs.reduce((s, v) => s + v, 0) / abs.length;
      meanSquaredError = se / abs.length;
      q90AbsError = quantileType7(Float64Array.from(abs).sort(), [0.9])[0]!;
    }
  }
  return {
    B,
    successes,
    n,
    predicted,
    coefficients: beta0,
    predy,
    calibratedOrig,
    calibratedCorrected,
    indexOrig,
    training,
    test,
    optimism,
    indexCorrected,
    nUsed: num,
    meanAbsError,
    meanSquaredError,
    q90AbsError,
    warnings,
  };
}
