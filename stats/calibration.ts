/**
 * Calibration of predicted probabilities as rms::val.prob: logistic recalibration intercept and
 * slope, Brier score, Emax / E90 / Eavg from the lowess-smoothed curve, Spiegelhalter's z test,
 * C index, Dxy, Nagelkerke R2, discrimination / unreliability / quality indexes (D, U, Q); plus the
 * grouped calibration curve (Hmisc::cut2 quantile groups with Wilson 95% CIs as Hmisc::binconf)
 * and the smoothed curve from stats::lowess (a port of R's clowess).
 */
import { RadnomoError } from '../src/errors';
import { pchisq, pnorm, qnorm } from './distributions';
import { accurateSum, quantileType7 } from './hosmer-lemeshow';
import { binnedConcordance, concordance, LogisticModel } from './logistic';

/** Options of R's lowess(x, y, f, iter, delta). */
export interface LowessOptions {
  /** Smoother span (default 2/3). */
  f?: number;
  /** Robustifying iterations (default 3; val.prob uses 0). */
  iter?: number;
  /** Points closer than delta share interpolated fits (default 0.01 * diff(range(x))). */
  delta?: number;
}

/** One local weighted linear fit at xs (R's `lowest`); returns NaN when all weights are zero. */
function lowest(x: Float64Array, y: Float64Array, n: number, xs: number, nleft: number, nright: number, w: Float64Array, userw: boolean, rw: Float64Array): number {
  // 0-based port: nleft, nright are 0-based inclusive indices.
  const range = x[n - 1]! - x[0]!;
  const h = Math.max(xs - x[nleft]!, x[nright]! - xs);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  let j = nleft;
  while (j < n) {
    w[j] = 0;
    const r = Math.abs(x[j]! - xs);
    if (r <= h9) {
      if (r <= h1) w[j] = 1;
      else {
        const q = r / h;
        const c = 1 - q * q * q;
        w[j] = c * c * c;
      }
      if (userw) w[j]! *= rw[j]!;
      a += w[j]!;
    } else if (x[j]! > xs) break;
    j++;
  }
  const nrt = j - 1;
  if (a <= 0) return NaN;
  for (j = nleft; j <= nrt; j++) w[j]! /= a;
  if (h > 0) {
    a = 0;
    for (j = nleft; j <= nrt; j++) a += w[j]! * x[j]!;
    let b = xs - a;
    let c = 0;
    for (j = nleft; j <= nrt; j++) c += w[j]! * (x[j]! - a) * (x[j]! - a);
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (j = nleft; j <= nrt; j++) w[j]! *= b * (x[j]! - a) + 1;
    }
  }
  let ys = 0;
  for (j = nleft; j <= nrt; j++) ys += w[j]! * y[j]!;
  return ys;
}

/**
 * LOWESS smoother, a port of R's stats::lowess (C clowess, Cleveland 1979): sorts by x (stably,
 * as order()), returns the sorted x and the fitted values.
 */
export function lowess(xIn: ArrayLike<number>, yIn: ArrayLike<number>, options: LowessOptions = {}): { x: Float64Array; y: Float64Array } {
  const n = xIn.length;
  if (yIn.length !== n) throw new RadnomoError('E_DATA', `lowess: x has ${n} values but y has ${yIn.length}.`);
  if (n === 0) throw new RadnomoError('E_DATA', 'lowess: no data.');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xIn[a]! - xIn[b]! || a - b);
  const x = Float64Array.from(order, (i) => xIn[i]!);
  const y = Float64Array.from(order, (i) => yIn[i]!);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) throw new RadnomoError('E_VALUE', 'lowess: x and y must be finite.');
  }
  const f = options.f ?? 2 / 3;
  const nsteps = options.iter ?? 3;
  const delta = options.delta ?? 0.01 * (x[n - 1]! - x[0]!);
  const ys = new Float64Array(n);
  if (n < 2) {
    ys[0] = y[0]!;
    return { x, y: ys };
  }
  const rw = new Float64Array(n);
  const res = new Float64Array(n);
  const ns = Math.max(2, Math.min(n, Math.trunc(f * n + 1e-7)));
  for (let iter = 1; iter <= nsteps + 1; iter++) {
    // 1-based bookkeeping as in clowess, converted at array access.
    let nleft = 1;
    let nright = ns;
    let last = 0;
    let i = 1;
    for (;;) {
      if (nright < n) {
        const d1 = x[i - 1]! - x[nleft - 1]!;
        const d2 = x[nright]! - x[i - 1]!;
        if (d1 > d2) {
          nleft++;
          nright++;
          continue;
        }
      }
      const fit = lowest(x, y, n, x[i - 1]!, nleft - 1, nright - 1, res, iter > 1, rw);
      ys[i - 1] = Number.isNaN(fit) ? y[i - 1]! : fit;
      if (last < i - 1) {
        const denom = x[i - 1]! - x[last - 1]!;
        for (let j = last + 1; j < i; j++) {
          const alpha = (x[j - 1]! - x[last - 1]!) / denom;
          ys[j - 1] = alpha * ys[i - 1]! + (1 - alpha) * ys[last - 1]!;
        }
      }
      last = i;
      const cut = x[last - 1]! + delta;
      for (i = last + 1; i <= n; i++) {
        if (x[i - 1]! > cut) break;
        if (x[i - 1] === x[last - 1]) {
          ys[i - 1] = ys[last - 1]!;
          last = i;
        }
      }
      i = Math.max(last + 1, i - 1);
      if (last >= n) break;
    }
    for (let k = 0; k < n; k++) res[k] = y[k]! - ys[k]!;
    let sc = 0;
    for (let k = 0; k < n; k++) sc += Math.abs(res[k]!);
    sc /= n;
    if (iter > nsteps) break;
    for (let k = 0; k < n; k++) rw[k] = Math.abs(res[k]!);
    const sortedRw = Float64Array.from(rw).sort();
    const m1 = Math.floor(n / 2);
    const cmad = n % 2 === 0 ? 3 * (sortedRw[m1]! + sortedRw[n - m1 - 1]!) : 6 * sortedRw[m1]!;
    if (cmad < 1e-7 * sc) break;
    const c9 = 0.999 * cmad;
    const c1 = 0.001 * cmad;
    for (let k = 0; k < n; k++) {
      const r = Math.abs(res[k]!);
      if (r <= c1) rw[k] = 1;
      else if (r <= c9) {
        const u = r / cmad;
        rw[k] = (1 - u * u) * (1 - u * u);
      } else rw[k] = 0;
    }
  }
  return { x, y: ys };
}

/** Wilson score interval as Hmisc::binconf(x, n, method = "wilson"), including its x = 1 and x = n - 1 adjustments. */
export function wilsonInterval(x: number, n: number, alpha = 0.05): { estimate: number; lower: number; upper: number } {
  const z = -qnorm(alpha / 2);
  const z2 = z * z;
  const p = x / n;
  const centre = p + z2 / 2 / n;
  const half = z * Math.sqrt((p * (1 - p) + z2 / 4 / n) / n);
  let lower = (centre - half) / (1 + z2 / n);
  let upper = (centre + half) / (1 + z2 / n);
  if (x === 1) lower = -Math.log(1 - alpha) / n;
  if (x === n - 1) upper = 1 + Math.log(1 - alpha) / n;
  return { estimate: p, lower, upper };
}

/**
 * Quantile groups as Hmisc::cut2(x, g = g): cut points cut_j = the smallest distinct value whose
 * cumulative count reaches j * n / g (the last = max); value x goes to the first group whose cut
 * point is >= x. Returns the 0-based group of each value and the number of groups.
 */
export function cut2Groups(x: ArrayLike<number>, g: number): { group: Int32Array; ngroups: number } {
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  const xx: number[] = [];
  const cum: number[] = [];
  for (let i = 0; i < n; i++) {
    if (xx.length === 0 || sorted[i] !== xx[xx.length - 1]) {
      xx.push(sorted[i]!);
      cum.push(i + 1);
    } else cum[cum.length - 1] = i + 1;
  }
  const cuts: number[] = [];
  for (let j = 1; j <= g; j++) {
    const target = (j * n) / g;
    // approx(cum, xx, xout = target, method = "constant", f = 1, rule = 2)
    let k = cum.findIndex((c) => c >= target);
    if (k < 0) k = xx.length - 1;
    cuts.push(xx[k]!);
  }
  cuts[g - 1] = xx[xx.length - 1]!;
  const distinct: number[] = [];
  for (const c of cuts) if (distinct.length === 0 || c !== distinct[distinct.length - 1]) distinct.push(c);
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! >= x[i]!) hi = mid;
      else lo = mid + 1;
    }
    group[i] = lo;
  }
  return { group, ngroups: distinct.length };
}

/** One point of the grouped calibration curve. */
export interface CalibrationGroup {
  n: number;
  events: number;
  meanPredicted: number;
  observed: number;
  lower: number;
  upper: number;
}

/** Everything rms::val.prob reports, plus the curves. */
export interface CalibrationResult {
  /** All rows. */
  n: number;
  /**
   * Rows with 0 < p < 1 (finite logit): the rows of val.prob's logistic calibration (its
   * f.fixed$stats["Obs"]), the n of D and U. Equals n unless some p are exactly 0 or 1.
   */
  nFinite: number;
  /**
   * Somers' Dxy and C index as val.prob reports them: from lrm.fit at coefficients (0, 1) on the
   * finite-logit rows (p binned in 1/5000ths after lrm.fit's +-30 logit clamp, see binnedConcordance).
   */
  dxy: number;
  c: number;
  /** Exact C index (Mann-Whitney AUC of p over all rows, ties 1/2); radnomo's own addition. */
  cExact: number;
  /** Nagelkerke R2 of the fixed model logit(p) on the finite-logit rows (val.prob "R2"). */
  r2: number;
  /** Discrimination index D = (LR - 1) / nFinite and its chi-square LR (val.prob "D", "D:Chi-sq"). */
  d: number;
  dChiSq: number;
  /**
   * Unreliability index U = (U chi2 - 2) / nFinite, chi2 on 2 df, p. U chi2 = L01 - deviance of the
   * recalibration, with val.prob's L01 over all rows (NaN terms dropped); a row with y = 1 at p = 0
   * makes L01, U chi2 and U +Infinity (uP 0, q -Infinity), as in R.
   */
  u: number;
  uChiSq: number;
  uP: number;
  /** Quality index Q = D - U. */
  q: number;
  /** Brier score over all rows. */
  brier: number;
  /** Calibration intercept and slope: logistic regression of y on logit(p), finite-logit rows. */
  intercept: number;
  slope: number;
  emax: number;
  e90: number;
  eavg: number;
  spiegelhalterZ: number;
  spiegelhalterP: number;
  /** Grouped curve over cut2 quantile groups (default 10). */
  grouped: CalibrationGroup[];
  /** lowess(p, y, iter = 0): x sorted, y smoothed. */
  smooth: { x: Float64Array; y: Float64Array };
  warnings: string[];
}

/**
 * Validates predicted probabilities p against 0/1 outcomes y, matching rms::val.prob(p, y)
 * (statistics) with the curves of val.prob(g = groups): smoothed lowess(p, y, iter = 0) read at each
 * p by approx(ties = mean) for Emax/E90/Eavg, and quantile groups with Wilson 95% CIs.
 *
 * Probabilities of exactly 0 or 1 are handled as val.prob (rms 6.5.0) handles them: their logits
 * qlogis(p) are -Inf / +Inf, so they are left out of the logistic calibration (f.fixed, f.recal:
 * Dxy, C, R2, D, Intercept, Slope, and the n of D and U) with val.prob's warning, while Brier,
 * Emax/E90/Eavg, Spiegelhalter's z and the curves use every row, and U's L01 =
 * -2 * sum(y * logit - log(1 + exp(logit)), na.rm = TRUE) also runs over every row: y = 0 at p = 0
 * and any row at p = 1 give NaN terms (dropped), y = 1 at p = 0 gives -Inf (L01 = U = +Inf).
 */
export function calibration(p: ArrayLike<number>, y: ArrayLike<number>, groups = 10): CalibrationResult {
  const n = p.length;
  if (y.length !== n) throw new RadnomoError('E_DATA', `calibration: ${n} probabilities but ${y.length} outcomes.`);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    if (!(p[i]! >= 0 && p[i]! <= 1)) throw new RadnomoError('E_VALUE', `calibration: probability at row ${i + 1} is ${p[i]}; probabilities must lie in [0, 1].`);
    if (y[i] !== 0 && y[i] !== 1) throw new RadnomoError('E_VALUE', `calibration: outcome at row ${i + 1} is ${y[i]}; it must be 0/1.`);
    n1 += y[i]!;
  }
  if (n1 === 0 || n1 === n) throw new RadnomoError('E_DATA', `calibration: the outcome has a single class in all ${n} rows.`);
  const distinctP = new Set(Array.from(p));
  if (distinctP.size === 1) throw new RadnomoError('E_DATA', 'calibration: all predicted probabilities are equal; calibration slope and smooth curve are undefined.');
  const warnings: string[] = [];
  // qlogis(p): -Inf at p = 0, +Inf at p = 1.
  const logit = Float64Array.from(p, (v) => Math.log(v / (1 - v)));

  // val.prob: i <- !is.infinite(logit); the logistic calibration uses only those rows.
  const keep: number[] = [];
  let n1F = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(logit[i]!)) {
      keep.push(i);
      n1F += y[i]!;
    }
  }
  const nF = keep.length;
  if (nF < n) warnings.push(`${n - nF} observations deleted from logistic calibration due to probabilities of 0 or 1.`);
  if (nF < 3) throw new RadnomoError('E_DATA', `calibration: only ${nF} of ${n} probabilities lie strictly between 0 and 1; the logistic calibration (lrm.fit) needs at least 3.`);
  if (n1F === 0 || n1F === nF) throw new RadnomoError('E_DATA', `calibration: the ${nF} rows with probabilities strictly between 0 and 1 have a single outcome class; the logistic calibration is undefined.`);
  const recal = new LogisticModel().fit(keep.map((i) => [logit[i]!]), keep.map((i) => y[i]!), ['logit']);
  if (recal.separation.detected) warnings.push('logistic recalibration: the outcome is separated by the predicted probabilities; intercept and slope are not meaningful.');

  // f.fixed <- lrm.fit(logit[i], y[i], initial = c(0, 1), maxit = 1): the likelihood at
  // coefficients (0, 1) with lrm.fit's probabilities 1 / (1 + exp(-clamp(logit, -30, 30))), against
  // the null deviance -2 * sum(n_j * log(n_j / n)) of the same rows. R2, D, Dxy and C come from it.
  const n0F = nF - n1F;
  const l0 = -2 * (n1F * Math.log(n1F / nF) + n0F * Math.log(n0F / nF));
  const clampedProb = new Float64Array(nF);
  const yF = new Float64Array(nF);
  let l01 = 0;
  for (let k = 0; k < nF; k++) {
    const i = keep[k]!;
    const pr = 1 / (1 + Math.exp(-Math.min(Math.max(logit[i]!, -30), 30)));
    clampedProb[k] = pr;
    yF[k] = y[i]!;
    l01 += y[i] === 1 ? Math.log(pr) : Math.log(1 - pr);
  }
  l01 *= -2;
  const lr = l0 - l01;
  const r2 = (1 - Math.exp(-lr / nF)) / (1 - Math.exp(-l0 / nF));
  const d = (lr - 1) / nF;
  // val.prob's C: lrm.fit's rank correlation of the clamped probabilities, binned.
  const c = binnedConcordance(clampedProb, yF);

  // U: L01 <- -2 * sum(y * logit - log(1 + exp(logit)), na.rm = TRUE) over ALL rows, against
  // f.recal's deviance. NaN terms (0 * -Inf at y = 0, p = 0; Inf - Inf or 0 * Inf at p = 1) are
  // dropped; y = 1 at p = 0 gives a -Inf term, so L01 = +Inf. (Finite logits are < 37, so
  // log(1 + exp(logit)) never overflows.)
  const terms: number[] = [];
  let minusInf = false;
  for (let i = 0; i < n; i++) {
    const t = y[i]! * logit[i]! - Math.log(1 + Math.exp(logit[i]!));
    if (Number.isNaN(t)) continue;
    if (t === -Infinity) minusInf = true;
    else terms.push(t);
  }
  const L01 = minusInf ? Infinity : -2 * accurateSum(terms);
  const uChiSq = L01 - recal.deviance;
  const u = (uChiSq - 2) / nF;
  const uP = uChiSq === Infinity ? 0 : 1 - pchisq(uChiSq, 2);

  // Smoothed curve and its errors.
  const smooth = lowess(p, y, { iter: 0 });
  const calSmooth = approxTiesMeanAt(smooth.x, smooth.y, p);
  const er = Float64Array.from(calSmooth, (v, i) => Math.abs(p[i]! - v));
  const erSorted = Float64Array.from(er).sort();
  let brier = 0;
  let szNum = 0;
  let szDen = 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    brier += (pi - y[i]!) ** 2;
    szNum += (y[i]! - pi) * (1 - 2 * pi);
    szDen += (1 - 2 * pi) * (1 - 2 * pi) * pi * (1 - pi);
  }
  const sz = szNum / Math.sqrt(szDen);

  // Grouped curve.
  const { group, ngroups } = cut2Groups(p, groups);
  const grouped: CalibrationGroup[] = [];
  for (let k = 0; k < ngroups; k++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (group[i] === k) idx.push(i);
    const events = idx.reduce((s, i) => s + y[i]!, 0);
    const ci = wilsonInterval(events, idx.length);
    grouped.push({ n: idx.length, events, meanPredicted: accurateSum(idx.map((i) => p[i]!)) / idx.length, observed: ci.estimate, lower: ci.lower, upper: ci.upper });
  }
  return {
    n,
    nFinite: nF,
    dxy: 2 * c - 1,
    c,
    cExact: concordance(p, y),
    r2,
    d,
    dChiSq: lr,
    u,
    uChiSq,
    uP,
    q: d - u,
    brier: brier / n,
    intercept: recal.coefficients[0]!,
    slope: recal.coefficients[1]!,
    emax: erSorted[n - 1]!,
    e90: quantileType7(erSorted, [0.9])[0]!,
    eavg: accurateSum(er) / n,
    spiegelhalterZ: sz,
    spiegelhalterP: 2 * pnorm(-Math.abs(sz)),
    grouped,
    smooth,
    warnings,
  };
}

/**
 * approx(list(x, y), xout = at, ties = mean)$y where every `at` value is one of the (sorted) x:
 * the mean of y over the tied x equal to it.
 */
function approxTiesMeanAt(xs: Float64Array, ys: Float64Array, at: ArrayLike<number>): Float64Array {
  const ux: number[] = [];
  const uy: number[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    let s = 0;
    while (j < xs.length && xs[j] === xs[i]) s += ys[j++]!;
    ux.push(xs[i]!);
    uy.push(s / (j - i));
    i = j;
  }
  return Float64Array.from(at, (v) => {
    let lo = 0;
    let hi = ux.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ux[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return uy[lo]!;
  });
}
