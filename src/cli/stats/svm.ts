import { SvmModel, type SvmKernel } from '../../../stats/svm';
import { RadnomoError } from '../../errors';
import type { StatsAnalysis } from './analysis';
import { completeRows, fmt, listOption, numericRows, outcomeRows, requireOption, textTable } from './common';

export const analysis: StatsAnalysis = {
  name: 'svm',
  summary: 'Support vector classifier as e1071::svm(type = "C-classification", scale = TRUE, probability = TRUE): decision values and Platt probabilities',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--predictors <columns>', description: 'comma-separated predictor columns', required: true },
    { flags: '--kernel <k>', description: 'linear or radial', defaultValue: 'radial' },
    { flags: '--cost <c>', description: 'C-SVC cost', defaultValue: '1' },
    { flags: '--gamma <g>', description: 'RBF gamma (default 1 / number of predictors)' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const predictors = listOption(opts.predictors, '--predictors');
    if (predictors.length === 0) throw new RadnomoError('E_USAGE', '--predictors is required (comma-separated columns).');
    const kernel = (typeof opts.kernel === 'string' ? opts.kernel.trim() : 'radial') as SvmKernel;
    if (kernel !== 'linear' && kernel !== 'radial') throw new RadnomoError('E_USAGE', `--kernel must be linear or radial, got "${String(kernel)}".`);
    const num = (v: string | boolean | undefined, flag: string): number | undefined => {
      if (v === undefined || v === false) return undefined;
      const x = Number(v);
      if (typeof v !== 'string' || !(x > 0)) throw new RadnomoError('E_USAGE', `${flag} must be a positive number, got "${String(v)}".`);
      return x;
    };
    const cost = num(opts.cost, '--cost') ?? 1;
    const gamma = num(opts.gamma, '--gamma');
    const rows = completeRows(table, [outcome, ...predictors]);
    const dropped = table.nrows - rows.length;
    const y = outcomeRows(table, outcome, rows);
    const xc = predictors.map((p) => numericRows(table, p, rows));
    const x = rows.map((_, i) => Float64Array.from(xc, (c) => c[i]!));
    const m = new SvmModel({ kernel, cost, ...(gamma === undefined ? {} : { gamma }) }).fit(x, y, predictors);
    const dec = m.decisionValues(x);
    const prob = m.predictProbability(x);
    const cls = m.predict(x);
    let correct = 0;
    for (let i = 0; i < y.length; i++) correct += cls[i] === y[i] ? 1 : 0;
    const lm = m.libsvmModel;
    const warnings = [...(dropped > 0 ? [`${dropped} row(s) with missing values dropped.`] : []), ...m.warnings,
      'Platt probabilities come from libsvm\'s internal 5-fold CV with its own random folds; they differ from e1071\'s by up to a few hundredths.',
      'predicted_class follows the decision value, as e1071\'s predict(model, x); predict(model, x, probability = TRUE) instead picks the class with the larger Platt probability, which can differ for rows near the boundary.'];
    const quant = (a: Float64Array): number[] => {
      const s = Array.from(a).sort((p, q) => p - q);
      return [0, 0.25, 0.5, 0.75, 1].map((q) => s[Math.round(q * (s.length - 1))]!);
    };
    const json: Record<string, unknown> = {
      analysis: 'svm', outcome, predictors, n: rows.length, dropped_missing: dropped, kernel, cost, gamma: m.gamma,
      n_support_vectors: lm.svIndex.length, rho: lm.rho, probA: lm.probA, probB: lm.probB,
      decision_name: m.decisionName, decision_values: Array.from(dec), probabilities: Array.from(prob),
      predicted_class: Array.from(cls), training_accuracy: correct / y.length, warnings,
    };
    const text = [
      `e1071-style C-SVC, ${kernel} kernel, cost ${cost}${kernel === 'radial' ? `, gamma ${fmt(m.gamma)}` : ''}, ${rows.length} rows, ${lm.svIndex.length} support vectors`,
      `decision values are "${m.decisionName}" (positive = outcome ${m.positiveClass}); training accuracy ${fmt(correct / y.length)} (classes by the decision value's sign)`,
      textTable(['', 'min', 'q1', 'median', 'q3', 'max'], [
        ['decision value', ...quant(dec).map((v) => fmt(v))],
        ['P(outcome = 1)', ...quant(prob).map((v) => fmt(v))],
      ]),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
