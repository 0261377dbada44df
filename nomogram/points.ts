/**
 * The points model of a nomogram for a fitted logistic model, following `rms::nomogram` (rms
 * 6.5) with `datadist` limits and `fun = plogis`:
 * - axis values per predictor: a factor's levels; for a numeric predictor with at most 10
 *   distinct training values (datadist's n.unique) those values (rms then draws it as a discrete
 *   axis); otherwise `pretty(c(min, max), n = 10)` of the full training range (value.chk with
 *   type.range = "full" and nint = 10), which may extend a little beyond the data;
 * - each value's contribution X*beta (0 for a factor's reference level), R = its range per
 *   predictor, scale sc = 100 / max(R[2] - R[1]), points = (X*beta - R[1]) * sc;
 * - total points T give the linear predictor lp = Intercept + sum(R[1]) + T / sc and the risk
 *   plogis(lp);
 * - Linear Predictor axis at lp.at = pretty(range(training linear predictors), n = 10); Total
 *   Points axis pretty(c(0, max(100, sc * max(lp.at - Intercept'))), n = 10); Risk axis at
 *   fun.at (default pretty(plogis(range(lp.at)), n = 10)) placed as rms does, by linear
 *   interpolation of plogis on 1000 points of [min(lp.at), max(lp.at)] (values outside dropped).
 */
import { RadnomoError } from '../src/errors';
import type { LogisticFit, Predictor } from '../stats/logistic';
import { sortLevels } from '../stats/logistic';
import { formatNumber, pretty, seqLength } from './svg';

/** R's plogis: 1 / (1 + exp(-x)), computed without overflow. */
export function plogis(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** A numeric predictor's axis in the points model. */
export interface NumericAxisSpec {
  type: 'numeric';
  name: string;
  label: string;
  beta: number;
  /** Axis values (ascending). */
  values: number[];
  /** rms draws a numeric predictor with <= 10 distinct values as a discrete axis. */
  discrete: boolean;
  /** Range of the training data (for input hints). */
  min: number;
  max: number;
}

/** A categorical predictor's axis: levels in R's order, the first is the reference (beta 0). */
export interface CategoricalAxisSpec {
  type: 'categorical';
  name: string;
  label: string;
  levels: string[];
  betas: number[];
}

export type AxisSpec = NumericAxisSpec | CategoricalAxisSpec;

/** The JSON form of a fitted nomogram (what `radnomo predict` reads to score new rows). */
export interface NomogramJson {
  format: 'radnomo-nomogram';
  version: 1;
  /** Model intercept (beta0). */
  intercept: number;
  maxScale: number;
  funLabel: string;
  lpLabel: string;
  predictors: AxisSpec[];
  /** Linear predictor values of the Linear Predictor axis (rms lp.at). */
  lpAt: number[];
  /** Risk values of the Risk axis (rms fun.at as given or defaulted, before dropping). */
  riskAt: number[];
  /** Total Points axis values. */
  totalPointsAt: number[];
}

/** Per-predictor ranges used instead of training rows. */
export type NomogramRanges = Record<string, { min: number; max: number; values?: number[] } | { levels: string[] }>;

/** Options of NomogramModel.fromLogistic. */
export interface NomogramOptions {
  /** Display labels by predictor name (rms' variable labels). */
  labels?: Record<string, string>;
  /** Total points of the widest predictor (rms maxscale). Default 100. */
  maxScale?: number;
  /** Approximate number of intervals of pretty() axes (rms nint). Default 10. */
  nint?: number;
  /** Axis values for given predictors (as nomogram(fit, x1 = c(...))). */
  axisValues?: Record<string, number[]>;
  /** Linear Predictor axis values (rms lp.at). */
  lpAt?: number[];
  /** Risk axis values (rms fun.at). */
  riskAt?: number[];
  /** Label of the risk axis (rms funlabel). Default "Risk". */
  funLabel?: string;
  /** Label of the linear predictor axis. Default "Linear Predictor". */
  lpLabel?: string;
}

/** A labelled axis tick in points. */
export interface PointsTick {
  value: number | string;
  label: string;
  points: number;
}

/** The points table of a nomogram. */
export interface NomogramTable {
  predictors: Array<{ name: string; label: string; type: 'numeric' | 'categorical'; discrete: boolean; ticks: PointsTick[] }>;
  /** Total Points axis values with their linear predictor and risk. */
  totalPointsToRisk: Array<{ points: number; lp: number; risk: number }>;
  /** Linear Predictor axis: lp values and their position in total points. */
  lpAxis: Array<{ lp: number; points: number }>;
  /** Risk axis: risk values and their position in total points (rms' placement). */
  riskAxis: Array<{ risk: number; points: number }>;
  /** Points per unit of linear predictor (rms sc). */
  scale: number;
  /** Linear predictor at 0 total points (rms' adjusted Intercept). */
  intercept: number;
}

/** A value of one predictor in a row to score. */
export type RowValue = number | string;

/** R's approx(x, y, xout) with rule = 1 (NaN outside), x increasing. */
function approxLinear(x: readonly number[], y: readonly number[], xout: number): number {
  const n = x.length;
  if (!(xout >= x[0]!) || !(xout <= x[n - 1]!)) return NaN;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi - 1) {
    const mid = (lo + hi) >> 1;
    if (xout < x[mid]!) hi = mid;
    else lo = mid;
  }
  if (xout === x[hi]!) return y[hi]!;
  if (xout === x[lo]!) return y[lo]!;
  return y[lo]! + ((y[hi]! - y[lo]!) * (xout - x[lo]!)) / (x[hi]! - x[lo]!);
}

function isStrings(v: ArrayLike<number> | readonly string[]): v is readonly string[] {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'string';
}

/** A nomogram's points model, fitted from a logistic model (rms::nomogram conventions). */
export class NomogramModel {
  readonly intercept: number;
  readonly maxScale: number;
  readonly predictors: readonly AxisSpec[];
  readonly lpAt: readonly number[];
  readonly riskAt: readonly number[];
  readonly totalPointsAt: readonly number[];
  readonly funLabel: string;
  readonly lpLabel: string;
  /** Points per unit of linear predictor (rms sc). */
  readonly scale: number;
  /** Lowest contribution X*beta of each predictor on its axis (rms R[1, ]). */
  readonly rangeLow: readonly number[];
  readonly rangeHigh: readonly number[];
  /** Linear predictor at 0 total points: beta0 + sum(rangeLow) (rms' adjusted Intercept). */
  readonly pointsIntercept: number;

  private constructor(j: NomogramJson) {
    this.intercept = j.intercept;
    this.maxScale = j.maxScale;
    this.predictors = j.predictors;
    this.lpAt = j.lpAt;
    this.riskAt = j.riskAt;
    this.totalPointsAt = j.totalPointsAt;
    this.funLabel = j.funLabel;
    this.lpLabel = j.lpLabel;
    const low: number[] = [];
    const high: number[] = [];
    for (const p of j.predictors) {
      const xb = axisContributions(p);
      low.push(Math.min(...xb));
      high.push(Math.max(...xb));
    }
    this.rangeLow = low;
    this.rangeHigh = high;
    let widest = 0;
    for (let i = 0; i < low.length; i++) widest = Math.max(widest, high[i]! - low[i]!);
    if (!(widest > 0)) throw new RadnomoError('E_DATA', 'nomogram: every predictor has zero effect over its axis; there is nothing to draw.');
    this.scale = j.maxScale / widest;
    this.pointsIntercept = j.intercept + low.reduce((s, v) => s + v, 0);
  }

  /**
   * Builds the points model of a fitted logistic model. `training` is the predictor columns the
   * model was fitted on (as given to fitLogistic; gives the datadist ranges and the training
   * linear predictors), or explicit ranges per predictor (then lp.at defaults to pretty() of
   * the range of linear predictors reachable on the axes).
   */
  static fromLogistic(fit: LogisticFit, training: readonly Predictor[] | NomogramRanges, opts: NomogramOptions = {}): NomogramModel {
    const nint = opts.nint ?? 10;
    const terms = fit.model.terms;
    const coef = fit.model.coefficients;
    const levelsOf = fit.encoder.levels;
    const termPred = fit.encoder.termPredictors;
    const encTerms = fit.encoder.terms;
    // predictor names in design order
    const names: string[] = [];
    for (const p of termPred) if (!names.includes(p)) names.push(p);
    const columns = Array.isArray(training) ? new Map((training as readonly Predictor[]).map((p) => [p.name, p])) : null;
    const ranges = Array.isArray(training) ? null : (training as NomogramRanges);
    const specs: AxisSpec[] = names.map((name) => {
      const label = opts.labels?.[name] ?? name;
      const levels = levelsOf[name];
      if (levels) {
        const betas = levels.map((lev, k) => {
          if (k === 0) return 0;
          const t = encTerms.indexOf(`${name}${lev}`);
          return coef[t + 1]!;
        });
        return { type: 'categorical', name, label, levels: [...levels], betas };
      }
      const t = encTerms.indexOf(name);
      if (t < 0 || terms[t + 1] !== name) throw new RadnomoError('E_DATA', `nomogram: term "${name}" not found in the model.`);
      const beta = coef[t + 1]!;
      let min: number;
      let max: number;
      let distinct: number[] | null = null;
      if (columns) {
        const col = columns.get(name);
        if (!col) throw new RadnomoError('E_COLUMN', `nomogram: predictor "${name}" is missing from the training columns.`);
        if (isStrings(col.values)) throw new RadnomoError('E_COLUMN', `nomogram: predictor "${name}" holds text but the model treats it as numeric.`);
        const vals: number[] = [];
        for (let i = 0; i < col.values.length; i++) {
          const v = Number(col.values[i]);
          if (Number.isFinite(v)) vals.push(v);
        }
        if (vals.length < 2) throw new RadnomoError('E_DATA', `nomogram: predictor "${name}" has fewer than 2 non-missing values.`);
        const uniq = [...new Set(vals)].sort((a, b) => a - b);
        min = uniq[0]!;
        max = uniq[uniq.length - 1]!;
        if (uniq.length <= 10) distinct = uniq; // datadist n.unique = 10
      } else {
        const r = ranges![name];
        if (!r || !('min' in r)) throw new RadnomoError('E_COLUMN', `nomogram: no range was given for numeric predictor "${name}".`);
        min = r.min;
        max = r.max;
        if (!(Number.isFinite(min) && Number.isFinite(max) && min < max)) {
          throw new RadnomoError('E_VALUE', `nomogram: the range of predictor "${name}" [${min}, ${max}] is not an increasing finite interval.`);
        }
        if (r.values) distinct = [...r.values].sort((a, b) => a - b);
      }
      const given = opts.axisValues?.[name];
      const values = given ? [...given] : distinct ? distinct : pretty(min, max, nint);
      return { type: 'numeric', name, label, beta, values, discrete: !given && distinct !== null, min, max };
    });

    // Linear Predictor axis
    let lpAt = opts.lpAt ? [...opts.lpAt] : null;
    if (!lpAt) {
      let lo = Infinity;
      let hi = -Infinity;
      if (columns) {
        const cols = names.map((nm) => columns.get(nm)!);
        const lp = fit.model.linearPredictor(fit.encoder.apply(cols));
        for (const v of lp) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      } else {
        lo = coef[0]!;
        hi = coef[0]!;
        for (const s of specs) {
          const xb = axisContributions(s);
          lo += Math.min(...xb);
          hi += Math.max(...xb);
        }
      }
      lpAt = pretty(lo, hi, nint);
    }
    const draft: NomogramJson = {
      format: 'radnomo-nomogram',
      version: 1,
      intercept: coef[0]!,
      maxScale: opts.maxScale ?? 100,
      funLabel: opts.funLabel ?? 'Risk',
      lpLabel: opts.lpLabel ?? 'Linear Predictor',
      predictors: specs,
      lpAt,
      riskAt: opts.riskAt ? [...opts.riskAt] : pretty(plogis(Math.min(...lpAt)), plogis(Math.max(...lpAt)), nint),
      totalPointsAt: [],
    };
    const m0 = new NomogramModel(draft);
    const sumMax = specs.length === 1 ? draft.maxScale : Math.max(draft.maxScale, m0.scale * Math.max(...lpAt.map((v) => v - m0.pointsIntercept)));
    draft.totalPointsAt = pretty(0, sumMax, nint);
    return new NomogramModel(draft);
  }

  /** Restores a model from its JSON form (validated). */
  static fromJSON(j: unknown): NomogramModel {
    const o = j as Partial<NomogramJson> | null;
    if (!o || typeof o !== 'object' || o.format !== 'radnomo-nomogram' || o.version !== 1) {
      throw new RadnomoError('E_FORMAT', 'nomogram JSON: not a radnomo nomogram (format "radnomo-nomogram", version 1).');
    }
    const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    const finiteArr = (v: unknown): v is number[] => Array.isArray(v) && v.every(finite);
    if (!finite(o.intercept) || !finite(o.maxScale) || !finiteArr(o.lpAt) || !finiteArr(o.riskAt) || !finiteArr(o.totalPointsAt) || !Array.isArray(o.predictors) || o.predictors.length === 0) {
      throw new RadnomoError('E_FORMAT', 'nomogram JSON: intercept, maxScale, axes and predictors must be present and finite.');
    }
    for (const p of o.predictors) {
      if (p.type === 'numeric') {
        if (typeof p.name !== 'string' || !finite(p.beta) || !finiteArr(p.values) || p.values.length === 0) {
          throw new RadnomoError('E_FORMAT', `nomogram JSON: numeric predictor "${String(p.name)}" needs a finite beta and axis values.`);
        }
      } else if (p.type === 'categorical') {
        if (typeof p.name !== 'string' || !Array.isArray(p.levels) || !finiteArr(p.betas) || p.levels.length !== p.betas.length || p.levels.length < 2) {
          throw new RadnomoError('E_FORMAT', `nomogram JSON: categorical predictor "${String(p.name)}" needs matching levels and betas.`);
        }
      } else {
        throw new RadnomoError('E_FORMAT', 'nomogram JSON: each predictor has type "numeric" or "categorical".');
      }
    }
    return new NomogramModel({
      format: 'radnomo-nomogram',
      version: 1,
      intercept: o.intercept,
      maxScale: o.maxScale,
      funLabel: typeof o.funLabel === 'string' ? o.funLabel : 'Risk',
      lpLabel: typeof o.lpLabel === 'string' ? o.lpLabel : 'Linear Predictor',
      predictors: o.predictors.map((p) => ({ ...p, label: typeof p.label === 'string' ? p.label : p.name })),
      lpAt: o.lpAt,
      riskAt: o.riskAt,
      totalPointsAt: o.totalPointsAt,
    });
  }

  /** The JSON form (plain data). */
  toJSON(): NomogramJson {
    return {
      format: 'radnomo-nomogram',
      version: 1,
      intercept: this.intercept,
      maxScale: this.maxScale,
      funLabel: this.funLabel,
      lpLabel: this.lpLabel,
      predictors: this.predictors.map((p) => (p.type === 'numeric' ? { ...p, values: [...p.values] } : { ...p, levels: [...p.levels], betas: [...p.betas] })),
      lpAt: [...this.lpAt],
      riskAt: [...this.riskAt],
      totalPointsAt: [...this.totalPointsAt],
    };
  }

  private index(predictor: string): number {
    const i = this.predictors.findIndex((p) => p.name === predictor);
    if (i < 0) throw new RadnomoError('E_COLUMN', `nomogram: "${predictor}" is not a predictor of the model (predictors: ${this.predictors.map((p) => p.name).join(', ')}).`);
    return i;
  }

  /** Contribution X*beta of one predictor's value (unseen level or non-number is an error). */
  contribution(predictor: string, value: RowValue): number {
    const p = this.predictors[this.index(predictor)]!;
    return contributionOf(p, value);
  }

  /** Points of one predictor's value: (X*beta - R[1]) * sc. */
  pointsFor(predictor: string, value: RowValue): number {
    const i = this.index(predictor);
    return (contributionOf(this.predictors[i]!, value) - this.rangeLow[i]!) * this.scale;
  }

  /** Total points of a row (an object with a value per predictor). */
  totalPoints(row: Readonly<Record<string, RowValue | null | undefined>>): number {
    let t = 0;
    this.predictors.forEach((p, i) => {
      const v = row[p.name];
      if (v === undefined || v === null || v === '') throw new RadnomoError('E_COLUMN', `nomogram: the row has no value for predictor "${p.name}".`);
      t += (contributionOf(p, v) - this.rangeLow[i]!) * this.scale;
    });
    return t;
  }

  /** Linear predictor reconstructed from total points: Intercept' + T / sc. */
  lpFromPoints(total: number): number {
    return this.pointsIntercept + total / this.scale;
  }

  /** Linear predictor of a row, via its total points (as read off the nomogram). */
  linearPredictor(row: Readonly<Record<string, RowValue | null | undefined>>): number {
    return this.lpFromPoints(this.totalPoints(row));
  }

  /** Predicted risk plogis(lp) of a row. */
  risk(row: Readonly<Record<string, RowValue | null | undefined>>): number {
    return plogis(this.linearPredictor(row));
  }

  /** Position (total points) of the Risk axis ticks, as rms places them; NaN dropped. */
  riskAxis(): Array<{ risk: number; points: number }> {
    const lo = Math.min(...this.lpAt);
    const hi = Math.max(...this.lpAt);
    const xseq = seqLength(lo, hi, 1000);
    const fu = xseq.map(plogis);
    const out: Array<{ risk: number; points: number }> = [];
    for (const r of this.riskAt) {
      const w = approxLinear(fu, xseq, r);
      if (Number.isNaN(w)) continue;
      out.push({ risk: r, points: (w - this.pointsIntercept) * this.scale });
    }
    return out;
  }

  /** The points table: per-predictor ticks with points, and the total points / lp / risk axes. */
  table(): NomogramTable {
    const predictors = this.predictors.map((p, i) => {
      const xb = axisContributions(p);
      const vals: Array<number | string> = p.type === 'numeric' ? p.values : p.levels;
      return {
        name: p.name,
        label: p.label,
        type: p.type,
        discrete: p.type === 'categorical' || p.discrete,
        ticks: vals.map((v, k) => ({ value: v, label: typeof v === 'number' ? formatNumber(v) : v, points: (xb[k]! - this.rangeLow[i]!) * this.scale })),
      };
    });
    return {
      predictors,
      totalPointsToRisk: this.totalPointsAt.map((t) => {
        const lp = this.lpFromPoints(t);
        return { points: t, lp, risk: plogis(lp) };
      }),
      lpAxis: this.lpAt.map((lp) => ({ lp, points: (lp - this.pointsIntercept) * this.scale })),
      riskAxis: this.riskAxis(),
      scale: this.scale,
      intercept: this.pointsIntercept,
    };
  }
}

/** X*beta at each axis value of a predictor. */
function axisContributions(p: AxisSpec): number[] {
  return p.type === 'numeric' ? p.values.map((v) => p.beta * v) : [...p.betas];
}

/** The level label of a cell as the encoder makes it (numbers in shortest form, text trimmed). */
function levelOf(v: RowValue): string {
  return typeof v === 'number' ? String(v) : v.trim();
}

function contributionOf(p: AxisSpec, value: RowValue): number {
  if (p.type === 'numeric') {
    const x = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(x)) throw new RadnomoError('E_VALUE', `nomogram: predictor "${p.name}" has value "${value}", not a finite number.`);
    return p.beta * x;
  }
  const lev = levelOf(value);
  const k = p.levels.indexOf(lev);
  if (k < 0) {
    throw new RadnomoError('E_VALUE', `nomogram: predictor "${p.name}" has level "${lev}", which was not seen when the model was fitted (levels: ${p.levels.join(', ')}).`);
  }
  return p.betas[k]!;
}

/** Levels sorted as R's factor() (re-exported for callers building categorical ranges). */
export { sortLevels };
