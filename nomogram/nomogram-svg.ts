/**
 * Draws a nomogram as `plot.nomogram` (rms) lays it out: a Points axis (0–100, labels above) at
 * the top, one axis per predictor aligned to the points scale (a negative coefficient runs the
 * axis right to left), discrete predictors as labelled ticks alternating below and above the line
 * in order of their points (further staggered when labels would still overlap), then Total
 * Points (rescaled to the same width, as rms does), Linear Predictor and Risk axes placed by
 * total points. Sized for journals: 174 mm (double column) or 84 mm (single column) wide, all
 * text >= 7 pt at print size, DejaVu Sans.
 */
import type { NomogramModel } from './points';
import {
  CAP_HEIGHT_EM,
  DESCENT_EM,
  JOURNAL_WIDTH_MM,
  MIN_FONT_PT,
  PT_PER_MM,
  type Box,
  boxesOverlap,
  formatNumber,
  pretty,
  svgDocument,
  svgLine,
  svgText,
  textBox,
  textWidth,
} from './svg';

/** Options of the nomogram drawing. */
export interface NomogramSvgOptions {
  /** 'double' (174 mm), 'single' (84 mm) or a width in mm. Default 'double'. */
  width?: 'double' | 'single' | number;
  /** Font size (pt) of the axis names. Default 9 (double) / 7.5 (single); never below 7. */
  labelSize?: number;
  /** Font size (pt) of tick labels. Default 8 (double) / 7 (single); never below 7. */
  tickSize?: number;
  /** Axis names; defaults are rms': "Points", "Total Points", "Linear Predictor", the fun label. */
  pointsLabel?: string;
  totalPointsLabel?: string;
  /** Draw the Linear Predictor axis (rms lp = TRUE). Default true. */
  lp?: boolean;
  /** Light vertical grid lines at the Points axis ticks (rms col.grid). Default false. */
  grid?: boolean;
  /** Accessible title of the SVG. */
  title?: string;
}

interface TickLabel {
  x: number;
  text: string;
  above: boolean;
  tier: number;
}

interface Row {
  name: string;
  /** Axis value -> x mapping is done by the caller; ticks in x (pt). */
  ticks: number[];
  minorTicks: number[];
  /** Labels (position in axis fraction 0..1 until placed). */
  labels: Array<{ f: number; text: string; above: boolean }>;
  /** Axis domain of this row's ticks: 'points' (0..maxScale) or 'total' (0..totalMax). */
  domain: 'points' | 'total';
  /** Where the ticks point: up for the top Points axis. */
  ticksUp: boolean;
  discrete: boolean;
  /** Positions in domain units. */
  at: number[];
  minorAt: number[];
}

/**
 * Chooses the smallest k such that labelling every k-th tick leaves no two labels overlapping
 * (R's axis() drops overlapping labels; a regular step reads better than gaps), preferring a k
 * that also labels the last tick, so both ends of a short axis say which way it runs.
 */
function thinLabels(xs: number[], texts: string[], size: number, pad: number): boolean[] {
  const fits = (k: number): boolean => {
    let prev: Box | null = null;
    const order = xs.map((_, i) => i).filter((i) => i % k === 0).sort((a, b) => xs[a]! - xs[b]!);
    for (const i of order) {
      const bx = textBox(texts[i]!, xs[i]!, 0, size, 'middle');
      if (prev && prev.x + prev.w + pad > bx.x) return false;
      prev = bx;
    }
    return true;
  };
  const n = xs.length;
  const keepEvery = (k: number): boolean[] => xs.map((_, i) => i % k === 0);
  let first = 0;
  for (let k = 1; k <= n; k++) {
    if (fits(k)) {
      first = k;
      break;
    }
  }
  if (first === 0) return xs.map((_, i) => i === 0);
  // a k up to twice the smallest that also reaches the last tick (k divides n - 1)
  for (let k = first; k <= Math.min(2 * first, n - 1); k++) if ((n - 1) % k === 0 && fits(k)) return keepEvery(k);
  return keepEvery(first);
}

/** Keeps each label that does not overlap the last kept one (R's axis() rule), left to right. */
function greedyLabels(xs: number[], texts: string[], size: number, pad: number): boolean[] {
  const keep = xs.map(() => false);
  let prevRight = -Infinity;
  xs.map((x, i) => i)
    .filter((i) => !Number.isNaN(xs[i]!))
    .sort((a, b) => xs[a]! - xs[b]!)
    .forEach((i) => {
      const bx = textBox(texts[i]!, xs[i]!, 0, size, 'middle');
      if (bx.x >= prevRight + pad) {
        keep[i] = true;
        prevRight = bx.x + bx.w;
      }
    });
  return keep;
}

/** Splits a label into lines no wider than maxW (at spaces; a long word stays whole). */
function wrap(text: string, size: number, maxW: number, bold: boolean): string[] {
  if (textWidth(text, size, bold) <= maxW) return [text];
  // words wider than the column are broken between characters
  const words: string[] = [];
  for (const w of text.split(/\s+/)) {
    let cur = '';
    for (const ch of w) {
      if (cur && textWidth(cur + ch, size, bold) > maxW) {
        words.push(cur);
        cur = ch;
      } else cur += ch;
    }
    if (cur) words.push(cur);
  }
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const cand = cur ? `${cur} ${w}` : w;
    if (cur && textWidth(cand, size, bold) > maxW) {
      lines.push(cur);
      cur = w;
    } else cur = cand;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Run-length merge of consecutive ticks with equal points, labelled "a-b" as rms does. */
function mergeTies(values: string[], points: number[], discrete: boolean): { labels: string[]; points: number[] } {
  const labels: string[] = [];
  const pts: number[] = [];
  let i = 0;
  while (i < points.length) {
    let j = i;
    while (j + 1 < points.length && points[j + 1] === points[i]) j++;
    if (j > i) labels.push(discrete || j < points.length - 1 ? `${values[i]}-${values[j]}` : `${values[i]}+`);
    else labels.push(values[i]!);
    pts.push(points[i]!);
    i = j + 1;
  }
  return { labels, points: pts };
}

/** Renders the nomogram of a points model as an SVG document (a string). */
export function nomogramSvg(model: NomogramModel, opts: NomogramSvgOptions = {}): string {
  const widthMm = opts.width === 'single' ? JOURNAL_WIDTH_MM.single : typeof opts.width === 'number' ? opts.width : JOURNAL_WIDTH_MM.double;
  const narrow = widthMm < 120;
  const fsVar = Math.max(MIN_FONT_PT, opts.labelSize ?? (narrow ? 7.5 : 9));
  const fsTick = Math.max(MIN_FONT_PT, opts.tickSize ?? (narrow ? 7 : 8));
  const W = widthMm * PT_PER_MM;
  const margin = narrow ? 4 : 6;
  const tickLen = fsTick * 0.45;
  const labelGap = fsTick * 0.3;
  const lineH = (CAP_HEIGHT_EM + DESCENT_EM) * fsTick + 1.5;
  const table = model.table();
  const maxScale = model.maxScale;
  const totalAt = table.totalPointsToRisk.map((r) => r.points);
  const totalMax = Math.max(...totalAt);

  // ---- rows in domain units ----
  const rows: Row[] = [];
  const pointsTicks = prettyStepTicks(0, maxScale);
  rows.push({
    name: opts.pointsLabel ?? 'Points',
    domain: 'points',
    ticksUp: true,
    discrete: false,
    at: pointsTicks.major,
    minorAt: pointsTicks.minor,
    ticks: [],
    minorTicks: [],
    labels: pointsTicks.major.map((v) => ({ f: v / maxScale, text: formatNumber(v), above: true })),
  });
  for (const p of table.predictors) {
    const merged = mergeTies(p.ticks.map((t) => (typeof t.value === 'number' ? tickText(t.value) : t.label)), p.ticks.map((t) => t.points), p.discrete);
    let labels: Row['labels'];
    if (p.discrete && merged.points.length > 1) {
      // rms: order by points; odd ranks below, even ranks above
      const order = merged.points.map((_, i) => i).sort((a, b) => merged.points[a]! - merged.points[b]!);
      const above = new Array<boolean>(order.length).fill(false);
      order.forEach((idx, rank) => (above[idx] = rank % 2 === 1));
      labels = merged.points.map((pt, i) => ({ f: pt / maxScale, text: merged.labels[i]!, above: above[i]! }));
    } else {
      labels = merged.points.map((pt, i) => ({ f: pt / maxScale, text: merged.labels[i]!, above: false }));
    }
    rows.push({ name: p.label, domain: 'points', ticksUp: false, discrete: p.discrete, at: merged.points, minorAt: [], ticks: [], minorTicks: [], labels });
  }
  const totalStep = totalAt.length > 1 ? totalAt[1]! - totalAt[0]! : totalMax;
  const totalMinor: number[] = [];
  for (let v = totalAt[0]!; v <= totalMax + 1e-9; v += totalStep / 5) totalMinor.push(v);
  rows.push({
    name: opts.totalPointsLabel ?? 'Total Points',
    domain: 'total',
    ticksUp: false,
    discrete: false,
    at: totalAt,
    minorAt: totalMinor,
    ticks: [],
    minorTicks: [],
    labels: totalAt.map((v) => ({ f: v / totalMax, text: formatNumber(v), above: false })),
  });
  const inside = (v: number) => v >= -1e-9 && v <= totalMax + 1e-9;
  if (opts.lp !== false) {
    const lpTicks = table.lpAxis.filter((t) => inside(t.points));
    const lpMinor: number[] = [];
    if (model.lpAt.length > 1) {
      const half = (model.lpAt[1]! - model.lpAt[0]!) / 2;
      for (let v = model.lpAt[0]!; v <= Math.max(...model.lpAt) + 1e-9; v += half) {
        const pt = (v - model.pointsIntercept) * model.scale;
        if (inside(pt)) lpMinor.push(pt);
      }
    }
    rows.push({
      name: model.lpLabel,
      domain: 'total',
      ticksUp: false,
      discrete: false,
      at: lpTicks.map((t) => t.points),
      minorAt: lpMinor,
      ticks: [],
      minorTicks: [],
      labels: lpTicks.map((t) => ({ f: t.points / totalMax, text: tickText(t.lp), above: false })),
    });
  }
  const riskTicks = table.riskAxis.filter((t) => inside(t.points));
  rows.push({
    name: model.funLabel,
    domain: 'total',
    ticksUp: false,
    discrete: false,
    at: riskTicks.map((t) => t.points),
    minorAt: [],
    ticks: [],
    minorTicks: [],
    labels: riskTicks.map((t) => ({ f: t.points / totalMax, text: formatNumber(t.risk), above: false })),
  });

  // ---- horizontal layout: label column, then the axis span [x0, x1] ----
  const labelColMax = W * (narrow ? 0.3 : 0.26);
  const nameLines = rows.map((r) => wrap(r.name, fsVar, labelColMax, false));
  const labelCol = Math.min(labelColMax, Math.max(...nameLines.flat().map((l) => textWidth(l, fsVar))));
  const left = margin + labelCol + fsVar * 0.6;
  const right = W - margin;
  let x0 = left;
  let x1 = right;
  const allLabels = rows.flatMap((r) => r.labels.map((l) => ({ f: l.f, w: textWidth(l.text, fsTick) })));
  for (let it = 0; it < 8; it++) {
    const A = x1 - x0;
    let nx0 = left;
    let nx1 = right;
    for (const l of allLabels) {
      nx0 = Math.max(nx0, left + l.w / 2 - l.f * A);
      nx1 = Math.min(nx1, right - l.w / 2 + (1 - l.f) * A);
    }
    x0 = nx0;
    x1 = nx1;
  }
  const A = x1 - x0;
  const xOf = (r: Row, v: number) => x0 + (v / (r.domain === 'points' ? maxScale : totalMax)) * A;

  // ---- label placement: thinning (continuous) and tiers (discrete) ----
  const placed: TickLabel[][] = rows.map((r) => {
    const xs = r.labels.map((l) => x0 + l.f * A);
    if (!r.discrete) {
      const gaps = xs.slice(1).map((x, k) => x - xs[k]!);
      const uniform = gaps.every((g) => Math.abs(g - gaps[0]!) <= 1e-6 * Math.abs(gaps[0]!));
      const texts = r.labels.map((l) => l.text);
      if (uniform) {
        const keep = thinLabels(xs, texts, fsTick, fsTick * 0.4);
        return r.labels.map((l, i) => ({ x: xs[i]!, text: l.text, above: l.above, tier: 0 })).filter((_, i) => keep[i]);
      }
      // uneven spacing (Risk axis): labels that do not fit below go above the line; R's rule
      // (drop a label that would overlap) applies only to what fits on neither side
      const all = greedyLabels(xs, texts, fsTick, fsTick * 0.4);
      if (all.every(Boolean)) return r.labels.map((l, i) => ({ x: xs[i]!, text: l.text, above: false, tier: 0 }));
      const rank = new Array<number>(xs.length);
      xs.map((_, i) => i)
        .sort((a, b) => xs[a]! - xs[b]!)
        .forEach((i, k) => (rank[i] = k));
      const keepBelow = greedyLabels(xs.map((x, i) => (rank[i]! % 2 === 0 ? x : NaN)), texts, fsTick, fsTick * 0.4);
      const keepAbove = greedyLabels(xs.map((x, i) => (rank[i]! % 2 === 1 ? x : NaN)), texts, fsTick, fsTick * 0.4);
      return r.labels
        .map((l, i) => ({ x: xs[i]!, text: l.text, above: rank[i]! % 2 === 1, tier: 0 }))
        .filter((_, i) => keepBelow[i] || keepAbove[i]);
    }
    const out: TickLabel[] = [];
    const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
    for (const i of order) {
      const l = r.labels[i]!;
      const bx = textBox(l.text, xs[i]!, 0, fsTick, 'middle');
      let tier = 0;
      for (;;) {
        const clash = out.some((o) => o.above === l.above && o.tier === tier && boxesOverlap(textBox(o.text, o.x, 0, fsTick, 'middle'), { ...bx, x: bx.x - fsTick * 0.4, w: bx.w + fsTick * 0.8 }));
        if (!clash) break;
        tier++;
      }
      out.push({ x: xs[i]!, text: l.text, above: l.above, tier });
    }
    return out;
  });

  // ---- vertical layout ----
  const extentAbove = (i: number) => {
    const ls = placed[i]!.filter((l) => l.above);
    const tiers = ls.length ? Math.max(...ls.map((l) => l.tier)) + 1 : 0;
    return Math.max(tiers > 0 ? tickLen + labelGap + tiers * lineH : rows[i]!.ticksUp ? tickLen : 0, (nameLines[i]!.length * fsVar * 1.15) / 2);
  };
  const extentBelow = (i: number) => {
    const ls = placed[i]!.filter((l) => !l.above);
    const tiers = ls.length ? Math.max(...ls.map((l) => l.tier)) + 1 : 0;
    return Math.max(tiers > 0 ? tickLen + labelGap + tiers * lineH : tickLen, (nameLines[i]!.length * fsVar * 1.15) / 2);
  };
  const rowGap = fsTick * (narrow ? 0.6 : 0.9);
  const ys: number[] = [];
  let y = margin;
  rows.forEach((_, i) => {
    y += extentAbove(i);
    ys.push(y);
    y += extentBelow(i) + rowGap;
  });
  const H = y - rowGap + margin;

  // ---- draw ----
  const body: string[] = [];
  if (opts.grid) {
    for (const v of rows[0]!.at) {
      const x = xOf(rows[0]!, v);
      body.push(svgLine(x, ys[0]!, x, ys[rows.length - 1]!, '#d9d9d9', 0.4));
    }
  }
  rows.forEach((r, i) => {
    const yy = ys[i]!;
    const g: string[] = [`<g class="axis" data-axis="${i === 0 ? 'points' : escapeAttr(r.name)}">`];
    // name
    const lines = nameLines[i]!;
    const lh = fsVar * 1.15;
    lines.forEach((ln, k) => {
      const base = yy + (CAP_HEIGHT_EM * fsVar) / 2 - ((lines.length - 1) * lh) / 2 + k * lh;
      g.push(svgText(margin, base, ln, { size: fsVar, attrs: { class: 'axis-name' } }));
    });
    // line
    const xs = r.at.map((v) => xOf(r, v));
    const lineA = r.domain === 'points' && i === 0 ? x0 : Math.min(...xs);
    const lineB = r.domain === 'points' && i === 0 ? x0 + A : Math.max(...xs);
    g.push(svgLine(lineA, yy, lineB, yy, '#000000', 0.6));
    const dir = r.ticksUp ? -1 : 1;
    for (const x of xs) g.push(svgLine(x, yy, x, yy + dir * tickLen, '#000000', 0.5));
    for (const v of r.minorAt) {
      const x = xOf(r, v);
      if (xs.some((mx) => Math.abs(mx - x) < 0.01)) continue;
      g.push(svgLine(x, yy, x, yy + dir * tickLen * 0.5, '#000000', 0.4));
    }
    // discrete rows: ticks for labels above point up
    for (const l of placed[i]!) {
      if (l.above && !r.ticksUp) g.push(svgLine(l.x, yy, l.x, yy - tickLen, '#000000', 0.5));
      const base = l.above ? yy - tickLen - labelGap - DESCENT_EM * fsTick - l.tier * lineH : yy + tickLen + labelGap + CAP_HEIGHT_EM * fsTick + l.tier * lineH;
      if (l.tier > 0) {
        // leader from the tick to a staggered label
        const y1 = l.above ? yy - tickLen : yy + tickLen;
        const y2 = l.above ? base + DESCENT_EM * fsTick : base - CAP_HEIGHT_EM * fsTick - 0.5;
        g.push(svgLine(l.x, y1, l.x, y2, '#7f7f7f', 0.3));
      }
      g.push(svgText(l.x, base, l.text, { size: fsTick, anchor: 'middle', attrs: { class: 'tick-label' } }));
    }
    g.push('</g>');
    body.push(...g);
  });
  return svgDocument(body, { widthMm, heightMm: H / PT_PER_MM, title: opts.title ?? 'Nomogram' });
}

/** A tick label: R's format() with a true minus sign (U+2212) for negative numbers. */
function tickText(v: number): string {
  const s = formatNumber(v);
  return s.startsWith('-') ? `\u2212${s.slice(1)}` : s;
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The rms Points axis: pretty(c(0, max), n = 10) majors, minors every quarter step. */
function prettyStepTicks(lo: number, hi: number): { major: number[]; minor: number[] } {
  const major = pretty(lo, hi, 10);
  const dif = major[1]! - major[0]!;
  const minor: number[] = [];
  for (let v = major[0]! + dif / 4; v < Math.max(...major) - 1e-9; v += dif / 4) minor.push(v);
  return { major, minor };
}
