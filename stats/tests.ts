/**
 * Group comparisons for a Table 1, matching R: Student and Welch t tests (t.test), the
 * Wilcoxon–Mann–Whitney test (wilcox.test), one-way ANOVA (oneway.test(var.equal = TRUE)),
 * Kruskal–Wallis (kruskal.test), Pearson's chi-square test of independence (chisq.test) and
 * Fisher's exact test (fisher.test), plus a contingency-table builder.
 */
import { RadnomoError } from '../src/errors';
import { isMissing } from '../src/io/csv';
import { dhyper, pchisq, pf, phyper, pnorm, pt, qt } from './distributions';

const DBL_EPSILON = 2.220446049250313e-16;

export type Alternative = 'two.sided' | 'less' | 'greater';

// ---------------------------------------------------------------------------------------------
// small helpers
// ---------------------------------------------------------------------------------------------

function checkFinite(x: ArrayLike<number>, what: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new RadnomoError('E_VALUE', `${what}: value ${i + 1} is ${x[i]}; remove missing or infinite values first.`);
    }
  }
}

/** Mean with R's second pass (mean.default adds the mean residual), so it is exact to rounding. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let r = 0;
  for (let i = 0; i < n; i++) r += x[i]! - m;
  return m + r / n;
}

/** Sample variance (denominator n - 1), two-pass as R's var. */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - m) ** 2;
  return s / (n - 1);
}

/** Mid-ranks of the values (R's rank(ties.method = "average")). */
export function midRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]!]! === x[idx[i]!]!) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

/** Sizes of the groups of tied values (R's table(x) of the pooled sample). */
function tieSizes(x: ArrayLike<number>): number[] {
  const s = Array.from(x).sort((a, b) => a - b);
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[i]) j++;
    out.push(j - i + 1);
    i = j + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// t tests
// ---------------------------------------------------------------------------------------------

export interface TTestResult {
  method: string;
  statistic: number;
  df: number;
  pValue: number;
  confInt: [number, number];
  confLevel: number;
  /** Means of x and y. */
  estimate: [number, number];
  stderr: number;
  alternative: Alternative;
}

export interface TTestOptions {
  /** Student's pooled-variance test when true; Welch's test when false (R's default). */
  varEqual?: boolean;
  confLevel?: number;
  alternative?: Alternative;
  /** Hypothesised difference of means. */
  mu?: number;
}

/**
 * Two-sample t test; matches R's t.test(x, y, var.equal, conf.level, alternative, mu):
 * statistic, df (Welch–Satterthwaite when var.equal = FALSE), p-value, confidence interval, means.
 */
export function tTest(x: ArrayLike<number>, y: ArrayLike<number>, opts: TTestOptions = {}): TTestResult {
  const varEqual = opts.varEqual ?? false;
  const confLevel = opts.confLevel ?? 0.95;
  const alternative = opts.alternative ?? 'two.sided';
  const mu = opts.mu ?? 0;
  checkFinite(x, 't test, group x');
  checkFinite(y, 't test, group y');
  const nx = x.length;
  const ny = y.length;
  if (nx < 1 || (!varEqual && nx < 2)) throw new RadnomoError('E_DATA', "t test: not enough 'x' observations.");
  if (ny < 1 || (!varEqual && ny < 2)) throw new RadnomoError('E_DATA', "t test: not enough 'y' observations.");
  if (varEqual && nx + ny < 3) throw new RadnomoError('E_DATA', 't test: not enough observations.');
  const mx = mean(x);
  const my = mean(y);
  const vx = nx > 1 ? variance(x) : 0;
  const vy = ny > 1 ? variance(y) : 0;
  let df: number;
  let stderr: number;
  if (varEqual) {
    df = nx + ny - 2;
    let v = 0;
    if (nx > 1) v += (nx - 1) * vx;
    if (ny > 1) v += (ny - 1) * vy;
    v /= df;
    stderr = Math.sqrt(v * (1 / nx + 1 / ny));
  } else {
    const sx = vx / nx;
    const sy = vy / ny;
    stderr = Math.sqrt(sx + sy);
    df = (stderr ** 4) / (sx ** 2 / (nx - 1) + sy ** 2 / (ny - 1));
  }
  if (stderr < 10 * DBL_EPSILON * Math.max(Math.abs(mx), Math.abs(my))) {
    throw new RadnomoError('E_DATA', 't test: the data are essentially constant.');
  }
  const tstat = (mx - my - mu) / stderr;
  let pValue: number;
  let confInt: [number, number];
  if (alternative === 'less') {
    pValue = pt(tstat, df);
    confInt = [-Infinity, mu + (tstat + qt(confLevel, df)) * stderr];
  } else if (alternative === 'greater') {
    pValue = pt(tstat, df, false);
    confInt = [mu + (tstat - qt(confLevel, df)) * stderr, Infinity];
  } else {
    pValue = 2 * pt(-Math.abs(tstat), df);
    const alpha = 1 - confLevel;
    const c = qt(1 - alpha / 2, df);
    confInt = [mu + (tstat - c) * stderr, mu + (tstat + c) * stderr];
  }
  return {
    method: varEqual ? 'Two Sample t-test' : 'Welch Two Sample t-test',
    statistic: tstat,
    df,
    pValue,
    confInt,
    confLevel,
    estimate: [mx, my],
    stderr,
    alternative,
  };
}

// ---------------------------------------------------------------------------------------------
// Wilcoxon–Mann–Whitney
// ---------------------------------------------------------------------------------------------

/** Counts of the Mann–Whitney statistic U = 0..mn for sample sizes m, n (no ties). */
function wilcoxCounts(m: number, n: number): Float64Array {
  // dp over the m+n ranks: number of m-subsets with a given U = rank sum - m(m+1)/2,
  // via the recurrence c(u; m, n) = c(u - n; m - 1, n) + c(u; m, n - 1).
  const maxU = m * n;
  // table[i][j] for i <= m, j <= n would be large; iterate n outward keeping arrays per i.
  let prev: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    const a = new Float64Array(maxU + 1);
    a[0] = 1; // j = 0: only U = 0
    prev.push(a);
  }
  for (let j = 1; j <= n; j++) {
    const cur: Float64Array[] = [];
    const a0 = new Float64Array(maxU + 1);
    a0[0] = 1; // i = 0
    cur.push(a0);
    for (let i = 1; i <= m; i++) {
      const a = new Float64Array(maxU + 1);
      const lim = i * j;
      const left = cur[i - 1]!; // (i-1, j): the largest rank belongs to x, adds j to U
      const down = prev[i]!; // (i, j-1): the largest rank belongs to y
      for (let u = 0; u <= lim; u++) a[u] = down[u]! + (u >= j ? left[u - j]! : 0);
      cur.push(a);
    }
    prev = cur;
  }
  return prev[m]!;
}

/** P(U <= q) (or P(U > q)) of the Mann–Whitney statistic; matches R's pwilcox(q, m, n). */
export function pwilcox(q: number, m: number, n: number, lowerTail = true): number {
  q = Math.floor(q + 1e-7);
  if (q < 0) return lowerTail ? 0 : 1;
  if (q >= m * n) return lowerTail ? 1 : 0;
  const c = wilcoxCounts(m, n);
  let total = 0;
  for (let u = 0; u <= m * n; u++) total += c[u]!;
  let p = 0;
  let lower = lowerTail;
  if (q <= (m * n) / 2) {
    for (let u = 0; u <= q; u++) p += c[u]! / total;
  } else {
    const qq = m * n - q;
    for (let u = 0; u < qq; u++) p += c[u]! / total;
    lower = !lower;
  }
  return lower ? p : 0.5 - p + 0.5;
}

export interface WilcoxonResult {
  method: string;
  /** R's W: the Mann–Whitney U of x, sum of x's ranks minus nx(nx+1)/2. */
  statistic: number;
  pValue: number;
  exact: boolean;
  correct: boolean;
  alternative: Alternative;
  warnings: string[];
}

/**
 * Wilcoxon rank-sum (Mann–Whitney) test; matches R's wilcox.test(x, y) defaults: exact p when
 * both samples have fewer than 50 values and there are no ties, otherwise the normal
 * approximation with tie correction and continuity correction (correct = TRUE).
 */
export function wilcoxonTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: { exact?: boolean; correct?: boolean; alternative?: Alternative } = {},
): WilcoxonResult {
  checkFinite(x, 'Wilcoxon test, group x');
  checkFinite(y, 'Wilcoxon test, group y');
  const nx = x.length;
  const ny = y.length;
  if (nx < 1) throw new RadnomoError('E_DATA', "Wilcoxon test: not enough (non-missing) 'x' observations.");
  if (ny < 1) throw new RadnomoError('E_DATA', "Wilcoxon test: not enough 'y' observations.");
  const alternative = opts.alternative ?? 'two.sided';
  const correct = opts.correct ?? true;
  const pooled = new Float64Array(nx + ny);
  for (let i = 0; i < nx; i++) pooled[i] = x[i]!;
  for (let i = 0; i < ny; i++) pooled[nx + i] = y[i]!;
  const r = midRanks(pooled);
  let rx = 0;
  for (let i = 0; i < nx; i++) rx += r[i]!;
  const W = rx - (nx * (nx + 1)) / 2;
  const ties = tieSizes(pooled);
  const hasTies = ties.length < nx + ny;
  const warnings: string[] = [];
  let exact = opts.exact ?? (nx < 50 && ny < 50);
  if (exact && hasTies) {
    warnings.push('cannot compute exact p-value with ties');
    exact = false;
  }
  let pValue: number;
  if (exact) {
    if (alternative === 'two.sided') {
      const p = W > (nx * ny) / 2 ? pwilcox(W - 1, nx, ny, false) : pwilcox(W, nx, ny);
      pValue = Math.min(2 * p, 1);
    } else if (alternative === 'greater') {
      pValue = pwilcox(W - 1, nx, ny, false);
    } else {
      pValue = pwilcox(W, nx, ny);
    }
  } else {
    let nTies = 0;
    for (const t of ties) nTies += t ** 3 - t;
    let z = W - (nx * ny) / 2;
    const sigma = Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - nTies / ((nx + ny) * (nx + ny - 1))));
    let corr = 0;
    if (correct) corr = alternative === 'two.sided' ? Math.sign(z) * 0.5 : alternative === 'greater' ? 0.5 : -0.5;
    z = (z - corr) / sigma;
    if (alternative === 'two.sided') pValue = 2 * Math.min(pnorm(z), pnorm(z, false));
    else if (alternative === 'greater') pValue = pnorm(z, false);
    else pValue = pnorm(z);
    if (sigma === 0) throw new RadnomoError('E_DATA', 'Wilcoxon test: all values are tied; no test is possible.');
  }
  const method = exact
    ? 'Wilcoxon rank sum exact test'
    : correct
      ? 'Wilcoxon rank sum test with continuity correction'
      : 'Wilcoxon rank sum test';
  return { method, statistic: W, pValue, exact, correct: !exact && correct, alternative, warnings };
}

// ---------------------------------------------------------------------------------------------
// k groups: one-way ANOVA and Kruskal–Wallis
// ---------------------------------------------------------------------------------------------

export interface KGroupResult {
  method: string;
  statistic: number;
  /** df for the chi-square (Kruskal–Wallis) or [numerator, denominator] df for F. */
  df: number | [number, number];
  pValue: number;
}

/** One-way ANOVA F test over groups; matches R's oneway.test(y ~ g, var.equal = TRUE). */
export function onewayAnova(groups: ArrayLike<number>[]): KGroupResult {
  const k = groups.length;
  if (k < 2) throw new RadnomoError('E_DATA', 'one-way ANOVA: at least two groups are needed.');
  groups.forEach((g, i) => checkFinite(g, `one-way ANOVA, group ${i + 1}`));
  let n = 0;
  const all: number[] = [];
  for (const g of groups) {
    if (g.length < 1) throw new RadnomoError('E_DATA', 'one-way ANOVA: a group is empty.');
    n += g.length;
    for (let i = 0; i < g.length; i++) all.push(g[i]!);
  }
  if (n - k < 1) throw new RadnomoError('E_DATA', 'one-way ANOVA: not enough observations.');
  const grand = mean(all);
  let ssb = 0;
  let ssw = 0;
  for (const g of groups) {
    const m = mean(g);
    ssb += g.length * (m - grand) ** 2;
    for (let i = 0; i < g.length; i++) ssw += (g[i]! - m) ** 2;
  }
  const df1 = k - 1;
  const df2 = n - k;
  const F = ssb / df1 / (ssw / df2);
  return { method: 'One-way analysis of means', statistic: F, df: [df1, df2], pValue: pf(F, df1, df2, false) };
}

/** Kruskal–Wallis rank-sum test with tie correction; matches R's kruskal.test. */
export function kruskalWallis(groups: ArrayLike<number>[]): KGroupResult {
  const k = groups.length;
  if (k < 2) throw new RadnomoError('E_DATA', 'Kruskal–Wallis test: at least two groups are needed.');
  groups.forEach((g, i) => checkFinite(g, `Kruskal–Wallis test, group ${i + 1}`));
  const all: number[] = [];
  for (const g of groups) for (let i = 0; i < g.length; i++) all.push(g[i]!);
  const n = all.length;
  const r = midRanks(all);
  let s = 0;
  let off = 0;
  for (const g of groups) {
    if (g.length === 0) throw new RadnomoError('E_DATA', 'Kruskal–Wallis test: a group is empty.');
    let rs = 0;
    for (let i = 0; i < g.length; i++) rs += r[off + i]!;
    s += (rs * rs) / g.length;
    off += g.length;
  }
  let t = 0;
  for (const c of tieSizes(all)) t += c ** 3 - c;
  const denom = 1 - t / (n ** 3 - n);
  if (denom === 0) throw new RadnomoError('E_DATA', 'Kruskal–Wallis test: all values are tied.');
  const H = ((12 * s) / (n * (n + 1)) - 3 * (n + 1)) / denom;
  return { method: 'Kruskal-Wallis rank sum test', statistic: H, df: k - 1, pValue: pchisq(H, k - 1, false) };
}

// ---------------------------------------------------------------------------------------------
// contingency tables
// ---------------------------------------------------------------------------------------------

export interface ContingencyTable {
  rowLevels: string[];
  colLevels: string[];
  /** counts[i][j]: rows with rowLevels[i] and colLevels[j]. */
  counts: number[][];
  /** Pairs dropped because either value was missing. */
  dropped: number;
}

/** ICU collation of an English locale, as R's sort() uses on Linux and macOS (capabilities("ICU")). */
const COLLATOR = new Intl.Collator('en');

/**
 * R's factor() level order (distinct levels): numeric order when every level is a number (R reads
 * such a column as numbers), else R's string order in an English locale: ICU collation, so case
 * is secondary ("a" < "B" < "c", "low" < "Low"), not the C locale's code order ("B" < "a").
 * Strings the collation calls equal are ordered by code unit, so the order is always the same.
 */
export function sortLevels(levels: Iterable<string>): string[] {
  const u = [...new Set(levels)];
  const allNum = u.every((s) => s.trim() !== '' && Number.isFinite(Number(s)));
  if (allNum) return u.sort((a, b) => Number(a) - Number(b));
  return u.sort((a, b) => COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Cross-tabulates two string columns (as R's table(row, col)); pairs where either value is
 * missing (see isMissing) are dropped and counted.
 */
export function contingencyTable(rowValues: readonly string[], colValues: readonly string[]): ContingencyTable {
  if (rowValues.length !== colValues.length) {
    throw new RadnomoError(
      'E_DATA',
      `contingency table: the two columns have different lengths (${rowValues.length} and ${colValues.length}).`,
    );
  }
  const keep: number[] = [];
  for (let i = 0; i < rowValues.length; i++) {
    if (!isMissing(rowValues[i]!) && !isMissing(colValues[i]!)) keep.push(i);
  }
  const rowLevels = sortLevels(keep.map((i) => rowValues[i]!.trim()));
  const colLevels = sortLevels(keep.map((i) => colValues[i]!.trim()));
  const ri = new Map(rowLevels.map((l, i) => [l, i]));
  const ci = new Map(colLevels.map((l, i) => [l, i]));
  const counts = rowLevels.map(() => colLevels.map(() => 0));
  for (const i of keep) counts[ri.get(rowValues[i]!.trim())!]![ci.get(colValues[i]!.trim())!]! += 1;
  return { rowLevels, colLevels, counts, dropped: rowValues.length - keep.length };
}

function checkTable(t: number[][], what: string): { rs: number[]; cs: number[]; n: number } {
  if (t.length < 2 || t[0]!.length < 2) {
    throw new RadnomoError('E_DATA', `${what}: the table must have at least 2 rows and 2 columns (it has ${t.length} x ${t[0]?.length ?? 0}).`);
  }
  const nc = t[0]!.length;
  for (const row of t) {
    if (row.length !== nc) throw new RadnomoError('E_DATA', `${what}: rows of the table differ in length.`);
    for (const v of row) {
      if (!Number.isFinite(v) || v < 0) throw new RadnomoError('E_VALUE', `${what}: counts must be finite and non-negative (got ${v}).`);
    }
  }
  const rs = t.map((r) => r.reduce((a, b) => a + b, 0));
  const cs = t[0]!.map((_, j) => t.reduce((a, r) => a + r[j]!, 0));
  const n = rs.reduce((a, b) => a + b, 0);
  return { rs, cs, n };
}

export interface ChiSquareResult {
  method: string;
  statistic: number;
  df: number;
  pValue: number;
  expected: number[][];
  /** Yates' continuity correction applied (2 x 2 only, correct = TRUE). */
  yates: boolean;
  warnings: string[];
}

/**
 * Pearson's chi-square test of independence; matches R's chisq.test(table, correct): Yates'
 * correction min(0.5, |O - E|) only for 2 x 2 tables, and R's warning when an expected count is < 5.
 */
export function chiSquareTest(table: number[][], opts: { correct?: boolean } = {}): ChiSquareResult {
  const { rs, cs, n } = checkTable(table, 'chi-square test');
  const correct = opts.correct ?? true;
  if (rs.some((r) => r === 0) || cs.some((c) => c === 0)) {
    throw new RadnomoError('E_DATA', 'chi-square test: a row or column of the table is all zero; drop that level first.');
  }
  const E = rs.map((r) => cs.map((c) => (r * c) / n));
  const nr = table.length;
  const nc = table[0]!.length;
  const yates = correct && nr === 2 && nc === 2;
  let Y = 0;
  if (yates) {
    Y = 0.5;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) Y = Math.min(Y, Math.abs(table[i]![j]! - E[i]![j]!));
  }
  let stat = 0;
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) stat += (Math.abs(table[i]![j]! - E[i]![j]!) - Y) ** 2 / E[i]![j]!;
  }
  const df = (nr - 1) * (nc - 1);
  const warnings: string[] = [];
  if (E.some((r) => r.some((e) => e < 5))) warnings.push('Chi-squared approximation may be incorrect');
  return {
    method: yates
      ? "Pearson's Chi-squared test with Yates' continuity correction"
      : "Pearson's Chi-squared test",
    statistic: stat,
    df,
    pValue: pchisq(stat, df, false),
    expected: E,
    yates,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Fisher's exact test
// ---------------------------------------------------------------------------------------------

/**
 * Brent's root finder exactly as R's uniroot (R_zeroin2: same steps and stopping rule), so that
 * quantities R finds with uniroot's default tolerance (.Machine$double.eps^0.25) agree with R to
 * rounding rather than to that tolerance.
 */
export function uniroot(f: (x: number) => number, lower: number, upper: number, tol = Math.pow(DBL_EPSILON, 0.25), maxiter = 1000): number {
  let a = lower;
  let b = upper;
  let fa = f(a);
  let fb = f(b);
  if (fa * fb > 0) throw new RadnomoError('E_DATA', 'uniroot: f() values at end points not of opposite sign.');
  let c = a;
  let fc = fa;
  if (fa === 0) return a;
  if (fb === 0) return b;
  let it = maxiter + 1;
  while (it--) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * DBL_EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}

export interface FisherResult {
  method: string;
  pValue: number;
  /** 2 x 2 only: conditional maximum-likelihood odds ratio and its confidence interval. */
  oddsRatio?: number;
  confInt?: [number, number];
  confLevel?: number;
  alternative: Alternative;
}

/** Log-factorials 0..n. */
function logFactorials(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lf[i] = lf[i - 1]! + Math.log(i);
  return lf;
}

/**
 * Fisher's exact test; matches R's fisher.test: for 2 x 2 tables the conditional MLE odds ratio,
 * its conf.level interval and the p-value (two-sided: sum of the probabilities <= the observed
 * one times 1 + 1e-7); for r x c tables the two-sided p-value by full enumeration of the tables
 * with the observed margins (R uses the network algorithm, which gives the same sum).
 */
export function fisherTest(
  table: number[][],
  opts: { confLevel?: number; alternative?: Alternative; maxTables?: number } = {},
): FisherResult {
  const { rs, cs, n } = checkTable(table, "Fisher's exact test");
  for (const row of table) {
    for (const v of row) if (v !== Math.round(v)) throw new RadnomoError('E_VALUE', "Fisher's exact test: counts must be integers.");
  }
  const alternative = opts.alternative ?? 'two.sided';
  const confLevel = opts.confLevel ?? 0.95;
  const nr = table.length;
  const nc = table[0]!.length;
  if (nr === 2 && nc === 2) return fisher2x2(table, confLevel, alternative);
  if (alternative !== 'two.sided') {
    throw new RadnomoError('E_USAGE', "Fisher's exact test: one-sided alternatives exist only for 2 x 2 tables.");
  }
  // r x c: enumerate every table with the observed margins, column by column.
  const rows = rs.filter((r) => r > 0);
  const cols = cs.filter((c) => c > 0);
  if (rows.length < 2 || cols.length < 2) {
    return { method: "Fisher's Exact Test for Count Data", pValue: 1, alternative };
  }
  const lf = logFactorials(n);
  let constPart = -lf[n]!;
  for (const r of rows) constPart += lf[r]!;
  for (const c of cols) constPart += lf[c]!;
  let obsCells = 0;
  for (const row of table) for (const v of row) obsCells += lf[v]!;
  const logPObs = constPart - obsCells;
  const threshold = logPObs + Math.log1p(1e-7);
  const maxTables = opts.maxTables ?? 5e7;
  const R = rows.length;
  const C = cols.length;
  const rem = rows.slice();
  let count = 0;
  let pSum = 0;
  // fill column j, row i, with running log-product of cell factorials
  const fillColumn = (j: number, i: number, left: number, acc: number): void => {
    if (j === C - 1) {
      // last column is determined by the remaining row sums
      let s = acc;
      for (let r = 0; r < R; r++) s += lf[rem[r]!]!;
      if (++count > maxTables) {
        throw new RadnomoError(
          'E_DATA',
          `Fisher's exact test: the ${nr} x ${nc} table (n = ${n}) has more than ${maxTables} tables with its margins; use the chi-square test.`,
        );
      }
      const lp = constPart - s;
      if (lp <= threshold) pSum += Math.exp(lp);
      return;
    }
    if (i === R - 1) {
      if (left > rem[i]!) return;
      rem[i] = rem[i]! - left;
      // feasibility: remaining column totals must fit remaining rows (always, since sums match)
      fillColumn(j + 1, 0, cols[j + 1]!, acc + lf[left]!);
      rem[i] = rem[i]! + left;
      return;
    }
    // capacity of the rows below i
    let below = 0;
    for (let r = i + 1; r < R; r++) below += rem[r]!;
    const lo = Math.max(0, left - below);
    const hi = Math.min(left, rem[i]!);
    for (let v = lo; v <= hi; v++) {
      rem[i] = rem[i]! - v;
      fillColumn(j, i + 1, left - v, acc + lf[v]!);
      rem[i] = rem[i]! + v;
    }
  };
  fillColumn(0, 0, cols[0]!, 0);
  return { method: "Fisher's Exact Test for Count Data", pValue: Math.min(1, pSum), alternative };
}

function fisher2x2(t: number[][], confLevel: number, alternative: Alternative): FisherResult {
  const m = t[0]![0]! + t[1]![0]!; // column 1 total
  const n = t[0]![1]! + t[1]![1]!; // column 2 total
  const k = t[0]![0]! + t[0]![1]!; // row 1 total
  const x = t[0]![0]!;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const support: number[] = [];
  for (let s = lo; s <= hi; s++) support.push(s);
  const logdc = support.map((s) => Math.log(dhyper(s, m, n, k)));
  const dnhyper = (ncp: number): number[] => {
    const d = support.map((s, i) => logdc[i]! + Math.log(ncp) * s);
    const mx = Math.max(...d);
    const e = d.map((v) => Math.exp(v - mx));
    const tot = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / tot);
  };
  const mnhyper = (ncp: number): number => {
    if (ncp === 0) return lo;
    if (ncp === Infinity) return hi;
    const d = dnhyper(ncp);
    return support.reduce((a, s, i) => a + s * d[i]!, 0);
  };
  const pnhyper = (q: number, ncp: number, upper = false): number => {
    if (ncp === 1) return upper ? phyper(x - 1, m, n, k, false) : phyper(x, m, n, k);
    if (ncp === 0) return upper ? Number(q <= lo) : Number(q >= lo);
    if (ncp === Infinity) return upper ? Number(q <= hi) : Number(q >= hi);
    const d = dnhyper(ncp);
    let s = 0;
    support.forEach((v, i) => {
      if (upper ? v >= q : v <= q) s += d[i]!;
    });
    return s;
  };
  let pValue: number;
  if (alternative === 'less') pValue = pnhyper(x, 1);
  else if (alternative === 'greater') pValue = pnhyper(x, 1, true);
  else {
    const d = dnhyper(1);
    const dx = d[x - lo]! * (1 + 1e-7);
    pValue = d.reduce((a, v) => (v <= dx ? a + v : a), 0);
  }
  pValue = Math.min(1, pValue);
  const eps = DBL_EPSILON;
  const ncpU = (alpha: number): number => {
    if (x === hi) return Infinity;
    const p = pnhyper(x, 1);
    if (p < alpha) return uniroot((s) => pnhyper(x, s) - alpha, 0, 1);
    if (p > alpha) return 1 / uniroot((s) => pnhyper(x, 1 / s) - alpha, eps, 1);
    return 1;
  };
  const ncpL = (alpha: number): number => {
    if (x === lo) return 0;
    const p = pnhyper(x, 1, true);
    if (p > alpha) return uniroot((s) => pnhyper(x, s, true) - alpha, 0, 1);
    if (p < alpha) return 1 / uniroot((s) => pnhyper(x, 1 / s, true) - alpha, eps, 1);
    return 1;
  };
  let confInt: [number, number];
  if (alternative === 'less') confInt = [0, ncpU(1 - confLevel)];
  else if (alternative === 'greater') confInt = [ncpL(1 - confLevel), Infinity];
  else {
    const alpha = (1 - confLevel) / 2;
    confInt = [ncpL(alpha), ncpU(alpha)];
  }
  let oddsRatio: number;
  if (x === lo) oddsRatio = 0;
  else if (x === hi) oddsRatio = Infinity;
  else {
    const mu = mnhyper(1);
    if (mu > x) oddsRatio = uniroot((s) => mnhyper(s) - x, 0, 1);
    else if (mu < x) oddsRatio = 1 / uniroot((s) => mnhyper(1 / s) - x, eps, 1);
    else oddsRatio = 1;
  }
  return { method: "Fisher's Exact Test for Count Data", pValue, oddsRatio, confInt, confLevel, alternative };
}
