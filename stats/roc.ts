/**
 * ROC curves and AUC exactly as pROC (Robin et al., BMC Bioinformatics 2011; pROC 1.18):
 * `roc()`, `auc()`, `coords(roc, "best", best.method = "youden")`, `coords(roc, x, input =
 * "threshold")`, and `ci.auc(method = "bootstrap", boot.stratified = TRUE)`. The DeLong CI and
 * tests are in delong.ts.
 *
 * Conventions (pROC's): outcome 0 = control, 1 = case. direction "<" means controls < cases: a
 * case is predicted when predictor >= threshold. direction ">" means controls > cases: a case is
 * predicted when predictor <= threshold. direction "auto" is "<" when median(controls) <=
 * median(cases), else ">" (pROC decides once and never flips afterwards, even when AUC < 0.5).
 */
import { RadnomoError } from '../src/errors';
import type { Random } from '../src/random';
import { bootstrapIndices, percentileCi, strataMembers } from './bootstrap';

export type Direction = '<' | '>';
export type DirectionOption = Direction | 'auto';

/** A ROC curve as pROC's `roc` object holds it. */
export interface RocCurve {
  /** The direction used ("<": controls < cases). */
  direction: Direction;
  /** Predictor values of the controls (outcome 0) and of the cases (outcome 1), in input order. */
  controls: Float64Array;
  cases: Float64Array;
  /**
   * Thresholds in pROC's order (`roc$thresholds` after `sort.roc`): -Inf, midpoints between sorted
   * unique values, Inf — ascending for "<", descending for ">" (so specificities ascend).
   */
  thresholds: Float64Array;
  sensitivities: Float64Array;
  specificities: Float64Array;
  /** Area under the curve, ties between a case and a control counted 1/2 (Mann–Whitney). */
  auc: number;
  /** Sentences about conditions that do not stop the analysis (constant predictor, AUC = 1). */
  warnings: string[];
}

/** R's `median` of a numeric vector (mean of the two middle order statistics for even n). */
export function median(x: ArrayLike<number>): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** R's median of a sample given as counts per sorted distinct value (same result as `median`). */
function groupedMedian(unique: Float64Array, count: Int32Array, total: number): number {
  const h = total >> 1; // 0-based index of the upper middle element
  const want = total % 2 === 1 ? [h] : [h - 1, h];
  const got: number[] = [];
  let seen = 0;
  for (let k = 0; k < unique.length && got.length < want.length; k++) {
    seen += count[k]!;
    while (got.length < want.length && want[got.length]! < seen) got.push(unique[k]!);
  }
  return got.length === 1 ? got[0]! : (got[0]! + got[1]!) / 2;
}

/** pROC's automatic direction: "<" when median(controls) <= median(cases), else ">". */
export function autoDirection(controls: ArrayLike<number>, cases: ArrayLike<number>): Direction {
  return median(controls) <= median(cases) ? '<' : '>';
}

/**
 * Values of controls and cases grouped by distinct value: `unique` ascending, and for each
 * control/case the index of its value in `unique`. Counts per distinct value too. The backbone of
 * the O(n log n) curve, AUC, DeLong placements and bootstrap.
 */
export interface ValueGroups {
  unique: Float64Array;
  controlGroup: Int32Array;
  caseGroup: Int32Array;
  controlCount: Int32Array;
  caseCount: Int32Array;
}

const GROUPS = new WeakMap<RocCurve, ValueGroups>();

/**
 * The value groups of a curve's controls and cases, computed once per curve and cached (curves
 * are treated as immutable: do not modify their arrays).
 */
export function curveGroups(curve: RocCurve): ValueGroups {
  let g = GROUPS.get(curve);
  if (g === undefined) {
    g = groupByValue(curve.controls, curve.cases);
    GROUPS.set(curve, g);
  }
  return g;
}

/** Groups controls and cases by distinct predictor value (see ValueGroups). */
export function groupByValue(controls: ArrayLike<number>, cases: ArrayLike<number>): ValueGroups {
  const n = controls.length;
  const m = cases.length;
  const all = new Float64Array(n + m);
  for (let i = 0; i < n; i++) all[i] = controls[i]!;
  for (let i = 0; i < m; i++) all[n + i] = cases[i]!;
  all.sort();
  let u = 0;
  for (let i = 0; i < all.length; i++) {
    if (i === 0 || all[i] !== all[u - 1]) all[u++] = all[i]!;
  }
  const unique = all.slice(0, u);
  const find = (v: number): number => lowerBound(unique, v);
  const controlGroup = new Int32Array(n);
  const caseGroup = new Int32Array(m);
  const controlCount = new Int32Array(u);
  const caseCount = new Int32Array(u);
  for (let i = 0; i < n; i++) {
    const g = find(controls[i]!);
    controlGroup[i] = g;
    controlCount[g]!++;
  }
  for (let i = 0; i < m; i++) {
    const g = find(cases[i]!);
    caseGroup[i] = g;
    caseCount[g]!++;
  }
  return { unique, controlGroup, caseGroup, controlCount, caseCount };
}

/** First index of a sorted array whose value is >= v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Mann–Whitney AUC from per-value counts: P(case > control) + P(case = control)/2 for "<",
 * P(case < control) + ½P(=) for ">". Summed as pROC's DeLong theta (exact half-integer counts,
 * then divided by m, then by n).
 */
export function aucFromCounts(controlCount: ArrayLike<number>, caseCount: ArrayLike<number>, n: number, m: number, direction: Direction): number {
  const u = controlCount.length;
  let below = 0;
  let sum = 0;
  if (direction === '<') {
    for (let g = 0; g < u; g++) {
      const cc = controlCount[g]!;
      sum += caseCount[g]! * (below + 0.5 * cc);
      below += cc;
    }
  } else {
    for (let g = u - 1; g >= 0; g--) {
      const cc = controlCount[g]!;
      sum += caseCount[g]! * (below + 0.5 * cc);
      below += cc;
    }
  }
  return sum / m / n;
}

/**
 * pROC's `roc.utils.thresholds`: (-Inf, midpoints of consecutive sorted unique values, Inf), the
 * midpoint taken as a/2 + b/2 when |(a+b)/2| > 1e100; where a midpoint rounds onto a data value
 * (adjacent doubles) it is moved to the side that keeps the curve right: onto the upper value
 * for "<", onto the lower value for ">". Returned ascending, one more than the unique values.
 */
export function rocThresholds(unique: ArrayLike<number>, direction: Direction): Float64Array {
  const u = unique.length;
  const t = new Float64Array(u + 1);
  for (let k = 0; k <= u; k++) {
    const a = k === 0 ? -Infinity : unique[k - 1]!;
    const b = k === u ? Infinity : unique[k]!;
    const t1 = (a + b) / 2;
    t[k] = Math.abs(t1) > 1e100 ? a / 2 + b / 2 : t1;
  }
  for (let k = 1; k < u; k++) {
    const lower = unique[k - 1]!;
    const upper = unique[k]!;
    if (direction === '<' && t[k] === lower) t[k] = upper;
    else if (direction === '>' && t[k] === upper) t[k] = lower;
  }
  return t;
}

/** Options of `roc`. */
export interface RocOptions {
  /** "auto" (default, pROC's median rule), "<" or ">". */
  direction?: DirectionOption;
  /** Name of the predictor for messages. */
  predictorName?: string;
  /** Name of the outcome for messages. */
  outcomeName?: string;
}

/**
 * Splits a 0/1 outcome and a predictor into controls (0) and cases (1), with errors naming the
 * column and row for unequal lengths, NaN/Inf, outcomes other than 0/1, or a missing class.
 */
export function splitByOutcome(
  outcome: ArrayLike<number>,
  predictor: ArrayLike<number>,
  outcomeName = 'outcome',
  predictorName = 'predictor',
): { controls: Float64Array; cases: Float64Array } {
  if (outcome.length !== predictor.length) {
    throw new RadnomoError('E_DATA', `"${outcomeName}" has ${outcome.length} values but "${predictorName}" has ${predictor.length}.`);
  }
  let m = 0;
  for (let i = 0; i < outcome.length; i++) {
    const y = outcome[i]!;
    if (y !== 0 && y !== 1) {
      throw new RadnomoError('E_COLUMN', `"${outcomeName}" must be 0 (control) or 1 (case); row ${i + 1} holds ${y}.`);
    }
    const x = predictor[i]!;
    if (!Number.isFinite(x)) {
      throw new RadnomoError('E_VALUE', `"${predictorName}" row ${i + 1} is ${x}; a ROC curve needs finite values (drop missing rows first).`);
    }
    m += y;
  }
  const n = outcome.length - m;
  if (n === 0) throw new RadnomoError('E_DATA', `"${outcomeName}" has no control (0): a ROC curve needs both classes.`);
  if (m === 0) throw new RadnomoError('E_DATA', `"${outcomeName}" has no case (1): a ROC curve needs both classes.`);
  const controls = new Float64Array(n);
  const cases = new Float64Array(m);
  let i0 = 0;
  let i1 = 0;
  for (let i = 0; i < outcome.length; i++) {
    if (outcome[i] === 1) cases[i1++] = predictor[i]!;
    else controls[i0++] = predictor[i]!;
  }
  return { controls, cases };
}

/**
 * The empirical ROC curve of `predictor` for a 0/1 `outcome`, matching `pROC::roc(outcome,
 * predictor, direction = ...)`: same direction, thresholds, sensitivities, specificities (same
 * order) and AUC. O(n log n).
 */
export function roc(outcome: ArrayLike<number>, predictor: ArrayLike<number>, options: RocOptions = {}): RocCurve {
  const { controls, cases } = splitByOutcome(outcome, predictor, options.outcomeName, options.predictorName);
  return rocFromGroups(controls, cases, options.direction ?? 'auto', options.predictorName);
}

/** The ROC curve of given controls and cases (pROC's `roc(controls = , cases = )`). */
export function rocFromGroups(
  controls: Float64Array,
  cases: Float64Array,
  directionOption: DirectionOption = 'auto',
  predictorName = 'predictor',
): RocCurve {
  if (controls.length === 0 || cases.length === 0) {
    throw new RadnomoError('E_DATA', `a ROC curve needs at least one control and one case (got ${controls.length} and ${cases.length}).`);
  }
  for (const v of [controls, cases]) {
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i]!)) throw new RadnomoError('E_VALUE', `"${predictorName}" holds ${v[i]}; a ROC curve needs finite values.`);
    }
  }
  if (directionOption !== 'auto' && directionOption !== '<' && directionOption !== '>') {
    throw new RadnomoError('E_PARAMS', `direction must be "auto", "<" or ">", got "${String(directionOption)}".`);
  }
  const g = groupByValue(controls, cases);
  const direction: Direction =
    directionOption === 'auto'
      ? groupedMedian(g.unique, g.controlCount, controls.length) <= groupedMedian(g.unique, g.caseCount, cases.length)
        ? '<'
        : '>'
      : directionOption;
  const n = controls.length;
  const m = cases.length;
  const u = g.unique.length;
  const tAsc = rocThresholds(g.unique, direction);
  const thresholds = new Float64Array(u + 1);
  const se = new Float64Array(u + 1);
  const sp = new Float64Array(u + 1);
  // Threshold k lies between unique[k-1] and unique[k]. Controls/cases at or below unique[k-1]:
  let ctlBelow = 0;
  let casBelow = 0;
  for (let k = 0; k <= u; k++) {
    if (k > 0) {
      ctlBelow += g.controlCount[k - 1]!;
      casBelow += g.caseCount[k - 1]!;
    }
    if (direction === '<') {
      // case predicted when x >= t: cases above, controls below are correct
      thresholds[k] = tAsc[k]!;
      se[k] = (m - casBelow) / m;
      sp[k] = ctlBelow / n;
    } else {
      // stored descending (pROC's sort.roc reverses the ">" curve)
      const j = u - k;
      thresholds[j] = tAsc[k]!;
      se[j] = casBelow / m;
      sp[j] = (n - ctlBelow) / n;
    }
  }
  const auc = aucFromCounts(g.controlCount, g.caseCount, n, m, direction);
  const warnings: string[] = [];
  if (u === 1) warnings.push(`"${predictorName}" is constant: the ROC curve is the diagonal and the AUC is 0.5.`);
  let best = 0;
  for (let k = 0; k <= u; k++) best = Math.max(best, se[k]! + sp[k]!);
  if (Math.abs(best - 2) < Math.sqrt(Number.EPSILON)) {
    warnings.push(`"${predictorName}" separates cases and controls perfectly (AUC = 1): its CI is degenerate and can be misleading.`);
  }
  const curve: RocCurve = { direction, controls, cases, thresholds, sensitivities: se, specificities: sp, auc, warnings };
  GROUPS.set(curve, g);
  return curve;
}

/** One point of the ROC curve. */
export interface RocPoint {
  threshold: number;
  sensitivity: number;
  specificity: number;
}

/**
 * The Youden-optimal thresholds, `coords(roc, "best", best.method = "youden")` with pROC's
 * default best.weights c(1, 0.5): every point where sensitivity + specificity equals its maximum
 * exactly. pROC returns ALL tied points (not the first), in the curve's order (ascending
 * threshold for "<", descending for ">"); so does this.
 */
export function youdenBest(curve: RocCurve): RocPoint[] {
  const { sensitivities: se, specificities: sp, thresholds: t } = curve;
  let max = -Infinity;
  for (let k = 0; k < t.length; k++) max = Math.max(max, se[k]! + 1 * sp[k]!);
  const out: RocPoint[] = [];
  for (let k = 0; k < t.length; k++) {
    if (se[k]! + 1 * sp[k]! === max) out.push({ threshold: t[k]!, sensitivity: se[k]!, specificity: sp[k]! });
  }
  return out;
}

/**
 * Sensitivity and specificity at a given threshold, as `coords(roc, x = threshold, input =
 * "threshold")`: for "<" a case is predicted when predictor >= threshold, for ">" when
 * predictor <= threshold.
 */
export function coordsAt(curve: RocCurve, threshold: number): RocPoint & { tp: number; fp: number; tn: number; fn: number } {
  if (Number.isNaN(threshold)) throw new RadnomoError('E_VALUE', 'the threshold is NaN.');
  const pos = curve.direction === '<' ? (x: number): boolean => x >= threshold : (x: number): boolean => x <= threshold;
  let tp = 0;
  let fp = 0;
  for (const x of curve.cases) if (pos(x)) tp++;
  for (const x of curve.controls) if (pos(x)) fp++;
  const m = curve.cases.length;
  const n = curve.controls.length;
  return { threshold, sensitivity: tp / m, specificity: (n - fp) / n, tp, fp, tn: n - fp, fn: m - tp };
}

/** A confidence interval of the AUC. */
export interface AucCi {
  auc: number;
  lower: number;
  upper: number;
  confLevel: number;
  method: string;
  /** Bootstrap only: median of the replicate AUCs (pROC prints it as the middle value), replicates kept and dropped. */
  median?: number;
  bootN?: number;
  dropped?: number;
}

/** Options of the bootstrap AUC CI. */
export interface BootstrapAucOptions {
  /** Replicates (pROC's boot.n, default 2000). */
  bootN?: number;
  confLevel?: number;
  /** Resample controls and cases separately (pROC's boot.stratified, default true). */
  stratified?: boolean;
}

/**
 * Bootstrap CI of the AUC, `pROC::ci.auc(roc, method = "bootstrap", boot.n, boot.stratified)`:
 * controls and cases are resampled with replacement (separately when stratified), the AUC is
 * recomputed with the curve's direction kept fixed, and the CI is the type-7 percentile interval
 * of the replicate AUCs. Replicates are drawn with radnomo's seeded `Random` (not R's RNG), so
 * the interval agrees with R's within Monte Carlo error only; the same seed gives the same CI.
 *
 * Fast: values are ranked once; each replicate only counts draws per distinct value and sums the
 * Mann–Whitney statistic in one pass (O(n + distinct values), typed arrays, no sorting).
 */
export function ciAucBootstrap(curve: RocCurve, rng: Random, options: BootstrapAucOptions = {}): AucCi {
  const bootN = options.bootN ?? 2000;
  const confLevel = options.confLevel ?? 0.95;
  const stratified = options.stratified ?? true;
  const reps = bootstrapAucReplicates(curve, rng, bootN, stratified);
  const dropped = bootN - reps.length;
  if (reps.length === 0) throw new RadnomoError('E_DATA', 'every bootstrap replicate lacked cases or controls; no CI can be computed.');
  const ci = percentileCi(reps, confLevel);
  return {
    auc: curve.auc,
    lower: ci.lower,
    upper: ci.upper,
    median: ci.median,
    confLevel,
    method: stratified ? `stratified bootstrap percentile (${bootN} replicates)` : `bootstrap percentile (${bootN} replicates)`,
    bootN,
    dropped,
  };
}

/**
 * The AUCs of `bootN` bootstrap resamples of a curve (NaN-free: a non-stratified replicate
 * without cases or controls is dropped, as pROC drops its NA). Rows are ordered controls then
 * cases and resampled with `bootstrapIndices` (strata = outcome when stratified).
 */
export function bootstrapAucReplicates(curve: RocCurve, rng: Random, bootN: number, stratified = true): Float64Array {
  if (!(Number.isInteger(bootN) && bootN >= 1)) {
    throw new RadnomoError('E_PARAMS', `the number of bootstrap replicates must be a positive integer, got ${bootN}.`);
  }
  const n = curve.controls.length;
  const m = curve.cases.length;
  const total = n + m;
  const g = curveGroups(curve);
  const u = g.unique.length;
  // Group of each row (controls first), walked in the direction's order so that "case above
  // control" always means a larger group index.
  const rowGroup = new Int32Array(total);
  const flip = curve.direction === '>';
  for (let i = 0; i < n; i++) rowGroup[i] = flip ? u - 1 - g.controlGroup[i]! : g.controlGroup[i]!;
  for (let i = 0; i < m; i++) rowGroup[n + i] = flip ? u - 1 - g.caseGroup[i]! : g.caseGroup[i]!;
  const outcome = new Float64Array(total);
  outcome.fill(1, n);
  const strata = stratified ? strataMembers(outcome) : undefined;
  const idx = new Int32Array(total);
  const cc = new Int32Array(u);
  const ca = new Int32Array(u);
  const out = new Float64Array(bootN);
  let k = 0;
  for (let r = 0; r < bootN; r++) {
    bootstrapIndices(total, rng, strata, idx);
    cc.fill(0);
    ca.fill(0);
    let nb = 0;
    for (let i = 0; i < total; i++) {
      const row = idx[i]!;
      if (row < n) {
        cc[rowGroup[row]!]!++;
        nb++;
      } else ca[rowGroup[row]!]!++;
    }
    const mb = total - nb;
    if (nb === 0 || mb === 0) continue;
    let below = 0;
    let sum = 0;
    for (let j = 0; j < u; j++) {
      const c = cc[j]!;
      const a = ca[j]!;
      if (a !== 0) sum += a * (below + 0.5 * c);
      below += c;
    }
    out[k++] = sum / mb / nb;
  }
  return out.slice(0, k);
}
