/**
 * ROC curves of one or more models on one plot, as pROC's plot.roc(legacy.axes = TRUE) draws
 * them: 1 − specificity on x, sensitivity on y, the chance diagonal, and a legend entry per model
 * "Name, AUC 0.812 (95% CI 0.75–0.87)" with the CI from ciAucDelong or ciAucBootstrap.
 */
import type { RocCurve } from '../../stats/roc';
import { RadnomoError } from '../../src/errors';
import { fixed, finishPlot, fontSizes, layoutPlot, seriesPath, seriesStyle, widthMm, type FigureOptions, type LegendEntry } from './layout';

/** One model's ROC curve and (optionally) its AUC confidence interval. */
export interface RocFigureModel {
  name: string;
  curve: RocCurve;
  /** From ciAucDelong / ciAucBootstrap: { lower, upper, confLevel }. */
  ci?: { lower: number; upper: number; confLevel: number };
}

/** Options of the ROC figure. */
export interface RocFigureOptions extends FigureOptions {
  /** Decimals of the AUC (default 3) and of its CI limits (default 2). */
  aucDigits?: number;
  ciDigits?: number;
  /** Legend inside the lower right of the plot (default) or below it. */
  legend?: 'inside' | 'below';
  /** Axis titles. */
  xLabel?: string;
  yLabel?: string;
}

/** The legend text of a model: "Name, AUC 0.812 (95% CI 0.75–0.87)" (with no-break spaces inside the AUC and CI parts). */
export function rocLegendLabel(m: RocFigureModel, aucDigits = 3, ciDigits = 2): string {
  let s = `${m.name}, AUC\u00a0${fixed(m.curve.auc, aucDigits)}`;
  // no-break spaces keep "AUC 0.812" and "(95% CI 0.75–0.87)" whole when the legend wraps
  if (m.ci) s += ` (${Math.round(m.ci.confLevel * 100)}%\u00a0CI\u00a0${fixed(m.ci.lower, ciDigits)}\u2013${fixed(m.ci.upper, ciDigits)})`;
  return s;
}

/** The curve's points as (1 − specificity, sensitivity) in pROC's threshold order. */
export function rocPoints(curve: RocCurve): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < curve.sensitivities.length; i++) out.push([1 - curve.specificities[i]!, curve.sensitivities[i]!]);
  return out;
}

/** Renders ROC curves as an SVG document (a string). */
export function rocFigureSvg(models: readonly RocFigureModel[], opts: RocFigureOptions = {}): string {
  if (models.length === 0) throw new RadnomoError('E_USAGE', 'ROC figure: no models were given.');
  const wMm = widthMm(opts.width);
  const fs = fontSizes(wMm, opts.fontSize);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const legend: LegendEntry[] = models.map((m, i) => ({ label: rocLegendLabel(m, opts.aucDigits, opts.ciDigits), ...seriesStyle(i), lineWidth: 1.2 }));
  const p = layoutPlot({
    widthMm: wMm,
    fs,
    // R's 4% axis extension (xaxs = "r"), so a curve along an edge (AUC 1) is not hidden by the frame
    xDomain: [-0.04, 1.04],
    yDomain: [-0.04, 1.04],
    xTicks: ticks,
    yTicks: ticks,
    xTickLabels: ticks.map((v) => v.toFixed(1)),
    yTickLabels: ticks.map((v) => v.toFixed(1)),
    xLabel: opts.xLabel ?? '1 \u2212 Specificity (false-positive rate)',
    yLabel: opts.yLabel ?? 'Sensitivity (true-positive rate)',
    legend,
    legendPosition: opts.legend === 'below' ? 'below' : 'inside-br',
  });
  const data: string[] = [seriesPath([[p.sx(0), p.sy(0)], [p.sx(1), p.sy(1)]], '#999999', '3 2', 0.6, 'reference', 'chance')];
  models.forEach((m, i) => {
    const st = seriesStyle(i);
    data.push(seriesPath(rocPoints(m.curve).map(([x, y]) => [p.sx(x), p.sy(y)] as const), st.color, st.dash, 1.2, 'roc-curve', m.name));
  });
  return finishPlot(p, data, { widthMm: wMm, title: opts.title ?? 'ROC curves' });
}
