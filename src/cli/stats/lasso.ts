import { coefAt, cvGlmnetBinomial } from '../../../stats/lasso';
import { Random } from '../../random';
import { RadnomoError } from '../../errors';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, intOption, listOption, numberOption, numericColumnsReport, numericRows, outcomeRows, requireOption, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'lasso',
  summary: 'LASSO / elastic-net logistic regression with K-fold CV as glmnet::cv.glmnet(family = "binomial"): lambda.min, lambda.1se, coefficients (rad score)',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--predictors <columns>', description: 'comma-separated predictor columns' },
    { flags: '--all-numeric', description: 'use every numeric column except the outcome and fold column as a predictor' },
    { flags: '--folds <k>', description: 'number of CV folds when --foldid is not given', defaultValue: '10' },
    { flags: '--foldid <column>', description: 'column with each row\'s fold (1..K), as cv.glmnet foldid' },
    { flags: '--seed <s>', description: 'seed of the random folds (radnomo\'s generator)', defaultValue: '1' },
    { flags: '--alpha <a>', description: 'elastic-net mixing: 1 = LASSO, 0 = ridge', defaultValue: '1' },
    { flags: '--measure <m>', description: 'CV loss: deviance or auc', defaultValue: 'deviance' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const foldCol = typeof opts.foldid === 'string' && opts.foldid.trim() !== '' ? opts.foldid.trim() : undefined;
    let predictors = listOption(opts.predictors, '--predictors');
    const autoNotes: string[] = [];
    if (opts.allNumeric === true) {
      if (predictors.length > 0) throw new RadnomoError('E_USAGE', 'give either --predictors or --all-numeric, not both.');
      const rep = numericColumnsReport(table, [outcome, ...(foldCol ? [foldCol] : [])]);
      predictors = rep.names;
      autoNotes.push(...rep.skipped);
    }
    if (predictors.length < 2) throw new RadnomoError('E_USAGE', `glmnet needs at least 2 predictors (--predictors a,b,... or --all-numeric); got ${predictors.length}.`);
    for (const c of [outcome, ...(foldCol ? [foldCol] : [])]) {
      if (predictors.includes(c)) throw new RadnomoError('E_USAGE', `--predictors must not include the ${c === outcome ? 'outcome' : 'fold'} column "${c}".`);
    }
    const measure = typeof opts.measure === 'string' ? opts.measure.trim() : 'deviance';
    if (measure !== 'deviance' && measure !== 'auc') throw new RadnomoError('E_USAGE', `--measure must be deviance or auc, got "${measure}".`);
    const alpha = numberOption(opts.alpha, '--alpha', 1);
    const nfolds = intOption(opts.folds, '--folds', 10, 3);
    const seed = intOption(opts.seed, '--seed', 1, 0);
    const cols = [outcome, ...predictors, ...(foldCol ? [foldCol] : [])];
    const rows = completeRows(table, cols);
    const dropped = table.nrows - rows.length;
    const y = outcomeRows(table, outcome, rows);
    const xcols = predictors.map((p) => numericRows(table, p, rows));
    const x = rows.map((_, i) => Float64Array.from(xcols, (c) => c[i]!));
    const foldid = foldCol ? numericRows(table, foldCol, rows) : undefined;
    const notes: string[] = [];
    predictors.forEach((name, j) => {
      const c = xcols[j]!;
      if (c.every((v) => v === c[0])) notes.push(`predictor "${name}" is constant; glmnet leaves it out (coefficient 0).`);
    });
    const events = y.reduce((a, b) => a + b, 0);
    if (Math.min(events, y.length - events) < 8) notes.push(`only ${Math.min(events, y.length - events)} observations in the smaller outcome class; glmnet warns that fewer than 8 is dangerous ground.`);
    const cv = cvGlmnetBinomial(x, y, predictors, {
      alpha,
      typeMeasure: measure,
      ...(foldid ? { foldid } : { nfolds, random: new Random(seed) }),
    });
    const coefs = (lambda: number): Array<{ name: string; value: number }> => {
      const c = coefAt(cv.fit, lambda);
      return [{ name: '(Intercept)', value: c.intercept }, ...predictors.map((name, j) => ({ name, value: c.beta[j]! })).filter((e) => e.value !== 0)];
    };
    const cmin = coefs(cv.lambdaMin);
    const c1se = coefs(cv.lambda1se);
    const warnings = [...(dropped > 0 ? [`${dropped} row(s) with missing values dropped.`] : []), ...autoNotes, ...notes, ...cv.warnings];
    const nf = Math.max(...cv.foldid);
    const json: Record<string, unknown> = {
      analysis: 'lasso', outcome, n: rows.length, dropped_missing: dropped, n_predictors: predictors.length,
      alpha, measure: cv.measure, nfolds: nf, folds: foldCol ? { column: foldCol } : { seed },
      lambda: Array.from(cv.lambda), cvm: Array.from(cv.cvm), cvsd: Array.from(cv.cvsd), nzero: Array.from(cv.nzero),
      lambda_min: cv.lambdaMin, lambda_1se: cv.lambda1se,
      coefficients: { lambda_min: cmin, lambda_1se: c1se },
      foldid: Array.from(cv.foldid), warnings,
    };
    const label = cv.measure === 'auc' ? 'AUC' : 'binomial deviance';
    const text = [
      `cv.glmnet binomial, alpha = ${alpha}, ${nf}-fold CV (${foldCol ? `folds from column ${foldCol}` : `random folds, seed ${seed}`}), ${rows.length} rows, ${predictors.length} predictors, ${cv.lambda.length} lambdas`,
      textTable(['', 'lambda', 'index', label, 'SE', 'nonzero'], [
        ['min', fmt(cv.lambdaMin), String(cv.indexMin + 1), fmt(cv.cvm[cv.indexMin]!), fmt(cv.cvsd[cv.indexMin]!), String(cv.nzero[cv.indexMin])],
        ['1se', fmt(cv.lambda1se), String(cv.index1se + 1), fmt(cv.cvm[cv.index1se]!), fmt(cv.cvsd[cv.index1se]!), String(cv.nzero[cv.index1se])],
      ]),
      '',
      'Coefficients (non-zero) at lambda.min and lambda.1se:',
      textTable(['term', 'lambda.min', 'lambda.1se'], cmin.concat(c1se.filter((e) => !cmin.some((m) => m.name === e.name))).map((e) => [
        e.name,
        fmt(cmin.find((m) => m.name === e.name)?.value ?? 0),
        fmt(c1se.find((m) => m.name === e.name)?.value ?? 0),
      ])),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
