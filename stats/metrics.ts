/**
 * Classification metrics at a cut-off, with 95% CIs, as a nomogram paper reports them.
 *
 * The rule is pROC's: with direction "<" (controls < cases) a row is predicted a case when
 * predictor >= threshold; with ">" when predictor <= threshold (`coords(roc, threshold)` counts the
 * same tp/fp/tn/fn). Direction "auto" is pROC's median rule on the whole data.
 *
 * - accuracy, sensitivity, specificity, PPV, NPV: binomial proportions with the Clopper–Pearson
 *   exact CI (R's `binom.test`, default) or the Wilson score CI (R's `prop.test(correct = FALSE)`).
 * - F1 = 2TP/(2TP+FP+FN); MCC = (TP·TN − FP·FN)/sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)), 0 when a
 *   margin is empty; balanced accuracy = (sensitivity + specificity)/2; AUPRC as average
 *   precision AP = Σ_k (R_k − R_{k−1}) P_k over the distinct predictor values from the most
 *   case-like down, tied rows entering together (scikit-learn's `average_precision_score`; no
 *   interpolation). These four get stratified bootstrap percentile CIs (cases and controls
 *   resampled separately, R's quantile type 7), seeded.
 */
import { RadnomoError } from '../src/errors';
import { Random } from '../src/random';
import { bootstrapIndices, quantile7, strataMembers } from './bootstrap';
import { pbeta, qnorm } from './distributions';
import { type Direction, type DirectionOption, autoDirection, groupByValue, splitByOutcome } from './roc';

export type ProportionCiMethod = 'clopper-pearson' | 'wilson';

export const CI_METHOD_NAMES: Record<ProportionCiMethod, string> = {
  'clopper-pearson': 'Clopper-Pearson exact binomial (binom.test)',
  wilson: 'Wilson score, no continuity correction (prop.test, correct = FALSE)',
};

/** Quantile of Beta(a, b) by bisection on pbeta (upper tail used above the median for accuracy). */
function qbetaBisect(prob: number, a: number, b: number): number {
  const upper = prob > 0.5;
  const target = upper ? 1 - prob : prob;
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 1200; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const f = upper ? pbeta(mid, a, b, false) : pbeta(mid, a, b);
    // lower tail increases with x, upper tail decreases
    const below = upper ? f > target : f < target;
    if (below) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

/** An interval. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Clopper–Pearson exact CI of x successes in n trials, as R's `binom.test(x, n, conf.level)`:
 * lower = qbeta((1-conf)/2, x, n-x+1) (0 when x = 0), upper = qbeta(1-(1-conf)/2, x+1, n-x)
 * (1 when x = n). The beta quantile is found by bisection on `pbeta`.
 */
export function clopperPearson(x: number, n: number, confLevel = 0.95): Interval {
  checkCount(x, n);
  const alpha = (1 - confLevel) / 2;
  return {
    lower: x === 0 ? 0 : qbetaBisect(alpha, x, n - x + 1),
    upper: x === n ? 1 : qbetaBisect(1 - alpha, x + 1, n - x),
  };
}

/** Wilson score CI without continuity correction, as R's `prop.test(x, n, correct = FALSE)$conf.int`. */
export function wilson(x: number, n: number, confLevel = 0.95): Interval {
  checkCount(x, n);
  const z = qnorm((1 + confLevel) / 2);
  const p = x / n;
  const z22n = (z * z) / (2 * n);
  const upper = p >= 1 ? 1 : (p + z22n + z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n))) / (1 + 2 * z22n);
  const lower = p <= 0 ? 0 : (p + z22n - z * Math.sqrt((p * (1 - p)) / n + z22n / (2 * n))) / (1 + 2 * z22n);
  return { lower: Math.max(lower, 0), upper: Math.min(upper, 1) };
}

/** CI of a binomial proportion by the named method (default Clopper–Pearson). */
export function proportionCi(x: number, n: number, method: ProportionCiMethod = 'clopper-pearson', confLevel = 0.95): Interval {
  if (!(confLevel > 0 && confLevel < 1)) throw new RadnomoError('E_PARAMS', `conf.level must be between 0 and 1, got ${confLevel}.`);
  if (method === 'clopper-pearson') return clopperPearson(x, n, confLevel);
  if (method === 'wilson') return wilson(x, n, confLevel);
  throw new RadnomoError('E_PARAMS', `CI method must be "clopper-pearson" or "wilson", got "${String(method)}".`);
}

function checkCount(x: number, n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(x) && x >= 0 && x <= n)) {
    throw new RadnomoError('E_VALUE', `a binomial CI needs whole counts 0 <= x <= n with n >= 1 (got x = ${x}, n = ${n}).`);
  }
}

/** A 2×2 table at a cut-off. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** F1 = 2TP / (2TP + FP + FN) (NaN when there is no case and no predicted case). */
export function f1Score(c: Confusion): number {
  return (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
}

/** Matthews correlation coefficient; 0 when any margin of the table is empty (scikit-learn's convention). */
export function mcc(c: Confusion): number {
  const den = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn));
  return den === 0 ? 0 : (c.tp * c.tn - c.fp * c.fn) / den;
}

/** Balanced accuracy = (sensitivity + specificity) / 2. */
export function balancedAccuracy(c: Confusion): number {
  return (c.tp / (c.tp + c.fn) + c.tn / (c.tn + c.fp)) / 2;
}

/** The 2×2 table of a 0/1 outcome at `threshold` with pROC's rule for `direction`. */
export function confusionAt(outcome: ArrayLike<number>, predictor: ArrayLike<number>, threshold: number, direction: Direction): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < outcome.length; i++) {
    const x = predictor[i]!;
    const pos = direction === '<' ? x >= threshold : x <= threshold;
    if (outcome[i] === 1) {
      if (pos) c.tp++;
      else c.fn++;
    } else if (pos) c.fp++;
    else c.tn++;
  }
  return c;
}

/** AP from per-distinct-value counts walked from the most case-like value down. */
function apFromCounts(controlCount: ArrayLike<number>, caseCount: ArrayLike<number>, m: number, direction: Direction): number {
  const u = controlCount.length;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let s = 0; s < u; s++) {
    const g = direction === '<' ? u - 1 - s : s;
    const a = caseCount[g]!;
    tp += a;
    fp += controlCount[g]!;
    if (a === 0) continue; // recall unchanged: no contribution
    const recall = tp / m;
    ap += ((recall - prevRecall) * tp) / (tp + fp);
    prevRecall = recall;
  }
  return ap;
}

/**
 * Average precision (area under the precision–recall curve without interpolation):
 * Σ_k (R_k − R_{k−1}) · P_k over the distinct predictor values, from the most case-like (largest
 * for "<", smallest for ">") down, tied rows entering together.
 */
export function averagePrecision(outcome: ArrayLike<number>, predictor: ArrayLike<number>, direction: DirectionOption = 'auto'): number {
  const { controls, cases } = splitByOutcome(outcome, predictor);
  const dir = direction === 'auto' ? autoDirection(controls, cases) : direction;
  const g = groupByValue(controls, cases);
  return apFromCounts(g.controlCount, g.caseCount, cases.length, dir);
}

/** One metric with its CI and the CI's method. */
export interface MetricEstimate {
  estimate: number;
  lower: number;
  upper: number;
  method: string;
  /** Binomial metrics: successes and trials. */
  x?: number;
  n?: number;
}

/** Every metric at a cut-off. */
export interface ClassificationMetrics {
  threshold: number;
  direction: Direction;
  /** "predictor >= threshold" or "predictor <= threshold": what counts as a predicted case. */
  rule: string;
  counts: Confusion;
  confLevel: number;
  accuracy: MetricEstimate;
  sensitivity: MetricEstimate;
  specificity: MetricEstimate;
  ppv: MetricEstimate;
  npv: MetricEstimate;
  f1: MetricEstimate;
  mcc: MetricEstimate;
  balancedAccuracy: MetricEstimate;
  auprc: MetricEstimate;
  bootN: number;
  seed: number;
  warnings: string[];
}

/** Options of `classificationMetrics`. */
export interface MetricsOptions {
  direction?: DirectionOption;
  /** CI of the binomial metrics (default Clopper–Pearson, as binom.test). */
  ciMethod?: ProportionCiMethod;
  confLevel?: number;
  /** Bootstrap replicates for F1, MCC, balanced accuracy and AUPRC (default 2000). */
  bootN?: number;
  /** Seed of radnomo's Random for the bootstrap (default 1). */
  seed?: number;
  predictorName?: string;
  outcomeName?: string;
}

/**
 * Accuracy, sensitivity, specificity, PPV, NPV (binomial CIs), F1, MCC, balanced accuracy and
 * AUPRC (stratified bootstrap percentile CIs) of a 0/1 outcome at a cut-off of a predictor; see
 * the file header for definitions. A metric whose denominator is 0 (e.g. PPV when nothing is
 * predicted positive) is NaN with a warning naming it.
 */
export function classificationMetrics(
  outcome: ArrayLike<number>,
  predictor: ArrayLike<number>,
  threshold: number,
  options: MetricsOptions = {},
): ClassificationMetrics {
  const ciMethod = options.ciMethod ?? 'clopper-pearson';
  const confLevel = options.confLevel ?? 0.95;
  const bootN = options.bootN ?? 2000;
  const seed = options.seed ?? 1;
  const pname = options.predictorName ?? 'predictor';
  if (!Number.isFinite(threshold)) throw new RadnomoError('E_PARAMS', `the threshold must be a finite number, got ${threshold}.`);
  if (!(Number.isInteger(bootN) && bootN >= 1)) {
    throw new RadnomoError('E_PARAMS', `the number of bootstrap replicates must be a positive integer, got ${bootN}.`);
  }
  const { controls, cases } = splitByOutcome(outcome, predictor, options.outcomeName, pname);
  const dirOpt = options.direction ?? 'auto';
  if (dirOpt !== 'auto' && dirOpt !== '<' && dirOpt !== '>') {
    throw new RadnomoError('E_PARAMS', `direction must be "auto", "<" or ">", got "${String(dirOpt)}".`);
  }
  const direction: Direction = dirOpt === 'auto' ? autoDirection(controls, cases) : dirOpt;
  const counts = confusionAt(outcome, predictor, threshold, direction);
  const warnings: string[] = [];
  const ciName = CI_METHOD_NAMES[ciMethod];
  if (ciName === undefined) throw new RadnomoError('E_PARAMS', `CI method must be "clopper-pearson" or "wilson", got "${String(ciMethod)}".`);
  const prop = (label: string, x: number, n: number, why: string): MetricEstimate => {
    if (n === 0) {
      warnings.push(`${label} is undefined at threshold ${threshold}: ${why}.`);
      return { estimate: NaN, lower: NaN, upper: NaN, method: ciName, x, n };
    }
    const ci = proportionCi(x, n, ciMethod, confLevel);
    return { estimate: x / n, lower: ci.lower, upper: ci.upper, method: ciName, x, n };
  };
  const { tp, fp, tn, fn } = counts;
  const N = tp + fp + tn + fn;

  // Bootstrap of F1, MCC, balanced accuracy and AUPRC: rows ordered controls then cases,
  // resampled within class; per replicate only counts (no sorting).
  const n = controls.length;
  const m = cases.length;
  const g = groupByValue(controls, cases);
  const u = g.unique.length;
  const total = n + m;
  const rowGroup = new Int32Array(total);
  const rowPos = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    rowGroup[i] = g.controlGroup[i]!;
    const x = controls[i]!;
    rowPos[i] = (direction === '<' ? x >= threshold : x <= threshold) ? 1 : 0;
  }
  for (let i = 0; i < m; i++) {
    rowGroup[n + i] = g.caseGroup[i]!;
    const x = cases[i]!;
    rowPos[n + i] = (direction === '<' ? x >= threshold : x <= threshold) ? 1 : 0;
  }
  const cls = new Float64Array(total);
  cls.fill(1, n);
  const strata = strataMembers(cls);
  const rng = new Random(seed);
  const idx = new Int32Array(total);
  const cc = new Int32Array(u);
  const ca = new Int32Array(u);
  const reps = [new Float64Array(bootN), new Float64Array(bootN), new Float64Array(bootN), new Float64Array(bootN)] as const;
  const kb: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let f1Nan = 0;
  for (let r = 0; r < bootN; r++) {
    bootstrapIndices(total, rng, strata, idx);
    cc.fill(0);
    ca.fill(0);
    kb.tp = 0;
    kb.fp = 0;
    for (let i = 0; i < total; i++) {
      const row = idx[i]!;
      if (row < n) {
        cc[rowGroup[row]!]!++;
        kb.fp += rowPos[row]!;
      } else {
        ca[rowGroup[row]!]!++;
        kb.tp += rowPos[row]!;
      }
    }
    kb.tn = n - kb.fp;
    kb.fn = m - kb.tp;
    const f = f1Score(kb);
    if (Number.isNaN(f)) f1Nan++;
    reps[0][r] = f;
    reps[1][r] = mcc(kb);
    reps[2][r] = balancedAccuracy(kb);
    reps[3][r] = apFromCounts(cc, ca, m, direction);
  }
  const a = (1 - confLevel) / 2;
  const bootName = `stratified bootstrap percentile (${bootN} replicates, seed ${seed})`;
  const boot = (label: string, estimate: number, values: Float64Array): MetricEstimate => {
    const kept = values.filter((v) => !Number.isNaN(v));
    if (kept.length === 0) return { estimate, lower: NaN, upper: NaN, method: bootName };
    const [lower, upper] = quantile7(kept, [a, 1 - a]) as [number, number];
    if (lower === upper && bootN > 1) {
      // e.g. one case and one control, or complete separation: every resample gives the same value
      // (with a single replicate, as the paper tables ask for, there is nothing to judge)
      warnings.push(`the bootstrap CI of ${label} is the single value ${lower} (${m} case(s), ${n} control(s)): the resamples do not vary, so it says nothing about the uncertainty.`);
    }
    return { estimate, lower, upper, method: bootName };
  };
  if (f1Nan > 0) warnings.push(`F1 was undefined in ${f1Nan} bootstrap replicates, which were dropped.`);
  const f1 = f1Score(counts);
  if (Number.isNaN(f1)) warnings.push(`F1 is undefined at threshold ${threshold}: no case and no predicted case.`);
  const mccDen = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
  if (mccDen === 0) warnings.push(`MCC is set to 0 at threshold ${threshold}: a margin of the 2x2 table is empty.`);
  if (tp + fp === 0) warnings.push(`No row is predicted a case at threshold ${threshold}.`);
  if (tn + fn === 0) warnings.push(`Every row is predicted a case at threshold ${threshold}.`);

  return {
    threshold,
    direction,
    rule: direction === '<' ? `${pname} >= ${threshold}` : `${pname} <= ${threshold}`,
    counts,
    confLevel,
    accuracy: prop('Accuracy', tp + tn, N, 'no rows'),
    sensitivity: prop('Sensitivity', tp, tp + fn, 'no cases'),
    specificity: prop('Specificity', tn, tn + fp, 'no controls'),
    ppv: prop('PPV', tp, tp + fp, 'no row is predicted a case'),
    npv: prop('NPV', tn, tn + fn, 'no row is predicted a control'),
    f1: boot('F1', f1, reps[0]),
    mcc: boot('MCC', mcc(counts), reps[1]),
    balancedAccuracy: boot('balanced accuracy', balancedAccuracy(counts), reps[2]),
    auprc: boot('AUPRC', apFromCounts(g.controlCount, g.caseCount, m, direction), reps[3]),
    bootN,
    seed,
    warnings,
  };
}
