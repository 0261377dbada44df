import { RadnomoError } from '../../errors';
import { type MetricEstimate, type ProportionCiMethod, classificationMetrics } from '../../../stats/metrics';
import type { StatsAnalysis } from './analysis';
import { LEVELS_HELP, binaryOutcome, completeRows, levelsOption, otherLevelNote, directionOption, fmt, numberOption, numericAt, requiredString, textTable } from './roc';

const ROWS: Array<[string, string]> = [
  ['accuracy', 'Accuracy'],
  ['sensitivity', 'Sensitivity'],
  ['specificity', 'Specificity'],
  ['ppv', 'PPV'],
  ['npv', 'NPV'],
  ['f1', 'F1'],
  ['mcc', 'MCC'],
  ['balanced_accuracy', 'Balanced accuracy'],
  ['auprc', 'AUPRC (average precision)'],
];

export const analysis: StatsAnalysis = {
  name: 'metrics',
  summary: 'accuracy, sensitivity, specificity, PPV, NPV, F1, MCC, balanced accuracy, AUPRC at a cut-off, with 95% CIs',
  options: [
    { flags: '--outcome <column>', description: 'outcome column with two values (0/1, 1/2, benign/malignant...)', required: true },
    { flags: '--levels <control,case>', description: LEVELS_HELP },
    { flags: '--predictor <column>', description: 'numeric predictor (score, probability, marker)', required: true },
    { flags: '--threshold <t>', description: 'cut-off: a case is predicted when predictor >= t (direction "<") or <= t (">")', required: true },
    { flags: '--direction <dir>', description: 'auto (pROC: median of controls vs cases), "<" or ">"', defaultValue: 'auto' },
    { flags: '--ci-method <m>', description: 'CI of the proportions: clopper-pearson (binom.test) or wilson (prop.test, correct = FALSE)', defaultValue: 'clopper-pearson' },
    { flags: '--boot <n>', description: 'bootstrap replicates for F1, MCC, balanced accuracy, AUPRC', defaultValue: '2000' },
    { flags: '--seed <s>', description: 'seed of the bootstrap', defaultValue: '1' },
    { flags: '--conf-level <p>', description: 'confidence level', defaultValue: '0.95' },
  ],
  run(table, opts) {
    const outcome = requiredString(opts, 'outcome', '--outcome');
    const predictor = requiredString(opts, 'predictor', '--predictor');
    const threshold = numberOption(requiredString(opts, 'threshold', '--threshold'), '--threshold', NaN);
    const direction = directionOption(opts.direction);
    const ciMethod = String(opts.ciMethod ?? 'clopper-pearson').trim();
    if (ciMethod !== 'clopper-pearson' && ciMethod !== 'wilson') {
      throw new RadnomoError('E_USAGE', `--ci-method must be clopper-pearson or wilson, got "${ciMethod}".`);
    }
    const bootN = numberOption(opts.boot, '--boot', 2000, { integer: true, min: 1 });
    const seed = numberOption(opts.seed, '--seed', 1, { integer: true });
    const confLevel = numberOption(opts.confLevel, '--conf-level', 0.95, { min: 0, max: 1, openMin: true, openMax: true });
    const complete = completeRows(table, [outcome, predictor]);
    const dropped = table.nrows - complete.length;
    const o = binaryOutcome(table, outcome, complete, levelsOption(opts.levels));
    const { rows, y } = o;
    const x = numericAt(table, predictor, rows);
    const r = classificationMetrics(y, x, threshold, {
      direction,
      ciMethod: ciMethod as ProportionCiMethod,
      confLevel,
      bootN,
      seed,
      predictorName: predictor,
      outcomeName: outcome,
    });
    const byKey: Record<string, MetricEstimate> = {
      accuracy: r.accuracy,
      sensitivity: r.sensitivity,
      specificity: r.specificity,
      ppv: r.ppv,
      npv: r.npv,
      f1: r.f1,
      mcc: r.mcc,
      balanced_accuracy: r.balancedAccuracy,
      auprc: r.auprc,
    };
    const warnings = [...(dropped > 0 ? [`${dropped} row(s) with a missing ${outcome} or ${predictor} dropped.`] : []), ...otherLevelNote(o, outcome), ...r.warnings];
    const metrics: Record<string, { estimate: number; lower: number; upper: number; method: string }> = {};
    for (const [k] of ROWS) {
      const m = byKey[k]!;
      metrics[k] = { estimate: m.estimate, lower: m.lower, upper: m.upper, method: m.method };
    }
    const json = {
      analysis: 'metrics',
      outcome,
      levels: { control: o.control, case: o.case },
      predictor,
      threshold,
      direction: r.direction,
      rule: `case predicted when ${r.rule}`,
      n: rows.length,
      dropped_missing: dropped,
      conf_level: confLevel,
      counts: r.counts,
      metrics,
      definitions: {
        auprc: 'average precision: sum over distinct predictor values, most case-like first, of (recall_k - recall_k-1) x precision_k; ties enter together; no interpolation',
        mcc: '(TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)); 0 when a margin is empty',
        bootstrap: 'cases and controls resampled separately (stratified); percentile interval, R quantile type 7',
      },
      warnings,
    };
    const pct = `${Math.round(confLevel * 1000) / 10}%`;
    const { tp, fp, tn, fn } = r.counts;
    const text = [
      `Metrics of ${predictor} for ${outcome} (case ${o.case}, control ${o.control}) at threshold ${threshold}: case predicted when ${r.rule}`,
      `TP ${tp}, FP ${fp}, TN ${tn}, FN ${fn} (n = ${rows.length})`,
      '',
      textTable(
        ['metric', 'estimate', `${pct} CI`, 'CI method'],
        ROWS.map(([k, label]) => {
          const m = byKey[k]!;
          return [label, fmt(m.estimate), `${fmt(m.lower)} - ${fmt(m.upper)}`, m.method];
        }),
      ),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
