import { RadnomoError } from '../../errors';
import { isMissing } from '../../io/csv';
import { delongPairwise } from '../../../stats/delong';
import type { StatsAnalysis } from './analysis';
import { binaryOutcome, completeRows, directionOption, fmt, numberOption, requiredString, textTable } from './roc';

export const analysis: StatsAnalysis = {
  name: 'delong',
  summary: "DeLong's test between the AUCs of two or more predictors on the same cases (as pROC::roc.test)",
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column: 0 = control, 1 = case', required: true },
    { flags: '--predictors <columns>', description: 'two or more predictor columns, comma-separated (A,B[,C...])', required: true },
    { flags: '--direction <dir>', description: 'auto (each curve by pROC\'s median rule), "<" or ">"', defaultValue: 'auto' },
    { flags: '--conf-level <p>', description: 'confidence level of the AUC difference', defaultValue: '0.95' },
  ],
  run(table, opts) {
    const outcome = requiredString(opts, 'outcome', '--outcome');
    const names = requiredString(opts, 'predictors', '--predictors').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length < 2) throw new RadnomoError('E_USAGE', `--predictors needs at least two columns, got "${String(opts.predictors)}".`);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new RadnomoError('E_USAGE', `--predictors names "${dup}" twice.`);
    const direction = directionOption(opts.direction);
    const confLevel = numberOption(opts.confLevel, '--conf-level', 0.95, { min: 0, max: 1, openMin: true, openMax: true });
    // Each pair uses its own complete rows (pROC's roc.test(na.rm = TRUE)); here the columns are
    // read with missing cells as NaN, and rows missing the outcome are dropped for all pairs.
    completeRows(table, [outcome, ...names]); // checks the columns exist
    const withOutcome = completeRows(table, [outcome]);
    const y = binaryOutcome(table, outcome, withOutcome);
    const predictors = names.map((name) => {
      const col = table.columns.get(name)!;
      const values = Float64Array.from(withOutcome, (r) => {
        const s = col[r]!.trim();
        if (isMissing(s)) return NaN;
        const v = Number(s);
        if (s === '' || !Number.isFinite(v)) {
          throw new RadnomoError('E_COLUMN', `${table.source}: column "${name}" row ${r + 2} holds "${col[r]}", which is not a finite number.`);
        }
        return v;
      });
      return { name, values };
    });
    const res = delongPairwise(y, predictors, { direction, confLevel, outcomeName: outcome });
    const droppedOutcome = table.nrows - withOutcome.length;
    const warnings = [
      ...(droppedOutcome > 0 ? [`${droppedOutcome} row(s) with a missing ${outcome} dropped.`] : []),
      ...res.pairs.filter((p) => p.dropped > 0).map((p) => `${p.a} vs ${p.b}: ${p.dropped} row(s) with a missing value dropped for this pair.`),
      ...[...new Set(res.pairs.flatMap((p) => p.warnings.map((w) => `${p.a} vs ${p.b}: ${w}`)))],
    ];
    const json = {
      analysis: 'delong',
      method: "DeLong's test for two correlated ROC curves",
      outcome,
      predictors: names,
      conf_level: confLevel,
      pairs: res.pairs.map((p) => ({
        a: p.a,
        b: p.b,
        auc_a: p.aucA,
        auc_b: p.aucB,
        direction_a: p.directionA,
        direction_b: p.directionB,
        difference: p.difference,
        ci: p.ci,
        z: p.z,
        p: p.p,
        n: p.n,
        dropped_missing: p.dropped + droppedOutcome,
      })),
      p_matrix: { names, p: res.p },
      warnings,
    };
    const pct = `${Math.round(confLevel * 1000) / 10}%`;
    const text = [
      `DeLong's test for two correlated ROC curves, outcome ${outcome} (two-sided)`,
      '',
      textTable(
        ['pair', 'AUC a', 'AUC b', 'difference', `${pct} CI`, 'Z', 'p'],
        res.pairs.map((p) => [`${p.a} vs ${p.b}`, fmt(p.aucA), fmt(p.aucB), fmt(p.difference), `${fmt(p.ci[0])} - ${fmt(p.ci[1])}`, fmt(p.z), fmt(p.p)]),
      ),
      ...(names.length > 2
        ? ['', 'p-values', textTable(['', ...names], names.map((n, i) => [n, ...res.p[i]!.map((v, j) => (i === j ? '-' : fmt(v)))]))]
        : []),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
