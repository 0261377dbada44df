import { rocFigureSvg, rocLegendLabel, rocPoints } from '../../../nomogram/figures/roc-figure';
import { ciAucDelong } from '../../../stats/delong';
import { roc } from '../../../stats/roc';
import { simulateStudy } from './sim';
import { axisMaps, axisTicks, checkLayout, expectPathMatches } from './svg-check';

const s = simulateStudy();
const models = s.models.map((m) => {
  const curve = roc(s.y, m.risk);
  return { name: m.name, curve, ci: ciAucDelong(curve) };
});

describe.each([['single', 84], ['double', 174]] as const)('ROC figure, %s column', (width, mm) => {
  const svg = rocFigureSvg(models, { width });
  const f = checkLayout(svg, mm);

  test('axes 0..1 with labelled ticks and titles', () => {
    expect(axisTicks(svg, 'x').map((t) => t.text)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(axisTicks(svg, 'y').map((t) => t.text)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    const titles = f.texts.filter((t) => t.cls === 'axis-title').map((t) => t.text);
    expect(titles).toEqual(['1 \u2212 Specificity (false-positive rate)', 'Sensitivity (true-positive rate)']);
    expect(f.texts.find((t) => t.text.startsWith('Sensitivity'))!.rotated).toBe(true);
  });

  test('each curve is the stats curve: points (1 - specificity, sensitivity) mapped to the axes', () => {
    const { sx, sy } = axisMaps(svg);
    const curves = f.paths.filter((p) => p.cls === 'roc-curve');
    expect(curves.map((c) => c.series)).toEqual(models.map((m) => m.name));
    models.forEach((m, i) => {
      const pts = Array.from(m.curve.sensitivities, (se, k) => [1 - m.curve.specificities[k]!, se] as const);
      expectPathMatches(curves[i]!, pts, sx, sy);
      expect(rocPoints(m.curve).length).toBe(m.curve.thresholds.length);
    });
    // chance diagonal from (0,0) to (1,1)
    expectPathMatches(f.paths.find((p) => p.cls === 'reference')!, [[0, 0], [1, 1]], sx, sy);
  });

  test('legend: one entry per model with AUC and DeLong 95% CI, inside the canvas', () => {
    const legendText = f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.text).join(' ');
    for (const m of models) {
      const label = rocLegendLabel(m);
      expect(label).toBe(`${m.name}, AUC\u00a0${m.curve.auc.toFixed(3)} (95%\u00a0CI\u00a0${m.ci.lower.toFixed(2)}\u2013${m.ci.upper.toFixed(2)})`);
      expect(legendText).toContain(label);
    }
  });

  test('series differ in colour and in dash pattern (greyscale-readable)', () => {
    const curves = f.paths.filter((p) => p.cls === 'roc-curve');
    expect(new Set(curves.map((c) => c.attrs.stroke)).size).toBe(curves.length);
    expect(new Set(curves.map((c) => c.attrs['stroke-dasharray'] ?? 'solid')).size).toBe(curves.length);
  });
});

test('legend below when asked; an empty model list is an error', () => {
  const svg = rocFigureSvg(models, { width: 'single', legend: 'below' });
  const f = checkLayout(svg, 84);
  const legendTop = Math.min(...f.texts.filter((t) => t.cls === 'legend-label').map((t) => t.box.y));
  expect(legendTop).toBeGreaterThan(f.frame!.y + f.frame!.h);
  expect(() => rocFigureSvg([])).toThrow(/no models/);
});
