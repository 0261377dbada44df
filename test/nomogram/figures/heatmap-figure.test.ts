import { correlationColor, heatmapFigureSvg, shorten } from '../../../nomogram/figures/heatmap-figure';
import { textWidth } from '../../../nomogram/svg';
import { correlationMatrix } from '../../../stats/correlation';
import { simulateStudy } from './sim';
import { checkLayout } from './svg-check';

const s = simulateStudy();
const names = Object.keys(s.features).slice(0, 9);
const cm = correlationMatrix(Object.fromEntries(names.map((f) => [f, s.features[f]!])), 'spearman');

test('diverging colour scale: white at 0, Okabe–Ito blue at −1 and vermillion at +1, monotone in |r|', () => {
  expect(correlationColor(0)).toBe('#FFFFFF');
  expect(correlationColor(1)).toBe('#D55E00');
  expect(correlationColor(-1)).toBe('#0072B2');
  const lum = (c: string) => [1, 3, 5].reduce((s, i) => s + parseInt(c.slice(i, i + 2), 16), 0);
  for (let k = 0; k < 10; k++) {
    const r = k / 10;
    expect(lum(correlationColor(r + 0.1))).toBeLessThan(lum(correlationColor(r)));
    expect(lum(correlationColor(-r - 0.1))).toBeLessThan(lum(correlationColor(-r)));
  }
});

test('shorten keeps both ends and fits the width', () => {
  const long = 'log-sigma-3-0-mm-3D_gldm_DependenceVariance';
  const sh = shorten(long, 7, 80);
  expect(textWidth(sh, 7)).toBeLessThanOrEqual(80);
  expect(sh.startsWith('log')).toBe(true);
  expect(sh.endsWith('Variance')).toBe(true);
  expect(shorten('short', 7, 80)).toBe('short');
});

describe.each([['single', 84], ['double', 174]] as const)('heatmap, %s column', (width, mm) => {
  const svg = heatmapFigureSvg(cm, { width });
  const f = checkLayout(svg, mm);

  test('one cell per pair, coloured by the correlation matrix', () => {
    const cells = [...svg.matchAll(/<rect class="cell" data-i="(\d+)" data-j="(\d+)" data-r="([^"]+)" x="[^"]+" y="[^"]+" width="([^"]+)" height="[^"]+" fill="([^"]+)"/g)];
    expect(cells).toHaveLength(names.length ** 2);
    for (const c of cells) {
      const r = cm.r[Number(c[1])]![Number(c[2])]!;
      expect(Number(c[3])).toBe(r);
      expect(c[5]).toBe(correlationColor(r));
    }
  });

  test('row and column labels for every feature, colour bar with ticks and title', () => {
    const rowsL = f.texts.filter((t) => t.cls === 'row-label');
    const cols = f.texts.filter((t) => t.cls === 'col-label');
    expect(rowsL).toHaveLength(names.length);
    expect(cols).toHaveLength(names.length);
    expect(cols.every((t) => t.rotated)).toBe(true);
    rowsL.forEach((t, i) => {
      const full = names[i]!;
      if (t.text !== full) expect(t.text).toContain('\u2026');
    });
    expect(f.texts.filter((t) => t.cls === 'tick-label').map((t) => t.text)).toEqual(['\u22121.0', '\u22120.5', '0.0', '0.5', '1.0']);
    expect(f.texts.some((t) => t.text === 'Spearman r')).toBe(true);
  });

  if (width === 'double') {
    test('values printed in the cells when they fit', () => {
      const vals = f.texts.filter((t) => t.cls === 'cell-value');
      expect(vals).toHaveLength(names.length ** 2);
      expect(vals[1]!.text).toBe(cm.r[0]![1]!.toFixed(2).replace('-', '\u2212'));
    });
  }
});

test('too many features for the width is an error, not an unreadable figure', () => {
  const many = Object.fromEntries(Array.from({ length: 60 }, (_, j) => [`f${j}`, Float64Array.from(s.features[names[j % 9]!]!, (v, i) => v + 0.01 * ((i * (j + 1)) % 7))]));
  expect(() => heatmapFigureSvg(correlationMatrix(many), { width: 'single' })).toThrow(/do not fit/);
});
