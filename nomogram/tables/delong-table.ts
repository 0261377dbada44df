/**
 * DeLong matrix: for each set, the p-values of DeLong's paired test between every pair of models
 * (pROC::roc.test(roc1, roc2, method = "delong"), two-sided), from stats/delong.ts'
 * delongPairedCurves. Each model's ROC curve keeps the direction fixed on the training set (the
 * same curves as the performance table), so the AUCs compared are the AUCs reported there.
 */
import { delongPairedCurves, type DelongPairedResult } from '../../stats/delong';
import { roc } from '../../stats/roc';
import { RadnomoError } from '../../src/errors';
import { fmtP, formatOptions, type FormatOptions } from './format';
import { setData, trainingRules, type EvaluationSet, type ModelColumn, type TrainingRule } from './performance-table';
import type { TableModel, TableRow } from './render';

export interface DelongSetMatrix {
  set: string;
  names: string[];
  /** Symmetric p-values, 1 on the diagonal. */
  p: number[][];
  pairs: Array<{ a: string; b: string; result: DelongPairedResult }>;
}

export interface DelongTableResult {
  table: TableModel;
  matrices: DelongSetMatrix[];
}

/**
 * The pairwise DeLong p-value matrix of the models in each set (needs at least two models).
 * `rules` (directions) default to those fixed on sets[0], the training set.
 */
export function delongTable(y: ArrayLike<number>, models: readonly ModelColumn[], sets: readonly EvaluationSet[], opts: FormatOptions & { rules?: readonly TrainingRule[] } = {}): DelongTableResult {
  if (models.length < 2) throw new RadnomoError('E_USAGE', `the DeLong table compares models pairwise and needs at least two, got ${models.length}.`);
  const f = formatOptions(opts);
  const rules = opts.rules ?? trainingRules(y, models, sets[0]!);
  const k = models.length;
  const label = (m: ModelColumn): string => m.label ?? m.name;
  const rows: TableRow[] = [];
  const matrices: DelongSetMatrix[] = [];
  const warnings: string[] = [];
  for (const s of sets) {
    const curves = models.map((m, j) => {
      const d = setData(y, m.values, s.rows);
      return roc(d.y, d.x, { direction: rules[j]!.direction, predictorName: m.name });
    });
    const p = models.map((_, i) => models.map((__, j) => (i === j ? 1 : NaN)));
    const pairs: DelongSetMatrix['pairs'] = [];
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const r = delongPairedCurves(curves[i]!, curves[j]!);
        p[i]![j] = r.p;
        p[j]![i] = r.p;
        pairs.push({ a: models[i]!.name, b: models[j]!.name, result: r });
        for (const w of r.warnings) warnings.push(`${s.label}, ${label(models[i]!)} vs ${label(models[j]!)}: ${w}`);
      }
    }
    matrices.push({ set: s.label, names: models.map((m) => m.name), p, pairs });
    rows.push({ cells: [`${s.label} (n = ${s.rows.length})`], kind: 'section' });
    models.forEach((m, i) => rows.push({ cells: [label(m), ...models.map((_, j) => (i === j ? '' : fmtP(p[i]![j]!, f.pDecimals)))] }));
  }
  return {
    table: {
      id: 'delong',
      title: 'Table 4. Pairwise comparison of AUCs (DeLong test p-values)',
      columns: ['Model', ...models.map(label)],
      rows,
      footnotes: [
        "Two-sided p-values of DeLong's test for two correlated ROC curves (same patients), within each set; each model's ROC direction as fixed on the training set.",
        ...[...new Set(warnings)].map((w) => `Note: ${w}`),
      ],
    },
    matrices,
  };
}
