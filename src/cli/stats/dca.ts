import { RadnomoError } from '../../errors';
import { decisionCurves, defaultThresholds, parseThresholds } from '../../../stats/dca';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, listOption, outcomeRows, probabilityRows, requireOption, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'dca',
  summary: 'Decision curves as dcurves::dca: net benefit of each model, treat-all and treat-none; net interventions avoided per 100',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--prob <columns>', description: 'comma-separated predicted probability columns (one per model)', required: true },
    { flags: '--thresholds <from:to:by>', description: 'threshold grid as R\'s seq(from, to, by) (default: dcurves\' grid 0.01..0.99 by 0.01, values i * 0.01)' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const probs = listOption(opts.prob);
    if (probs.length === 0) throw new RadnomoError('E_USAGE', '--prob needs at least one probability column.');
    const thresholds = typeof opts.thresholds === 'string' ? parseThresholds(opts.thresholds) : defaultThresholds();
    const rows = completeRows(table, [outcome, ...probs]);
    const dropped = table.nrows - rows.length;
    const y = outcomeRows(table, outcome, rows);
    const r = decisionCurves(y, probs.map((p) => ({ name: p, risk: probabilityRows(table, p, rows) })), thresholds);
    const out: Array<Record<string, string | number>> = [];
    r.thresholds.forEach((t, k) => {
      for (const c of r.curves) {
        out.push({ variable: c.variable, threshold: t, tp_rate: c.tpRate[k]!, fp_rate: c.fpRate[k]!, net_benefit: c.netBenefit[k]!, net_intervention_avoided: c.netInterventionAvoided[k]! });
      }
    });
    const warnings = dropped > 0 ? [`${dropped} row(s) with missing values dropped.`] : [];
    const json = { analysis: 'dca', outcome, n: r.n, prevalence: r.prevalence, dropped_missing: dropped, rows: out, warnings };
    const text = [
      `Net benefit (n = ${r.n}, prevalence = ${fmt(r.prevalence)})`,
      textTable(['threshold', ...r.curves.map((c) => c.variable)], Array.from(r.thresholds, (t, k) => [fmt(t), ...r.curves.map((c) => fmt(c.netBenefit[k]!))])),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
