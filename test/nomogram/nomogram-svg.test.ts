import * as path from 'node:path';
import { readCsv, numericColumn, stringColumn } from '../../src/io/csv';
import { fitLogistic, type Predictor } from '../../stats/logistic';
import { NomogramModel } from '../../nomogram/points';
import { nomogramSvg } from '../../nomogram/nomogram-svg';
import { PT_PER_MM, textBox, boxesOverlap, type Box } from '../../nomogram/svg';
import { Random } from '../../src/random';

const root = path.join(__dirname, '..', '..');
const table = readCsv(path.join(root, 'fixtures/nomogram_sim.csv'));
const y = numericColumn(table, 'y');
const col = (name: string): Predictor =>
  name === 'grade' ? { name, values: stringColumn(table, name) } : { name, values: numericColumn(table, name) };

function model(names: string[], labels: Record<string, string> = {}): NomogramModel {
  const preds = names.map(col);
  return NomogramModel.fromLogistic(fitLogistic(y, preds), preds, { labels });
}

interface SvgText { x: number; y: number; size: number; anchor: 'start' | 'middle' | 'end'; text: string; cls: string; group: string }
function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');
}
function parse(svg: string) {
  const root = /<svg [^>]*width="([\d.]+)mm" height="([\d.]+)mm" viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!root) throw new Error('no svg root');
  const texts: SvgText[] = [];
  const lines: number[][] = [];
  let group = '';
  for (const m of svg.matchAll(/<g class="axis" data-axis="([^"]*)">|<text ([^>]*)>([^<]*)<\/text>|<line ([^>]*)\/>/g)) {
    if (m[1] !== undefined) group = unescape(m[1]);
    else if (m[2] !== undefined) {
      const a = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(m[2]!)?.[1];
      texts.push({ x: Number(a('x')), y: Number(a('y')), size: Number(a('font-size')), anchor: (a('text-anchor') ?? 'start') as SvgText['anchor'], text: unescape(m[3]!), cls: a('class') ?? '', group });
    } else {
      const a = (k: string) => Number(new RegExp(`${k}="([^"]*)"`).exec(m[4]!)![1]);
      lines.push([a('x1'), a('y1'), a('x2'), a('y2')]);
    }
  }
  return { widthMm: Number(root[1]), heightMm: Number(root[2]), W: Number(root[3]), H: Number(root[4]), texts, lines };
}
const box = (t: SvgText): Box => textBox(t.text, t.x, t.y, t.size, t.anchor);

function checkLayout(svg: string, widthMm: number) {
  const p = parse(svg);
  expect(p.widthMm).toBe(widthMm);
  expect(p.W).toBeCloseTo(widthMm * PT_PER_MM, 1);
  expect(p.H).toBeCloseTo(p.heightMm * PT_PER_MM, 1);
  for (const t of p.texts) {
    expect(t.size).toBeGreaterThanOrEqual(7);
    const b = box(t);
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.y).toBeGreaterThanOrEqual(0);
    expect(b.x + b.w).toBeLessThanOrEqual(p.W);
    expect(b.y + b.h).toBeLessThanOrEqual(p.H);
  }
  for (const l of p.lines) for (const [v, lim] of [[l[0]!, p.W], [l[1]!, p.H], [l[2]!, p.W], [l[3]!, p.H]] as const) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(lim);
  }
  for (let i = 0; i < p.texts.length; i++) {
    for (let j = i + 1; j < p.texts.length; j++) {
      if (boxesOverlap(box(p.texts[i]!), box(p.texts[j]!))) throw new Error(`texts overlap: "${p.texts[i]!.text}" and "${p.texts[j]!.text}"`);
    }
  }
  return p;
}

describe.each([['double', 174], ['single', 84]] as const)('nomogram SVG, %s column', (w, mm) => {
  const m = model(['x1', 'x2', 'grade'], { x1: 'Age (years)', x2: 'Rad score', grade: 'Tumour grade' });
  const svg = nomogramSvg(m, { width: w });
  const p = checkLayout(svg, mm);

  test('has every axis, in rms order', () => {
    const names = p.texts.filter((t) => t.cls === 'axis-name').map((t) => t.text);
    expect(names).toEqual(['Points', 'Age (years)', 'Rad score', 'Tumour grade', 'Total Points', 'Linear Predictor', 'Risk']);
    const ys = names.map((n) => p.texts.find((t) => t.text === n)!.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!);
  });

  test('predictor ticks sit at their points on the Points scale; x2 runs reversed', () => {
    const pts = p.texts.filter((t) => t.group === 'points' && t.cls === 'tick-label');
    expect(pts[0]!.text).toBe('0');
    expect(pts[pts.length - 1]!.text).toBe('100');
    const x0 = pts[0]!.x;
    const A = pts[pts.length - 1]!.x - x0;
    const tbl = m.table();
    let checked = 0;
    for (const pr of tbl.predictors) {
      const labels = p.texts.filter((t) => t.group === pr.label && t.cls === 'tick-label');
      for (const l of labels) {
        const tick = pr.ticks.find((k) => k.label === l.text.replace('\u2212', '-'))!;
        expect(tick).toBeDefined();
        expect(Math.abs(l.x - (x0 + (tick.points / 100) * A))).toBeLessThan(0.02);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    const rad = p.texts.filter((t) => t.group === 'Rad score' && t.cls === 'tick-label');
    const first = rad.find((t) => t.text === '0')!;
    const last = rad.find((t) => t.text === '12')!;
    expect(last.x).toBeLessThan(first.x);
    for (const lev of ['low', 'mid', 'high']) expect(p.texts.some((t) => t.group === 'Tumour grade' && t.text === lev)).toBe(true);
  });

  test('Total Points, Linear Predictor and Risk axes are placed by total points', () => {
    const tot = p.texts.filter((t) => t.group === 'Total Points' && t.cls === 'tick-label');
    const tbl = m.table();
    const totalMax = tbl.totalPointsToRisk[tbl.totalPointsToRisk.length - 1]!.points;
    const x0 = tot.find((t) => t.text === '0')!.x;
    const pts = p.texts.filter((t) => t.group === 'points' && t.cls === 'tick-label');
    expect(x0).toBeCloseTo(pts[0]!.x, 2);
    const A = pts[pts.length - 1]!.x - x0;
    const risk = p.texts.filter((t) => t.group === 'Risk' && t.cls === 'tick-label');
    expect(risk.length).toBeGreaterThanOrEqual(5);
    for (const r of risk) {
      const ax = tbl.riskAxis.find((k) => Math.abs(k.risk - Number(r.text)) < 1e-9)!;
      expect(Math.abs(r.x - (x0 + (ax.points / totalMax) * A))).toBeLessThan(0.02);
    }
    expect(p.texts.filter((t) => t.group === 'Linear Predictor' && t.cls === 'tick-label').length).toBeGreaterThanOrEqual(5);
  });
});

test('many close categorical levels are staggered, long names wrapped, markup escaped, nothing overlaps', () => {
  const rng = new Random(11);
  const n = 400;
  const levels = ['Grade I', 'Grade II', 'Grade III', 'Grade IIIb', 'Grade IV', 'Atypical & "other"'];
  const cat = Array.from({ length: n }, () => levels[rng.int(levels.length)]!);
  const x = Float64Array.from({ length: n }, () => rng.normal() * 10 + 50);
  const z = Float64Array.from({ length: n }, () => rng.normal());
  const yy = Float64Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(0.08 * (x[i]! - 50) + 1.5 * z[i]! + 0.05 * levels.indexOf(cat[i]!)))) ? 1 : 0));
  const preds: Predictor[] = [
    { name: 'x', values: x },
    { name: 'z', values: z },
    { name: '<script>alert(1)</script>', values: cat },
  ];
  const m = NomogramModel.fromLogistic(fitLogistic(yy, preds), preds, { labels: { x: 'Maximum tumour diameter on contrast-enhanced T1 (mm)' } });
  for (const w of ['double', 'single'] as const) {
    const svg = nomogramSvg(m, { width: w });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/');
    const p = checkLayout(svg, w === 'double' ? 174 : 84);
    for (const l of levels) expect(p.texts.some((t) => t.text === l)).toBe(true);
  }
});
