/**
 * Survival analysis as R's survival package computes it: Kaplan–Meier curves (survfit), the
 * log-rank test (survdiff, rho = 0), Cox proportional hazards with Efron ties (coxph) and
 * Harrell's concordance with its infinitesimal-jackknife standard error (concordance).
 */
import { RadnomoError } from '../src/errors';
import { isMissing } from '../src/io/csv';
import { pchisq, pnorm, qnorm } from './distributions';
import { sortLevels } from './tests';

function checkSurv(time: ArrayLike<number>, event: ArrayLike<number>, what: string): void {
  if (time.length !== event.length) {
    throw new RadnomoError('E_DATA', `${what}: time and event have different lengths (${time.length} and ${event.length}).`);
  }
  if (time.length === 0) throw new RadnomoError('E_DATA', `${what}: no observations.`);
  for (let i = 0; i < time.length; i++) {
    if (!Number.isFinite(time[i]!)) throw new RadnomoError('E_VALUE', `${what}: time ${i + 1} is ${time[i]}.`);
    if (time[i]! < 0) throw new RadnomoError('E_VALUE', `${what}: time ${i + 1} is negative (${time[i]}).`);
    if (event[i] !== 0 && event[i] !== 1) {
      throw new RadnomoError('E_VALUE', `${what}: event ${i + 1} is ${event[i]}; it must be 0 (censored) or 1 (event).`);
    }
  }
}

/**
 * Event indicators from a CSV column, as R's `Surv(time, event)` reads a status
 * (survival/R/Surv.R): TRUE/FALSE are 1/0; numbers are 0/1, except that when the largest value is
 * 2 the coding is 1/2 (1 censored, 2 event, as in survival::lung). So a column of only 1s is all
 * events, as in R. Missing cells become NaN. R turns other values into NA with a warning; here
 * they are an error naming the column and row (`firstRow` is the number of the first value's
 * row: 1 for data rows, 2 for a CSV file's lines under its header).
 */
export function parseEventColumn(values: readonly string[], column: string, firstRow = 1): Float64Array {
  const out = new Float64Array(values.length);
  let logical = false;
  let max = -Infinity;
  values.forEach((v, i) => {
    const s = v.trim();
    if (isMissing(s)) {
      out[i] = NaN;
      return;
    }
    const u = s.toUpperCase();
    let x: number;
    if (u === 'TRUE' || u === 'T') x = 1;
    else if (u === 'FALSE' || u === 'F') x = 0;
    else x = Number(s);
    if (u === 'TRUE' || u === 'T' || u === 'FALSE' || u === 'F') logical = true;
    if (!Number.isFinite(x)) {
      throw new RadnomoError('E_COLUMN', `column "${column}", row ${i + firstRow}: event value "${v}" is not 0/1, 1/2 or TRUE/FALSE.`);
    }
    out[i] = x;
    if (x > max) max = x;
  });
  const oneTwo = !logical && max === 2;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i]!)) continue;
    if (oneTwo) {
      if (out[i] !== 1 && out[i] !== 2) {
        throw new RadnomoError(
          'E_COLUMN',
          `column "${column}", row ${i + firstRow}: event value ${out[i]} in a column coded 1/2 (the largest value is 2: 1 censored, 2 event); use 0/1 or 1/2 throughout.`,
        );
      }
      out[i] = out[i] === 2 ? 1 : 0;
    } else if (out[i] !== 0 && out[i] !== 1) {
      throw new RadnomoError(
        'E_COLUMN',
        `column "${column}", row ${i + firstRow}: event value ${out[i]} is not 0/1 (or 1/2 for censored/event).`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kaplan–Meier
// ---------------------------------------------------------------------------------------------

export interface KaplanMeierResult {
  n: number;
  events: number;
  /** Every distinct time, events and censorings (survfit's $time). */
  time: number[];
  nRisk: number[];
  nEvent: number[];
  nCensor: number[];
  surv: number[];
  /** survfit's $std.err: Greenwood standard error of -log S (Infinity once S = 0). */
  stdErr: number[];
  /** Standard error of S itself, as summary.survfit reports it (surv * stdErr). */
  stdErrSurv: number[];
  /** conf.type = "log" limits; NaN where S = 0 (R's NA). */
  lower: number[];
  upper: number[];
  confLevel: number;
  /** Median survival and its confidence limits as print.survfit / summary(fit)$table (NaN = NA). */
  median: number;
  medianLower: number;
  medianUpper: number;
}

/**
 * The median of a survival curve as print.survfit / summary(fit)$table report it (survival's
 * survmean, its `minmin`): the first time the curve is at or below 0.5 (within sqrt(eps)); when it
 * is exactly 0.5 there and drops lower later, the mean of that time and the time it first drops
 * below. NaN when the curve never reaches 0.5. (quantile.survfit differs in one case: a curve that
 * stays at exactly 0.5 to its end, where it averages with the last time; print.survfit does not.)
 */
function minmin(y: readonly number[], x: readonly number[]): number {
  const tol = Math.sqrt(2.220446049250313e-16);
  const ks: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i]!) && y[i]! < 0.5 + tol) ks.push(i);
  if (ks.length === 0) return NaN;
  const y1 = y[ks[0]!]!;
  if (Math.abs(y1 - 0.5) < tol) {
    const below = ks.find((i) => y[i]! < y1);
    if (below !== undefined) return (x[ks[0]!]! + x[below]!) / 2;
  }
  return x[ks[0]!]!;
}

/**
 * Kaplan–Meier estimate; matches survival::survfit(Surv(time, event) ~ 1) defaults: Greenwood
 * variance, conf.type = "log", and the median with its CI as print.survfit (survmean's minmin).
 */
export function kaplanMeier(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  opts: { confLevel?: number } = {},
): KaplanMeierResult {
  checkSurv(time, event, 'Kaplan–Meier');
  const confLevel = opts.confLevel ?? 0.95;
  const n = time.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a]! - time[b]!);
  const out: KaplanMeierResult = {
    n,
    events: 0,
    time: [],
    nRisk: [],
    nEvent: [],
    nCensor: [],
    surv: [],
    stdErr: [],
    stdErrSurv: [],
    lower: [],
    upper: [],
    confLevel,
    median: NaN,
    medianLower: NaN,
    medianUpper: NaN,
  };
  const z = qnorm(1 - (1 - confLevel) / 2);
  let atRisk = n;
  let s = 1;
  let green = 0;
  let i = 0;
  while (i < n) {
    const t = time[idx[i]!]!;
    let d = 0;
    let c = 0;
    while (i < n && time[idx[i]!]! === t) {
      if (event[idx[i]!] === 1) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      green += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    }
    const se = Math.sqrt(green);
    out.time.push(t);
    out.nRisk.push(atRisk);
    out.nEvent.push(d);
    out.nCensor.push(c);
    out.surv.push(s);
    out.stdErr.push(se);
    out.stdErrSurv.push(s === 0 ? NaN : s * se);
    if (s === 0) {
      out.lower.push(NaN);
      out.upper.push(NaN);
    } else {
      out.lower.push(Math.exp(Math.log(s) - z * se));
      out.upper.push(Math.min(1, Math.exp(Math.log(s) + z * se)));
    }
    out.events += d;
    atRisk -= d + c;
  }
  out.median = minmin(out.surv, out.time);
  out.medianLower = minmin(out.lower, out.time);
  out.medianUpper = minmin(out.upper, out.time);
  return out;
}

// ---------------------------------------------------------------------------------------------
// log-rank
// ---------------------------------------------------------------------------------------------

export interface LogRankResult {
  groups: string[];
  n: number[];
  observed: number[];
  expected: number[];
  /** Variance matrix of observed - expected (survdiff's $var). */
  variance: number[][];
  chisq: number;
  df: number;
  pValue: number;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (small systems). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (M[p]![c] === 0) throw new RadnomoError('E_DATA', 'a variance matrix is singular.');
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}

/**
 * Log-rank test of equal survival across groups; matches survival::survdiff(Surv(time, event) ~ g)
 * with rho = 0 (groups in R's factor-level order; chi-square from the variance matrix without the
 * first group that has expected events).
 */
export function logRankTest(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  group: readonly string[],
): LogRankResult {
  checkSurv(time, event, 'log-rank test');
  if (group.length !== time.length) {
    throw new RadnomoError('E_DATA', `log-rank test: group has ${group.length} values but time has ${time.length}.`);
  }
  const groups = sortLevels(group);
  if (groups.length < 2) throw new RadnomoError('E_DATA', `log-rank test: only one group ("${groups[0] ?? ''}").`);
  const G = groups.length;
  const gi = new Map(groups.map((g, i) => [g, i]));
  const gidx = group.map((g) => gi.get(g)!);
  const N = time.length;
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => time[a]! - time[b]!);
  const nRisk = new Array<number>(G).fill(0);
  for (const g of gidx) nRisk[g]! += 1;
  const n = nRisk.slice();
  const O = new Array<number>(G).fill(0);
  const E = new Array<number>(G).fill(0);
  const V = groups.map(() => new Array<number>(G).fill(0));
  let i = 0;
  while (i < N) {
    const t = time[order[i]!]!;
    const d = new Array<number>(G).fill(0);
    const leave = new Array<number>(G).fill(0);
    let j = i;
    while (j < N && time[order[j]!]! === t) {
      const g = gidx[order[j]!]!;
      leave[g]! += 1;
      if (event[order[j]!] === 1) d[g]! += 1;
      j++;
    }
    const dt = d.reduce((a, b) => a + b, 0);
    const nt = nRisk.reduce((a, b) => a + b, 0);
    if (dt > 0) {
      for (let g = 0; g < G; g++) {
        O[g]! += d[g]!;
        E[g]! += (dt * nRisk[g]!) / nt;
      }
      if (nt > 1) {
        const f = (dt * (nt - dt)) / (nt * nt * (nt - 1));
        for (let g = 0; g < G; g++) {
          for (let h = 0; h < G; h++) V[g]![h]! += f * nRisk[g]! * ((g === h ? nt : 0) - nRisk[h]!);
        }
      }
    }
    for (let g = 0; g < G; g++) nRisk[g]! -= leave[g]!;
    i = j;
  }
  const keep = E.map((e, g) => (e > 0 ? g : -1)).filter((g) => g >= 0);
  let chisq = 0;
  if (keep.length >= 2) {
    const k = keep.slice(1);
    const diff = k.map((g) => O[g]! - E[g]!);
    const sub = k.map((g) => k.map((h) => V[g]![h]!));
    const x = solve(sub, diff);
    chisq = x.reduce((a, v, q) => a + v * diff[q]!, 0);
  }
  const df = keep.length - 1;
  return { groups, n, observed: O, expected: E, variance: V, chisq, df, pValue: pchisq(chisq, df, false) };
}

// ---------------------------------------------------------------------------------------------
// Cox proportional hazards (Efron)
// ---------------------------------------------------------------------------------------------

interface CoxEval {
  loglik: number;
  u: number[];
  imat: number[][];
}

/** Efron partial log-likelihood, score and information at beta (centred covariates). */
function coxEval(order: number[], time: ArrayLike<number>, event: ArrayLike<number>, X: number[][], beta: number[]): CoxEval {
  const p = beta.length;
  const n = order.length;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < p; k++) s += X[i]![k]! * beta[k]!;
    eta[i] = s;
  }
  let loglik = 0;
  const u = new Array<number>(p).fill(0);
  const imat = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  let s0 = 0;
  const s1 = new Array<number>(p).fill(0);
  const s2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  // order: decreasing time; process each distinct time, adding everyone with that time to the risk set
  let i = 0;
  while (i < n) {
    const t = time[order[i]!]!;
    let a0 = 0;
    const a1 = new Array<number>(p).fill(0);
    const a2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    let d = 0;
    let j = i;
    while (j < n && time[order[j]!]! === t) {
      const r = order[j]!;
      const w = Math.exp(eta[r]!);
      const x = X[r]!;
      s0 += w;
      for (let k = 0; k < p; k++) {
        s1[k]! += w * x[k]!;
        for (let l = 0; l <= k; l++) s2[k]![l]! += w * x[k]! * x[l]!;
      }
      if (event[r] === 1) {
        d++;
        loglik += eta[r]!;
        a0 += w;
        for (let k = 0; k < p; k++) {
          u[k]! += x[k]!;
          a1[k]! += w * x[k]!;
          for (let l = 0; l <= k; l++) a2[k]![l]! += w * x[k]! * x[l]!;
        }
      }
      j++;
    }
    for (let q = 0; q < d; q++) {
      const f = q / d;
      const d2 = s0 - f * a0;
      loglik -= Math.log(d2);
      const m = new Array<number>(p);
      for (let k = 0; k < p; k++) {
        m[k] = (s1[k]! - f * a1[k]!) / d2;
        u[k]! -= m[k]!;
      }
      for (let k = 0; k < p; k++) {
        for (let l = 0; l <= k; l++) imat[k]![l]! += (s2[k]![l]! - f * a2[k]![l]!) / d2 - m[k]! * m[l]!;
      }
    }
    i = j;
  }
  for (let k = 0; k < p; k++) for (let l = 0; l < k; l++) imat[l]![k] = imat[k]![l]!;
  return { loglik, u, imat };
}

/** Cholesky inverse of a symmetric positive-definite matrix; throws naming the problem. */
function invertSPD(A: number[][], what: string, names?: readonly string[]): number[][] {
  const p = A.length;
  const L = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let s = A[j]![j]!;
    for (let k = 0; k < j; k++) s -= L[j]![k]! ** 2;
    if (!(s > 1e-12 * Math.abs(A[j]![j]!)) || !Number.isFinite(s)) {
      const who = names?.[j];
      const why =
        who === undefined
          ? 'a predictor is constant or collinear with others'
          : j === 0 || !(A[j]![j]! > 0)
            ? `"${who}" is constant`
            : `"${who}" is constant or a linear combination of ${names!.slice(0, j).map((s) => `"${s}"`).join(', ')}`;
      throw new RadnomoError('E_DATA', `${what}: the information matrix is singular (${why}).`);
    }
    L[j]![j] = Math.sqrt(s);
    for (let i = j + 1; i < p; i++) {
      let t = A[i]![j]!;
      for (let k = 0; k < j; k++) t -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = t / L[j]![j]!;
    }
  }
  const inv = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let c = 0; c < p; c++) {
    const y = new Array<number>(p).fill(0);
    for (let i = 0; i < p; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
      y[i] = s / L[i]![i]!;
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < p; k++) s -= L[k]![i]! * inv[k]![c]!;
      inv[i]![c] = s / L[i]![i]!;
    }
  }
  return inv;
}

const matVec = (A: number[][], v: number[]): number[] => A.map((r) => r.reduce((s, a, k) => s + a * v[k]!, 0));
const dot = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + v * b[k]!, 0);

export interface ConcordanceResult {
  concordance: number;
  /** Standard error (infinitesimal jackknife), as summary(coxph)$concordance[2]. */
  se: number;
  concordant: number;
  discordant: number;
  tiedX: number;
  tiedY: number;
}

/**
 * Harrell's concordance of a risk score with survival (higher risk = earlier event); matches
 * survival::concordance(..., reverse = TRUE, timewt = "n"), i.e. summary(coxph)$concordance: pairs
 * are comparable when the earlier time is an event (a censoring at the same time counts as later),
 * ties in the score count 1/2; se from the influence of each observation on the counts.
 */
export function concordance(time: ArrayLike<number>, event: ArrayLike<number>, risk: ArrayLike<number>): ConcordanceResult {
  checkSurv(time, event, 'concordance');
  const n = time.length;
  const ic = new Float64Array(n);
  const id = new Float64Array(n);
  const it = new Float64Array(n);
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    if (event[i] !== 1) continue;
    const ti = time[i]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const tj = time[j]!;
      if (tj < ti) continue;
      if (tj === ti) {
        if (event[j] === 1) {
          if (j > i) ty++;
          continue;
        }
      }
      // i fails first: concordant if i has the higher risk
      if (risk[i]! > risk[j]!) {
        c++;
        ic[i]! += 1;
        ic[j]! += 1;
      } else if (risk[i]! < risk[j]!) {
        d++;
        id[i]! += 1;
        id[j]! += 1;
      } else {
        tx++;
        it[i]! += 1;
        it[j]! += 1;
      }
    }
  }
  const npair = c + d + tx;
  if (npair === 0) throw new RadnomoError('E_DATA', 'concordance: no comparable pairs (too few events).');
  const somer = (c - d) / npair;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const df = (ic[i]! - id[i]!) / npair - (somer / npair) * (ic[i]! + id[i]! + it[i]!);
    v += df * df;
  }
  return { concordance: (somer + 1) / 2, se: Math.sqrt(v / 4), concordant: c, discordant: d, tiedX: tx, tiedY: ty };
}

export interface CoxResult {
  predictors: string[];
  n: number;
  nevent: number;
  coef: number[];
  se: number[];
  z: number[];
  p: number[];
  hr: number[];
  hrLower: number[];
  hrUpper: number[];
  confLevel: number;
  /** Variance matrix of the coefficients (inverse information). */
  variance: number[][];
  /** Partial log-likelihood at beta = 0 and at the estimate. */
  loglik: [number, number];
  iterations: number;
  converged: boolean;
  /** [statistic, df, p] as summary(coxph): likelihood ratio, Wald and score (log-rank) tests. */
  logtest: [number, number, number];
  waldtest: [number, number, number];
  sctest: [number, number, number];
  concordance: ConcordanceResult;
  /** coxph's warnings: a coefficient that may be infinite. */
  warnings: string[];
}

/**
 * Cox proportional-hazards model with Efron's tie handling; matches survival::coxph defaults
 * (Newton–Raphson from 0 with step halving, eps = 1e-9, iter.max = 20) and summary(coxph):
 * coefficients, SEs, Wald z and p, hazard ratios with confidence limits, log-likelihoods,
 * likelihood-ratio / Wald / score tests, concordance. `X[i]` holds observation i's predictors.
 */
export function coxPH(
  time: ArrayLike<number>,
  event: ArrayLike<number>,
  X: number[][],
  predictors: string[],
  opts: { confLevel?: number; maxIter?: number; eps?: number } = {},
): CoxResult {
  checkSurv(time, event, 'Cox model');
  const n = time.length;
  const p = predictors.length;
  if (X.length !== n) throw new RadnomoError('E_DATA', `Cox model: ${X.length} predictor rows for ${n} observations.`);
  if (p === 0) throw new RadnomoError('E_DATA', 'Cox model: no predictors.');
  X.forEach((r, i) => {
    if (r.length !== p) throw new RadnomoError('E_DATA', `Cox model: row ${i + 1} has ${r.length} predictors, expected ${p}.`);
    r.forEach((v, k) => {
      if (!Number.isFinite(v)) throw new RadnomoError('E_VALUE', `Cox model: predictor "${predictors[k]}" is ${v} in row ${i + 1}.`);
    });
  });
  const nevent = Array.from(event).filter((e) => e === 1).length;
  if (nevent === 0) throw new RadnomoError('E_DATA', 'Cox model: there are no events.');
  for (let k = 0; k < p; k++) {
    const v0 = X[0]![k]!;
    if (X.every((r) => r[k] === v0)) throw new RadnomoError('E_DATA', `Cox model: predictor "${predictors[k]}" is constant.`);
  }
  const confLevel = opts.confLevel ?? 0.95;
  const maxIter = opts.maxIter ?? 20;
  const eps = opts.eps ?? 1e-9;
  // centre the covariates, as coxph does
  const means = predictors.map((_, k) => X.reduce((s, r) => s + r[k]!, 0) / n);
  const Xc = X.map((r) => r.map((v, k) => v - means[k]!));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b]! - time[a]!);

  let beta = new Array<number>(p).fill(0);
  let ev = coxEval(order, time, event, Xc, beta);
  const loglik0 = ev.loglik;
  let inv = invertSPD(ev.imat, 'Cox model', predictors);
  let step = matVec(inv, ev.u);
  const score = dot(ev.u, step);
  let loglik = ev.loglik;
  let newbeta = beta.map((b, k) => b + step[k]!);
  let halving = false;
  let converged = false;
  let iter = 0;
  for (iter = 1; iter <= maxIter; iter++) {
    const nev = coxEval(order, time, event, Xc, newbeta);
    const finite = Number.isFinite(nev.loglik);
    if (finite && Math.abs(1 - loglik / nev.loglik) <= eps && !halving) {
      loglik = nev.loglik;
      beta = newbeta;
      ev = nev;
      converged = true;
      break;
    }
    if (iter === maxIter) {
      beta = newbeta;
      ev = nev;
      loglik = nev.loglik;
      break;
    }
    if (!finite || nev.loglik < loglik) {
      halving = true;
      newbeta = newbeta.map((b, k) => (b + beta[k]!) / 2);
    } else {
      halving = false;
      loglik = nev.loglik;
      ev = nev;
      inv = invertSPD(nev.imat, 'Cox model', predictors);
      step = matVec(inv, nev.u);
      beta = newbeta;
      newbeta = newbeta.map((b, k) => b + step[k]!);
    }
  }
  const variance = invertSPD(ev.imat, 'Cox model', predictors);
  // coxph.fit: a last Newton step u %*% var still large against the coefficient means the
  // log-likelihood converged while the coefficient was heading to infinity (monotone likelihood).
  const warnings: string[] = [];
  if (converged) {
    const last = matVec(variance, ev.u);
    const tolerInf = Math.sqrt(eps);
    const infinite = predictors.filter((_, k) => Math.abs(last[k]!) > eps && Math.abs(last[k]!) > tolerInf * Math.abs(beta[k]!));
    if (infinite.length > 0) {
      warnings.push(`the log-likelihood converged before ${infinite.map((s) => `"${s}"`).join(', ')}: the coefficient may be infinite (monotone likelihood, as coxph warns); its SE, Wald test and CI are not meaningful.`);
    }
  }
  const se = variance.map((r, k) => Math.sqrt(r[k]!));
  const z = beta.map((b, k) => b / se[k]!);
  const pv = z.map((v) => 2 * pnorm(-Math.abs(v)));
  const zq = qnorm(1 - (1 - confLevel) / 2);
  const lr = 2 * (loglik - loglik0);
  const wald = dot(beta, matVec(ev.imat, beta));
  const lp = X.map((r) => r.reduce((s, v, k) => s + (v - means[k]!) * beta[k]!, 0));
  return {
    predictors: predictors.slice(),
    n,
    nevent,
    coef: beta,
    se,
    z,
    p: pv,
    hr: beta.map(Math.exp),
    hrLower: beta.map((b, k) => Math.exp(b - zq * se[k]!)),
    hrUpper: beta.map((b, k) => Math.exp(b + zq * se[k]!)),
    confLevel,
    variance,
    loglik: [loglik0, loglik],
    iterations: iter,
    converged,
    logtest: [lr, p, pchisq(lr, p, false)],
    waldtest: [wald, p, pchisq(wald, p, false)],
    sctest: [score, p, pchisq(score, p, false)],
    concordance: concordance(time, event, lp),
    warnings,
  };
}
