/**
 * Decision curves as dcurves' plot(dca(...)) shows them: net benefit against threshold
 * probability for each model, "Treat all" and "Treat none" (Vickers & Elkin 2006), drawn from
 * stats/dca.ts's decisionCurves output. The y range runs from a little below zero to just above
 * the largest net benefit; the steeply falling treat-all curve is clipped at the bottom, as in
 * dcurves.
 */
import { RadnomoError } from '../../src/errors';
import type { DcaResult } from '../../stats/dca';
import { pretty } from '../svg';
import { finishPlot, fontSizes, layoutPlot, seriesPath, seriesStyle, widthMm, type FigureOptions, type LegendEntry } from './layout';

/** Options of the decision-curve figure. */
export interface DcaFigureOptions extends FigureOptions {
  /** Largest threshold shown (default the largest in the result). */
  xMax?: number;
  /** Lower end of the net-benefit axis (default −0.05 or −10% of the largest net benefit, whichever is lower). */
  yMin?: number;
  /** Labels of the reference strategies. */
  allLabel?: string;
  noneLabel?: string;
  /** Legend in the upper right of the plot (default) or below. */
  legend?: 'inside' | 'below';
  xLabel?: string;
  yLabel?: string;
}

/** Points (threshold, net benefit) of one curve up to xMax (exported for tests). */
export function dcaPoints(d: DcaResult, variable: string, xMax = Infinity): Array<[number, number]> {
  const c = d.curves.find((k) => k.variable === variable);
  if (!c) throw new RadnomoError('E_USAGE', `decision-curve figure: no curve named "${variable}".`);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < d.thresholds.length; i++) {
    const t = d.thresholds[i]!;
    const nb = c.netBenefit[i]!;
    if (t <= xMax + 1e-12 && Number.isFinite(nb)) out.push([t, nb]);
  }
  return out;
}

/**
 * Splits a curve into the runs that lie at or above yMin, ending/starting each run where it
 * crosses yMin (linear interpolation), so steeply negative stretches (treat all at high
 * thresholds) are cut at the axis instead of being drawn far outside the figure.
 */
export function clipBelow(points: ReadonlyArray<readonly [number, number]>, yMin: number): Array<Array<[number, number]>> {
  const runs: Array<Array<[number, number]>> = [];
  let cur: Array<[number, number]> | null = null;
  for (let i = 0; i < points.length; i++) {
    const [x, y] = points[i]!;
    const prev = i > 0 ? points[i - 1]! : null;
    const cross = (a: readonly [number, number], b: readonly [number, number]): [number, number] => [a[0] + ((yMin - a[1]) / (b[1] - a[1])) * (b[0] - a[0]), yMin];
    if (y >= yMin) {
      if (!cur) {
        cur = [];
        if (prev && prev[1] < yMin) cur.push(cross(prev, [x, y]));
        runs.push(cur);
      }
      cur.push([x, y]);
    } else if (cur) {
      cur.push(cross(prev!, [x, y]));
      cur = null;
    }
  }
  return runs;
}

/** Renders decision curves as an SVG document (a string). */
export function dcaFigureSvg(d: DcaResult, opts: DcaFigureOptions = {}): string {
  const models = d.curves.filter((c) => c.variable !== 'all' && c.variable !== 'none');
  if (d.thresholds.length < 2) throw new RadnomoError('E_USAGE', 'decision-curve figure: needs at least two thresholds.');
  const wMm = widthMm(opts.width);
  const fs = fontSizes(wMm, opts.fontSize);
  const xMax = opts.xMax ?? d.thresholds[d.thresholds.length - 1]!;
  const xTicks = pretty(0, xMax, 5);
  const xHi = xTicks[xTicks.length - 1]!;
  let yMaxData = 0;
  for (const c of d.curves) for (let i = 0; i < d.thresholds.length; i++) if (d.thresholds[i]! <= xMax && Number.isFinite(c.netBenefit[i]!)) yMaxData = Math.max(yMaxData, c.netBenefit[i]!);
  const yMin = opts.yMin ?? -Math.max(0.05, 0.1 * yMaxData);
  const yTicks = pretty(yMin, Math.max(yMaxData, 0.01), 5);
  const yDomain: [number, number] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const allStyle = { color: '#7f7f7f', dash: '' };
  const noneStyle = { color: '#000000', dash: '' };
  const legend: LegendEntry[] = [
    ...models.map((m, i) => ({ label: m.variable, ...seriesStyle(i), lineWidth: 1.2 })),
    { label: opts.allLabel ?? 'Treat all', ...allStyle, lineWidth: 0.8 },
    { label: opts.noneLabel ?? 'Treat none', ...noneStyle, lineWidth: 0.8 },
  ];
  const p = layoutPlot({
    widthMm: wMm,
    fs,
    xDomain: [0, xHi],
    yDomain,
    xTicks,
    yTicks,
    xLabel: opts.xLabel ?? 'Threshold probability',
    yLabel: opts.yLabel ?? 'Net benefit',
    aspect: 0.8,
    legend,
    legendPosition: opts.legend === 'below' ? 'below' : 'inside-tr',
  });
  const map = (pts: Array<[number, number]>) => pts.map(([x, y]) => [p.sx(x), p.sy(y)] as const);
  const curvePath = (variable: string, color: string, dash: string, width: number): string => {
    const runs = clipBelow(dcaPoints(d, variable, xMax), yDomain[0]).filter((r) => r.length > 0);
    const d1 = runs.map((r) => seriesPath(map(r), color, dash, width, 'dca-curve', variable)).map((el) => /d="([^"]*)"/.exec(el)![1]!).join('');
    return seriesPath([[0, 0]], color, dash, width, 'dca-curve', variable).replace(/d="[^"]*"/, `d="${d1}"`);
  };
  const data: string[] = [
    curvePath('none', noneStyle.color, '', 0.8),
    curvePath('all', allStyle.color, '', 0.8),
  ];
  models.forEach((m, i) => {
    const st = seriesStyle(i);
    data.push(curvePath(m.variable, st.color, st.dash, 1.2));
  });
  return finishPlot(p, data, { widthMm: wMm, title: opts.title ?? 'Decision curves' });
}
