import { calibrationFigureSvg } from '../../../nomogram/figures/calibration-figure';
import { calibration } from '../../../stats/calibration';
import { calibrateBoot } from '../../../stats/calibration-bootstrap';
import { simulateStudy } from './sim';
import { axisMaps, checkLayout, expectPathMatches } from './svg-check';

const s = simulateStudy();
const fitted = s.models.map((m) => ({ name: m.name, calibration: calibration(m.risk, s.y), bootstrap: calibrateBoot(m.rows, s.y, { B: 40, seed: 5 }) }));
const nomo = fitted[3]!;

describe.each([['single', 84], ['double', 174]] as const)('calibration figure, one model, %s column', (width, mm) => {
  const svg = calibrationFigureSvg([nomo], { width, groups: true });
  const f = checkLayout(svg, mm);

  test('bias-corrected and apparent curves are calibrateBoot\'s columns mapped to the axes', () => {
    const { sx, sy } = axisMaps(svg);
    const b = nomo.bootstrap;
    const corr = f.paths.find((p) => p.cls === 'calibration-corrected')!;
    expectPathMatches(corr, Array.from(b.predy, (x, g) => [x, b.calibratedCorrected[g]!] as const), sx, sy);
    const app = f.paths.find((p) => p.cls === 'calibration-apparent')!;
    expectPathMatches(app, Array.from(b.predy, (x, g) => [x, b.calibratedOrig[g]!] as const), sx, sy);
    expectPathMatches(f.paths.find((p) => p.cls === 'reference')!, [[0, 0], [1, 1]], sx, sy);
  });

  test('grouped points with Wilson CIs at (mean predicted, observed)', () => {
    const { sx, sy } = axisMaps(svg);
    const g = /<g class="calibration-groups"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    const bars = [...g.matchAll(/<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    const dots = [...g.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(bars.length).toBe(nomo.calibration.grouped.length);
    nomo.calibration.grouped.forEach((q, k) => {
      expect(Math.abs(dots[k]![0]! - sx(q.meanPredicted))).toBeLessThan(0.02);
      expect(Math.abs(dots[k]![1]! - sy(q.observed))).toBeLessThan(0.02);
      expect(Math.abs(bars[k]![1]! - sy(q.lower))).toBeLessThan(0.02);
      expect(Math.abs(bars[k]![3]! - sy(q.upper))).toBeLessThan(0.02);
    });
  });

  test('legend and rms-style note with B and the mean absolute error', () => {
    const legend = f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text);
    expect(legend).toEqual(['Bias-corrected', 'Apparent', 'Grouped observed (95% CI)', 'Ideal']);
    const note = f.texts.filter((t) => t.cls === 'note').map((t) => t.text).join(' ');
    expect(note).toContain(`B\u00a0=\u00a040 bootstrap repetitions`);
    expect(note).toContain(`mean absolute error\u00a0=\u00a0${nomo.bootstrap.meanAbsError.toFixed(3)}`);
    expect(f.texts.filter((t) => t.cls === 'axis-title').map((t) => t.text)).toEqual(['Predicted probability', 'Observed probability']);
    expect(svg).toContain('class="rug"');
  });
});

test('four models: one bias-corrected curve each, legend below, one note per model', () => {
  const svg = calibrationFigureSvg(fitted, { width: 'double' });
  const f = checkLayout(svg, 174);
  const { sx, sy } = axisMaps(svg);
  const curves = f.paths.filter((p) => p.cls === 'calibration-corrected');
  expect(curves.map((c) => c.series)).toEqual(fitted.map((m) => m.name));
  fitted.forEach((m, i) => expectPathMatches(curves[i]!, Array.from(m.bootstrap.predy, (x, g) => [x, m.bootstrap.calibratedCorrected[g]!] as const), sx, sy));
  expect(f.paths.filter((p) => p.cls === 'calibration-apparent')).toHaveLength(0);
  expect(f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text)).toEqual([...fitted.map((m) => m.name), 'Ideal']);
  expect(Math.min(...f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.box.y))).toBeGreaterThan(f.frame!.y + f.frame!.h);
  expect(f.texts.filter((t) => t.cls === 'note')).toHaveLength(4);
  expect(new Set(curves.map((c) => c.attrs['stroke-dasharray'] ?? 'solid')).size).toBe(4);
});

test('apparent-only models draw the lowess curve of calibration()', () => {
  const svg = calibrationFigureSvg(fitted.map((m) => ({ name: m.name, calibration: m.calibration })), { width: 'single' });
  const f = checkLayout(svg, 84);
  const { sx, sy } = axisMaps(svg);
  const app = f.paths.filter((p) => p.cls === 'calibration-apparent');
  expect(app).toHaveLength(4);
  const sm = fitted[0]!.calibration.smooth;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < sm.x.length; i++) if (i === 0 || sm.x[i] !== sm.x[i - 1]) pts.push([sm.x[i]!, sm.y[i]!]);
  expectPathMatches(app[0]!, pts, sx, sy);
  expect(() => calibrationFigureSvg([{ name: 'x' }])).toThrow(/neither/);
});
