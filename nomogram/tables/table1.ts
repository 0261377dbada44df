/**
 * Table 1: each variable summarised by outcome group with a group comparison, as R would compute it.
 *
 * `compareGroups` is the shared engine (also behind `radnomo stats table1`): continuous variables as
 * mean ± SD with Welch's t test (R's t.test default) for two groups or one-way ANOVA
 * (oneway.test(var.equal = TRUE)) for more, or as median [Q1, Q3] (quantile type 7) with the
 * Wilcoxon rank-sum test (wilcox.test defaults) or Kruskal–Wallis; categorical variables as n (%)
 * within each group with chisq.test (Yates for 2 x 2), or fisher.test when an expected count is < 5.
 *
 * `table1` lays the comparison out for a study: outcome groups within the training set and within
 * the test set, each set with its own p column. Which summary a continuous variable gets is chosen
 * by a stated rule (`summary: 'auto'`, the default): median [IQR] when the absolute sample skewness
 * (adjusted Fisher–Pearson G1) of the variable over all rows of the table exceeds 1, otherwise
 * mean ± SD; the same choice is used in every set. `summary: 'mean'` or `'median'` forces one.
 */
import { RadnomoError } from '../../src/errors';
import { isMissing, numericColumn, stringColumn, type CsvTable } from '../../src/io/csv';
import { chiSquareTest, contingencyTable, fisherTest, kruskalWallis, mean, onewayAnova, sortLevels, tTest, variance, wilcoxonTest } from '../../stats/tests';
import { decimalsForSpread, fmtCountPct, fmtMeanSd, fmtMedianIqr, fmtP, formatOptions, MARKS, type FormatOptions, DASH } from './format';
import type { TableModel, TableRow, ColumnGroup } from './render';

/** R's quantile(type = 7) of unsorted values. */
export function quantile7(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Summary of a continuous variable in one group. */
export interface ContinuousSummary {
  n: number;
  missing: number;
  mean: number;
  sd: number;
  median: number;
  q1: number;
  q3: number;
}

/** Mean, SD (n - 1), median and quartiles (type 7) of the values. */
export function summarise(x: number[], missing: number): ContinuousSummary {
  return {
    n: x.length,
    missing,
    mean: x.length > 0 ? mean(x) : NaN,
    sd: x.length > 1 ? Math.sqrt(variance(x)) : NaN,
    median: x.length > 0 ? quantile7(x, 0.5) : NaN,
    q1: x.length > 0 ? quantile7(x, 0.25) : NaN,
    q3: x.length > 0 ? quantile7(x, 0.75) : NaN,
  };
}

export interface ContinuousComparison {
  name: string;
  type: 'continuous';
  summary: 'mean ± SD' | 'median [Q1, Q3]';
  overall: ContinuousSummary;
  groups: ContinuousSummary[];
  test: string;
  statistic: number | null;
  df: number | number[] | null;
  p: number;
}

export interface CategoricalLevel {
  level: string;
  overall: { n: number; percent: number };
  groups: Array<{ n: number; percent: number }>;
}

export interface CategoricalComparison {
  name: string;
  type: 'categorical';
  missing: number;
  levels: CategoricalLevel[];
  test: string;
  statistic: number | null;
  p: number;
}

export type VariableComparison = ContinuousComparison | CategoricalComparison;

/** The result of comparing variables across the levels of a group column. */
export interface GroupComparison {
  group: string;
  /** Rows used (group not missing). */
  rows: number[];
  droppedGroup: number;
  /** Group levels in R's factor order, with their sizes. */
  levels: string[];
  groupN: number[];
  variables: VariableComparison[];
  warnings: string[];
}

/** How a continuous variable is summarised: 'mean' (mean ± SD, t/ANOVA) or 'median' (median [IQR], Wilcoxon/Kruskal). */
export type ContinuousSummaryKind = 'mean' | 'median';

/**
 * Compares each variable across the groups of `group` over the given rows (see the file header for
 * the summaries and tests; they match R's t.test, wilcox.test, oneway.test, kruskal.test,
 * chisq.test and fisher.test). Missing values are excluded per variable and reported as warnings.
 */
export function compareGroups(
  table: CsvTable,
  inputRows: readonly number[],
  group: string,
  vars: readonly string[],
  categorical: readonly string[],
  summaryOf: (variable: string) => ContinuousSummaryKind,
): GroupComparison {
  const g = stringColumn(table, group);
  const rows: number[] = [];
  for (const i of inputRows) if (!isMissing(g[i]!)) rows.push(i);
  const droppedGroup = inputRows.length - rows.length;
  const levels = sortLevels(rows.map((i) => g[i]!.trim()));
  if (levels.length < 2) {
    throw new RadnomoError('E_DATA', `${table.source}: group column "${group}" has ${levels.length} level(s); at least 2 are needed.`);
  }
  const warnings: string[] = [];
  if (droppedGroup > 0) warnings.push(`${droppedGroup} row(s) with a missing "${group}" dropped.`);
  const groupN = levels.map((l) => rows.filter((i) => g[i]!.trim() === l).length);
  const variables: VariableComparison[] = [];

  for (const v of vars) {
    if (categorical.includes(v)) {
      const s = stringColumn(table, v);
      const ct = contingencyTable(rows.map((i) => s[i]!), rows.map((i) => g[i]!));
      if (ct.dropped > 0) warnings.push(`${v}: ${ct.dropped} missing value(s) excluded.`);
      // align columns with all group levels (a group may have only missing values of v)
      const colIdx = levels.map((l) => ct.colLevels.indexOf(l));
      const counts = ct.counts.map((r) => colIdx.map((j) => (j >= 0 ? r[j]! : 0)));
      const colTot = levels.map((_, k) => counts.reduce((a, r) => a + r[k]!, 0));
      const total = colTot.reduce((a, b) => a + b, 0);
      let test = '';
      let p = NaN;
      let statistic: number | null = null;
      const keptCols = levels.map((_, k) => k).filter((k) => colTot[k]! > 0);
      const tab = counts.map((r) => keptCols.map((k) => r[k]!));
      if (ct.rowLevels.length < 2 || keptCols.length < 2) {
        warnings.push(`${v}: a single level or group among complete values; no test.`);
      } else {
        const chi = chiSquareTest(tab);
        const small = chi.expected.some((r) => r.some((e) => e < 5));
        if (small) {
          try {
            const f = fisherTest(tab);
            test = "Fisher's exact test";
            p = f.pValue;
          } catch (e) {
            if (!(e instanceof RadnomoError)) throw e;
            test = chi.method;
            p = chi.pValue;
            statistic = chi.statistic;
            warnings.push(`${v}: expected counts < 5 but the table is too large for Fisher's exact test; chi-square reported.`);
          }
        } else {
          test = chi.method;
          p = chi.pValue;
          statistic = chi.statistic;
        }
      }
      const levelsOut: CategoricalLevel[] = ct.rowLevels.map((lvl, r) => {
        const overall = counts[r]!.reduce((a, b) => a + b, 0);
        return {
          level: lvl,
          overall: { n: overall, percent: (100 * overall) / total },
          groups: levels.map((_, k) => ({ n: counts[r]![k]!, percent: colTot[k]! > 0 ? (100 * counts[r]![k]!) / colTot[k]! : NaN })),
        };
      });
      variables.push({ name: v, type: 'categorical', missing: ct.dropped, levels: levelsOut, test, statistic, p });
      continue;
    }
    const nonparametric = summaryOf(v) === 'median';
    const x = numericColumn(table, v);
    const byGroup: number[][] = levels.map(() => []);
    const all: number[] = [];
    let missing = 0;
    const missingBy = levels.map(() => 0);
    for (const i of rows) {
      const k = levels.indexOf(g[i]!.trim());
      if (Number.isNaN(x[i]!)) {
        missing++;
        missingBy[k]! += 1;
        continue;
      }
      if (!Number.isFinite(x[i]!)) throw new RadnomoError('E_VALUE', `${table.source}: column "${v}" holds ${x[i]} at row ${i + 2}.`);
      byGroup[k]!.push(x[i]!);
      all.push(x[i]!);
    }
    if (missing > 0) warnings.push(`${v}: ${missing} missing value(s) excluded.`);
    const present = byGroup.filter((b) => b.length > 0);
    let test = '';
    let p = NaN;
    let statistic: number | null = null;
    let df: number | number[] | null = null;
    try {
      if (present.length < 2) throw new RadnomoError('E_DATA', `${v}: fewer than two groups have values.`);
      if (nonparametric) {
        if (present.length === 2) {
          const w = wilcoxonTest(present[0]!, present[1]!);
          test = w.method;
          p = w.pValue;
          statistic = w.statistic;
          for (const m of w.warnings) warnings.push(`${v}: ${m}.`);
        } else {
          const k = kruskalWallis(present);
          test = k.method;
          p = k.pValue;
          statistic = k.statistic;
          df = k.df as number;
        }
      } else if (present.length === 2) {
        const t = tTest(present[0]!, present[1]!);
        test = t.method;
        p = t.pValue;
        statistic = t.statistic;
        df = t.df;
      } else {
        const a = onewayAnova(present);
        test = 'One-way ANOVA';
        p = a.pValue;
        statistic = a.statistic;
        df = a.df as number[];
      }
    } catch (e) {
      if (!(e instanceof RadnomoError)) throw e;
      warnings.push(`${v}: no test (${e.message})`);
    }
    variables.push({
      name: v,
      type: 'continuous',
      summary: nonparametric ? 'median [Q1, Q3]' : 'mean ± SD',
      overall: summarise(all, missing),
      groups: byGroup.map((b, k) => summarise(b, missingBy[k]!)),
      test,
      statistic,
      df,
      p,
    });
  }
  return { group, rows, droppedGroup, levels, groupN, variables, warnings };
}

/** Adjusted Fisher–Pearson sample skewness G1 = sqrt(n(n-1))/(n-2) * m3 / m2^1.5 (NaN for n < 3 or constant). */
export function sampleSkewness(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 3) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  if (!(m2 > 0)) return NaN;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / Math.pow(m2, 1.5));
}

/** The skewness above which 'auto' summarises a continuous variable as median [IQR]. */
export const SKEWNESS_LIMIT = 1;

/** One set of rows (training, test, or all) shown as a column block of Table 1. */
export interface Table1Set {
  label: string;
  rows: readonly number[];
}

export interface Table1Options extends FormatOptions {
  /** Variables (columns) to summarise, in order. */
  vars: readonly string[];
  /** Variables summarised as n (%). */
  categorical?: readonly string[];
  /** 'auto' (default: skewness rule, see the file header), 'mean' or 'median'. */
  summary?: 'auto' | 'mean' | 'median';
  /** Display labels of the outcome levels, by level ("0" → "Benign"). */
  groupLabels?: Readonly<Record<string, string>>;
  /** Display labels of variables. */
  varLabels?: Readonly<Record<string, string>>;
}

/** What table1 computed: the comparison of each set (the numbers behind the cells) and the choices made. */
export interface Table1Result {
  table: TableModel;
  sets: Array<{ label: string; comparison: GroupComparison }>;
  /** Summary used for each continuous variable, and the skewness that decided it ('auto'). */
  summaries: Record<string, { kind: ContinuousSummaryKind; skewness: number; decimals: number }>;
}

/**
 * Table 1 of a study: for each set (e.g. training and test), the variables by outcome group with
 * a p-value per set; the test behind each p is marked with a superscript letter explained in a
 * footnote. Decimals per continuous variable: enough to show its SD (or IQR) with two significant
 * digits, and at least `decimals`.
 */
export function table1(table: CsvTable, outcome: string, sets: readonly Table1Set[], opts: Table1Options): Table1Result {
  const f = formatOptions(opts);
  const categorical = opts.categorical ?? [];
  const mode = opts.summary ?? 'auto';
  if (mode !== 'auto' && mode !== 'mean' && mode !== 'median') throw new RadnomoError('E_USAGE', `the Table 1 summary must be auto, mean or median, got "${String(mode)}".`);
  const allRows = [...new Set(sets.flatMap((s) => [...s.rows]))].sort((a, b) => a - b);
  const summaries: Table1Result['summaries'] = {};
  for (const v of opts.vars) {
    if (categorical.includes(v)) continue;
    const x = numericColumn(table, v);
    const vals = allRows.map((i) => x[i]!).filter((u) => !Number.isNaN(u));
    const skew = sampleSkewness(vals);
    const kind: ContinuousSummaryKind = mode === 'auto' ? (Math.abs(skew) > SKEWNESS_LIMIT ? 'median' : 'mean') : mode;
    const s = summarise(vals, 0);
    const spread = kind === 'mean' ? s.sd : s.q3 - s.q1;
    summaries[v] = { kind, skewness: skew, decimals: decimalsForSpread(spread, f.decimals) };
  }
  const comparisons = sets.map((s) => ({ label: s.label, comparison: compareGroups(table, s.rows, outcome, opts.vars, categorical, (v) => summaries[v]?.kind ?? 'mean') }));
  // every set must show the same outcome levels (columns)
  const levels = sortLevels([...new Set(comparisons.flatMap((c) => c.comparison.levels))]);
  const marks = new Map<string, string>();
  const mark = (test: string): string => {
    if (test === '') return '';
    if (!marks.has(test)) marks.set(test, MARKS[marks.size % MARKS.length]!);
    return marks.get(test)!;
  };
  const glabel = (l: string): string => opts.groupLabels?.[l] ?? `${outcome} = ${l}`;
  const vlabel = (v: string): string => opts.varLabels?.[v] ?? v;
  const columns = ['Characteristic'];
  const groups: ColumnGroup[] = [{ label: '', span: 1 }];
  for (const c of comparisons) {
    for (const l of levels) {
      const k = c.comparison.levels.indexOf(l);
      columns.push(`${glabel(l)} (n = ${k >= 0 ? c.comparison.groupN[k] : 0})`);
    }
    columns.push('p');
    groups.push({ label: `${c.label} (n = ${c.comparison.rows.length})`, span: levels.length + 1 });
  }
  const rows: TableRow[] = [];
  let anyDash = false;
  opts.vars.forEach((v, vi) => {
    const per = comparisons.map((c) => c.comparison.variables[vi]!);
    const first = per[0]!;
    if (first.type === 'categorical') {
      const head: string[] = [`${vlabel(v)}, n (%)`];
      for (const r of per) {
        head.push(...levels.map(() => ''));
        const pc = fmtP(r.p, f.pDecimals);
        if (pc === DASH) anyDash = true;
        head.push(pc === DASH ? pc : pc + mark(r.test));
      }
      rows.push({ cells: head });
      const allLevels = sortLevels([...new Set(per.flatMap((r) => (r as CategoricalComparison).levels.map((l) => l.level)))]);
      for (const lvl of allLevels) {
        const cells = [lvl];
        for (const [ci, r] of per.entries()) {
          const cat = r as CategoricalComparison;
          const li = cat.levels.find((x) => x.level === lvl);
          const cmp = comparisons[ci]!.comparison;
          for (const l of levels) {
            const k = cmp.levels.indexOf(l);
            const gcount = li && k >= 0 ? li.groups[k]! : { n: 0, percent: NaN };
            const total = k >= 0 ? cat.levels.reduce((a, x) => a + x.groups[k]!.n, 0) : 0;
            const pct = total > 0 ? (100 * gcount.n) / total : NaN;
            if (!Number.isFinite(pct)) anyDash = true;
            cells.push(fmtCountPct(gcount.n, pct, f.percentDecimals));
          }
          cells.push('');
        }
        rows.push({ cells, indent: 1 });
      }
      return;
    }
    const sm = summaries[v]!;
    const cells = [`${vlabel(v)}, ${sm.kind === 'mean' ? 'mean ± SD' : 'median [IQR]'}`];
    for (const [ci, r] of per.entries()) {
      const c = r as ContinuousComparison;
      const cmp = comparisons[ci]!.comparison;
      for (const l of levels) {
        const k = cmp.levels.indexOf(l);
        const s = k >= 0 ? c.groups[k]! : summarise([], 0);
        const cell = sm.kind === 'mean' ? fmtMeanSd(s.mean, s.sd, sm.decimals) : fmtMedianIqr(s.median, s.q1, s.q3, sm.decimals);
        if (cell.includes(DASH)) anyDash = true;
        cells.push(cell);
      }
      const pc = fmtP(c.p, f.pDecimals);
      if (pc === DASH) anyDash = true;
      cells.push(pc === DASH ? pc : pc + mark(c.test));
    }
    rows.push({ cells });
  });
  const footnotes: string[] = [];
  if (marks.size > 0) footnotes.push([...marks].map(([test, m]) => `${m} ${test}`).join('; ') + '.');
  const nMedian = Object.values(summaries).filter((s) => s.kind === 'median').length;
  if (mode === 'auto' && Object.keys(summaries).length > 0) {
    footnotes.push(
      `Continuous variables are shown as mean ± SD (Welch's t test) unless their sample skewness over all rows exceeds ${SKEWNESS_LIMIT} in absolute value, then as median [IQR] (Wilcoxon rank-sum test)${nMedian > 0 ? '' : '; none did'}. Categorical variables: n (%) within each group, chi-square test (Yates' correction for 2 × 2 tables) or Fisher's exact test when an expected count is below 5.`,
    );
  } else if (Object.keys(summaries).length > 0) {
    footnotes.push(
      `Continuous variables are shown as ${mode === 'mean' ? "mean ± SD (Welch's t test)" : 'median [IQR] (Wilcoxon rank-sum test)'}. Categorical variables: n (%) within each group, chi-square test (Yates' correction for 2 × 2 tables) or Fisher's exact test when an expected count is below 5.`,
    );
  }
  const warnings = [...new Set(comparisons.flatMap((c) => c.comparison.warnings.map((w) => `${c.label}: ${w}`)))];
  if (anyDash) footnotes.push(`${DASH} not available: no values in that group, or no test possible (see the notes below).`);
  footnotes.push(...warnings.map((w) => `Note: ${w}`));
  return {
    table: { id: 'table1', title: sets.length > 1 ? `Table 1. Characteristics by outcome group in the ${sets.map((s) => s.label.toLowerCase()).join(' and ')}` : 'Table 1. Characteristics by outcome group', columns, columnGroups: groups, rows, footnotes },
    sets: comparisons,
    summaries,
  };
}
