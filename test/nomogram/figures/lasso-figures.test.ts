import { lassoCvFigureSvg, lassoPathFigureSvg, lassoPathPoints } from '../../../nomogram/figures/lasso-figures';
import { Random } from '../../../src/random';
import { cvGlmnetBinomial } from '../../../stats/lasso';
import { simulateStudy } from './sim';
import { axisMaps, axisTicks, checkLayout, expectPathMatches } from './svg-check';

const s = simulateStudy();
const names = Object.keys(s.features);
const rows = Array.from({ length: s.n }, (_, i) => names.map((f) => s.features[f]![i]!));
const cv = cvGlmnetBinomial(rows, s.y, names, { nfolds: 10, random: new Random(1) });
const path = cv.fit;

/** df at the λ nearest on the log scale, computed here independently of the figure. */
function dfNear(x: number, lambda: ArrayLike<number>, counts: ArrayLike<number>): number {
  const ks = Array.from(lambda, (l, k) => [Math.abs(Math.log(l) - x), k] as const).sort((a, b) => a[0] - b[0]);
  return counts[ks[0]![1]]!;
}

describe.each([['single', 84], ['double', 174]] as const)('LASSO figures, %s column', (width, mm) => {
  const svg = lassoPathFigureSvg(path, { width, lambdaMin: cv.lambdaMin, lambda1se: cv.lambda1se });
  const f = checkLayout(svg, mm);
  const cvSvg = lassoCvFigureSvg(cv, { width });
  const g = checkLayout(cvSvg, mm);

  test('path: one line per predictor through (log λ, β)', () => {
    const { sx, sy } = axisMaps(svg);
    const lines = f.paths.filter((p) => p.cls === 'lasso-path');
    expect(lines).toHaveLength(names.length);
    names.forEach((n, j) => {
      const pts = Array.from(path.lambda, (l, k) => [Math.log(l), path.beta[k]![j]!] as const);
      expectPathMatches(lines.find((p) => p.series === n)!, pts, sx, sy);
      expect(lassoPathPoints(path, j)).toHaveLength(path.lambda.length);
    });
  });

  test('λ.min and λ.1se are marked at their log values, with legend entries; top axis shows df', () => {
    for (const svgText of [svg, cvSvg]) {
      const fig = svgText === svg ? f : g;
      const { sx } = axisMaps(svgText);
      const lmin = fig.paths.find((p) => p.series === 'lambda.min')!;
      const l1se = fig.paths.find((p) => p.series === 'lambda.1se')!;
      expect(Math.abs(lmin.points[0]![0] - sx(Math.log(cv.lambdaMin)))).toBeLessThan(0.02);
      expect(Math.abs(l1se.points[0]![0] - sx(Math.log(cv.lambda1se)))).toBeLessThan(0.02);
      const legend = fig.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text).join(' ');
      expect(legend).toContain(`\u03bb.min (log\u00a0\u03bb\u00a0=\u00a0${Math.log(cv.lambdaMin).toFixed(2).replace('-', '\u2212')})`);
      expect(legend).toContain('\u03bb.1se');
      const top = axisTicks(svgText, 'top');
      expect(top.length).toBeGreaterThanOrEqual(3);
      for (const t of top) expect(Number(t.text)).toBe(dfNear(t.value, cv.lambda, svgText === svg ? path.df : cv.nzero));
    }
  });

  test('highlighted features are those non-zero at λ.min; the rest are grey "Other features"', () => {
    const k = cv.indexMin;
    const nonzero = names.filter((_, j) => path.beta[k]![j] !== 0);
    const legend = f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text);
    for (const n of nonzero) expect(legend).toContain(n);
    if (nonzero.length < names.length) expect(legend).toContain('Other features');
    for (const p of f.paths.filter((q) => q.cls === 'lasso-path' && !nonzero.includes(q.series))) expect(p.attrs.stroke).toBe('#b3b3b3');
  });

  test('CV: points at (log λ, cvm) with ±1 SE bars (cvlo, cvup)', () => {
    const { sx, sy } = axisMaps(cvSvg);
    const dots = [...cvSvg.matchAll(/<circle class="cv-point" data-k="(\d+)" cx="([\d.]+)" cy="([\d.]+)"/g)];
    expect(dots).toHaveLength(cv.lambda.length);
    for (const m of dots) {
      const k = Number(m[1]);
      expect(Math.abs(Number(m[2]) - sx(Math.log(cv.lambda[k]!)))).toBeLessThan(0.02);
      expect(Math.abs(Number(m[3]) - sy(cv.cvm[k]!))).toBeLessThan(0.02);
    }
    const bars = g.paths.find((p) => p.cls === 'cv-errorbars')!.points;
    expect(bars).toHaveLength(6 * cv.lambda.length);
    for (let k = 0; k < cv.lambda.length; k++) {
      expect(Math.abs(bars[6 * k]![1] - sy(cv.cvlo[k]!))).toBeLessThan(0.02);
      expect(Math.abs(bars[6 * k + 1]![1] - sy(cv.cvup[k]!))).toBeLessThan(0.02);
    }
    expect(g.texts.filter((t) => t.cls === 'axis-title').map((t) => t.text)).toEqual(['log(\u03bb)', 'Binomial deviance', 'Non-zero coefficients']);
  });
});
