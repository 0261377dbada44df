import { formatLogRankP, kmFigureSvg, kmSteps, numberAtRisk } from '../../../nomogram/figures/km-figure';
import { kaplanMeier, logRankTest } from '../../../stats/survival';
import { simulateStudy } from './sim';
import { axisMaps, axisTicks, checkLayout, expectPathMatches, parseFigure } from './svg-check';

const s = simulateStudy();
const names = ['Low risk', 'High risk'];
const idx = names.map((g) => s.group.map((v, i) => (v === g ? i : -1)).filter((i) => i >= 0));
const groups = names.map((g, k) => ({ name: g, km: kaplanMeier(idx[k]!.map((i) => s.time[i]!), idx[k]!.map((i) => s.event[i]!)) }));
const lr = logRankTest(s.time, s.event, s.group);

describe.each([['single', 84], ['double', 174]] as const)('Kaplan–Meier figure, %s column', (width, mm) => {
  const svg = kmFigureSvg(groups, { width, logRank: lr, timeLabel: 'Time (months)', timeBreaks: 12 });
  const f = checkLayout(svg, mm);

  test('step curves start at (0, 1) and drop at event times to the KM estimate', () => {
    const { sx, sy } = axisMaps(svg);
    const curves = f.paths.filter((p) => p.cls === 'km-curve');
    expect(curves.map((c) => c.series)).toEqual(names);
    groups.forEach((g, k) => {
      const steps = kmSteps(g.km, 72);
      expectPathMatches(curves[k]!, steps, sx, sy);
      expect(steps[0]).toEqual([0, 1]);
      // every event time appears as a vertical drop to surv
      g.km.time.forEach((t, i) => {
        if (g.km.nEvent[i]! > 0) expect(steps.some(([x, y]) => x === t && y === g.km.surv[i])).toBe(true);
      });
    });
  });

  test('censoring marks at every censored time on the curve', () => {
    const { sx, sy } = axisMaps(svg);
    groups.forEach((g) => {
      const marks = f.paths.find((p) => p.cls === 'censor-marks' && p.series === g.name)!.points;
      const censored = g.km.time.map((t, i) => [t, i] as const).filter(([, i]) => g.km.nCensor[i]! > 0);
      expect(marks).toHaveLength(2 * censored.length);
      censored.forEach(([t, i], m) => {
        expect(Math.abs(marks[2 * m]![0] - sx(t))).toBeLessThan(0.02);
        expect(Math.abs((marks[2 * m]![1] + marks[2 * m + 1]![1]) / 2 - sy(g.km.surv[i]!))).toBeLessThan(0.02);
      });
    });
  });

  test('numbers at risk under each time tick equal the raw counts of times >= t', () => {
    const ticks = axisTicks(svg, 'x');
    expect(ticks.map((t) => t.value)).toEqual([0, 12, 24, 36, 48, 60, 72]);
    const counts = f.texts.filter((t) => t.cls === 'risk-count');
    expect(counts).toHaveLength(ticks.length * groups.length);
    groups.forEach((g, k) => {
      ticks.forEach((tk, j) => {
        const c = counts[k * ticks.length + j]!;
        const raw = idx[k]!.filter((i) => s.time[i]! >= tk.value).length;
        expect(Number(c.text)).toBe(raw);
        expect(numberAtRisk(g.km, tk.value)).toBe(raw);
        expect(Math.abs(c.x - tk.x)).toBeLessThan(0.01);
      });
    });
    expect(f.texts.filter((t) => t.cls === 'risk-group').map((t) => t.text)).toEqual(names);
    expect(f.texts.some((t) => t.text === 'Number at risk')).toBe(true);
  });

  test('log-rank p, legend and axis titles', () => {
    expect(f.texts.find((t) => t.cls === 'log-rank')!.text).toBe(formatLogRankP(lr.pValue));
    expect(f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text)).toEqual(names);
    expect(f.texts.filter((t) => t.cls === 'axis-title').map((t) => t.text)).toEqual(['Time (months)', 'Survival probability']);
  });
});

test('formatLogRankP', () => {
  expect(formatLogRankP(0.0123)).toBe('Log-rank p\u00a0=\u00a00.012');
  expect(formatLogRankP(1e-5)).toBe('Log-rank p\u00a0<\u00a00.001');
});

test('the layout checker itself catches overlapping and clipped text', () => {
  const bad = '<svg xmlns="http://www.w3.org/2000/svg" width="84mm" height="50mm" viewBox="0 0 238.11 141.73"><text x="10" y="20" font-size="7">Low risk</text><text x="30" y="21" font-size="7">314</text></svg>';
  expect(parseFigure(bad).texts).toHaveLength(2);
  expect(() => checkLayout(bad.replace('</svg>', '<text x="100" y="100" font-size="7">a</text><text x="150" y="100" font-size="7">b</text><text x="200" y="100" font-size="7">c</text><text x="100" y="120" font-size="7">d</text></svg>'), 84)).toThrow(/overlap/);
  const clipped = '<svg xmlns="http://www.w3.org/2000/svg" width="84mm" height="50mm" viewBox="0 0 238.11 141.73">' + Array.from({ length: 6 }, (_, i) => `<text x="${i * 40 + 5}" y="30" font-size="7">w${i}</text>`).join('') + '<text x="235" y="60" font-size="7">outside</text></svg>';
  expect(() => checkLayout(clipped, 84)).toThrow(/leaves the canvas/);
});
