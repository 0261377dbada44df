/**
 * Small SVG building helpers shared by radnomo's figures: XML escaping, text and lines, R's
 * `pretty()` for round axis ticks, R-like number labels, the Okabe–Ito colour-blind-safe palette,
 * and a text-width estimate from DejaVu Sans' own advance widths (the font the PNGs embed), used
 * to keep labels from overlapping.
 *
 * Coordinates are in points (1/72 inch): a figure `widthMm` wide has a viewBox `widthMm * 72 /
 * 25.4` units wide and a `width="…mm"` attribute, so a font-size of 7 is 7 pt at print size.
 */
import { RadnomoError } from '../src/errors';

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

/** Journal figure widths in millimetres (single column 84 mm, double column 174 mm). */
export const JOURNAL_WIDTH_MM = { single: 84, double: 174 } as const;

/** Smallest font size (pt at print size) radnomo's figures use. */
export const MIN_FONT_PT = 7;

/** The font family every figure names; the PNG renderer embeds its TrueType files. */
export const FONT_FAMILY = 'DejaVu Sans';

/**
 * Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008), in their order:
 * black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple.
 */
export const OKABE_ITO = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;

/** Escapes text for XML/HTML content and attribute values (& < > " '). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** A coordinate with at most 2 decimals (0.01 pt is far below what any printer resolves). */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new RadnomoError('E_VALUE', `SVG: a coordinate is ${v}, not a finite number.`);
  const r = Math.round(v * 100) / 100;
  return String(Object.is(r, -0) ? 0 : r);
}

// Advance widths (em) of DejaVu Sans and DejaVu Sans Bold for ASCII 32..126, read from the
// hmtx tables of the TrueType files shipped in dejavu-fonts-ttf 2.37.
const SANS_ASCII = [
  0.3179, 0.4009, 0.46, 0.8379, 0.6362, 0.9502, 0.7798, 0.2749, 0.3901, 0.3901, 0.5, 0.8379, 0.3179, 0.3608, 0.3179, 0.3369,
  0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.6362, 0.3369, 0.3369, 0.8379, 0.8379, 0.8379, 0.5308,
  1, 0.6841, 0.686, 0.6982, 0.77, 0.6318, 0.5752, 0.7749, 0.752, 0.2949, 0.2949, 0.6558, 0.5571, 0.8628, 0.748, 0.7871,
  0.603, 0.7871, 0.6948, 0.6348, 0.6108, 0.7319, 0.6841, 0.9888, 0.6851, 0.6108, 0.6851, 0.3901, 0.3369, 0.3901, 0.8379, 0.5,
  0.5, 0.6128, 0.6348, 0.5498, 0.6348, 0.6152, 0.3521, 0.6348, 0.6338, 0.2778, 0.2778, 0.5791, 0.2778, 0.9741, 0.6338, 0.6118,
  0.6348, 0.6348, 0.4111, 0.521, 0.3921, 0.6338, 0.5918, 0.8179, 0.5918, 0.5918, 0.5249, 0.6362, 0.3369, 0.6362, 0.8379,
];
const BOLD_ASCII = [
  0.3481, 0.4561, 0.521, 0.8379, 0.6958, 1.002, 0.8721, 0.3062, 0.457, 0.457, 0.5229, 0.8379, 0.3799, 0.415, 0.3799, 0.3652,
  0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.6958, 0.3999, 0.3999, 0.8379, 0.8379, 0.8379, 0.5801,
  1, 0.7739, 0.7622, 0.7339, 0.8301, 0.6831, 0.6831, 0.8208, 0.8369, 0.3721, 0.3721, 0.7749, 0.6372, 0.9951, 0.8369, 0.8501,
  0.7329, 0.8501, 0.77, 0.7202, 0.6821, 0.812, 0.7739, 1.103, 0.771, 0.7241, 0.7251, 0.457, 0.3652, 0.457, 0.8379, 0.5,
  0.5, 0.6748, 0.7158, 0.5928, 0.7158, 0.6782, 0.4351, 0.7158, 0.7119, 0.3428, 0.3428, 0.665, 0.3428, 1.042, 0.7119, 0.687,
  0.7158, 0.7158, 0.4932, 0.5952, 0.478, 0.7119, 0.6519, 0.9238, 0.645, 0.6519, 0.582, 0.7119, 0.3652, 0.7119, 0.8379,
];
const SANS_EXTRA: Record<string, number> = { '°': 0.5, '±': 0.8379, '≤': 0.8379, '≥': 0.8379, '–': 0.5, '—': 1, '×': 0.8379, 'µ': 0.6362, '·': 0.3179, '…': 1, '≠': 0.8379, '−': 0.8379 };

/** Height above the baseline (em) of DejaVu Sans capitals/digits, and depth of descenders. */
export const CAP_HEIGHT_EM = 0.73;
export const DESCENT_EM = 0.24;

/**
 * Estimated advance width (pt) of `text` set in DejaVu Sans at `size` pt: exact advance widths
 * for ASCII and common symbols (no kerning), 0.65 em for other Latin text, 1 em for wide
 * (CJK) characters. Within a few percent of what resvg draws.
 */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD_ASCII : SANS_ASCII;
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 32 && c < 127) w += table[c - 32]!;
    else if (SANS_EXTRA[ch] !== undefined) w += SANS_EXTRA[ch]! * (bold ? 1.08 : 1);
    else if (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60))) w += 1;
    else w += 0.65;
  }
  return w * size;
}

/** An axis-aligned box (pt): left, top, width, height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Text anchor as SVG's text-anchor. */
export type Anchor = 'start' | 'middle' | 'end';

/** The box of a one-line text drawn at (x, y baseline) with the given anchor (pt). */
export function textBox(text: string, x: number, y: number, size: number, anchor: Anchor = 'start', bold = false): Box {
  const w = textWidth(text, size, bold);
  const left = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
  return { x: left, y: y - CAP_HEIGHT_EM * size, w, h: (CAP_HEIGHT_EM + DESCENT_EM) * size };
}

/** True when two boxes overlap by more than `tol` pt in both directions. */
export function boxesOverlap(a: Box, b: Box, tol = 0): boolean {
  return a.x + a.w - tol > b.x && b.x + b.w - tol > a.x && a.y + a.h - tol > b.y && b.y + b.h - tol > a.y;
}

// ---------------------------------------------------------------------------------------------
// R's pretty()

const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MIN = 2.2250738585072014e-308;
const DBL_MAX = Number.MAX_VALUE;

/** Options of R's pretty.default (its argument names, camel-cased). */
export interface PrettyOptions {
  minN?: number;
  shrinkSml?: number;
  highUBias?: number;
  u5Bias?: number;
  fMin?: number;
}

/**
 * Round tick values covering [lo, hi], about n intervals: a port of R's `pretty.default` (R 4.2:
 * `R_pretty` in src/appl/pretty.c with rounding_eps 1e-10 and f.min, then `seq.int(l, u,
 * length.out = n + 1)` and the zeroing of values below 1e-14 of the step). Units are 1, 2, 5 or
 * 10 times a power of ten.
 */
export function pretty(lo: number, hi: number, n = 5, opts: PrettyOptions = {}): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RadnomoError('E_VALUE', `pretty: the range [${lo}, ${hi}] is not finite.`);
  if (lo > hi) [lo, hi] = [hi, lo];
  const minN = opts.minN ?? Math.floor(n / 3);
  const shrink = opts.shrinkSml ?? 0.75;
  const h = opts.highUBias ?? 1.5;
  const h5 = opts.u5Bias ?? 0.5 + 1.5 * h;
  const fMin = opts.fMin ?? 2 ** -20;
  const roundingEps = 1e-10;
  let ndiv = n;
  const dx = hi - lo;
  let cell: number;
  let iSmall: boolean;
  if (dx === 0 && hi === 0) {
    cell = 1;
    iSmall = true;
  } else {
    cell = Math.max(Math.abs(lo), Math.abs(hi));
    let U = 1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5));
    U *= Math.max(1, ndiv) * DBL_EPSILON;
    iSmall = dx < cell * U * 3;
  }
  if (iSmall) {
    if (cell > 10) cell = 9 + cell / 10;
    cell *= shrink;
    if (minN > 1) cell /= minN;
  } else {
    cell = dx;
    if (ndiv > 1) cell /= ndiv;
  }
  let subsmall = fMin * DBL_MIN;
  if (subsmall === 0) subsmall = DBL_MIN;
  if (cell < subsmall) cell = subsmall;
  else if (cell > DBL_MAX / 1.25) cell = DBL_MAX / 1.25;
  const base = 10 ** Math.floor(Math.log10(cell));
  let unit = base;
  let U2: number;
  if ((U2 = 2 * base) - cell < h * (cell - unit)) {
    unit = U2;
    if ((U2 = 5 * base) - cell < h5 * (cell - unit)) {
      unit = U2;
      if ((U2 = 10 * base) - cell < h * (cell - unit)) unit = U2;
    }
  }
  let ns = Math.floor(lo / unit + roundingEps);
  let nu = Math.ceil(hi / unit - roundingEps);
  while (ns * unit > lo + roundingEps * unit) ns--;
  while (nu * unit < hi - roundingEps * unit) nu++;
  let k = Math.trunc(0.5 + nu - ns);
  if (k < minN) {
    k = minN - k;
    if (lo === 0 && ns === 0 && hi !== 0) nu += k;
    else if (hi === 0 && nu === 0 && lo !== 0) ns -= k;
    else if (ns >= 0) {
      nu += Math.floor(k / 2);
      ns -= Math.floor(k / 2) + (k % 2);
    } else {
      ns -= Math.floor(k / 2);
      nu += Math.floor(k / 2) + (k % 2);
    }
    ndiv = minN;
  } else {
    ndiv = k;
  }
  let l = lo;
  let u = hi;
  if (ns * unit < l) l = ns * unit;
  if (nu * unit > u) u = nu * unit;
  const s = seqLength(l, u, ndiv + 1);
  if (ndiv > 0) {
    const delta = (u - l) / ndiv;
    for (let i = 0; i < s.length; i++) if (Math.abs(s[i]!) < 1e-14 * delta) s[i] = 0;
  }
  return s;
}

/**
 * R's `seq.int(from, to, length.out = n)` (R 4.2 do_seq): ends exact, inner values
 * from + i * by with by = (to - from) / (n - 1).
 */
export function seqLength(from: number, to: number, n: number): number[] {
  const out = new Array<number>(n);
  if (n > 0) out[0] = from;
  if (n > 1) out[n - 1] = to;
  if (n > 2) {
    const by = (to - from) / (n - 1);
    for (let i = 1; i < n - 1; i++) out[i] = from + i * by;
  }
  return out;
}

/**
 * A number as R's `format()` shows a single value: up to 7 significant digits, trailing zeros
 * dropped, scientific notation (R style, "1e-05") when that is shorter.
 */
export function formatNumber(v: number, digits = 7): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const fixedSig = Number(v.toPrecision(digits));
  const e10 = Math.floor(Math.log10(Math.abs(fixedSig)));
  // R keeps every integer digit in fixed notation and rounds only the fraction
  const fixed = e10 >= digits - 1 ? Math.round(v).toFixed(0) : fixedSig.toFixed(Math.min(100, digits - 1 - e10)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  const [mant, ex] = fixedSig.toExponential().split('e') as [string, string];
  const e = Number(ex);
  const sci = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return sci.length < fixed.length ? sci : fixed;
}

// ---------------------------------------------------------------------------------------------
// Elements

/** Options for a text element. */
export interface TextOptions {
  size: number;
  anchor?: Anchor;
  bold?: boolean;
  fill?: string;
  /** Extra attributes (already escaped values are not expected: they are escaped here). */
  attrs?: Record<string, string>;
}

/** A `<text>` element (text escaped). */
export function svgText(x: number, y: number, content: string, o: TextOptions): string {
  const attrs = [`x="${num(x)}"`, `y="${num(y)}"`, `font-size="${num(o.size)}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.bold) attrs.push('font-weight="bold"');
  if (o.fill) attrs.push(`fill="${escapeXml(o.fill)}"`);
  for (const [k, v] of Object.entries(o.attrs ?? {})) attrs.push(`${k}="${escapeXml(v)}"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

/** A `<line>` element. */
export function svgLine(x1: number, y1: number, x2: number, y2: number, stroke = '#000000', width = 0.5): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${escapeXml(stroke)}" stroke-width="${num(width)}"/>`;
}

/** A path of straight segments through the points (for polylines and curves). */
export function svgPolyline(points: ReadonlyArray<readonly [number, number]>, stroke: string, width = 1, dash?: string): string {
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join('');
  return `<path d="${d}" fill="none" stroke="${escapeXml(stroke)}" stroke-width="${num(width)}"${dash ? ` stroke-dasharray="${escapeXml(dash)}"` : ''} stroke-linejoin="round"/>`;
}

/** Options of a whole SVG document. */
export interface SvgDocumentOptions {
  widthMm: number;
  heightMm: number;
  /** Accessible title (escaped). */
  title?: string;
  /** White background rectangle (default true: journals want opaque figures). */
  background?: boolean;
}

/**
 * An SVG document sized in millimetres whose user units are points, with the font family set
 * once for all text.
 */
export function svgDocument(body: readonly string[], o: SvgDocumentOptions): string {
  const w = o.widthMm * PT_PER_MM;
  const h = o.heightMm * PT_PER_MM;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(o.widthMm)}mm" height="${num(o.heightMm)}mm" viewBox="0 0 ${num(w)} ${num(h)}" font-family="${FONT_FAMILY}">`,
  ];
  if (o.title) parts.push(`<title>${escapeXml(o.title)}</title>`);
  if (o.background !== false) parts.push(`<rect x="0" y="0" width="${num(w)}" height="${num(h)}" fill="#ffffff"/>`);
  parts.push(...body, '</svg>');
  return parts.join('\n') + '\n';
}

/** One labelled tick of a horizontal axis. */
export interface AxisTick {
  /** Position in axis units. */
  at: number;
  /** Label ('' for an unlabelled tick). */
  label: string;
  /** Draw the label above the axis instead of below. */
  above?: boolean;
  /** Minor tick (shorter, no label). */
  minor?: boolean;
}

/** Geometry and style of a horizontal axis. */
export interface HorizontalAxisOptions {
  /** Axis units mapped to x pixels: x = x0 + (v - domain[0]) * (x1 - x0) / (domain[1] - domain[0]). */
  domain: readonly [number, number];
  x0: number;
  x1: number;
  y: number;
  fontSize: number;
  tickLength?: number;
  /** Draw the line from the first to the last tick instead of over the whole domain. */
  lineOverTicks?: boolean;
  /** Gap between tick end and label (pt). */
  labelGap?: number;
  stroke?: string;
}

/** Maps a value on an axis domain to x. */
export function axisX(v: number, o: Pick<HorizontalAxisOptions, 'domain' | 'x0' | 'x1'>): number {
  return o.x0 + ((v - o.domain[0]) * (o.x1 - o.x0)) / (o.domain[1] - o.domain[0]);
}

/**
 * A horizontal axis: line, ticks (down for labels below, up for labels above) and labels
 * centred on their ticks. Returns the elements and the label boxes (for overlap checks).
 */
export function horizontalAxis(ticks: readonly AxisTick[], o: HorizontalAxisOptions): { elements: string[]; boxes: Box[] } {
  const stroke = o.stroke ?? '#000000';
  const tl = o.tickLength ?? o.fontSize * 0.45;
  const gap = o.labelGap ?? o.fontSize * 0.25;
  const elements: string[] = [];
  const boxes: Box[] = [];
  const xs = ticks.map((t) => axisX(t.at, o));
  let a = o.x0;
  let b = o.x1;
  if (o.lineOverTicks && xs.length > 0) {
    a = Math.min(...xs);
    b = Math.max(...xs);
  }
  elements.push(svgLine(a, o.y, b, o.y, stroke, 0.6));
  ticks.forEach((t, i) => {
    const x = xs[i]!;
    const len = t.minor ? tl * 0.5 : tl;
    const dir = t.above ? -1 : 1;
    elements.push(svgLine(x, o.y, x, o.y + dir * len, stroke, 0.5));
    if (!t.minor && t.label !== '') {
      const baseline = t.above ? o.y - tl - gap - DESCENT_EM * o.fontSize : o.y + tl + gap + CAP_HEIGHT_EM * o.fontSize;
      elements.push(svgText(x, baseline, t.label, { size: o.fontSize, anchor: 'middle' }));
      boxes.push(textBox(t.label, x, baseline, o.fontSize, 'middle'));
    }
  });
  return { elements, boxes };
}
