/**
 * Shared layout of radnomo's x–y figures: a plot area with labelled x and y axes (ticks from R's
 * pretty(), labels in DejaVu Sans at >= 7 pt), an optional top axis (glmnet's df), and a legend
 * that either sits in a corner of the plot area or flows in rows below (or above) it, wrapped to
 * the figure width. Every text box is recorded so figures can be checked for overlap.
 */
import { RadnomoError } from '../../src/errors';
import {
  CAP_HEIGHT_EM,
  DESCENT_EM,
  JOURNAL_WIDTH_MM,
  MIN_FONT_PT,
  OKABE_ITO,
  PT_PER_MM,
  type Box,
  boxesOverlap,
  escapeXml,
  formatNumber,
  num,
  svgLine,
  svgText,
  textBox,
  textWidth,
} from '../svg';

/** Figure width: 'single' (84 mm), 'double' (174 mm) or millimetres. */
export type FigureWidth = 'single' | 'double' | number;

/** Options every figure accepts. */
export interface FigureOptions {
  /** 'single' (84 mm, default), 'double' (174 mm) or a width in mm. */
  width?: FigureWidth;
  /** Tick-label font size in pt (default 7 single / 8 double; never below 7). */
  fontSize?: number;
  /** Accessible title of the SVG. */
  title?: string;
}

/** Width in mm of a FigureWidth. */
export function widthMm(w: FigureWidth | undefined, fallback: 'single' | 'double' = 'single'): number {
  const v = w === undefined ? JOURNAL_WIDTH_MM[fallback] : w === 'single' ? JOURNAL_WIDTH_MM.single : w === 'double' ? JOURNAL_WIDTH_MM.double : w;
  if (!(v >= 40 && v <= 400)) throw new RadnomoError('E_PARAMS', `figure width ${v} mm is outside 40..400 mm.`);
  return v;
}

/** Font sizes (pt) for a width: ticks/legend and axis titles. */
export function fontSizes(wMm: number, fontSize?: number): { tick: number; label: number } {
  const tick = Math.max(MIN_FONT_PT, fontSize ?? (wMm < 120 ? 7 : 8));
  return { tick, label: tick + 0.5 };
}

/** Colour and dash pattern of series i: Okabe–Ito colours (yellow left out: too pale on white) with distinct dashes for greyscale. */
export function seriesStyle(i: number): { color: string; dash: string } {
  const colors = [OKABE_ITO[5], OKABE_ITO[6], OKABE_ITO[3], OKABE_ITO[7], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[0]];
  const dashes = ['', '6 2', '2 1.5', '6 2 1.5 2', '10 3', '1 1.5', '4 4'];
  // the dash advances one extra step every 7 series, giving 49 distinct colour/dash pairs
  return { color: colors[i % colors.length]!, dash: dashes[(i + Math.floor(i / colors.length)) % dashes.length]! };
}

/** A tick label: R's format() with a true minus sign. */
export function tickText(v: number, digits = 7): string {
  const s = formatNumber(Math.abs(v) < 1e-12 ? 0 : v, digits);
  return s.startsWith('-') ? `\u2212${s.slice(1)}` : s;
}

/** Labels of a set of ticks with a common number of decimals (0, 0.1, 0.2 -> "0.0", "0.1", "0.2"), true minus signs. */
export function tickLabels(ticks: readonly number[]): string[] {
  let dec = 0;
  for (const v of ticks) {
    const s = formatNumber(Math.abs(v) < 1e-12 ? 0 : v);
    if (/e/.test(s)) return ticks.map((t) => tickText(t));
    const m = /\.(\d+)$/.exec(s);
    if (m) dec = Math.max(dec, m[1]!.length);
  }
  return ticks.map((v) => fixed(v, dec));
}

/** A number with fixed decimals and a true minus sign. */
export function fixed(v: number, d: number): string {
  const s = v.toFixed(d);
  return s.startsWith('-') && Number(s) !== 0 ? `\u2212${s.slice(1)}` : s.replace(/^-/, '');
}

/** Splits text into lines no wider than maxW pt (at spaces; over-long words stay whole). */
export function wrapText(text: string, size: number, maxW: number, bold = false): string[] {
  if (textWidth(text, size, bold) <= maxW) return [text];
  const lines: string[] = [];
  let cur = '';
  // split at ordinary spaces only: no-break spaces (U+00A0) keep their words together
  for (const w of text.split(/ +/)) {
    const cand = cur ? `${cur} ${w}` : w;
    if (cur && textWidth(cand, size, bold) > maxW) {
      lines.push(cur);
      cur = w;
    } else cur = cand;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** A legend entry: a line sample (colour, dash, width), an optional marker, and text. */
export interface LegendEntry {
  label: string;
  color: string;
  dash?: string;
  lineWidth?: number;
  /** 'line' (default), 'point' (a marker only), 'line+point', 'box' (filled square). */
  kind?: 'line' | 'point' | 'line+point' | 'box';
  /** Marker shape index for points (see shapeMarker). */
  shape?: number;
}

/** Collects elements and the boxes of every text drawn. */
export class Canvas {
  readonly elements: string[] = [];
  readonly boxes: Array<{ box: Box; text: string }> = [];
  add(...els: string[]): void {
    this.elements.push(...els);
  }
  /** A horizontal text; records its box. */
  text(x: number, y: number, s: string, size: number, anchor: 'start' | 'middle' | 'end' = 'start', cls = '', extra: Record<string, string> = {}, bold = false): Box {
    const attrs: Record<string, string> = { ...extra };
    if (cls) attrs.class = cls;
    this.elements.push(svgText(x, y, s, { size, anchor, bold, attrs }));
    const b = textBox(s, x, y, size, anchor, bold);
    this.boxes.push({ box: b, text: s });
    return b;
  }
  /**
   * A text rotated -90° (reading bottom to top) whose glyphs are centred on x; `anchor` refers
   * to the reading direction (middle: centred on y; end: the text ends at y, extending downward).
   */
  textUp(x: number, y: number, s: string, size: number, anchor: 'start' | 'middle' | 'end', cls = ''): Box {
    const bx = x + ((CAP_HEIGHT_EM - DESCENT_EM) * size) / 2;
    const attrs: Record<string, string> = { transform: `rotate(-90 ${num(bx)} ${num(y)})` };
    if (cls) attrs.class = cls;
    this.elements.push(svgText(bx, y, s, { size, anchor, attrs }));
    const w = textWidth(s, size);
    const top = anchor === 'start' ? y - w : anchor === 'middle' ? y - w / 2 : y;
    const b = { x: bx - CAP_HEIGHT_EM * size, y: top, w: (CAP_HEIGHT_EM + DESCENT_EM) * size, h: w };
    this.boxes.push({ box: b, text: s });
    return b;
  }
}

/** Draws a legend sample of an entry at (x, yMid), `len` pt long. */
function legendSample(e: LegendEntry, x: number, yMid: number, len: number): string[] {
  const out: string[] = [];
  const kind = e.kind ?? 'line';
  const lw = e.lineWidth ?? 1.2;
  if (kind === 'box') {
    out.push(`<rect x="${num(x + len / 2 - 3)}" y="${num(yMid - 3)}" width="6" height="6" fill="${escapeXml(e.color)}" stroke="#000000" stroke-width="0.3"/>`);
    return out;
  }
  if (kind === 'line' || kind === 'line+point') {
    out.push(`<path d="M${num(x)} ${num(yMid)}L${num(x + len)} ${num(yMid)}" fill="none" stroke="${escapeXml(e.color)}" stroke-width="${num(lw)}"${e.dash ? ` stroke-dasharray="${escapeXml(e.dash)}"` : ''}/>`);
  }
  if (kind === 'point' || kind === 'line+point') out.push(shapeMarker(e.shape ?? 0, x + len / 2, yMid, e.color));
  return out;
}

/** A filled circle marker. */
export function marker(x: number, y: number, color: string, r = 1.6): string {
  return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" fill="${escapeXml(color)}" stroke="#ffffff" stroke-width="0.3"/>`;
}

/** Measured legend laid out in rows within maxW. */
interface LegendLayout {
  items: Array<{ e: LegendEntry; lines: string[]; dx: number; row: number; w: number }>;
  rowHeights: number[];
  width: number;
  height: number;
}

const SAMPLE_LEN = 16;

function layoutLegend(entries: readonly LegendEntry[], size: number, maxW: number, oneColumn: boolean): LegendLayout {
  const lineH = size * 1.2;
  const gap = size * 1.2;
  const pad = size * 0.4;
  const items: LegendLayout['items'] = [];
  const rowHeights: number[] = [];
  let row = 0;
  let x = 0;
  let width = 0;
  for (const e of entries) {
    const lines = wrapText(e.label, size, maxW - SAMPLE_LEN - pad);
    const w = SAMPLE_LEN + pad + Math.max(...lines.map((l) => textWidth(l, size)));
    if (items.length > 0 && (oneColumn || x + gap + w > maxW)) {
      row++;
      x = 0;
    } else if (items.length > 0) x += gap;
    items.push({ e, lines, dx: x, row, w });
    rowHeights[row] = Math.max(rowHeights[row] ?? 0, lines.length * lineH);
    x += w;
    width = Math.max(width, x);
  }
  return { items, rowHeights, width, height: rowHeights.reduce((s, h) => s + h, 0) };
}

function drawLegend(c: Canvas, L: LegendLayout, x0: number, y0: number, size: number): void {
  const lineH = size * 1.2;
  const pad = size * 0.4;
  const rowTop: number[] = [];
  let y = y0;
  for (const h of L.rowHeights) {
    rowTop.push(y);
    y += h;
  }
  c.add('<g class="legend">');
  for (const it of L.items) {
    const top = rowTop[it.row]!;
    const firstBase = top + (lineH - (CAP_HEIGHT_EM + DESCENT_EM) * size) / 2 + CAP_HEIGHT_EM * size;
    const yMid = firstBase - (CAP_HEIGHT_EM * size) / 2;
    c.add(...legendSample(it.e, x0 + it.dx, yMid, SAMPLE_LEN));
    it.lines.forEach((ln, k) => c.text(x0 + it.dx + SAMPLE_LEN + pad, firstBase + k * lineH, ln, size, 'start', 'legend-label'));
  }
  c.add('</g>');
}

/** What a figure asks the layout for. */
export interface PlotSpec {
  widthMm: number;
  fs: { tick: number; label: number };
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  xTicks: readonly number[];
  yTicks: readonly number[];
  /** Labels of the ticks (default tickText). */
  xTickLabels?: readonly string[];
  yTickLabels?: readonly string[];
  xLabel: string;
  yLabel: string;
  /** Plot-area height / width (default 1: square). */
  aspect?: number;
  /** Cap of the plot-area height in mm (default 95). */
  maxPlotHeightMm?: number;
  /** Top axis (e.g. glmnet's number of non-zero coefficients): ticks in x units with labels. */
  topAxis?: { at: readonly number[]; labels: readonly string[]; title?: string };
  legend?: readonly LegendEntry[];
  /** 'inside-br', 'inside-tr', 'inside-bl', 'inside-tl' (falls back to 'below' when it does not fit), 'below', 'above'. */
  legendPosition?: 'inside-br' | 'inside-tr' | 'inside-bl' | 'inside-tl' | 'below' | 'above';
  /** Extra lines of small text under everything (notes such as "B = 200 bootstrap repetitions"). */
  notes?: readonly string[];
  /** Height (pt) to reserve between the x-axis title and the legend (e.g. a numbers-at-risk table), and its left gutter (pt) need. */
  reserveBelow?: number;
  reserveLeft?: number;
}

/** The laid-out plot: canvas, mapping and the geometry figures draw into. */
export interface Plot {
  c: Canvas;
  W: number;
  H: number;
  /** Plot area (pt): left, top, right, bottom. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  sx: (v: number) => number;
  sy: (v: number) => number;
  /** Top of the reserved band below the x-axis title. */
  reserveTop: number;
  /** Left margin x (pt). */
  margin: number;
  /** The plot-area clip path id (data series go inside `<g clip-path="url(#id)">`). */
  clipId: string;
  /** Axes, legend and notes (drawn after the data). */
  overlay: string[];
}

let clipCounter = 0;

/** Lays out axes, legend and notes; the figure then draws data with sx/sy and finishes with finishPlot. */
export function layoutPlot(s: PlotSpec): Plot {
  const W = s.widthMm * PT_PER_MM;
  const { tick: fsT, label: fsL } = s.fs;
  const margin = 4;
  const tickLen = fsT * 0.45;
  const gap = fsT * 0.3;
  const xLabels = s.xTickLabels ?? tickLabels(s.xTicks);
  const yLabels = s.yTickLabels ?? tickLabels(s.yTicks);
  const yLabW = Math.max(0, ...yLabels.map((l) => textWidth(l, fsT)));
  const textH = (CAP_HEIGHT_EM + DESCENT_EM);
  let left = margin + textH * fsL + gap * 2 + yLabW + gap + tickLen;
  left = Math.max(left, margin + (s.reserveLeft ?? 0));
  // x tick labels must not run past the canvas at either end
  const xSpan = s.xDomain[1] - s.xDomain[0];
  const lastHalf = xLabels.length ? textWidth(xLabels[xLabels.length - 1]!, fsT) / 2 : 0;
  const firstHalf = xLabels.length ? textWidth(xLabels[0]!, fsT) / 2 : 0;
  let right = W - margin - Math.max(lastHalf * (s.xTicks.length && s.xTicks[s.xTicks.length - 1]! >= s.xDomain[1] - 1e-9 * xSpan ? 1 : 0), 2);
  if (s.topAxis) {
    const tl = s.topAxis.labels;
    if (tl.length) right = Math.min(right, W - margin - textWidth(tl[tl.length - 1]!, fsT) / 2);
  }
  left = Math.max(left, margin + firstHalf);
  const plotW = right - left;

  // legend: inside a corner when it fits, else below/above
  let pos = s.legendPosition ?? 'below';
  const entries = s.legend ?? [];
  let legend: LegendLayout | null = null;
  // a square plot at double-column width would be taller than a page allows: cap the height
  const plotH = Math.min(plotW * (s.aspect ?? 1), (s.maxPlotHeightMm ?? 95) * PT_PER_MM);
  if (entries.length && pos.startsWith('inside')) {
    const L = layoutLegend(entries, fsT, plotW * 0.62, true);
    if (L.width <= plotW * 0.62 && L.height <= plotH * 0.45) legend = L;
    else pos = 'below';
  }
  if (entries.length && !pos.startsWith('inside')) legend = layoutLegend(entries, fsT, W - 2 * margin, false);

  let y = margin;
  let legendY = 0;
  if (legend && pos === 'above') {
    legendY = y;
    y += legend.height + fsT * 0.6;
  }
  if (s.topAxis) {
    if (s.topAxis.title) y += textH * fsL + gap;
    y += textH * fsT + gap + tickLen;
  } else y += CAP_HEIGHT_EM * fsT * 0.6; // room for the top y tick label's upper half
  const top = y;
  const bottom = top + plotH;
  y = bottom + tickLen + gap + textH * fsT + gap + textH * fsL;
  const reserveTop = y + gap;
  y += s.reserveBelow ?? 0;
  if (legend && pos === 'below') {
    legendY = y + fsT * 0.6;
    y = legendY + legend.height;
  }
  const notesY = y + fsT * 0.4;
  y = notesY + (s.notes?.length ?? 0) * fsT * 1.2;
  const H = y + margin;

  const sx = (v: number) => left + ((v - s.xDomain[0]) / (s.xDomain[1] - s.xDomain[0])) * plotW;
  const sy = (v: number) => bottom - ((v - s.yDomain[0]) / (s.yDomain[1] - s.yDomain[0])) * plotH;

  const c = new Canvas();
  const clipId = `plot-area-${++clipCounter}`;
  c.add(`<defs><clipPath id="${clipId}"><rect x="${num(left)}" y="${num(top)}" width="${num(plotW)}" height="${num(plotH)}"/></clipPath></defs>`);
  const ov = new Canvas();
  // frame
  ov.add(`<rect class="frame" x="${num(left)}" y="${num(top)}" width="${num(plotW)}" height="${num(plotH)}" fill="none" stroke="#000000" stroke-width="0.6"/>`);
  // x axis
  ov.add('<g class="axis" data-axis="x">');
  s.xTicks.forEach((v, i) => {
    const x = sx(v);
    ov.add(svgLine(x, bottom, x, bottom + tickLen, '#000000', 0.5));
    ov.text(x, bottom + tickLen + gap + CAP_HEIGHT_EM * fsT, xLabels[i]!, fsT, 'middle', 'tick-label', { 'data-value': String(v) });
  });
  ov.text((left + right) / 2, bottom + tickLen + gap + textH * fsT + gap + CAP_HEIGHT_EM * fsL, s.xLabel, fsL, 'middle', 'axis-title');
  ov.add('</g>');
  // y axis
  ov.add('<g class="axis" data-axis="y">');
  s.yTicks.forEach((v, i) => {
    const yy = sy(v);
    ov.add(svgLine(left - tickLen, yy, left, yy, '#000000', 0.5));
    ov.text(left - tickLen - gap, yy + (CAP_HEIGHT_EM * fsT) / 2, yLabels[i]!, fsT, 'end', 'tick-label', { 'data-value': String(v) });
  });
  ov.textUp(left - tickLen - gap - yLabW - gap * 2 - (textH * fsL) / 2, (top + bottom) / 2, s.yLabel, fsL, 'middle', 'axis-title');
  ov.add('</g>');
  if (s.topAxis) {
    ov.add('<g class="axis" data-axis="top">');
    s.topAxis.at.forEach((v, i) => {
      const x = sx(v);
      ov.add(svgLine(x, top, x, top - tickLen, '#000000', 0.5));
      ov.text(x, top - tickLen - gap - DESCENT_EM * fsT, s.topAxis!.labels[i]!, fsT, 'middle', 'tick-label', { 'data-value': String(v) });
    });
    if (s.topAxis.title) ov.text((left + right) / 2, top - tickLen - gap - textH * fsT - gap - DESCENT_EM * fsL, s.topAxis.title, fsL, 'middle', 'axis-title');
    ov.add('</g>');
  }
  // legend
  if (legend) {
    if (pos.startsWith('inside')) {
      const pad = fsT * 0.5;
      const lw = legend.width + 2 * pad;
      const lh = legend.height + 2 * pad;
      const lx = pos.endsWith('r') ? right - lw - fsT * 0.3 : left + fsT * 0.3;
      const ly = pos === 'inside-br' || pos === 'inside-bl' ? bottom - lh - fsT * 0.3 : top + fsT * 0.3;
      ov.add(`<rect class="legend-box" x="${num(lx)}" y="${num(ly)}" width="${num(lw)}" height="${num(lh)}" fill="#ffffff" fill-opacity="0.85" stroke="#bdbdbd" stroke-width="0.4"/>`);
      drawLegend(ov, legend, lx + pad, ly + pad, fsT);
    } else drawLegend(ov, legend, margin, legendY, fsT);
  }
  (s.notes ?? []).forEach((n, i) => ov.text(margin, notesY + CAP_HEIGHT_EM * fsT + i * fsT * 1.2, n, fsT, 'start', 'note'));
  c.boxes.push(...ov.boxes);
  return { c, W, H, left, top, right, bottom, sx, sy, reserveTop, margin, clipId, overlay: ov.elements };
}

/** Plot area width/height the layout would give (for choosing domains that depend on size). */
export function plotAreaWidth(wMm: number): number {
  return wMm * PT_PER_MM;
}

/** Assembles the SVG: data layers (clipped to the plot area) then the overlay (axes, legend). */
export function finishPlot(p: Plot, data: readonly string[], o: { widthMm: number; title: string }, unclipped: readonly string[] = []): string {
  const body = [...p.c.elements, `<g class="data" clip-path="url(#${p.clipId})">`, ...data, '</g>', ...unclipped, ...p.overlay];
  return svgDoc(body, o.widthMm, p.H, o.title);
}

/** An SVG document in mm with pt user units (as svg.ts's svgDocument, with a height in pt). */
export function svgDoc(body: readonly string[], wMm: number, Hpt: number, title: string): string {
  const W = wMm * PT_PER_MM;
  const hMm = Math.ceil((Hpt / PT_PER_MM) * 100) / 100;
  const H = hMm * PT_PER_MM;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(wMm)}mm" height="${num(hMm)}mm" viewBox="0 0 ${num(W)} ${num(H)}" font-family="DejaVu Sans">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${num(W)}" height="${num(H)}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n') + '\n';
}

/** A path through points with a style (no clipping; callers clip by group). */
export function pathD(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join('');
}

/** A styled data path with a class and series name. */
export function seriesPath(points: ReadonlyArray<readonly [number, number]>, color: string, dash: string, width: number, cls: string, name: string): string {
  return `<path class="${escapeXml(cls)}" data-series="${escapeXml(name)}" d="${pathD(points)}" fill="none" stroke="${escapeXml(color)}" stroke-width="${num(width)}"${dash ? ` stroke-dasharray="${escapeXml(dash)}"` : ''} stroke-linejoin="round"/>`;
}

/** True when any two recorded text boxes overlap (for self-checks). */
export function overlappingTexts(c: Canvas): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < c.boxes.length; i++) for (let j = i + 1; j < c.boxes.length; j++) if (boxesOverlap(c.boxes[i]!.box, c.boxes[j]!.box)) out.push([c.boxes[i]!.text, c.boxes[j]!.text]);
  return out;
}

/** Marker shapes by series (circle, square, triangle, diamond), so points also read in greyscale. */
export function shapeMarker(i: number, x: number, y: number, color: string, r = 1.8): string {
  const c = escapeXml(color);
  switch (i % 4) {
    case 1:
      return `<rect x="${num(x - r * 0.9)}" y="${num(y - r * 0.9)}" width="${num(r * 1.8)}" height="${num(r * 1.8)}" fill="${c}"/>`;
    case 2:
      return `<path d="M${num(x)} ${num(y - r * 1.15)}L${num(x + r)} ${num(y + r * 0.65)}L${num(x - r)} ${num(y + r * 0.65)}Z" fill="${c}"/>`;
    case 3:
      return `<path d="M${num(x)} ${num(y - r * 1.2)}L${num(x + r)} ${num(y)}L${num(x)} ${num(y + r * 1.2)}L${num(x - r)} ${num(y)}Z" fill="${c}"/>`;
    default:
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${num(r)}" fill="${c}"/>`;
  }
}
