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
  const Fj = MSJ / MSE;
  const vn = (nj - 1) * (n - 1) * (nj * ICC2 * Fj + n * (1 + (nj - 1) * ICC2) - nj * ICC2) ** 2;
  const vd = (n - 1) * nj * nj * ICC2 * ICC2 * Fj * Fj + (n * (1 + (nj - 1) * ICC2) - nj * ICC2) ** 2;
  const v = vn / vd;
  const F2U = qf(q, n - 1, v);
  const F2L = qf(q, v, n - 1);
  const L2 = (n * (MSB - F2U * MSE)) / (F2U * (nj * MSJ + (nj * n - nj - n) * MSE) + n * MSB);
  const U2 = (n * (F2L * MSB - MSE)) / (nj * MSJ + (nj * n - nj - n) * MSE + n * F2L * MSB);
  const forms: IccRow[] = [
    { type: 'ICC1', icc: ICC1, f: F11, df1: df11n, df2: df11d, p: p11, lower: (F1L - 1) / (F1L + (nj - 1)), upper: (F1U - 1) / (F1U + nj - 1) },
    { type: 'ICC2', icc: ICC2, f: F21, df1: df21n, df2: df21d, p: p21, lower: L2, upper: U2 },
    { type: 'ICC3', icc: ICC3, f: F21, df1: df21n, df2: df21d, p: p21, lower: (F3L - 1) / (F3L + nj - 1), upper: (F3U - 1) / (F3U + nj - 1) },
    { type: 'ICC1k', icc: ICC12, f: F11, df1: df11n, df2: df11d, p: p11, lower: 1 - 1 / F1L, upper: 1 - 1 / F1U },
    { type: 'ICC2k', icc: ICC22, f: F21, df1: df21n, df2: df21d, p: p21, lower: (L2 * nj) / (1 + L2 * (nj - 1)), upper: (U2 * nj) / (1 + U2 * (nj - 1)) },
    { type: 'ICC3k', icc: ICC32, f: F21, df1: df21n, df2: df21d, p: p21, lower: 1 - 1 / F3L, upper: 1 - 1 / F3U },
  ];
  const warnings: string[] = [];
  if (MSB === 0 && MSE === 0) warnings.push('the values are constant across subjects and raters; the ICC is undefined (NaN).');
  else if (MSE === 0) warnings.push('the raters agree exactly (residual mean square 0): F is infinite and some interval bounds are undefined (NaN), as in psych.');
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
    if (n < 2) throw new RadnomoError('E_DATA', `ICC: feature ${f + 1} has ${n} subject(s) with all ${k} ratings; at least 2 are needed.`);
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
