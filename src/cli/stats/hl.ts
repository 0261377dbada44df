import { hosmerLemeshow } from '../../../stats/hosmer-lemeshow';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, intOption, outcomeRows, probabilityRows, requireOption, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'hl',
  summary: 'Hosmer-Lemeshow goodness-of-fit test as ResourceSelection::hoslem.test',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--prob <column>', description: 'predicted probability column', required: true },
    { flags: '--groups <g>', description: 'number of quantile groups', defaultValue: '10' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const prob = requireOption(opts, 'prob', '--prob');
    const g = intOption(opts.groups, '--groups', 10, 3);
    const rows = completeRows(table, [outcome, prob]);
    const dropped = table.nrows - rows.length;
    const r = hosmerLemeshow(outcomeRows(table, outcome, rows), probabilityRows(table, prob, rows), g);
    const warnings = [...(dropped > 0 ? [`${dropped} row(s) with missing values dropped.`] : []), ...r.warnings];
    const json = {
      analysis: 'hl', outcome, prob, n: rows.length, dropped_missing: dropped,
      statistic: r.statistic, df: r.df, p: r.p, groups_requested: g,
      groups: r.groups.map((x) => ({ lower: x.lower, upper: x.upper, n: x.n, observed1: x.observed1, expected1: x.expected1, observed0: x.observed0, expected0: x.expected0 })),
      warnings,
    };
    const text = [
      `Hosmer-Lemeshow (g = ${g}): X-squared = ${fmt(r.statistic)}, df = ${r.df}, p = ${fmt(r.p)}`,
      '',
      textTable(['group', 'n', 'obs 1', 'exp 1', 'obs 0', 'exp 0'], r.groups.map((x, k) => [
        `${k === 0 ? '[' : '('}${fmt(x.lower)}, ${fmt(x.upper)}]`, String(x.n), String(x.observed1), fmt(x.expected1), String(x.observed0), fmt(x.expected0),
      ])),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
