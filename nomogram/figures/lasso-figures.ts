/**
 * LASSO figures as glmnet draws them: the coefficient path against log(λ) with the number of
 * non-zero coefficients on the top axis (plot.glmnet(fit, xvar = "lambda")), and the
 * cross-validated deviance with ±1 SE error bars, numbers of non-zero coefficients on top and
 * dotted lines at λ.min and λ.1se (plot.cv.glmnet). Data are stats/lasso.ts's GlmnetPath and
 * CvGlmnetResult.
 */
import { RadnomoError } from '../../src/errors';
import type { CvGlmnetResult, GlmnetPath } from '../../stats/lasso';
import { num, pretty } from '../svg';
import { finishPlot, fixed, fontSizes, layoutPlot, seriesPath, seriesStyle, shapeMarker, widthMm, type FigureOptions, type LegendEntry } from './layout';

/** Options shared by the two LASSO figures. */
export interface LassoFigureOptions extends FigureOptions {
  /** λ.min and λ.1se to mark (the CV figure takes them from its input). */
  lambdaMin?: number;
  lambda1se?: number;
  /** Display names of the predictors (default their column names). */
  labels?: Readonly<Record<string, string>>;
  xLabel?: string;
  yLabel?: string;
}

// grey, so the λ lines cannot be mistaken for a black coefficient path
const MIN_STYLE = { color: '#7f7f7f', dash: '1.5 1.5' };
const SE_STYLE = { color: '#7f7f7f', dash: '5 2' };

/** x ticks over a log(λ) range: pretty() values inside the range. */
function logLambdaAxis(lambda: ArrayLike<number>): { domain: [number, number]; ticks: number[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < lambda.length; k++) {
    const v = Math.log(lambda[k]!);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const ticks = pretty(lo, hi, 5).filter((v) => v >= lo - 1e-9 && v <= hi + 1e-9);
  return { domain: [lo, hi], ticks };
}

/** Count at the λ nearest to exp(x) on the log scale (plot.glmnet's df labels on the top axis). */
function countAt(lambda: ArrayLike<number>, counts: ArrayLike<number>, x: number): number {
  let best = 0;
  let bd = Infinity;
  for (let k = 0; k < lambda.length; k++) {
    const d = Math.abs(Math.log(lambda[k]!) - x);
    if (d < bd) {
      bd = d;
      best = k;
    }
  }
  return counts[best]!;
}

function lambdaLines(o: { lambdaMin?: number; lambda1se?: number }): { legend: LegendEntry[]; at: Array<{ x: number; style: { color: string; dash: string }; name: string }> } {
  const legend: LegendEntry[] = [];
  const at: Array<{ x: number; style: { color: string; dash: string }; name: string }> = [];
  if (o.lambdaMin !== undefined) {
    at.push({ x: Math.log(o.lambdaMin), style: MIN_STYLE, name: 'lambda.min' });
    legend.push({ label: `\u03bb.min (log\u00a0\u03bb\u00a0=\u00a0${fixed(Math.log(o.lambdaMin), 2)})`, ...MIN_STYLE, lineWidth: 0.8 });
  }
  if (o.lambda1se !== undefined) {
    at.push({ x: Math.log(o.lambda1se), style: SE_STYLE, name: 'lambda.1se' });
    legend.push({ label: `\u03bb.1se (log\u00a0\u03bb\u00a0=\u00a0${fixed(Math.log(o.lambda1se), 2)})`, ...SE_STYLE, lineWidth: 0.8 });
  }
  return { legend, at };
}

/** Coefficient of predictor j along the path as (log λ, β) points (exported for tests). */
export function lassoPathPoints(path: GlmnetPath, j: number): Array<[number, number]> {
  return Array.from(path.lambda, (l, k) => [Math.log(l), path.beta[k]![j]!] as [number, number]);
}

/**
 * Coefficient paths (plot.glmnet, xvar = "lambda"). Predictors non-zero at λ.min (or all, when
 * λ.min is not given and there are at most 14) get a colour, a dash and a legend entry; the rest
 * are thin grey lines under "Other features".
 */
export function lassoPathFigureSvg(path: GlmnetPath, opts: LassoFigureOptions = {}): string {
  if (path.lambda.length === 0) throw new RadnomoError('E_USAGE', 'LASSO path figure: the path has no λ values.');
  const wMm = widthMm(opts.width);
  const fs = fontSizes(wMm, opts.fontSize);
  const P = path.names.length;
  const ax = logLambdaAxis(path.lambda);
  let highlight: number[];
  if (opts.lambdaMin !== undefined) {
    // the λ on the path nearest to λ.min
    let kMin = 0;
    for (let k = 0; k < path.lambda.length; k++) if (Math.abs(Math.log(path.lambda[k]!) - Math.log(opts.lambdaMin)) < Math.abs(Math.log(path.lambda[kMin]!) - Math.log(opts.lambdaMin))) kMin = k;
    highlight = path.names.map((_, j) => j).filter((j) => path.beta[kMin]![j] !== 0);
  } else highlight = P <= 14 ? path.names.map((_, j) => j) : [];
  const hiSet = new Set(highlight);
  let lo = 0;
  let hi = 0;
  for (const b of path.beta) for (let j = 0; j < P; j++) {
    lo = Math.min(lo, b[j]!);
    hi = Math.max(hi, b[j]!);
  }
  if (hi === lo) hi = lo + 1;
  const yTicks = pretty(lo, hi, 5);
  const lines = lambdaLines(opts);
  const legend: LegendEntry[] = highlight.map((j, i) => ({ label: opts.labels?.[path.names[j]!] ?? path.names[j]!, ...seriesStyle(i), lineWidth: 1 }));
  if (highlight.length < P) legend.push({ label: highlight.length ? 'Other features' : 'Features', color: '#b3b3b3', lineWidth: 0.6 });
  legend.push(...lines.legend);
  const topTicks = ax.ticks;
  const p = layoutPlot({
    widthMm: wMm,
    fs,
    xDomain: ax.domain,
    yDomain: [yTicks[0]!, yTicks[yTicks.length - 1]!],
    xTicks: ax.ticks,
    yTicks,
    xLabel: opts.xLabel ?? 'log(\u03bb)',
    yLabel: opts.yLabel ?? 'Coefficient',
    aspect: 0.75,
    topAxis: { at: topTicks, labels: topTicks.map((x) => String(countAt(path.lambda, path.df, x))), title: 'Non-zero coefficients' },
    legend,
    legendPosition: 'below',
  });
  const data: string[] = [`<path class="zero" d="M${num(p.left)} ${num(p.sy(0))}L${num(p.right)} ${num(p.sy(0))}" stroke="#d9d9d9" stroke-width="0.4"/>`];
  for (let j = 0; j < P; j++) {
    if (hiSet.has(j)) continue;
    data.push(seriesPath(lassoPathPoints(path, j).map(([x, y]) => [p.sx(x), p.sy(y)] as const), '#b3b3b3', '', 0.5, 'lasso-path', path.names[j]!));
  }
  highlight.forEach((j, i) => {
    const st = seriesStyle(i);
    data.push(seriesPath(lassoPathPoints(path, j).map(([x, y]) => [p.sx(x), p.sy(y)] as const), st.color, st.dash, 1, 'lasso-path', path.names[j]!));
  });
  for (const l of lines.at) data.push(seriesPath([[p.sx(l.x), p.top], [p.sx(l.x), p.bottom]], l.style.color, l.style.dash, 0.8, 'lambda-line', l.name));
  return finishPlot(p, data, { widthMm: wMm, title: opts.title ?? 'LASSO coefficient paths' });
}

/** Cross-validation curve (plot.cv.glmnet): mean CV deviance (or AUC) ±1 SE against log(λ). */
export function lassoCvFigureSvg(cv: CvGlmnetResult, opts: LassoFigureOptions = {}): string {
  if (cv.lambda.length === 0) throw new RadnomoError('E_USAGE', 'LASSO CV figure: the result has no λ values.');
  const wMm = widthMm(opts.width);
  const fs = fontSizes(wMm, opts.fontSize);
  const ax = logLambdaAxis(cv.lambda);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < cv.lambda.length; k++) {
    lo = Math.min(lo, cv.cvlo[k]!);
    hi = Math.max(hi, cv.cvup[k]!);
  }
  const yTicks = pretty(lo, hi, 5);
  const lines = lambdaLines({ lambdaMin: opts.lambdaMin ?? cv.lambdaMin, lambda1se: opts.lambda1se ?? cv.lambda1se });
  const measure = cv.measure === 'auc' ? 'AUC' : 'Binomial deviance';
  const pointColor = '#D55E00';
  const legend: LegendEntry[] = [{ label: `Mean cross-validated ${cv.measure === 'auc' ? 'AUC' : 'deviance'} \u00b1 1 SE`, color: pointColor, kind: 'point', shape: 0 }, ...lines.legend];
  const p = layoutPlot({
    widthMm: wMm,
    fs,
    xDomain: ax.domain,
    yDomain: [yTicks[0]!, yTicks[yTicks.length - 1]!],
    xTicks: ax.ticks,
    yTicks,
    xLabel: opts.xLabel ?? 'log(\u03bb)',
    yLabel: opts.yLabel ?? measure,
    aspect: 0.75,
    topAxis: { at: ax.ticks, labels: ax.ticks.map((x) => String(countAt(cv.lambda, cv.nzero, x))), title: 'Non-zero coefficients' },
    legend,
    legendPosition: 'below',
  });
  const data: string[] = [];
  for (const l of lines.at) data.push(seriesPath([[p.sx(l.x), p.top], [p.sx(l.x), p.bottom]], l.style.color, l.style.dash, 0.8, 'lambda-line', l.name));
  const bars: string[] = [];
  const pts: string[] = [];
  const cap = 1.2;
  for (let k = 0; k < cv.lambda.length; k++) {
    const x = p.sx(Math.log(cv.lambda[k]!));
    const y1 = p.sy(cv.cvlo[k]!);
    const y2 = p.sy(cv.cvup[k]!);
    bars.push(`M${num(x)} ${num(y1)}L${num(x)} ${num(y2)}M${num(x - cap)} ${num(y1)}L${num(x + cap)} ${num(y1)}M${num(x - cap)} ${num(y2)}L${num(x + cap)} ${num(y2)}`);
    pts.push(shapeMarker(0, x, p.sy(cv.cvm[k]!), pointColor, 1.3).replace('<circle ', `<circle class="cv-point" data-k="${k}" `));
  }
  data.push(`<path class="cv-errorbars" d="${bars.join('')}" stroke="#8c8c8c" stroke-width="0.5" fill="none"/>`, ...pts);
  return finishPlot(p, data, { widthMm: wMm, title: opts.title ?? 'LASSO cross-validation' });
}
