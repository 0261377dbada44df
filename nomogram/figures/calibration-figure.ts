/**
 * Calibration curves as rms's plot.calibrate / val.prob draw them: predicted probability on x,
 * observed probability on y, the ideal diagonal, the apparent (lowess) curve and the bootstrap
 * bias-corrected curve of rms::calibrate (stats/calibration-bootstrap.ts), optionally the grouped
 * observed proportions with Wilson 95% CIs (stats/calibration.ts), a rug of the predicted
 * probabilities, and rms's summary "B = 200 repetitions, mean absolute error = 0.012".
 * With several models each gets one curve (bias-corrected when given, else apparent).
 */
import { RadnomoError } from '../../src/errors';
import type { CalibrationResult } from '../../stats/calibration';
import type { CalibrateBootResult } from '../../stats/calibration-bootstrap';
import { num } from '../svg';
import { finishPlot, fixed, fontSizes, layoutPlot, seriesPath, seriesStyle, shapeMarker, widthMm, wrapText, type FigureOptions, type LegendEntry } from './layout';

/** One model: its val.prob-style calibration and/or its rms::calibrate bootstrap. */
export interface CalibrationFigureModel {
  name: string;
  calibration?: CalibrationResult;
  bootstrap?: CalibrateBootResult;
}

/** Options of the calibration figure. */
export interface CalibrationFigureOptions extends FigureOptions {
  /** Draw the apparent curve beside the bias-corrected one (default: only with a single model). */
  apparent?: boolean;
  /** Draw grouped observed proportions with 95% CIs (needs `calibration`; default false). */
  groups?: boolean;
  /** Rug of predicted probabilities along the top (default: single model only). */
  rug?: boolean;
  /** Legend in the plot's lower right or below (default: inside for one model without groups, else below). */
  legend?: 'inside' | 'below';
  xLabel?: string;
  yLabel?: string;
}

/** The points a model's curves are drawn through, in data units (exported for tests). */
export function calibrationCurves(m: CalibrationFigureModel): { corrected?: Array<[number, number]>; apparent?: Array<[number, number]> } {
  const out: { corrected?: Array<[number, number]>; apparent?: Array<[number, number]> } = {};
  if (m.bootstrap) {
    const b = m.bootstrap;
    out.corrected = [];
    out.apparent = [];
    for (let g = 0; g < b.predy.length; g++) {
      if (Number.isFinite(b.calibratedCorrected[g]!)) out.corrected.push([b.predy[g]!, b.calibratedCorrected[g]!]);
      if (Number.isFinite(b.calibratedOrig[g]!)) out.apparent.push([b.predy[g]!, b.calibratedOrig[g]!]);
    }
  } else if (m.calibration) {
    const s = m.calibration.smooth;
    out.apparent = [];
    for (let i = 0; i < s.x.length; i++) if (i === 0 || s.x[i] !== s.x[i - 1]) out.apparent.push([s.x[i]!, s.y[i]!]);
  }
  return out;
}

/** Renders calibration curves as an SVG document (a string). */
export function calibrationFigureSvg(models: readonly CalibrationFigureModel[], opts: CalibrationFigureOptions = {}): string {
  if (models.length === 0) throw new RadnomoError('E_USAGE', 'calibration figure: no models were given.');
  for (const m of models) {
    if (!m.calibration && !m.bootstrap) throw new RadnomoError('E_USAGE', `calibration figure: model "${m.name}" has neither a calibration nor a bootstrap result.`);
    if (opts.groups && !m.calibration) throw new RadnomoError('E_USAGE', `calibration figure: groups need the calibration() result of model "${m.name}".`);
  }
  const wMm = widthMm(opts.width);
  const fs = fontSizes(wMm, opts.fontSize);
  const single = models.length === 1;
  const showApparent = opts.apparent ?? single;
  const showRug = opts.rug ?? single;
  const ideal = { color: '#7f7f7f', dash: '3 2' };
  const legend: LegendEntry[] = [];
  const plan: Array<{ m: CalibrationFigureModel; i: number; corrected?: { color: string; dash: string }; apparent?: { color: string; dash: string } }> = [];
  models.forEach((m, i) => {
    const st = seriesStyle(i);
    const entry: (typeof plan)[number] = { m, i };
    if (single) {
      if (m.bootstrap) {
        entry.corrected = seriesStyle(0);
        legend.push({ label: 'Bias-corrected', ...seriesStyle(0), lineWidth: 1.2 });
        if (showApparent) {
          entry.apparent = seriesStyle(1);
          legend.push({ label: 'Apparent', ...seriesStyle(1), lineWidth: 1.2 });
        }
      } else {
        entry.apparent = seriesStyle(0);
        legend.push({ label: 'Apparent (lowess)', ...seriesStyle(0), lineWidth: 1.2 });
      }
      if (opts.groups) legend.push({ label: 'Grouped observed (95% CI)', color: '#000000', kind: 'point', shape: 0 });
    } else {
      if (m.bootstrap) entry.corrected = st;
      else entry.apparent = st;
      if (m.bootstrap && showApparent) entry.apparent = { color: st.color, dash: '1 1.5' };
      const suffix = m.bootstrap ? (showApparent ? ', bias-corrected' : '') : ', apparent';
      legend.push({ label: `${m.name}${suffix}`, ...st, lineWidth: 1.2, kind: opts.groups ? 'line+point' : 'line', shape: i });
      if (m.bootstrap && showApparent) legend.push({ label: `${m.name}, apparent`, color: st.color, dash: '1 1.5', lineWidth: 0.8 });
    }
    plan.push(entry);
  });
  legend.push({ label: 'Ideal', ...ideal, lineWidth: 0.6 });

  // rms's subtitle: B and the mean absolute error of each bootstrapped model
  const notes: string[] = [];
  const maxW = wMm * 2.83 - 8;
  for (const m of models) {
    const b = m.bootstrap;
    if (!b) continue;
    const who = single ? '' : `${m.name}: `;
    const text = `${who}B\u00a0=\u00a0${b.B} bootstrap repetitions, mean absolute error\u00a0=\u00a0${fixed(b.meanAbsError, 3)}, n\u00a0=\u00a0${b.n}`;
    notes.push(...wrapText(text, fs.tick, maxW));
  }
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const p = layoutPlot({
    widthMm: wMm,
    fs,
    xDomain: [0, 1],
    yDomain: [0, 1],
    xTicks: ticks,
    yTicks: ticks,
    xTickLabels: ticks.map((v) => v.toFixed(1)),
    yTickLabels: ticks.map((v) => v.toFixed(1)),
    xLabel: opts.xLabel ?? 'Predicted probability',
    yLabel: opts.yLabel ?? 'Observed probability',
    legend,
    // inside only when it cannot hide data: one model's smooth curves run along the diagonal
    legendPosition: opts.legend === 'inside' || (opts.legend === undefined && single && !opts.groups) ? 'inside-br' : 'below',
    notes,
  });
  const data: string[] = [seriesPath([[p.sx(0), p.sy(0)], [p.sx(1), p.sy(1)]], ideal.color, ideal.dash, 0.6, 'reference', 'Ideal')];
  if (showRug) {
    const pred = models[0]!.bootstrap?.predicted ?? null;
    const xs = pred ? Array.from(pred) : models[0]!.calibration ? Array.from(models[0]!.calibration.smooth.x) : [];
    // spikes proportional to the count in 1/200-wide bins, as scat1d's nhistSpike histogram
    const bins = new Map<number, number>();
    for (const v of xs) bins.set(Math.round(v * 200), (bins.get(Math.round(v * 200)) ?? 0) + 1);
    const maxCount = Math.max(...bins.values());
    const d: string[] = [];
    for (const [k, cnt] of bins) {
      const x = p.sx(k / 200);
      d.push(`M${num(x)} ${num(p.top)}L${num(x)} ${num(p.top + 2 + (cnt / maxCount) * 6)}`);
    }
    if (d.length) data.push(`<path class="rug" d="${d.join('')}" fill="none" stroke="#4d4d4d" stroke-width="0.4"/>`);
  }
  for (const e of plan) {
    const curves = calibrationCurves(e.m);
    if (e.apparent && curves.apparent) data.push(seriesPath(curves.apparent.map(([x, y]) => [p.sx(x), p.sy(y)] as const), e.apparent.color, e.apparent.dash, single ? 1.2 : 0.8, 'calibration-apparent', e.m.name));
    if (e.corrected && curves.corrected) data.push(seriesPath(curves.corrected.map(([x, y]) => [p.sx(x), p.sy(y)] as const), e.corrected.color, e.corrected.dash, 1.2, 'calibration-corrected', e.m.name));
    if (opts.groups && e.m.calibration) {
      const color = single ? '#000000' : seriesStyle(e.i).color;
      const g: string[] = [`<g class="calibration-groups" data-series="${e.m.name.replace(/[&<>"']/g, '')}">`];
      for (const q of e.m.calibration.grouped) {
        const x = p.sx(q.meanPredicted);
        g.push(`<path d="M${num(x)} ${num(p.sy(q.lower))}L${num(x)} ${num(p.sy(q.upper))}" stroke="${color}" stroke-width="0.5" fill="none"/>`);
        g.push(shapeMarker(single ? 0 : e.i, x, p.sy(q.observed), color));
      }
      g.push('</g>');
      data.push(...g);
    }
  }
  return finishPlot(p, data, { widthMm: wMm, title: opts.title ?? 'Calibration curves' });
}
