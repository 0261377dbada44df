/**
 * DeLong's method (DeLong, DeLong & Clarke-Pearson, Biometrics 1988) exactly as pROC 1.18:
 * the AUC's variance and CI (`ci.auc(method = "delong")`), the paired test of two correlated
 * ROC curves and the unpaired test of two independent ones (`roc.test(method = "delong")`), and a
 * matrix of pairwise tests among k models.
 *
 * Placement values are computed with the O(n log n) mid-rank algorithm of Sun & Xu (IEEE Signal
 * Process. Lett. 21(11), 2014): for case i, V10(i) = (R_Z(i) - R_X(i)) / n, where R_Z is its
 * mid-rank among all values and R_X among the cases; for control j, V01(j) = 1 - (R_Z(j) -
 * R_Y(j)) / m. R_Z - R_X is the number of controls below the value plus half those tied with it
 * (R_Z - R_Y likewise for cases), so both are evaluated in one pass over the distinct values,
 * every numerator an exact half-integer. pROC (since 1.16) computes its placements with the same
 * single pass in C++, and the formulas here are evaluated as it does (Y = 1 - count/m), so the
 * placements agree with pROC's bit for bit.
 */
import { RadnomoError } from '../src/errors';
import { pnorm, pt, qnorm } from './distributions';
import { type Direction, type DirectionOption, type RocCurve, curveGroups, roc } from './roc';

/** DeLong placement values, as pROC's internal `delongPlacements(roc)`: theta = AUC, X per case, Y per control. */
export interface DelongPlacements {
  theta: number;
  /** V10: for each case (input order), P(control below it) + ½P(tie) ("<"; mirrored for ">"). */
  X: Float64Array;
  /** V01: for each control (input order), 1 - (P(case below it) + ½P(tie)). */
  Y: Float64Array;
}

/** Placement values of a curve by Sun & Xu's mid-rank algorithm (see file header); matches pROC's `delongPlacements`. */
export function delongPlacements(curve: RocCurve): DelongPlacements {
  const n = curve.controls.length;
  const m = curve.cases.length;
  const g = curveGroups(curve);
  const u = g.unique.length;
  // Per distinct value, walked in the direction's order: controls before it + ½ tied controls
  // (= R_Z - R_X of a case there) and cases before it + ½ tied cases (= R_Z - R_Y of a control).
  const ctlBelowHalf = new Float64Array(u);
  const casBelowHalf = new Float64Array(u);
  const flip = curve.direction === '>';
  let cBelow = 0;
  let aBelow = 0;
  for (let s = 0; s < u; s++) {
    const k = flip ? u - 1 - s : s;
    const c = g.controlCount[k]!;
    const a = g.caseCount[k]!;
    ctlBelowHalf[k] = cBelow + c / 2;
    casBelowHalf[k] = aBelow + a / 2;
    cBelow += c;
    aBelow += a;
  }
  const X = new Float64Array(m);
  const Y = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const v = ctlBelowHalf[g.caseGroup[i]!]!;
    sum += v;
    X[i] = v / n;
  }
  for (let j = 0; j < n; j++) Y[j] = 1 - casBelowHalf[g.controlGroup[j]!]! / m;
  return { theta: sum / m / n, X, Y };
}

/** The pieces of DeLong's variance: S_X = Σ(X-θ)²/(m-1), S_Y = Σ(Y-θ)²/(n-1), variance S = S_X/m + S_Y/n. */
export interface DelongVariance {
  theta: number;
  sx: number;
  sy: number;
  variance: number;
}

function sumSq(v: Float64Array, theta: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v[i]! - theta;
    s += d * d;
  }
  return s;
}

function sumCross(a: Float64Array, ta: number, b: Float64Array, tb: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ta) * (b[i]! - tb);
  return s;
}

function needTwo(curve: RocCurve, what: string): void {
  if (curve.cases.length < 2 || curve.controls.length < 2) {
    throw new RadnomoError(
      'E_DATA',
      `${what} needs at least 2 cases and 2 controls (got ${curve.cases.length} cases, ${curve.controls.length} controls).`,
    );
  }
}

/** DeLong variance of the AUC, as in pROC's `ci.auc.delong` (deviations taken from theta). */
export function delongVariance(curve: RocCurve, placements: DelongPlacements = delongPlacements(curve)): DelongVariance {
  needTwo(curve, 'DeLong variance');
  const m = curve.cases.length;
  const n = curve.controls.length;
  const { theta, X, Y } = placements;
  const sx = sumSq(X, theta) / (m - 1);
  const sy = sumSq(Y, theta) / (n - 1);
  return { theta, sx, sy, variance: sx / m + sy / n };
}

/** A DeLong CI of one AUC. */
export interface DelongCi {
  auc: number;
  lower: number;
  upper: number;
  se: number;
  confLevel: number;
  method: 'DeLong';
}

/**
 * DeLong CI of the AUC, `pROC::ci.auc(roc, method = "delong", conf.level)`: qnorm((1±conf)/2,
 * mean = theta, sd = sqrt(S)), clipped to [0, 1].
 */
export function ciAucDelong(curve: RocCurve, confLevel = 0.95): DelongCi {
  checkConf(confLevel);
  const v = delongVariance(curve);
  const se = Math.sqrt(v.variance);
  const a = (1 - confLevel) / 2;
  const clip = (x: number): number => Math.min(1, Math.max(0, x));
  return {
    auc: v.theta,
    lower: clip(v.theta + se * qnorm(0 + a)),
    upper: clip(v.theta + se * qnorm(1 - a)),
    se,
    confLevel,
    method: 'DeLong',
  };
}

function checkConf(confLevel: number): void {
  if (!(confLevel > 0 && confLevel < 1)) {
    throw new RadnomoError('E_PARAMS', `conf.level must be between 0 and 1, got ${confLevel}.`);
  }
}

export type Alternative = 'two.sided' | 'less' | 'greater';

function pFromZ(z: number, alternative: Alternative): number {
  if (alternative === 'two.sided') return 2 * pnorm(-Math.abs(z));
  if (alternative === 'greater') return pnorm(-z);
  return pnorm(z);
}

/** Result of DeLong's test for two correlated (paired) ROC curves. */
export interface DelongPairedResult {
  method: "DeLong's test for two correlated ROC curves";
  aucA: number;
  aucB: number;
  directionA: Direction;
  directionB: Direction;
  /** aucA - aucB */
  difference: number;
  /** SD of the difference, sqrt(L S L') with L = (1, -1). */
  se: number;
  z: number;
  p: number;
  alternative: Alternative;
  /** CI of aucA - aucB: difference ± qnorm(1 - (1-conf)/2) · se (pROC's htest$conf.int). */
  ci: [number, number];
  confLevel: number;
  ncases: number;
  ncontrols: number;
  warnings: string[];
}

/**
 * DeLong's paired test on two curves built on the same cases and controls (same order),
 * `pROC::roc.test(roc1, roc2, method = "delong", paired = TRUE)`: Z = (θA - θB)/sqrt(L S L'),
 * S = S10/m + S01/n from the covariances of the placements; Z = 0 when both the difference and
 * its SD are 0. The curves keep their own directions; pROC warns when they differ and so does this.
 */
export function delongPairedCurves(
  a: RocCurve,
  b: RocCurve,
  options: { confLevel?: number; alternative?: Alternative } = {},
): DelongPairedResult {
  const confLevel = options.confLevel ?? 0.95;
  const alternative = options.alternative ?? 'two.sided';
  checkConf(confLevel);
  if (a.cases.length !== b.cases.length || a.controls.length !== b.controls.length) {
    throw new RadnomoError(
      'E_DATA',
      `a paired DeLong test needs both curves on the same cases and controls (got ${a.cases.length}/${a.controls.length} and ${b.cases.length}/${b.controls.length}).`,
    );
  }
  needTwo(a, "DeLong's paired test");
  const m = a.cases.length;
  const n = a.controls.length;
  const pa = delongPlacements(a);
  const pb = delongPlacements(b);
  const sx11 = sumSq(pa.X, pa.theta) / (m - 1);
  const sx12 = sumCross(pa.X, pa.theta, pb.X, pb.theta) / (m - 1);
  const sx22 = sumSq(pb.X, pb.theta) / (m - 1);
  const sy11 = sumSq(pa.Y, pa.theta) / (n - 1);
  const sy12 = sumCross(pa.Y, pa.theta, pb.Y, pb.theta) / (n - 1);
  const sy22 = sumSq(pb.Y, pb.theta) / (n - 1);
  const s11 = sx11 / m + sy11 / n;
  const s12 = sx12 / m + sy12 / n;
  const s22 = sx22 / m + sy22 / n;
  // L S L' with L = (1, -1), in the order R's %*% evaluates it
  const sig = Math.sqrt(s11 - s12 - (s12 - s22));
  const d = pa.theta - pb.theta;
  let z = d / sig;
  if (Number.isNaN(z) && d === 0 && sig === 0) z = 0;
  const crit = qnorm(1 - (1 - confLevel) / 2);
  const warnings = [...a.warnings, ...b.warnings];
  if (a.direction !== b.direction) {
    warnings.push("DeLong's test should not be applied to ROC curves with a different direction (pROC warns the same).");
  }
  return {
    method: "DeLong's test for two correlated ROC curves",
    aucA: pa.theta,
    aucB: pb.theta,
    directionA: a.direction,
    directionB: b.direction,
    difference: d,
    se: sig,
    z,
    p: pFromZ(z, alternative),
    alternative,
    ci: [d - crit * sig, d + crit * sig],
    confLevel,
    ncases: m,
    ncontrols: n,
    warnings,
  };
}

/** Options of the paired test from raw columns. */
export interface DelongPairedOptions {
  /** Direction of each predictor's curve: one value for both or one each; default "auto" (each decides, as pROC's roc.test(response, p1, p2)). */
  direction?: DirectionOption | [DirectionOption, DirectionOption];
  confLevel?: number;
  alternative?: Alternative;
  names?: [string, string];
  outcomeName?: string;
}

/**
 * `pROC::roc.test(outcome, predA, predB, method = "delong")`: both ROC curves on the same rows,
 * then DeLong's paired test. Rows must be complete (drop missing values first).
 */
export function delongPaired(
  outcome: ArrayLike<number>,
  predA: ArrayLike<number>,
  predB: ArrayLike<number>,
  options: DelongPairedOptions = {},
): DelongPairedResult {
  const dir = options.direction ?? 'auto';
  const [da, db] = Array.isArray(dir) ? dir : [dir, dir];
  const [na, nb] = options.names ?? ['predictor A', 'predictor B'];
  const ra = roc(outcome, predA, { direction: da, predictorName: na, outcomeName: options.outcomeName });
  const rb = roc(outcome, predB, { direction: db, predictorName: nb, outcomeName: options.outcomeName });
  return delongPairedCurves(ra, rb, options);
}

/** Result of DeLong's test for two independent ROC curves. */
export interface DelongUnpairedResult {
  method: "DeLong's test for two ROC curves";
  aucA: number;
  aucB: number;
  /** pROC's statistic D = (θA - θB)/sqrt(S_A + S_B). */
  D: number;
  /** Welch–Satterthwaite-type degrees of freedom (S_A+S_B)² / (S_A²/(N_A-1) + S_B²/(N_B-1)), N = cases + controls. */
  df: number;
  p: number;
  alternative: Alternative;
  warnings: string[];
}

/**
 * DeLong's test for two unpaired ROC curves as pROC implements it (`delong.unpaired.test`,
 * `roc.test(..., paired = FALSE, method = "delong")`): a t-like statistic D with df as above,
 * p = 2·pt(-|D|, df) two-sided (pt(-D, df) for "greater", pt(D, df) for "less").
 */
export function delongUnpaired(a: RocCurve, b: RocCurve, options: { alternative?: Alternative } = {}): DelongUnpairedResult {
  const alternative = options.alternative ?? 'two.sided';
  needTwo(a, "DeLong's unpaired test (first curve)");
  needTwo(b, "DeLong's unpaired test (second curve)");
  const va = delongVariance(a);
  const vb = delongVariance(b);
  const sa = va.variance;
  const sb = vb.variance;
  const D = (va.theta - vb.theta) / Math.sqrt(sa + sb);
  const nta = a.cases.length + a.controls.length;
  const ntb = b.cases.length + b.controls.length;
  const df = (sa + sb) ** 2 / (sa ** 2 / (nta - 1) + sb ** 2 / (ntb - 1));
  const warnings = [...a.warnings, ...b.warnings];
  if (a.direction !== b.direction) {
    warnings.push("DeLong's test should not be applied to ROC curves with a different direction (pROC warns the same).");
  }
  if (!Number.isFinite(D)) warnings.push('Both AUC variances are 0: the DeLong statistic is undefined.');
  let p: number;
  if (alternative === 'two.sided') p = 2 * pt(-Math.abs(D), df);
  else if (alternative === 'greater') p = pt(-D, df);
  else p = pt(D, df);
  return { method: "DeLong's test for two ROC curves", aucA: va.theta, aucB: vb.theta, D, df, p, alternative, warnings };
}

/** One pair of a k-model comparison. */
export interface DelongPair {
  a: string;
  b: string;
  aucA: number;
  aucB: number;
  directionA: Direction;
  directionB: Direction;
  difference: number;
  z: number;
  p: number;
  ci: [number, number];
  /** Rows used (complete for outcome, a and b), and rows dropped for missing values. */
  n: number;
  dropped: number;
  warnings: string[];
}

/** A k-model DeLong comparison: every pair, and the symmetric matrix of p-values (1 on the diagonal). */
export interface DelongMatrix {
  names: string[];
  pairs: DelongPair[];
  p: number[][];
}

/**
 * Paired DeLong tests between every pair of k predictors on the same outcome, each pair exactly as
 * `pROC::roc.test(outcome, predictors[[i]], predictors[[j]], method = "delong")`: rows where the
 * outcome or either predictor is NaN are dropped for that pair (roc.test's na.rm), each curve's
 * direction is decided by pROC's rule (or given). Pairs in order (1,2), (1,3), ..., (2,3), ...
 */
export function delongPairwise(
  outcome: ArrayLike<number>,
  predictors: ReadonlyArray<{ name: string; values: ArrayLike<number> }>,
  options: { direction?: DirectionOption; confLevel?: number; outcomeName?: string } = {},
): DelongMatrix {
  const k = predictors.length;
  if (k < 2) throw new RadnomoError('E_PARAMS', `DeLong comparisons need at least two predictors, got ${k}.`);
  const names = predictors.map((p) => p.name);
  const N = outcome.length;
  for (const p of predictors) {
    if (p.values.length !== N) {
      throw new RadnomoError('E_DATA', `"${p.name}" has ${p.values.length} values but the outcome has ${N}.`);
    }
  }
  const pm: number[][] = names.map((_, i) => names.map((__, j) => (i === j ? 1 : NaN)));
  const pairs: DelongPair[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const A = predictors[i]!;
      const B = predictors[j]!;
      const keep: number[] = [];
      for (let r = 0; r < N; r++) {
        if (!Number.isNaN(outcome[r]!) && !Number.isNaN(A.values[r]!) && !Number.isNaN(B.values[r]!)) keep.push(r);
      }
      const y = Float64Array.from(keep, (r) => outcome[r]!);
      const a = Float64Array.from(keep, (r) => A.values[r]!);
      const b = Float64Array.from(keep, (r) => B.values[r]!);
      const res = delongPaired(y, a, b, {
        direction: options.direction ?? 'auto',
        confLevel: options.confLevel,
        names: [A.name, B.name],
        outcomeName: options.outcomeName,
      });
      pm[i]![j] = res.p;
      pm[j]![i] = res.p;
      pairs.push({
        a: A.name,
        b: B.name,
        aucA: res.aucA,
        aucB: res.aucB,
        directionA: res.directionA,
        directionB: res.directionB,
        difference: res.difference,
        z: res.z,
        p: res.p,
        ci: res.ci,
        n: keep.length,
        dropped: N - keep.length,
        warnings: res.warnings,
      });
    }
  }
  return { names, pairs, p: pm };
}
