import { calibration } from '../../../stats/calibration';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, intOption, outcomeRows, probabilityRows, requireOption, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'calibration',
  summary: 'Calibration as rms::val.prob: intercept, slope, Brier, Emax/Eavg, Spiegelhalter z, C; grouped and lowess curves',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--prob <column>', description: 'predicted probability column', required: true },
    { flags: '--groups <g>', description: 'quantile groups of the grouped curve (Hmisc::cut2)', defaultValue: '10' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const prob = requireOption(opts, 'prob', '--prob');
    const g = intOption(opts.groups, '--groups', 10, 2);
    const rows = completeRows(table, [outcome, prob]);
    const dropped = table.nrows - rows.length;
    const r = calibration(probabilityRows(table, prob, rows), outcomeRows(table, outcome, rows), g);
    const warnings = [...(dropped > 0 ? [`${dropped} row(s) with missing values dropped.`] : []), ...r.warnings];
    const stats: Array<[string, string, number]> = [
      ['Dxy', 'dxy', r.dxy], ['C (ROC)', 'c', r.c], ['R2', 'r2', r.r2], ['D', 'd', r.d], ['U', 'u', r.u], ['Q', 'q', r.q],
      ['Brier', 'brier', r.brier], ['Intercept', 'intercept', r.intercept], ['Slope', 'slope', r.slope],
      ['Emax', 'emax', r.emax], ['E90', 'e90', r.e90], ['Eavg', 'eavg', r.eavg], ['S:z', 'spiegelhalter_z', r.spiegelhalterZ], ['S:p', 'spiegelhalter_p', r.spiegelhalterP],
    ];
    const json: Record<string, unknown> = { analysis: 'calibration', outcome, prob, n: rows.length, dropped_missing: dropped };
    for (const [, key, v] of stats) json[key] = v;
    Object.assign(json, {
      c_exact: r.cExact, d_chisq: r.dChiSq, u_chisq: r.uChiSq, u_p: r.uP,
      grouped: r.grouped.map((x) => ({ n: x.n, events: x.events, mean_predicted: x.meanPredicted, observed: x.observed, lower: x.lower, upper: x.upper })),
      smooth: { x: Array.from(r.smooth.x), y: Array.from(r.smooth.y) },
      warnings,
    });
    const text = [
      textTable(['statistic', 'value'], stats.map(([label, , v]) => [label, fmt(v)])),
      '',
      'Grouped calibration (quantile groups, Wilson 95% CI):',
      textTable(['group', 'n', 'mean predicted', 'observed', '95% CI'], r.grouped.map((x, k) => [String(k + 1), String(x.n), fmt(x.meanPredicted), fmt(x.observed), `${fmt(x.lower)}-${fmt(x.upper)}`])),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
