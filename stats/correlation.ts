/**
 * Correlation matrices and redundancy pruning. Pearson as R's cor(x); Spearman as
 * cor(x, method = "spearman"): average ranks for ties (rank once per column), then Pearson on the
 * ranks. Pruning drops, of each pair with |r| > threshold, the column with the worse univariable
 * criterion (see CorrelationPruner for the exact, deterministic rule).
 */
import { RadnomoError } from '../src/errors';
import { concordance, LogisticModel } from './logistic';
import { pnorm } from './distributions';

export type CorrelationMethod = 'pearson' | 'spearman';

/** Average ranks (1-based) as R's rank(x, ties.method = "average"). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(n);
  for (let s = 0; s < n; ) {
    let e = s;
    while (e + 1 < n && x[idx[e + 1]!] === x[idx[s]!]) e++;
    const avg = (s + e + 2) / 2;
    for (let m = s; m <= e; m++) r[idx[m]!] = avg;
    s = e + 1;
  }
  return r;
}

/** A correlation matrix with its column names; `r[i][j]`. */
export interface CorrelationMatrix {
  columns: string[];
  method: CorrelationMethod;
  r: Float64Array[];
}

/**
 * Correlation matrix of many columns (matches cor(X, method)). Columns must be finite, the same
 * length, and not constant (R would return NA); each problem is an error naming the column.
 */
export function correlationMatrix(columns: Readonly<Record<string, ArrayLike<number>>>, method: CorrelationMethod = 'pearson'): CorrelationMatrix {
  const names = Object.keys(columns);
  const k = names.length;
  if (k === 0) throw new RadnomoError('E_DATA', 'correlation: no columns were given.');
  const n = columns[names[0]!]!.length;
  if (n < 2) throw new RadnomoError('E_DATA', `correlation: ${n} row(s); at least 2 are needed.`);
  // Unit-norm centred columns (after ranking for Spearman).
  const z: Float64Array[] = names.map((name) => {
    const v = columns[name]!;
    if (v.length !== n) throw new RadnomoError('E_DATA', `correlation: column "${name}" has ${v.length} rows but "${names[0]}" has ${n}.`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i]!)) throw new RadnomoError('E_VALUE', `correlation: column "${name}" row ${i + 1} is ${v[i]}; drop missing rows first.`);
    }
    const x = method === 'spearman' ? averageRanks(v) : Float64Array.from(v);
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    let mean = s / n;
    // second pass refinement of the mean, as R's cov does with long doubles
    let t = 0;
    for (let i = 0; i < n; i++) t += x[i]! - mean;
    mean += t / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! - mean;
      ss += x[i]! * x[i]!;
    }
    if (!(ss > 0)) throw new RadnomoError('E_DATA', `correlation: column "${name}" is constant; its correlation is undefined (R gives NA).`);
    const norm = Math.sqrt(ss);
    for (let i = 0; i < n; i++) x[i] = x[i]! / norm;
    return x;
  });
  const r: Float64Array[] = names.map(() => new Float64Array(k));
  for (let a = 0; a < k; a++) {
    r[a]![a] = 1;
    const za = z[a]!;
    for (let b = a + 1; b < k; b++) {
      const zb = z[b]!;
      let d = 0;
      for (let i = 0; i < n; i++) d += za[i]! * zb[i]!;
      const v = Math.max(-1, Math.min(1, d));
      r[a]![b] = v;
      r[b]![a] = v;
    }
  }
  return { columns: names, method, r };
}

/** How to choose the column to keep from a correlated pair. */
export type PruneCriterion = 'auc' | 'p';

/** A column dropped by the pruner, and why. */
export interface DroppedColumn {
  feature: string;
  correlatedWith: string;
  r: number;
  /** The criterion values of the dropped and the kept column. */
  score: number;
  keptScore: number;
}

export interface PruneOptions {
  /** Drop one column of every pair with |r| > threshold (default 0.9). */
  threshold?: number;
  method?: CorrelationMethod;
  /** "auc": keep the larger max(AUC, 1 - AUC) against the outcome; "p": the smaller univariable logistic Wald p. */
  criterion?: PruneCriterion;
}

/** Univariable criterion of one column: max(AUC, 1 - AUC) or the Wald p of glm(y ~ x, binomial). */
export function univariableScore(x: ArrayLike<number>, y: ArrayLike<number>, criterion: PruneCriterion): number {
  if (criterion === 'auc') {
    const a = concordance(x, y);
    return Math.max(a, 1 - a);
  }
  const m = new LogisticModel().fit(Array.from(x, (v) => [v]), y, ['x']);
  const z = m.coefficients[1]! / m.se[1]!;
  return 2 * pnorm(-Math.abs(z));
}

/**
 * Correlation-based redundancy pruning, fitted on training rows. Rule (deterministic):
 * 1. compute the correlation matrix (method) and each column's univariable criterion against y;
 * 2. list the pairs (i < j, in column order) with |r| > threshold and visit them in descending |r|
 *    (|r| rounded to 12 significant digits so rounding noise cannot reorder exact ties such as
 *    r = 1), ties broken by i then j;
 * 3. when both columns of the visited pair are still kept, drop the worse one (lower
 *    max(AUC, 1 - AUC), or higher p); on an exact tie drop the later column (j).
 * A pair whose column was already dropped is skipped, so a dropped column never removes another.
 */
export class CorrelationPruner {
  kept: string[] = [];
  dropped: DroppedColumn[] = [];
  scores: Record<string, number> = {};
  private fitted = false;

  fit(columns: Readonly<Record<string, ArrayLike<number>>>, y: ArrayLike<number>, options: PruneOptions = {}): this {
    const threshold = options.threshold ?? 0.9;
    const criterion = options.criterion ?? 'auc';
    if (!(threshold >= 0 && threshold < 1)) throw new RadnomoError('E_USAGE', `correlation pruning: threshold ${threshold} must lie in [0, 1).`);
    if (criterion !== 'auc' && criterion !== 'p') throw new RadnomoError('E_USAGE', `correlation pruning: unknown criterion "${String(criterion)}" (use auc or p).`);
    const cm = correlationMatrix(columns, options.method ?? 'spearman');
    const names = cm.columns;
    if (y.length !== columns[names[0]!]!.length) throw new RadnomoError('E_DATA', `correlation pruning: the outcome has ${y.length} rows but the columns have ${columns[names[0]!]!.length}.`);
    let n1 = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 0 && y[i] !== 1) throw new RadnomoError('E_VALUE', `correlation pruning: outcome at row ${i + 1} is ${y[i]}; it must be 0/1.`);
      n1 += y[i]!;
    }
    if (n1 === 0 || n1 === y.length) throw new RadnomoError('E_DATA', 'correlation pruning: the outcome has a single class.');
    const k = names.length;
    const pairs: Array<[number, number, number]> = [];
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const a = Math.abs(cm.r[i]![j]!);
        if (a > threshold) pairs.push([i, j, Number(a.toPrecision(12))]);
      }
    }
    pairs.sort((p, q) => q[2] - p[2] || p[0] - q[0] || p[1] - q[1]);
    const score = new Float64Array(k).fill(NaN);
    const scoreOf = (j: number): number => {
      if (Number.isNaN(score[j]!)) score[j] = univariableScore(columns[names[j]!]!, y, criterion);
      return score[j]!;
    };
    const kept = new Array<boolean>(k).fill(true);
    const dropped: DroppedColumn[] = [];
    for (const [i, j] of pairs) {
      if (!kept[i] || !kept[j]) continue;
      const si = scoreOf(i);
      const sj = scoreOf(j);
      const worseJ = criterion === 'auc' ? sj <= si : sj >= si;
      const d = worseJ ? j : i;
      const o = worseJ ? i : j;
      kept[d] = false;
      dropped.push({ feature: names[d]!, correlatedWith: names[o]!, r: cm.r[i]![j]!, score: scoreOf(d), keptScore: scoreOf(o) });
    }
    this.kept = names.filter((_, j) => kept[j]);
    this.dropped = dropped;
    this.scores = {};
    names.forEach((nm, j) => {
      if (!Number.isNaN(score[j]!)) this.scores[nm] = score[j]!;
    });
    this.fitted = true;
    return this;
  }

  /** The kept columns of `columns` (in fitted column order); a kept column that is absent is an error. */
  apply<T>(columns: Readonly<Record<string, T>>): Record<string, T> {
    if (!this.fitted) throw new RadnomoError('E_USAGE', 'CorrelationPruner: call fit() before apply().');
    const out: Record<string, T> = {};
    for (const name of this.kept) {
      if (!(name in columns)) throw new RadnomoError('E_COLUMN', `correlation pruning: kept column "${name}" is missing from the rows to select.`);
      out[name] = columns[name]!;
    }
    return out;
  }
}
