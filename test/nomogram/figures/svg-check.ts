/** Test support: parses radnomo figure SVGs (texts with boxes, paths) and checks layout rules. */
import { PT_PER_MM, boxesOverlap, textBox, textWidth, CAP_HEIGHT_EM, DESCENT_EM, type Box } from '../../../nomogram/svg';

export interface FigText { x: number; y: number; size: number; anchor: 'start' | 'middle' | 'end'; text: string; cls: string; rotated: boolean; bold: boolean; attrs: Record<string, string>; box: Box }
export interface FigPath { cls: string; series: string; d: string; points: Array<[number, number]>; attrs: Record<string, string> }

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
function attrsOf(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]!] = unescape(m[2]!);
  return out;
}

export function parseFigure(svg: string) {
  const root = /<svg [^>]*width="([\d.]+)mm" height="([\d.]+)mm" viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!root) throw new Error('no svg root');
  const texts: FigText[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
    const a = attrsOf(m[1]!);
    const t = unescape(m[2]!);
    const size = Number(a['font-size']);
    const anchor = (a['text-anchor'] ?? 'start') as FigText['anchor'];
    const x = Number(a.x);
    const y = Number(a.y);
    const rotated = /rotate\(-90/.test(a.transform ?? '');
    const bold = a['font-weight'] === 'bold';
    let box: Box;
    if (rotated) {
      const w = textWidth(t, size);
      const top = anchor === 'start' ? y - w : anchor === 'middle' ? y - w / 2 : y;
      box = { x: x - CAP_HEIGHT_EM * size, y: top, w: (CAP_HEIGHT_EM + DESCENT_EM) * size, h: w };
    } else box = textBox(t, x, y, size, anchor, bold);
    texts.push({ x, y, size, anchor, text: t, cls: a.class ?? '', rotated, bold, attrs: a, box });
  }
  const paths: FigPath[] = [];
  for (const m of svg.matchAll(/<path ([^>]*)\/>/g)) {
    const a = attrsOf(m[1]!);
    const d = a.d ?? '';
    const points = [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((q) => [Number(q[1]), Number(q[2])] as [number, number]);
    paths.push({ cls: a.class ?? '', series: a['data-series'] ?? '', d, points, attrs: a });
  }
  const frame = /<rect class="frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  return {
    widthMm: Number(root[1]),
    heightMm: Number(root[2]),
    W: Number(root[3]),
    H: Number(root[4]),
    texts,
    paths,
    frame: frame ? { x: Number(frame[1]), y: Number(frame[2]), w: Number(frame[3]), h: Number(frame[4]) } : null,
  };
}

export type Figure = ReturnType<typeof parseFigure>;

/** Size in mm, every text >= 7 pt and inside the canvas, no two text boxes overlapping, no NaN. */
export function checkLayout(svg: string, widthMm: number): Figure {
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  const f = parseFigure(svg);
  expect(f.widthMm).toBe(widthMm);
  expect(f.W).toBeCloseTo(widthMm * PT_PER_MM, 1);
  expect(Math.abs(f.H - f.heightMm * PT_PER_MM)).toBeLessThan(0.02);
  expect(f.texts.length).toBeGreaterThan(5);
  for (const t of f.texts) {
    expect(t.size).toBeGreaterThanOrEqual(7);
    const b = t.box;
    if (!(b.x >= 0 && b.y >= 0 && b.x + b.w <= f.W + 1e-6 && b.y + b.h <= f.H + 1e-6)) throw new Error(`text "${t.text}" leaves the canvas: ${JSON.stringify(b)} in ${f.W} x ${f.H}`);
  }
  for (let i = 0; i < f.texts.length; i++) {
    for (let j = i + 1; j < f.texts.length; j++) {
      if (boxesOverlap(f.texts[i]!.box, f.texts[j]!.box)) throw new Error(`texts overlap: "${f.texts[i]!.text}" and "${f.texts[j]!.text}"`);
    }
  }
  return f;
}

/** Tick labels of an axis group, with their data-value. */
export function axisTicks(svg: string, axis: 'x' | 'y' | 'top'): Array<{ value: number; text: string; x: number; y: number }> {
  const g = new RegExp(`<g class="axis" data-axis="${axis}">([\\s\\S]*?)</g>`).exec(svg);
  if (!g) return [];
  return parseFigure(`<svg width="1mm" height="1mm" viewBox="0 0 1 1">${g[1]}</svg>`)
    .texts.filter((t) => t.cls === 'tick-label')
    .map((t) => ({ value: Number(t.attrs['data-value']), text: t.text, x: t.x, y: t.y }));
}

/** Linear maps data -> pt from the tick labels of the x and y axes (checked to be linear). */
export function axisMaps(svg: string): { sx: (v: number) => number; sy: (v: number) => number } {
  const xt = axisTicks(svg, 'x');
  const yt = axisTicks(svg, 'y');
  expect(xt.length).toBeGreaterThanOrEqual(3);
  expect(yt.length).toBeGreaterThanOrEqual(3);
  const fit = (vs: number[], ps: number[]) => {
    const a = (ps[ps.length - 1]! - ps[0]!) / (vs[vs.length - 1]! - vs[0]!);
    const b = ps[0]! - a * vs[0]!;
    vs.forEach((v, i) => expect(Math.abs(a * v + b - ps[i]!)).toBeLessThan(0.02));
    return (v: number) => a * v + b;
  };
  // y tick labels sit at baseline = tick y + cap/2; recover the tick y
  const ySize = 0;
  void ySize;
  const f = parseFigure(svg);
  const ySizeOf = (text: string) => f.texts.find((t) => t.cls === 'tick-label' && t.text === text && t.anchor === 'end')!.size;
  return {
    sx: fit(xt.map((t) => t.value), xt.map((t) => t.x)),
    sy: fit(yt.map((t) => t.value), yt.map((t) => t.y - (CAP_HEIGHT_EM * ySizeOf(t.text)) / 2)),
  };
}

/** Expects path points to equal the mapped data points within `tol` pt (coordinates are rounded to 0.01). */
export function expectPathMatches(path: FigPath, data: ReadonlyArray<readonly [number, number]>, sx: (v: number) => number, sy: (v: number) => number, tol = 0.02): void {
  expect(path.points.length).toBe(data.length);
  data.forEach(([x, y], i) => {
    const [px, py] = path.points[i]!;
    if (!(Math.abs(px - sx(x)) <= tol && Math.abs(py - sy(y)) <= tol)) throw new Error(`point ${i}: path (${px}, ${py}) vs data (${x}, ${y}) -> (${sx(x)}, ${sy(y)})`);
  });
}
