import { clipBelow, dcaFigureSvg, dcaPoints } from '../../../nomogram/figures/dca-figure';
import { decisionCurves } from '../../../stats/dca';
import { simulateStudy } from './sim';
import { axisMaps, axisTicks, checkLayout, expectPathMatches } from './svg-check';

const s = simulateStudy();
const d = decisionCurves(s.y, s.models.map((m) => ({ name: m.name, risk: m.risk })));

describe.each([['single', 84], ['double', 174]] as const)('decision-curve figure, %s column', (width, mm) => {
  const svg = dcaFigureSvg(d, { width });
  const f = checkLayout(svg, mm);

  test('every curve (models, treat all, treat none) is its net benefit mapped to the axes', () => {
    const { sx, sy } = axisMaps(svg);
    const curves = f.paths.filter((p) => p.cls === 'dca-curve');
    expect(curves.map((c) => c.series).sort()).toEqual(['all', 'none', ...s.models.map((m) => m.name)].sort());
    for (const c of d.curves) {
      const path = curves.find((p) => p.series === c.variable)!;
      const yMin = axisTicks(svg, 'y')[0]!.value;
      const pts = Array.from(d.thresholds, (t, i) => [t, c.netBenefit[i]!] as const);
      // every threshold whose net benefit is on the axis is a vertex of the path, at its mapped place
      const inRange = pts.filter(([, y]) => y >= yMin);
      for (const [x, y] of inRange) expect(path.points.some(([px, py]) => Math.abs(px - sx(x)) < 0.02 && Math.abs(py - sy(y)) < 0.02)).toBe(true);
      // and the path holds nothing else but the crossings of the axis bottom
      expectPathMatches(path, clipBelow(pts, yMin).flat(), sx, sy);
      for (const [, py] of path.points) expect(py).toBeLessThanOrEqual(sy(yMin) + 0.02);
      expect(dcaPoints(d, c.variable)).toHaveLength(d.thresholds.length);
    }
    // treat none is the zero line
    for (const [, y] of curves.find((p) => p.series === 'none')!.points) expect(Math.abs(y - sy(0))).toBeLessThan(0.02);
  });

  test('axes: thresholds 0..1, net benefit from below zero to above the largest net benefit', () => {
    const x = axisTicks(svg, 'x');
    expect(x[0]!.value).toBe(0);
    expect(x[x.length - 1]!.value).toBeCloseTo(1, 12);
    const y = axisTicks(svg, 'y').map((t) => t.value);
    let maxNb = 0;
    for (const c of d.curves) for (const v of c.netBenefit) maxNb = Math.max(maxNb, v);
    expect(y[0]!).toBeLessThan(0);
    expect(y[y.length - 1]!).toBeGreaterThanOrEqual(maxNb);
    expect(f.texts.filter((t) => t.cls === 'axis-title').map((t) => t.text)).toEqual(['Threshold probability', 'Net benefit']);
    // negative tick labels use a true minus sign
    expect(axisTicks(svg, 'y')[0]!.text.startsWith('\u2212')).toBe(true);
  });

  test('legend: each model, Treat all, Treat none', () => {
    expect(f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text)).toEqual([...s.models.map((m) => m.name), 'Treat all', 'Treat none']);
  });
});

test('clipBelow cuts runs at the crossing', () => {
  expect(clipBelow([[0, 1], [1, -1], [2, -2], [3, 1]], 0)).toEqual([[[0, 1], [0.5, 0]], [[2 + 2 / 3, 0], [3, 1]]]);
  expect(clipBelow([[0, -1]], 0)).toEqual([]);
});

test('the treat-all curve is clipped to the plot area, not drawn outside it', () => {
  const svg = dcaFigureSvg(d, { width: 'single' });
  expect(svg).toMatch(/<g class="data" clip-path="url\(#plot-area-\d+\)">/);
  const data = /<g class="data"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
  expect(data).toContain('data-series="all"');
});
