import { RadnomoError } from '../../errors';
import { isMissing, numericColumn, stringColumn, type CsvTable } from '../../io/csv';
import {
  chiSquareTest,
  contingencyTable,
  fisherTest,
  kruskalWallis,
  mean,
  onewayAnova,
  sortLevels,
  tTest,
  variance,
  wilcoxonTest,
} from '../../../stats/tests';
import type { StatsAnalysis } from './analysis';
import { listOption, requireOption, textTable } from './logistic';

/** R's quantile(type = 7) of unsorted values. */
function quantile7(values: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

interface ContinuousSummary {
  n: number;
  missing: number;
  mean: number;
  sd: number;
  median: number;
  q1: number;
  q3: number;
}

function summarise(x: number[], missing: number): ContinuousSummary {
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

const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'NA');

function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'NA';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/**
 * Table 1: each variable summarised per group with a group comparison. Continuous: mean ± SD
 * with Welch's t test (R's t.test default) for two groups or one-way ANOVA
 * (oneway.test(var.equal = TRUE)) for more; with --nonparametric, median [Q1, Q3] (quantile type 7)
 * with the Wilcoxon rank-sum test (wilcox.test defaults) or Kruskal–Wallis. Categorical: n (%)
 * within each group with chisq.test (Yates for 2 x 2), or fisher.test when an expected count is < 5.
 */
export const analysis: StatsAnalysis = {
  name: 'table1',
  summary: 'Table 1: per-group summaries (mean ± SD, median [IQR], n (%)) with t/Wilcoxon/ANOVA/Kruskal/chi-square/Fisher p-values as R',
  options: [
    { flags: '--group <column>', description: 'grouping column (e.g. outcome)', required: true },
    { flags: '--vars <columns>', description: 'comma-separated variables to summarise', required: true },
    { flags: '--categorical <columns>', description: 'variables among --vars summarised as counts n (%)' },
    { flags: '--nonparametric', description: 'continuous variables as median [IQR] with Wilcoxon / Kruskal–Wallis tests' },
  ],
  run(table, opts) {
    const group = requireOption(opts, 'group', '--group');
    const vars = listOption(opts.vars);
    if (vars.length === 0) throw new RadnomoError('E_USAGE', '--vars needs at least one column name.');
    const categorical = listOption(opts.categorical);
    for (const c of categorical) {
      if (!vars.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is not among --vars.`);
    }
    if (vars.includes(group)) throw new RadnomoError('E_USAGE', `--vars must not contain the group column "${group}".`);
    const nonparametric = opts.nonparametric === true;
    const g = stringColumn(table, group);
    const rows: number[] = [];
    for (let i = 0; i < table.nrows; i++) if (!isMissing(g[i]!)) rows.push(i);
    const droppedGroup = table.nrows - rows.length;
    const levels = sortLevels(rows.map((i) => g[i]!.trim()));
    if (levels.length < 2) {
      throw new RadnomoError('E_DATA', `${table.source}: group column "${group}" has ${levels.length} level(s); at least 2 are needed.`);
    }
    const warnings: string[] = [];
    if (droppedGroup > 0) warnings.push(`${droppedGroup} row(s) with a missing "${group}" dropped.`);
    const groupN = levels.map((l) => rows.filter((i) => g[i]!.trim() === l).length);
    const header = ['variable', `overall (n = ${rows.length})`, ...levels.map((l, k) => `${group} = ${l} (n = ${groupN[k]})`), 'p', 'test'];
    const textRows: string[][] = [];
    const variables: Record<string, unknown>[] = [];

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
        const levelsJson = ct.rowLevels.map((lvl, r) => {
          const overall = counts[r]!.reduce((a, b) => a + b, 0);
          return {
            level: lvl,
            overall: { n: overall, percent: (100 * overall) / total },
            groups: levels.map((_, k) => ({ n: counts[r]![k]!, percent: colTot[k]! > 0 ? (100 * counts[r]![k]!) / colTot[k]! : NaN })),
          };
        });
        variables.push({ name: v, type: 'categorical', missing: ct.dropped, levels: levelsJson, test, statistic, p });
        textRows.push([`${v}, n (%)`, '', ...levels.map(() => ''), formatP(p), test]);
        for (const l of levelsJson) {
          textRows.push([
            `  ${l.level}`,
            `${l.overall.n} (${l.overall.percent.toFixed(1)})`,
            ...l.groups.map((x) => `${x.n} (${Number.isFinite(x.percent) ? x.percent.toFixed(1) : 'NA'})`),
            '',
            '',
          ]);
        }
        continue;
      }
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
      const overall = summarise(all, missing);
      const groupsJson = byGroup.map((b, k) => summarise(b, missingBy[k]!));
      variables.push({ name: v, type: 'continuous', summary: nonparametric ? 'median [Q1, Q3]' : 'mean ± SD', overall, groups: groupsJson, test, statistic, df, p });
      const cell = (s: ContinuousSummary): string =>
        nonparametric ? `${f2(s.median)} [${f2(s.q1)}, ${f2(s.q3)}]` : `${f2(s.mean)} ± ${f2(s.sd)}`;
      textRows.push([
        `${v}, ${nonparametric ? 'median [IQR]' : 'mean ± SD'}`,
        cell(overall),
        ...groupsJson.map(cell),
        formatP(p),
        test,
      ]);
    }
    const json: Record<string, unknown> = {
      analysis: 'table1',
      group,
      n: rows.length,
      dropped_missing_group: droppedGroup,
      groups: levels.map((l, k) => ({ level: l, n: groupN[k] })),
      variables,
      warnings,
    };
    const text = [textTable(header, textRows), ...warnings.map((w) => `Note: ${w}`)].join('\n');
    return { json, text };
  },
};
