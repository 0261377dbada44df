/**
 * Kaplan–Meier curves (survival::plot.survfit style step functions with "+" censoring marks) for
 * one or more groups, the log-rank p (survdiff) in the lower left of the plot, and a
 * numbers-at-risk table under the x axis aligned to its ticks (as survminer's risk table).
 * Data: stats/survival.ts's kaplanMeier per group and logRankTest.
 */
import { RadnomoError } from '../../src/errors';
import type { KaplanMeierResult, LogRankResult } from '../../stats/survival';
import { CAP_HEIGHT_EM, escapeXml, num, pretty, textWidth } from '../svg';
import { finishPlot, fontSizes, layoutPlot, seriesPath, seriesStyle, widthMm, type FigureOptions, type LegendEntry } from './layout';

/** One group's Kaplan–Meier estimate. */
export interface KmFigureGroup {
  name: string;
  km: KaplanMeierResult;
}

/** Options of the Kaplan–Meier figure. */
export interface KmFigureOptions extends FigureOptions {
  /** Log-rank test of the groups (its p is printed). */
  logRank?: LogRankResult;
  /** x-axis title with its unit (default "Time"). */
  timeLabel?: string;
  yLabel?: string;
  /** Spacing of the time ticks (default pretty()). */
  timeBreaks?: number;
  /** Largest time shown (default the largest observed time). */
  xMax?: number;
  /** Draw the numbers-at-risk table (default true). */
  riskTable?: boolean;
}

/** The step function through (time, survival) starting at (0, 1), as plot.survfit draws it (exported for tests). */
export function kmSteps(km: KaplanMeierResult, xMax = Infinity): Array<[number, number]> {
  const pts: Array<[number, number]> = [[0, 1]];
  let s = 1;
  for (let i = 0; i < km.time.length; i++) {
    const t = km.time[i]!;
    if (t > xMax) {
      pts.push([xMax, s]);
      return pts;
    }
    if (km.nEvent[i]! > 0) {
      pts.push([t, s]);
      s = km.surv[i]!;
      pts.push([t, s]);
    }
  }
  const last = km.time.length ? Math.min(km.time[km.time.length - 1]!, xMax) : 0;
  if (pts[pts.length - 1]![0] < last) pts.push([last, s]);
  return pts;
}

/** Number at risk at time t: the n.risk of the first time >= t (0 beyond the last time). */
export function numberAtRisk(km: KaplanMeierResult, t: number): number {
  for (let i = 0; i < km.time.length; i++) if (km.time[i]! >= t) return km.nRisk[i]!;
  return 0;
}

/** "Log-rank p = 0.012" or "Log-rank p < 0.001". */
export function formatLogRankP(p: number): string {
  return p < 0.001 ? 'Log-rank p\u00a0<\u00a00.001' : `Log-rank p\u00a0=\u00a0${p.toFixed(3)}`;
}

/** Renders Kaplan–Meier curves with a numbers-at-risk table as an SVG document (a string). */
export function kmFigureSvg(groups: readonly KmFigureGroup[], opts: KmFigureOptions = {}): string {
  if (groups.length === 0) throw new RadnomoError('E_USAGE', 'Kaplan–Meier figure: no groups were given.');
  const wMm = widthMm(opts.width);
  const fs = fontSizes(wMm, opts.fontSize);
  let tMax = 0;
  for (const g of groups) if (g.km.time.length) tMax = Math.max(tMax, g.km.time[g.km.time.length - 1]!);
  tMax = opts.xMax ?? tMax;
  if (!(tMax > 0)) throw new RadnomoError('E_DATA', 'Kaplan–Meier figure: no positive follow-up time.');
  let xTicks: number[];
  if (opts.timeBreaks !== undefined) {
    if (!(opts.timeBreaks > 0)) throw new RadnomoError('E_PARAMS', `Kaplan–Meier figure: timeBreaks must be positive, not ${opts.timeBreaks}.`);
    xTicks = [];
    for (let t = 0; t <= tMax + 1e-9; t += opts.timeBreaks) xTicks.push(Math.round(t * 1e9) / 1e9);
  } else xTicks = pretty(0, tMax, 5).filter((v) => v <= tMax + 1e-9);
  const xHi = Math.max(tMax, xTicks[xTicks.length - 1]!);
  const showTable = opts.riskTable ?? true;
  const lineH = fs.tick * 1.35;
  const nameW = Math.max(...groups.map((g) => textWidth(g.name, fs.tick)));
  const legend: LegendEntry[] = groups.map((g, i) => ({ label: g.name, ...seriesStyle(i), lineWidth: 1.2 }));
  const yTicks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const p = layoutPlot({
    widthMm: wMm,
    fs,
    xDomain: [0, xHi],
    yDomain: [0, 1],
    xTicks,
    yTicks,
    xLabel: opts.timeLabel ?? 'Time',
    yLabel: opts.yLabel ?? 'Survival probability',
    aspect: 0.7,
    legend,
    legendPosition: 'above',
    reserveBelow: showTable ? lineH * (groups.length + 1) + fs.tick * 0.4 : 0,
    // the group names must clear the half-width of the counts centred on the time-0 tick
    reserveLeft: showTable ? nameW + fs.tick * 0.8 + Math.max(...groups.map((g) => textWidth(String(g.km.n), fs.tick))) / 2 : 0,
  });
  const data: string[] = [];
  const marks: string[] = [];
  groups.forEach((g, i) => {
    const st = seriesStyle(i);
    data.push(seriesPath(kmSteps(g.km, xHi).map(([x, y]) => [p.sx(x), p.sy(y)] as const), st.color, st.dash, 1.2, 'km-curve', g.name));
    // censoring marks: a short vertical tick ("+") on the curve at each censored time
    const d: string[] = [];
    for (let k = 0; k < g.km.time.length; k++) {
      if (g.km.nCensor[k]! > 0 && g.km.time[k]! <= xHi) {
        const x = p.sx(g.km.time[k]!);
        const y = p.sy(g.km.surv[k]!);
        d.push(`M${num(x)} ${num(y - 2.2)}L${num(x)} ${num(y + 2.2)}`);
      }
    }
    if (d.length) marks.push(`<path class="censor-marks" data-series="${escapeXml(g.name)}" d="${d.join('')}" stroke="${st.color}" stroke-width="0.6" fill="none"/>`);
  });
  data.push(...marks);
  if (opts.logRank) p.c.text(p.left + fs.tick * 0.6, p.bottom - fs.tick * 0.6, formatLogRankP(opts.logRank.pValue), fs.tick, 'start', 'log-rank');
  if (showTable) {
    let y = p.reserveTop + CAP_HEIGHT_EM * fs.tick;
    p.c.text(p.margin, y, 'Number at risk', fs.tick, 'start', 'risk-title', {}, true);
    groups.forEach((g, i) => {
      y += lineH;
      const st = seriesStyle(i);
      p.c.text(p.margin, y, g.name, fs.tick, 'start', 'risk-group', { fill: st.color });
      for (const t of xTicks) p.c.text(p.sx(t), y, String(numberAtRisk(g.km, t)), fs.tick, 'middle', 'risk-count', { 'data-time': String(t) });
    });
  }
  return finishPlot(p, data, { widthMm: wMm, title: opts.title ?? 'Kaplan–Meier curves' });
}
