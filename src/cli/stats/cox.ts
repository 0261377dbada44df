import { RadnomoError } from '../../errors';
import { stringColumn } from '../../io/csv';
import { coxPH, parseEventColumn } from '../../../stats/survival';
import { TreatmentEncoder, type Predictor } from '../../../stats/logistic';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, listOption, numericRows, requireOption, survivalTimes, textTable } from './common';

/**
 * Cox proportional-hazards model as survival::coxph (Efron ties) with summary(coxph)'s table,
 * likelihood-ratio / Wald / score tests and concordance.
 */
export const analysis: StatsAnalysis = {
  name: 'cox',
  summary: 'Cox proportional hazards as survival::coxph (Efron): HR with 95% CI, LR/Wald/score tests, concordance',
  options: [
    { flags: '--time <column>', description: 'follow-up time column', required: true },
    { flags: '--event <column>', description: 'event column: 0/1, TRUE/FALSE, or 1/2 (2 = event)', required: true },
    { flags: '--predictors <columns>', description: 'comma-separated predictor columns', required: true },
    { flags: '--categorical <columns>', description: 'predictors to dummy-code (reference = first sorted level, as R\'s factor())' },
  ],
  run(table, opts) {
    const timeCol = requireOption(opts, 'time', '--time');
    const eventCol = requireOption(opts, 'event', '--event');
    const preds = listOption(opts.predictors, '--predictors');
    if (preds.length === 0) throw new RadnomoError('E_USAGE', '--predictors needs at least one column name.');
    const rows = completeRows(table, [timeCol, eventCol, ...preds]);
    const dropped = table.nrows - rows.length;
    const time = survivalTimes(table, timeCol, rows);
    const ev = parseEventColumn(stringColumn(table, eventCol), eventCol, 2);
    const event = Float64Array.from(rows, (i) => ev[i]!);
    const categorical = listOption(opts.categorical, '--categorical');
    for (const c of categorical) {
      if (!preds.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is not among --predictors.`);
    }
    const predictors: Predictor[] = preds.map((p) => {
      if (!categorical.includes(p)) return { name: p, values: numericRows(table, p, rows) };
      const s = stringColumn(table, p);
      return { name: p, values: rows.map((i) => s[i]!.trim()), categorical: true };
    });
    // Treatment coding as model.matrix: a factor's terms are <name><level> for all but its first level.
    const encoder = new TreatmentEncoder().fit(predictors);
    const terms = encoder.terms;
    const X = encoder.apply(predictors).map((row) => Array.from(row));
    const r = coxPH(time, event, X, terms);
    const notes = dropped > 0 ? [`${dropped} row(s) with missing values dropped; n = ${rows.length}.`] : [];
    if (!r.converged) notes.push(`the model did not converge in ${r.iterations} iterations.`);
    notes.push(...r.warnings);
    const json: Record<string, unknown> = {
      analysis: 'cox',
      time: timeCol,
      event: eventCol,
      n: r.n,
      nevent: r.nevent,
      dropped_missing: dropped,
      terms: terms.map((p, k) => ({
        term: p,
        coef: r.coef[k],
        se: r.se[k],
        z: r.z[k],
        p: r.p[k],
        hr: r.hr[k],
        hr_lower: r.hrLower[k],
        hr_upper: r.hrUpper[k],
      })),
      levels: encoder.levels,
      loglik: r.loglik,
      iterations: r.iterations,
      likelihood_ratio: { statistic: r.logtest[0], df: r.logtest[1], p: r.logtest[2] },
      wald: { statistic: r.waldtest[0], df: r.waldtest[1], p: r.waldtest[2] },
      score: { statistic: r.sctest[0], df: r.sctest[1], p: r.sctest[2] },
      concordance: { c: r.concordance.concordance, se: r.concordance.se },
      warnings: notes,
    };
    const text = [
      `Cox model (Efron ties): n = ${r.n}, events = ${r.nevent}`,
      textTable(
        ['term', 'coef', 'se', 'z', 'p', 'HR', '95% CI'],
        terms.map((p, k) => [p, fmt(r.coef[k]!), fmt(r.se[k]!), fmt(r.z[k]!), fmt(r.p[k]!), fmt(r.hr[k]!), `${fmt(r.hrLower[k]!)}-${fmt(r.hrUpper[k]!)}`]),
      ),
      ...Object.entries(encoder.levels).map(([v, l]) => `${v}: reference level ${l[0]} (levels ${l.join(', ')})`),
      `Concordance = ${fmt(r.concordance.concordance)} (se = ${fmt(r.concordance.se)})`,
      `Likelihood ratio test = ${fmt(r.logtest[0])} on ${r.logtest[1]} df, p = ${fmt(r.logtest[2])}`,
      `Wald test             = ${fmt(r.waldtest[0])} on ${r.waldtest[1]} df, p = ${fmt(r.waldtest[2])}`,
      `Score (logrank) test  = ${fmt(r.sctest[0])} on ${r.sctest[1]} df, p = ${fmt(r.sctest[2])}`,
      ...notes.map((w) => `Note: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
