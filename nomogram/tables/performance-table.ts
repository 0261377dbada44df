/**
 * Model performance table: for each model (a column of predicted probabilities or scores) on the
 * training and test sets, AUC with its DeLong 95% CI (pROC::ci.auc(method = "delong")), and at one
 * cut-off accuracy, sensitivity, specificity, PPV and NPV with Clopper–Pearson exact 95% CIs
 * (binom.test). The cut-off is the Youden-optimal threshold of the training ROC curve (pROC's
 * coords(roc, "best", best.method = "youden"); the lowest such threshold when several tie), applied
 * unchanged to the test set; each model's ROC direction is decided on the training set (pROC's
 * median rule) and kept for the test set.
 */
import { ciAucDelong, type DelongCi } from '../../stats/delong';
import { classificationMetrics, type ClassificationMetrics } from '../../stats/metrics';
import { roc, youdenBest, type Direction, type RocCurve } from '../../stats/roc';
import { isRadnomoError, RadnomoError } from '../../src/errors';
import { DASH, fmtCi, fmtNum, formatOptions, type FormatOptions } from './format';
import type { TableModel, TableRow } from './render';

/** A model: its predicted value for every row of the table (probability or score). */
export interface ModelColumn {
  name: string;
  label?: string;
  values: ArrayLike<number>;
}

/** A set of table rows evaluated together (the first set given is the training set). */
export interface EvaluationSet {
  label: string;
  rows: readonly number[];
}

/** One model on one set: the numbers behind a row of the table. */
export interface ModelSetPerformance {
  model: string;
  set: string;
  n: number;
  events: number;
  curve: RocCurve;
  auc: DelongCi;
  /** Training-set Youden threshold (NaN when the training curve has no finite optimum). */
  threshold: number;
  direction: Direction;
  /** Metrics at the threshold (null when the threshold is not finite). */
  metrics: ClassificationMetrics | null;
}

/** How each model's ROC direction and cut-off were fixed on the training set. */
export interface TrainingRule {
  model: string;
  direction: Direction;
  threshold: number;
}

export interface PerformanceResult {
  table: TableModel;
  results: ModelSetPerformance[];
  rules: TrainingRule[];
}

export interface PerformanceOptions extends FormatOptions {
  /** Decimals of the cut-off column. Default 3. */
  thresholdDecimals?: number;
}

/** Outcome and values of a set's rows (rows must be complete). */
export function setData(y: ArrayLike<number>, values: ArrayLike<number>, rows: readonly number[]): { y: Float64Array; x: Float64Array } {
  return { y: Float64Array.from(rows, (i) => y[i]!), x: Float64Array.from(rows, (i) => values[i]!) };
}

/**
 * Fixes each model's direction and Youden cut-off on the training set (sets[0]), as the
 * performance table does; the DeLong and calibration tables reuse these rules.
 */
export function trainingRules(y: ArrayLike<number>, models: readonly ModelColumn[], training: EvaluationSet): TrainingRule[] {
  return models.map((m) => {
    const d = setData(y, m.values, training.rows);
    const curve = roc(d.y, d.x, { predictorName: m.name });
    const best = youdenBest(curve);
    // lowest threshold among ties: the first for "<" (ascending), the last for ">" (descending)
    const pick = curve.direction === '<' ? best[0] : best[best.length - 1];
    return { model: m.name, direction: curve.direction, threshold: pick ? pick.threshold : NaN };
  });
}

/** The performance table of the given models on the given sets (sets[0] is the training set). */
export function performanceTable(y: ArrayLike<number>, models: readonly ModelColumn[], sets: readonly EvaluationSet[], opts: PerformanceOptions = {}): PerformanceResult {
  if (sets.length === 0) throw new RadnomoError('E_USAGE', 'the performance table needs at least the training set.');
  if (models.length === 0) throw new RadnomoError('E_USAGE', 'the performance table needs at least one model.');
  const f = formatOptions(opts);
  const td = opts.thresholdDecimals ?? 3;
  const rules = trainingRules(y, models, sets[0]!);
  const results: ModelSetPerformance[] = [];
  const rows: TableRow[] = [];
  const notes: string[] = [];
  let anyDash = false;
  for (const s of sets) {
    let events = 0;
    for (const i of s.rows) events += y[i]!;
    rows.push({ cells: [`${s.label} (n = ${s.rows.length}, ${events} events)`], kind: 'section' });
    models.forEach((m, k) => {
      const rule = rules[k]!;
      const d = setData(y, m.values, s.rows);
      const curve = roc(d.y, d.x, { direction: rule.direction, predictorName: m.name });
      const auc = ciAucDelong(curve);
      let metrics: ClassificationMetrics | null = null;
      if (Number.isFinite(rule.threshold)) {
        try {
          // bootN = 1: the bootstrap-only metrics (F1, MCC, ...) are not shown; the binomial ones do not depend on it
          metrics = classificationMetrics(d.y, d.x, rule.threshold, { direction: rule.direction, bootN: 1, predictorName: m.name });
        } catch (e) {
          if (!isRadnomoError(e)) throw e;
          notes.push(`${m.label ?? m.name}, ${s.label.toLowerCase()}: ${e.message}`);
        }
      }
      results.push({ model: m.name, set: s.label, n: s.rows.length, events, curve, auc, threshold: rule.threshold, direction: rule.direction, metrics });
      const met = (e: keyof Pick<ClassificationMetrics, 'accuracy' | 'sensitivity' | 'specificity' | 'ppv' | 'npv'>): string =>
        metrics ? fmtCi(metrics[e].estimate, metrics[e].lower, metrics[e].upper, f.decimals) : DASH;
      const cells = [
        m.label ?? m.name,
        fmtCi(auc.auc, auc.lower, auc.upper, f.decimals),
        met('accuracy'),
        met('sensitivity'),
        met('specificity'),
        met('ppv'),
        met('npv'),
        fmtNum(rule.threshold, td),
      ];
      if (cells.some((c) => c.includes(DASH))) anyDash = true;
      // (warnings about the metrics this table does not show, F1, MCC, balanced accuracy, are left out)
      for (const w of metrics?.warnings ?? []) if (!/^(MCC|F1|balanced accuracy)\b/i.test(w)) notes.push(`${m.label ?? m.name}, ${s.label.toLowerCase()}: ${w}`);
      rows.push({ cells });
    });
  }
  const dirNotes = rules
    .filter((r) => r.direction === '>')
    .map((r) => `${models.find((m) => m.name === r.model)!.label ?? r.model}: lower values predict the event (cases predicted at values ≤ the cut-off).`);
  const footnotes = [
    `AUC, area under the ROC curve with DeLong 95% CI; accuracy, sensitivity, specificity, PPV and NPV with Clopper–Pearson exact 95% CIs.`,
    `Cut-off: the Youden-optimal threshold (maximum sensitivity + specificity; the lowest one when several tie) of each model on the ${sets[0]!.label.toLowerCase()}${sets.length > 1 ? `, applied unchanged to ${sets.slice(1).map((s) => `the ${s.label.toLowerCase()}`).join(' and ')}` : ''}; a case is predicted at values ≥ the cut-off. Each model's ROC direction is fixed on the ${sets[0]!.label.toLowerCase()}.`,
    ...dirNotes,
  ];
  if (anyDash) footnotes.push(`${DASH} not estimable: the denominator is 0 (e.g. no row predicted positive) or the training curve has no finite cut-off.`);
  footnotes.push(...[...new Set(notes)].map((n) => `Note: ${n}`));
  return {
    table: {
      id: 'performance',
      title: `Table 3. Model performance${sets.length > 1 ? ` in the ${sets.map((s) => s.label.toLowerCase()).join(' and ')}` : ''}`,
      columns: ['Model', 'AUC (95% CI)', 'Accuracy (95% CI)', 'Sensitivity (95% CI)', 'Specificity (95% CI)', 'PPV (95% CI)', 'NPV (95% CI)', 'Cut-off'],
      rows,
      footnotes,
    },
    results,
    rules,
  };
}
