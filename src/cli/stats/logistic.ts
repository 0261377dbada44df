import { RadnomoError } from '../../errors';
import { isMissing, numericColumn, stringColumn, type CsvTable } from '../../io/csv';
import { fitLogistic, univariableLogistic, type LogisticTerm, type Predictor } from '../../../stats/logistic';
import type { StatsAnalysis } from './analysis';
import { requireOption, listOption, completeRows, numericRows, outcomeRows, fmt, textTable } from './common';

function termJson(t: LogisticTerm): Record<string, number | string> {
  return { term: t.term, estimate: t.estimate, se: t.se, z: t.z, p: t.p, or: t.or, or_lower: t.orLower, or_upper: t.orUpper };
}

function termRows(ts: Array<LogisticTerm & { predictor?: string }>): string[][] {
  return ts.map((t) => [t.term, fmt(t.estimate), fmt(t.se), fmt(t.z), fmt(t.p), fmt(t.or), `${fmt(t.orLower)}-${fmt(t.orUpper)}`]);
}

export const analysis: StatsAnalysis = {
  name: 'logistic',
  summary: 'Logistic regression as glm(family = binomial): coefficients, Wald SE/z/p, odds ratios with 95% CI; univariable screening',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--predictors <columns>', description: 'comma-separated predictor columns', required: true },
    { flags: '--univariable', description: 'one model per predictor instead of one multivariable model' },
    { flags: '--categorical <columns>', description: 'predictors to dummy-code (reference = first sorted level, as R)' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const names = listOption(opts.predictors);
    if (names.length === 0) throw new RadnomoError('E_USAGE', '--predictors needs at least one column name.');
    const categorical = listOption(opts.categorical);
    for (const c of categorical) {
      if (!names.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is not among --predictors.`);
    }
    const rows = completeRows(table, [outcome, ...names]);
    const dropped = table.nrows - rows.length;
    const y = outcomeRows(table, outcome, rows);
    const predictors: Predictor[] = names.map((n) => {
      if (categorical.includes(n)) {
        const s = stringColumn(table, n);
        return { name: n, values: rows.map((i) => s[i]!.trim()), categorical: true };
      }
      return { name: n, values: numericRows(table, n, rows) };
    });
    const header = ['term', 'estimate', 'se', 'z', 'p', 'OR', '95% CI'];
    const notes = dropped > 0 ? [`${dropped} row(s) with missing values dropped; n = ${rows.length}.`] : [];
    if (opts.univariable === true) {
      const uni = univariableLogistic(y, predictors);
      const warnings = [...new Set(uni.flatMap((r) => r.warnings.map((w) => `${r.predictor}: ${w}`)))];
      const json = {
        analysis: 'logistic', mode: 'univariable', outcome, n: rows.length, dropped_missing: dropped,
        coefficients: uni.map((r) => ({ predictor: r.predictor, ...termJson(r) })), warnings,
      };
      const text = [textTable(['predictor', ...header], uni.map((r, k) => [r.predictor, ...termRows([uni[k]!])[0]!])), ...notes, ...warnings.map((w) => `Warning: ${w}`)].join('\n');
      return { json, text };
    }
    const fit = fitLogistic(y, predictors);
    const m = fit.model;
    const json = {
      analysis: 'logistic', mode: 'multivariable', outcome, n: rows.length, dropped_missing: dropped,
      coefficients: fit.coefficients.map(termJson),
      loglik: m.logLik, aic: m.aic, deviance: m.deviance, null_deviance: m.nullDeviance,
      df_residual: rows.length - m.terms.length, iterations: m.iterations, converged: m.converged,
      vcov: m.vcov.map((r) => Array.from(r)),
      lrm: { lr_chi2: fit.lrm.lrChi2, df: fit.lrm.df, p: fit.lrm.p, c: fit.lrm.c, c_exact: fit.lrm.cExact, dxy: fit.lrm.dxy, r2: fit.lrm.r2, brier: fit.lrm.brier },
      levels: fit.encoder.levels,
      warnings: fit.warnings,
    };
    const text = [
      textTable(header, termRows(fit.coefficients)),
      '',
      `n = ${rows.length}, log-likelihood = ${fmt(m.logLik, 6)}, AIC = ${fmt(m.aic, 6)}, residual deviance = ${fmt(m.deviance, 6)} (null ${fmt(m.nullDeviance, 6)})`,
      `LR chi2 = ${fmt(fit.lrm.lrChi2)} on ${fit.lrm.df} df (p = ${fmt(fit.lrm.p)}), C = ${fmt(fit.lrm.c)}, Nagelkerke R2 = ${fmt(fit.lrm.r2)}, Brier = ${fmt(fit.lrm.brier)}`,
      ...notes,
      ...fit.warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
