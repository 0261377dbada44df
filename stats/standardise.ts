/**
 * Z-score standardisation fitted on training rows, as R's scale(x): centre = column mean,
 * scale = sample standard deviation (n - 1 denominator). Missing values (NaN) are ignored when
 * fitting (as scale() with na.rm) and stay NaN when applied.
 */
import { RadnomoError } from '../src/errors';

/** Column means and sample SDs learned by ZScore.fit. */
export interface ZScoreParameters {
  columns: string[];
  mean: Float64Array;
  sd: Float64Array;
}

/** Compensated sum (close to R's long-double accumulation). */
function ksum(v: ArrayLike<number>, f: (x: number) => number): { sum: number; count: number } {
  let s = 0;
  let c = 0;
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    const y = f(x);
    const t = s + y;
    c += Math.abs(s) >= Math.abs(y) ? s - t + y : y - t + s;
    s = t;
    count++;
  }
  return { sum: s + c, count };
}

/** Fitted z-score transform (matches scale(x) with the training mean and SD). */
export class ZScore {
  private params: ZScoreParameters | null = null;

  /**
   * Learns each column's mean and sample SD from the training rows. A column that is constant (SD
   * 0), has fewer than two non-missing values, or holds an infinite value is an error naming it.
   */
  fit(columns: Readonly<Record<string, ArrayLike<number>>>): this {
    const names = Object.keys(columns);
    if (names.length === 0) throw new RadnomoError('E_DATA', 'z-score: no columns to standardise.');
    const mean = new Float64Array(names.length);
    const sd = new Float64Array(names.length);
    names.forEach((name, j) => {
      const v = columns[name]!;
      for (let i = 0; i < v.length; i++) {
        if (v[i] === Infinity || v[i] === -Infinity) throw new RadnomoError('E_VALUE', `z-score: column "${name}" row ${i + 1} is infinite.`);
      }
      const { sum, count } = ksum(v, (x) => x);
      if (count < 2) throw new RadnomoError('E_DATA', `z-score: column "${name}" has ${count} non-missing value(s); at least 2 are needed for a standard deviation.`);
      const m = sum / count;
      const ss = ksum(v, (x) => (x - m) * (x - m)).sum;
      const s = Math.sqrt(ss / (count - 1));
      if (!(s > 0)) throw new RadnomoError('E_DATA', `z-score: column "${name}" is constant (${m}) in the training rows; it cannot be standardised (remove it first).`);
      mean[j] = m;
      sd[j] = s;
    });
    this.params = { columns: names, mean, sd };
    return this;
  }

  /** The learned parameters. */
  get parameters(): ZScoreParameters {
    if (!this.params) throw new RadnomoError('E_USAGE', 'ZScore: call fit() before reading its parameters.');
    return this.params;
  }

  /** (x - mean) / sd for every fitted column; columns absent from `columns` are an error. */
  apply(columns: Readonly<Record<string, ArrayLike<number>>>): Record<string, Float64Array> {
    const p = this.parameters;
    const out: Record<string, Float64Array> = {};
    p.columns.forEach((name, j) => {
      const v = columns[name];
      if (!v) throw new RadnomoError('E_COLUMN', `z-score: column "${name}" was fitted but is missing from the rows to transform.`);
      const m = p.mean[j]!;
      const s = p.sd[j]!;
      out[name] = Float64Array.from(v, (x) => (x - m) / s);
    });
    return out;
  }
}
