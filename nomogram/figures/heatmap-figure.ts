/**
 * Correlation heatmap of selected features (e.g. after Spearman |r| > 0.9 pruning and LASSO):
 * square cells coloured on a diverging, colour-blind-safe scale (Okabe–Ito blue for −1, white for
 * 0, vermillion for +1), r printed in the cells when it fits, row labels on the left, column
 * labels below reading upward, and a colour-bar legend. Data: stats/correlation.ts's
 * CorrelationMatrix.
 */
import { RadnomoError } from '../../src/errors';
import type { CorrelationMatrix } from '../../stats/correlation';
import { CAP_HEIGHT_EM, DESCENT_EM, PT_PER_MM, num, textWidth } from '../svg';
import { Canvas, fixed, fontSizes, svgDoc, widthMm, type FigureOptions } from './layout';

/** Options of the heatmap. */
export interface HeatmapFigureOptions extends FigureOptions {
  /** Display names of the features. */
  labels?: Readonly<Record<string, string>>;
  /** Print r in each cell when it fits (default true). */
  values?: boolean;
  /** Colour-bar title (default "Spearman r" / "Pearson r"). */
  legendTitle?: string;
}

const NEG = [0x00, 0x72, 0xb2];
const POS = [0xd5, 0x5e, 0x00];

/** The fill colour of a correlation r in [−1, 1] (linear from white to blue or vermillion). */
export function correlationColor(r: number): string {
  const t = Math.max(-1, Math.min(1, r));
  const end = t < 0 ? NEG : POS;
  const a = Math.abs(t);
  const hex = end.map((c) => Math.round(255 + (c - 255) * a).toString(16).padStart(2, '0')).join('');
  return `#${hex}`.toUpperCase();
}

/** Shortens a label to maxW pt with a middle ellipsis (radiomics names differ at both ends). */
export function shorten(label: string, size: number, maxW: number): string {
  if (textWidth(label, size) <= maxW) return label;
  const chars = Array.from(label);
  let keep = chars.length - 1;
  while (keep > 2) {
    const head = Math.ceil(keep / 2);
    const s = chars.slice(0, head).join('') + '\u2026' + chars.slice(chars.length - (keep - head)).join('');
    if (textWidth(s, size) <= maxW) return s;
    keep--;
  }
  return chars[0] + '\u2026';
}

/** Renders a correlation heatmap as an SVG document (a string). Default width: double column. */
export function heatmapFigureSvg(m: CorrelationMatrix, opts: HeatmapFigureOptions = {}): string {
  const k = m.columns.length;
  if (k === 0) throw new RadnomoError('E_USAGE', 'heatmap: the correlation matrix has no columns.');
  const wMm = widthMm(opts.width, 'double');
  const fs = fontSizes(wMm, opts.fontSize);
  const W = wMm * PT_PER_MM;
  const margin = 4;
  const gap = fs.tick * 0.4;
  const textH = (CAP_HEIGHT_EM + DESCENT_EM) * fs.tick;
  // colour bar: bar, ticks, labels, rotated title
  const barW = 8;
  const tickVals = [-1, -0.5, 0, 0.5, 1];
  const tickLabs = tickVals.map((v) => fixed(v, 1));
  const barBlock = gap * 2 + barW + 2 + gap + Math.max(...tickLabs.map((l) => textWidth(l, fs.tick))) + gap + textH;
  const maxLabel = (W - 2 * margin - barBlock) * 0.4;
  const labels = m.columns.map((c) => shorten(opts.labels?.[c] ?? c, fs.tick, maxLabel));
  const labW = Math.max(...labels.map((l) => textWidth(l, fs.tick)));
  const cell = Math.min(36, (W - 2 * margin - labW - gap - barBlock) / k);
  if (!(cell >= textH)) throw new RadnomoError('E_PARAMS', `heatmap: ${k} features do not fit in ${wMm} mm at ${fs.tick} pt (cells would be ${cell.toFixed(1)} pt); use the double-column width or fewer features.`);
  const x0 = margin + labW + gap;
  const y0 = margin + CAP_HEIGHT_EM * fs.tick * 0.5;
  const side = cell * k;
  const colLabTop = y0 + side + gap;
  const H = Math.max(colLabTop + labW, y0 + side) + margin;
  const c = new Canvas();
  const valueText = (r: number) => fixed(r, 2);
  const showValues = (opts.values ?? true) && textWidth('\u22120.00', fs.tick) + 2 <= cell && textH + 1 <= cell;
  c.add('<g class="cells">');
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const r = m.r[i]![j]!;
      const x = x0 + j * cell;
      const y = y0 + i * cell;
      c.add(`<rect class="cell" data-i="${i}" data-j="${j}" data-r="${r}" x="${num(x)}" y="${num(y)}" width="${num(cell)}" height="${num(cell)}" fill="${correlationColor(r)}" stroke="#ffffff" stroke-width="0.5"/>`);
      if (showValues) c.text(x + cell / 2, y + cell / 2 + (CAP_HEIGHT_EM * fs.tick) / 2, valueText(r), fs.tick, 'middle', 'cell-value', { fill: Math.abs(r) > 0.6 ? '#ffffff' : '#000000' });
    }
  }
  c.add('</g>');
  labels.forEach((l, i) => {
    c.text(x0 - gap, y0 + (i + 0.5) * cell + (CAP_HEIGHT_EM * fs.tick) / 2, l, fs.tick, 'end', 'row-label');
    c.textUp(x0 + (i + 0.5) * cell, colLabTop, l, fs.tick, 'end', 'col-label');
  });
  // colour bar
  const bx = x0 + side + gap * 2;
  const by = y0;
  const bh = side;
  const steps = 40;
  c.add('<g class="colorbar">');
  for (let s = 0; s < steps; s++) {
    const v = 1 - (2 * (s + 0.5)) / steps;
    c.add(`<rect x="${num(bx)}" y="${num(by + (s * bh) / steps)}" width="${num(barW)}" height="${num(bh / steps + 0.3)}" fill="${correlationColor(v)}"/>`);
  }
  c.add(`<rect x="${num(bx)}" y="${num(by)}" width="${num(barW)}" height="${num(bh)}" fill="none" stroke="#000000" stroke-width="0.4"/>`);
  tickVals.forEach((v, t) => {
    const y = by + ((1 - v) / 2) * bh;
    c.add(`<line x1="${num(bx + barW)}" y1="${num(y)}" x2="${num(bx + barW + 2)}" y2="${num(y)}" stroke="#000000" stroke-width="0.4"/>`);
    c.text(bx + barW + 2 + gap, y + (CAP_HEIGHT_EM * fs.tick) / 2, tickLabs[t]!, fs.tick, 'start', 'tick-label');
  });
  const title = opts.legendTitle ?? `${m.method === 'spearman' ? 'Spearman' : 'Pearson'} r`;
  c.textUp(W - margin - textH / 2, by + bh / 2, title, fs.tick, 'middle', 'axis-title');
  c.add('</g>');
  return svgDoc(c.elements, wMm, H, opts.title ?? 'Correlation heatmap');
}
