/**
 * Intraclass correlation coefficients as `psych::ICC` reports them: the six Shrout & Fleiss (1979)
 * forms ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k with their F tests and confidence intervals (McGraw &
 * Wong 1996; ICC2's interval with the Satterthwaite-type df psych uses), for many features at once.
 *
 * psych computes the mean squares in one of two ways, both available here:
 * - `method: 'lmer'` (psych's default, `ICC(x)`): variance components of the crossed random model
 *   values ~ 1 + (1|subject) + (1|rater) by REML. For complete (balanced) data the REML estimates
 *   have a closed form: the mean squares MSB, MSJ, MSE themselves when MSB >= MSE and MSJ >= MSE,
 *   otherwise the df-weighted pooling that the zero-variance boundary imposes (isotonic
 *   regression of the mean squares). Then MSW = sigma_e^2 + sigma_rater^2, as psych sets it.
 *   radnomo evaluates that optimum exactly; lme4 reaches it by numerical optimisation, so the two
 *   agree to lme4's optimiser tolerance (about 1e-6), not to the last digit.
 * - `method: 'aov'` (`ICC(x, lmer = FALSE)`): two-way ANOVA mean squares, MSW = (SSJ + SSE) /
 *   (dfJ + dfE). Exact.
 * Only complete subjects (a value from every rater) are used.
 *
 * When the residual mean square MSE is exactly 0 (raters that agree perfectly, or that differ only
 * by a constant offset per rater; radnomo checks this exactly on the stored values, so identical
 * decimal ratings count too), psych's formulas divide by 0; psych itself never sees an exact 0
 * (its residual is floating-point noise: about 1e-28 from aov, F about 1e30 and p about 1e-270;
 * lme4's about 1e-13 relative, F about 1e13, when lme4 converges at all, which it may not for
 * constant offsets). radnomo reports the limits of psych's formulas as MSE -> 0: F = Inf, p = 0, bounds
 * of the (F - 1) / (F + k - 1) and 1 - 1/F forms = 1, and the ICC2 / ICC2k interval with the limit
 * k - 1 of psych's Satterthwaite df (all bounds 1 when the raters agree perfectly), with a warning
 * saying which case it is.
 */
import { RadnomoError } from '../src/errors';
import { pf, qf } from './distributions';

export type IccForm = 'ICC1' | 'ICC2' | 'ICC3' | 'ICC1k' | 'ICC2k' | 'ICC3k';
export const ICC_FORMS: readonly IccForm[] = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'];
export type IccMethod = 'lmer' | 'aov';

/** One row of psych::ICC's results table. */
export interface IccRow {
  type: IccForm;
  icc: number;
  f: number;
  df1: number;
  df2: number;
  p: number;
  lower: number;
  upper: number;
}

/** The six forms for one feature, with the mean squares used. */
export interface IccResult {
  forms: IccRow[];
  nSubjects: number;
  nRaters: number;
  msb: number;
  msj: number;
  mse: number;
  msw: number;
  warnings: string[];
}

export interface IccOptions {
  /** 1 - confidence level (psych's alpha, default 0.05). */
  alpha?: number;
  /** 'lmer' (psych's default) or 'aov' (psych's lmer = FALSE). */
  method?: IccMethod;
  /** Feature names, for messages (default: numbers from 1). */
  names?: readonly string[];
}

/** Several features' ratings: values[(f * nSubjects + s) * nRaters + r], NaN = missing. */
export interface IccArray {
  nFeatures: number;
  nSubjects: number;
  nRaters: number;
  values: Float64Array;
}

/** Builds an IccArray from nested arrays [feature][subject][rater]. */
export function iccArray(data: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>): IccArray {
  const nFeatures = data.length;
  if (nFeatures === 0) throw new RadnomoError('E_DATA', 'ICC: no features given.');
  const nSubjects = data[0]!.length;
  const nRaters = nSubjects > 0 ? data[0]![0]!.length : 0;
  const values = new Float64Array(nFeatures * nSubjects * nRaters);
  for (let f = 0; f < nFeatures; f++) {
    const m = data[f]!;
    if (m.length !== nSubjects) throw new RadnomoError('E_DATA', `ICC: feature ${f + 1} has ${m.length} subjects, feature 1 has ${nSubjects}.`);
    for (let s = 0; s < nSubjects; s++) {
      const row = m[s]!;
      if (row.length !== nRaters) throw new RadnomoError('E_DATA', `ICC: feature ${f + 1}, subject ${s + 1} has ${row.length} ratings; expected ${nRaters}.`);
      for (let r = 0; r < nRaters; r++) values[(f * nSubjects + s) * nRaters + r] = row[r]!;
    }
  }
  return { nFeatures, nSubjects, nRaters, values };
}

/** Cache of the F quantiles that depend only on the design (n, k) and alpha. */
const quantileCache = new Map<string, number>();
function qfCached(p: number, df1: number, df2: number): number {
  const key = `${p}|${df1}|${df2}`;
  let v = quantileCache.get(key);
  if (v === undefined) {
    v = qf(p, df1, df2);
    if (quantileCache.size > 1000) quantileCache.clear();
    quantileCache.set(key, v);
  }
  return v;
}

/**
 * Whether the complete subjects' ratings have a residual of exactly 0 in exact arithmetic: every
 * rater's difference from rater 1 is the same real number for every subject. The differences are
 * compared exactly as TwoSum pairs (hi = fl(a - b), lo = its rounding error), so rounding in the
 * mean squares' sums (which leaves MSE at ~1e-30 instead of 0 for, e.g., identical decimal ratings)
 * does not hide it. Returns null in the usual case (decided at the first subject that differs);
 * otherwise `raters0` (every difference is 0: the raters agree, so SSJ is exactly 0 too) and
 * `subjects0` (rater 1 gives every subject the same value: then so does every rater, SSB is 0).
 */
function zeroResidual(values: Float64Array, base: number, nSubjects: number, k: number, ok: Uint8Array): { raters0: boolean; subjects0: boolean } | null {
  let s0 = -1;
  for (let s = 0; s < nSubjects && s0 < 0; s++) if (ok[s]) s0 = s;
  const refHi = new Float64Array(k);
  const refLo = new Float64Array(k);
  const diff = (s: number, r: number): [number, number] => {
    const a = values[base + s * k + r]!;
    const b = values[base + s * k]!;
    const hi = a - b;
    const bb = hi - a;
    return [hi, a - (hi - bb) - (b + bb)];
  };
  let raters0 = true;
  for (let r = 1; r < k; r++) {
    [refHi[r], refLo[r]] = diff(s0, r);
    if (refHi[r] !== 0 || refLo[r] !== 0) raters0 = false;
  }
  let subjects0 = true;
  for (let s = s0 + 1; s < nSubjects; s++) {
    if (!ok[s]) continue;
    for (let r = 1; r < k; r++) {
      const [hi, lo] = diff(s, r);
      if (hi !== refHi[r] || lo !== refLo[r]) return null;
    }
    if (values[base + s * k] !== values[base + s0 * k]) subjects0 = false;
  }
  return { raters0, subjects0 };
}

/** REML (boundary-aware) expected mean squares: df-weighted isotonic pooling with E lowest. */
function remlMeanSquares(msb: number, dfb: number, msj: number, dfj: number, mse: number, dfe: number): [number, number, number] {
  let pooledSs = mse * dfe;
  let pooledDf = dfe;
  let theta = mse;
  let inB = false;
  let inJ = false;
  const order: Array<'B' | 'J'> = msb <= msj ? ['B', 'J'] : ['J', 'B'];
  for (const which of order) {
    const ms = which === 'B' ? msb : msj;
    const df = which === 'B' ? dfb : dfj;
    if (ms < theta) {
      pooledSs += ms * df;
      pooledDf += df;
      theta = pooledSs / pooledDf;
      if (which === 'B') inB = true;
      else inJ = true;
    }
  }
  return [inB ? theta : msb, inJ ? theta : msj, theta];
}

/**
 * The six ICC forms from the two-way mean squares of n subjects by k raters, with psych's
 * F tests and intervals.
 */
function iccFromMeanSquares(n: number, k: number, msbA: number, msjA: number, mseA: number, ssj: number, sse: number, alpha: number, method: IccMethod): IccResult {
  const dfB = n - 1;
  const dfJ = k - 1;
  const dfE = (n - 1) * (k - 1);
  let MSB = msbA;
  let MSJ = msjA;
  let MSE = mseA;
  let MSW: number;
  if (method === 'lmer') {
    [MSB, MSJ, MSE] = remlMeanSquares(msbA, dfB, msjA, dfJ, mseA, dfE);
    MSW = MSE + (MSJ - MSE) / n; // sigma_e^2 + sigma_rater^2
  } else {
    MSW = (ssj + sse) / (dfJ + dfE);
  }
  const nj = k;
  const ICC1 = (MSB - MSW) / (MSB + (nj - 1) * MSW);
  const ICC2 = (MSB - MSE) / (MSB + (nj - 1) * MSE + (nj * (MSJ - MSE)) / n);
  const ICC3 = (MSB - MSE) / (MSB + (nj - 1) * MSE);
  const ICC12 = (MSB - MSW) / MSB;
  const ICC22 = (MSB - MSE) / (MSB + (MSJ - MSE) / n);
  const ICC32 = (MSB - MSE) / MSB;
  const F11 = MSB / MSW;
  const df11n = n - 1;
  const df11d = n * (nj - 1);
  const p11 = pf(F11, df11n, df11d, false);
  const F21 = MSB / MSE;
  const df21n = n - 1;
  const df21d = (n - 1) * (nj - 1);
  const p21 = pf(F21, df21n, df21d, false);
  const q = 1 - alpha / 2;
  const F1L = F11 / qfCached(q, df11n, df11d);
  const F1U = F11 * qfCached(q, df11d, df11n);
  const F3L = F21 / qfCached(q, df21n, df21d);
  const F3U = F21 * qfCached(q, df21d, df21n);
  // ICC2: Satterthwaite-type df for the mixture MSJ/MSE (psych; McGraw & Wong 1996, case 2A).
  // With MSE = 0, Fj = MSJ / MSE is infinite (or 0/0 when MSJ = 0 too) and psych's ratio vn / vd
  // is Inf/Inf; its limit as Fj -> Inf is (k - 1)(n - 1) k^2 ICC2^2 / ((n - 1) k^2 ICC2^2) = k - 1
  // (ICC2 > 0 when MSB > 0). When MSJ = 0 too, the bounds below are 1 whatever v is.
  const Fj = MSJ / MSE;
  let v: number;
  if (MSE === 0) v = nj - 1;
  else {
    const vn = (nj - 1) * (n - 1) * (nj * ICC2 * Fj + n * (1 + (nj - 1) * ICC2) - nj * ICC2) ** 2;
    const vd = (n - 1) * nj * nj * ICC2 * ICC2 * Fj * Fj + (n * (1 + (nj - 1) * ICC2) - nj * ICC2) ** 2;
    v = vn / vd;
  }
  const F2U = qf(q, n - 1, v);
  const F2L = qf(q, v, n - 1);
  // With MSE = MSJ = 0 both reduce to n MSB / (n MSB) = 1; set it exactly (psych's order of
  // operations would leave U2 one ulp below 1).
  const perfect = MSE === 0 && MSJ === 0 && MSB > 0;
  const L2 = perfect ? 1 : (n * (MSB - F2U * MSE)) / (F2U * (nj * MSJ + (nj * n - nj - n) * MSE) + n * MSB);
  const U2 = perfect ? 1 : (n * (F2L * MSB - MSE)) / (nj * MSJ + (nj * n - nj - n) * MSE + n * F2L * MSB);
  // (F - 1) / (F + k - 1), whose limit at F = Inf (MSE = 0, or MSW = 0 for ICC1) is 1.
  const single = (F: number): number => (F === Infinity ? 1 : (F - 1) / (F + nj - 1));
  const forms: IccRow[] = [
    { type: 'ICC1', icc: ICC1, f: F11, df1: df11n, df2: df11d, p: p11, lower: single(F1L), upper: single(F1U) },
    { type: 'ICC2', icc: ICC2, f: F21, df1: df21n, df2: df21d, p: p21, lower: L2, upper: U2 },
    { type: 'ICC3', icc: ICC3, f: F21, df1: df21n, df2: df21d, p: p21, lower: single(F3L), upper: single(F3U) },
    { type: 'ICC1k', icc: ICC12, f: F11, df1: df11n, df2: df11d, p: p11, lower: 1 - 1 / F1L, upper: 1 - 1 / F1U },
    { type: 'ICC2k', icc: ICC22, f: F21, df1: df21n, df2: df21d, p: p21, lower: (L2 * nj) / (1 + L2 * (nj - 1)), upper: (U2 * nj) / (1 + U2 * (nj - 1)) },
    { type: 'ICC3k', icc: ICC32, f: F21, df1: df21n, df2: df21d, p: p21, lower: 1 - 1 / F3L, upper: 1 - 1 / F3U },
  ];
  const warnings: string[] = [];
  if (MSB === 0 && MSE === 0) {
    warnings.push(MSJ === 0
      ? 'every value is the same: no variance between subjects, raters or residuals; the ICCs are undefined (NaN).'
      : 'each rater gives every subject the same value (no variance between subjects, residual mean square 0); the ICCs are undefined or degenerate.');
  } else if (MSE === 0 && MSJ === 0) {
    warnings.push("the raters agree perfectly (residual and rater mean squares 0): every ICC and bound is 1, F is Inf and p is 0, the limits of psych's formulas (psych's residual is floating-point noise instead, which gives a huge finite F and the same values up to rounding).");
  } else if (MSE === 0) {
    warnings.push(`the raters differ only by a constant offset per rater (residual mean square 0): the ICC2/ICC3 F is Inf and p is 0, ICC3, ICC3k and their bounds are 1, and the ICC2 interval uses k - 1 df, the limits of psych's formulas (psych's residual is floating-point noise instead, which gives a huge finite F and the same values up to rounding${method === 'lmer' ? '; with lmer = TRUE, lme4 may fail to converge on such data and psych then reports other values' : ''}).`);
  }
  return { forms, nSubjects: n, nRaters: k, msb: MSB, msj: MSJ, mse: MSE, msw: MSW, warnings };
}

/**
 * psych::ICC for one subjects x raters table (rows: subjects, columns: raters). Subjects with a
 * missing (NaN) rating are left out (complete cases).
 */
export function icc(table: ReadonlyArray<ArrayLike<number>>, opts: IccOptions = {}): IccResult {
  return iccMany(iccArray([table]), opts)[0]!;
}

/**
 * psych::ICC for every feature of an IccArray. Per feature, only subjects rated by every rater
 * are used (the count dropped is reported in `warnings`). Needs >= 2 raters and >= 2 complete
 * subjects per feature.
 */
export function iccMany(data: IccArray, opts: IccOptions = {}): IccResult[] {
  const alpha = opts.alpha ?? 0.05;
  const method = opts.method ?? 'lmer';
  if (!(alpha > 0 && alpha < 1)) throw new RadnomoError('E_PARAMS', `ICC: alpha must be in (0, 1), got ${alpha}.`);
  if (method !== 'lmer' && method !== 'aov') throw new RadnomoError('E_PARAMS', `ICC: method must be "lmer" or "aov", got "${String(method)}".`);
  const { nFeatures, nSubjects, nRaters: k, values } = data;
  if (k < 2) throw new RadnomoError('E_DATA', `ICC: needs at least 2 raters, got ${k}.`);
  const out: IccResult[] = [];
  const rowMean = new Float64Array(nSubjects);
  const colMean = new Float64Array(k);
  const ok = new Uint8Array(nSubjects);
  for (let f = 0; f < nFeatures; f++) {
    const base = f * nSubjects * k;
    let n = 0;
    for (let s = 0; s < nSubjects; s++) {
      let good = 1;
      for (let r = 0; r < k; r++) if (!Number.isFinite(values[base + s * k + r]!)) good = 0;
      ok[s] = good;
      n += good;
    }
    const label = opts.names?.[f] !== undefined ? `"${opts.names[f]}"` : String(f + 1);
    if (n < 2) throw new RadnomoError('E_DATA', `ICC: feature ${label} has ${n} subject(s) with all ${k} ratings; at least 2 are needed.`);
    colMean.fill(0);
    let gm = 0;
    for (let s = 0; s < nSubjects; s++) {
      if (!ok[s]) continue;
      let rs = 0;
      for (let r = 0; r < k; r++) {
        const x = values[base + s * k + r]!;
        rs += x;
        colMean[r] = colMean[r]! + x;
      }
      rowMean[s] = rs / k;
      gm += rs;
    }
    gm /= n * k;
    for (let r = 0; r < k; r++) colMean[r] = colMean[r]! / n;
    let ssb = 0;
    let ssj = 0;
    let sse = 0;
    for (let s = 0; s < nSubjects; s++) {
      if (!ok[s]) continue;
      const dr = rowMean[s]! - gm;
      ssb += dr * dr;
      for (let r = 0; r < k; r++) {
        const e = values[base + s * k + r]! - rowMean[s]! - colMean[r]! + gm;
        sse += e * e;
      }
    }
    for (let r = 0; r < k; r++) ssj += (colMean[r]! - gm) ** 2;
    ssb *= k;
    ssj *= n;
    // A residual that is exactly 0 for the stored values is 0, not the sums' rounding noise.
    const zr = zeroResidual(values, base, nSubjects, k, ok);
    if (zr !== null) {
      sse = 0;
      if (zr.raters0) ssj = 0;
      if (zr.subjects0) ssb = 0;
    }
    const dfB = n - 1;
    const dfJ = k - 1;
    const dfE = (n - 1) * (k - 1);
    const res = iccFromMeanSquares(n, k, ssb / dfB, ssj / dfJ, sse / dfE, ssj, sse, alpha, method);
    if (n < nSubjects) res.warnings.unshift(`${nSubjects - n} subject(s) without all ${k} ratings were left out.`);
    out.push(res);
  }
  return out;
}

/** Long-format ratings: one row per subject and rater, one column per feature. */
export interface IccLongInput {
  subject: readonly string[];
  rater: readonly string[];
  features: ReadonlyArray<{ name: string; values: ArrayLike<number> }>;
}

/**
 * Reshapes long-format ratings (subject, rater, feature values) into an IccArray: subjects in
 * order of first appearance, raters likewise. A (subject, rater) pair given twice is an error; a
 * missing pair leaves that subject incomplete (dropped from the ICC).
 */
export function iccArrayFromLong(input: IccLongInput): { data: IccArray; subjects: string[]; raters: string[]; names: string[] } {
  const N = input.subject.length;
  if (input.rater.length !== N) throw new RadnomoError('E_DATA', `ICC: ${N} subject labels but ${input.rater.length} rater labels.`);
  const subj = new Map<string, number>();
  const rat = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    if (!subj.has(input.subject[i]!)) subj.set(input.subject[i]!, subj.size);
    if (!rat.has(input.rater[i]!)) rat.set(input.rater[i]!, rat.size);
  }
  const nS = subj.size;
  const k = rat.size;
  const nF = input.features.length;
  const values = new Float64Array(nF * nS * k).fill(NaN);
  const seen = new Uint8Array(nS * k);
  for (let i = 0; i < N; i++) {
    const s = subj.get(input.subject[i]!)!;
    const r = rat.get(input.rater[i]!)!;
    if (seen[s * k + r]) throw new RadnomoError('E_DATA', `ICC: subject "${input.subject[i]}" has two rows for rater "${input.rater[i]}".`);
    seen[s * k + r] = 1;
  }
  input.features.forEach((feat, f) => {
    if (feat.values.length !== N) throw new RadnomoError('E_DATA', `ICC: feature "${feat.name}" has ${feat.values.length} values for ${N} rows.`);
    for (let i = 0; i < N; i++) {
      const s = subj.get(input.subject[i]!)!;
      const r = rat.get(input.rater[i]!)!;
      values[(f * nS + s) * k + r] = feat.values[i]!;
    }
  });
  return { data: { nFeatures: nF, nSubjects: nS, nRaters: k, values }, subjects: [...subj.keys()], raters: [...rat.keys()], names: input.features.map((f) => f.name) };
}

/** The value of one form from a result. */
export function iccValue(res: IccResult, form: IccForm): IccRow {
  const row = res.forms.find((r) => r.type === form);
  if (!row) throw new RadnomoError('E_PARAMS', `ICC: unknown form "${form}"; use one of ${ICC_FORMS.join(', ')}.`);
  return row;
}

export interface IccFilterOptions extends IccOptions {
  /** Keep features whose ICC is >= threshold (default 0.8). */
  threshold?: number;
  /** Which ICC form decides (default ICC2: two-way random, absolute agreement, single rater). */
  form?: IccForm;
}

/**
 * Reproducibility filter: fitted on the training subjects' multi-reader ratings, keeps the
 * features with ICC >= threshold (a NaN ICC is not kept); `apply` selects those columns.
 */
export class IccFilter {
  private readonly threshold: number;
  private readonly form: IccForm;
  private readonly opts: IccOptions;
  private keptNames: string[] | null = null;
  private allNames: string[] = [];
  private iccValues: number[] = [];

  constructor(opts: IccFilterOptions = {}) {
    this.threshold = opts.threshold ?? 0.8;
    this.form = opts.form ?? 'ICC2';
    if (!ICC_FORMS.includes(this.form)) throw new RadnomoError('E_PARAMS', `IccFilter: unknown form "${this.form}"; use one of ${ICC_FORMS.join(', ')}.`);
    this.opts = { ...(opts.alpha === undefined ? {} : { alpha: opts.alpha }), ...(opts.method === undefined ? {} : { method: opts.method }) };
  }

  /** Fits on an IccArray (features in `names` order) of training subjects. */
  fit(data: IccArray, names: readonly string[]): this {
    if (names.length !== data.nFeatures) throw new RadnomoError('E_DATA', `IccFilter: ${names.length} names for ${data.nFeatures} features.`);
    const res = iccMany(data, this.opts);
    this.allNames = [...names];
    this.iccValues = res.map((r) => iccValue(r, this.form).icc);
    this.keptNames = this.allNames.filter((_, f) => this.iccValues[f]! >= this.threshold);
    return this;
  }

  /** Fits on long-format ratings. */
  fitLong(input: IccLongInput): this {
    const { data, names } = iccArrayFromLong(input);
    return this.fit(data, names);
  }

  /** Names of the kept features, in input order. */
  get kept(): string[] {
    if (!this.keptNames) throw new RadnomoError('E_USAGE', 'IccFilter: call fit() before apply().');
    return this.keptNames;
  }

  /** The chosen form's ICC of every feature seen in fit. */
  get values(): Array<{ name: string; icc: number }> {
    return this.allNames.map((name, f) => ({ name, icc: this.iccValues[f]! }));
  }

  /**
   * Selects the kept columns from rows whose columns are named `columns` (must include every kept
   * feature); returns the new rows and their column names.
   */
  apply(rows: ReadonlyArray<ArrayLike<number>>, columns: readonly string[]): { rows: Float64Array[]; names: string[] } {
    const idx = this.kept.map((name) => {
      const j = columns.indexOf(name);
      if (j < 0) throw new RadnomoError('E_COLUMN', `IccFilter: kept feature "${name}" is not among the columns to filter.`);
      return j;
    });
    return { rows: rows.map((r) => Float64Array.from(idx, (j) => r[j]!)), names: [...this.kept] };
  }
}
