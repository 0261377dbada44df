import { RadnomoError } from '../../errors';
import { compareGroups, type ContinuousSummary } from '../../../nomogram/tables/table1';
import type { StatsAnalysis } from './analysis';
import { listOption, requireOption, textTable } from './common';

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
 * The computation is nomogram/tables/table1.ts' compareGroups (shared with `radnomo tables`).
 */
export const analysis: StatsAnalysis = {
  name: 'table1',
  summary: 'Table 1: per-group summaries (mean ± SD, median [IQR], n (%)) with t/Wilcoxon/ANOVA/Kruskal/chi-square/Fisher p-values as R',
  options: [
    { flags: '--group <column>', description: 'grouping column (e.g. outcome)', required: true },
    { flags: '--vars <columns>', description: 'comma-separated variables to summarise', required: true },
    { flags: '--categorical <columns>', description: 'variables among --vars summarised as counts n (%), tested with chisq.test (Yates for 2 x 2), or fisher.test when an expected count is < 5 (the test used is named in the output)' },
    { flags: '--nonparametric', description: 'continuous variables as median [IQR] with Wilcoxon / Kruskal–Wallis tests' },
  ],
  run(table, opts) {
    const group = requireOption(opts, 'group', '--group');
    const vars = listOption(opts.vars, '--vars');
    if (vars.length === 0) throw new RadnomoError('E_USAGE', '--vars needs at least one column name.');
    const categorical = listOption(opts.categorical);
    for (const c of categorical) {
      if (!vars.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is not among --vars.`);
    }
    if (vars.includes(group)) throw new RadnomoError('E_USAGE', `--vars must not contain the group column "${group}".`);
    const nonparametric = opts.nonparametric === true;
    const all = Array.from({ length: table.nrows }, (_, i) => i);
    const cmp = compareGroups(table, all, group, vars, categorical, () => (nonparametric ? 'median' : 'mean'));
    const { levels, groupN, rows, warnings } = cmp;
    const header = ['variable', `overall (n = ${rows.length})`, ...levels.map((l, k) => `${group} = ${l} (n = ${groupN[k]})`), 'p', 'test'];
    const textRows: string[][] = [];
    const cell = (s: ContinuousSummary): string => (nonparametric ? `${f2(s.median)} [${f2(s.q1)}, ${f2(s.q3)}]` : `${f2(s.mean)} ± ${f2(s.sd)}`);
    for (const v of cmp.variables) {
      if (v.type === 'categorical') {
        textRows.push([`${v.name}, n (%)`, '', ...levels.map(() => ''), formatP(v.p), v.test]);
        for (const l of v.levels) {
          textRows.push([
            `  ${l.level}`,
            `${l.overall.n} (${l.overall.percent.toFixed(1)})`,
            ...l.groups.map((x) => `${x.n} (${Number.isFinite(x.percent) ? x.percent.toFixed(1) : 'NA'})`),
            '',
            '',
          ]);
        }
      } else {
        textRows.push([`${v.name}, ${nonparametric ? 'median [IQR]' : 'mean ± SD'}`, cell(v.overall), ...v.groups.map(cell), formatP(v.p), v.test]);
      }
    }
    const json: Record<string, unknown> = {
      analysis: 'table1',
      group,
      n: rows.length,
      dropped_missing_group: cmp.droppedGroup,
      groups: levels.map((l, k) => ({ level: l, n: groupN[k] })),
      variables: cmp.variables,
      warnings,
    };
    const text = [textTable(header, textRows), ...warnings.map((w) => `Note: ${w}`)].join('\n');
    return { json, text };
  },
};
