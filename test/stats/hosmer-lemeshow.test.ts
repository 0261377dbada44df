import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn } from '../../src/io/csv';
import { hosmerLemeshow, quantileType7, seqBy } from '../../stats/hosmer-lemeshow';
import { fitLogistic } from '../../stats/logistic';
import { analysis } from '../../src/cli/stats/hl';

const FIX = path.join(__dirname, '..', '..', 'fixtures');
interface HlGolden { g: number; statistic: number; df: number; p: number; breaks: number[]; n: number[]; observed1: number[]; expected1: number[] }
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'calibration.json'), 'utf8')) as { cases: Array<{ name: string; hl10: HlGolden; hl5: HlGolden }> };

function input(name: string): { p: Float64Array; y: Float64Array } {
  if (name === 'aSAH_apparent') {
    const t = readCsv(path.join(FIX, 'aSAH.csv'));
    const y = numericColumn(t, 'outcome');
    return { p: fitLogistic(y, ['s100b', 'ndka', 'age'].map((n) => ({ name: n, values: numericColumn(t, n) }))).model.fitted, y };
  }
  const t = readCsv(path.join(FIX, 'sim_logistic.csv'));
  const y = numericColumn(t, 'y');
  const p = numericColumn(t, name.replace(/^sim_/, '').replace(/_validation$/, ''));
  return name.endsWith('_validation') ? { p: p.slice(200), y: y.slice(200) } : { p, y };
}

let worst = 0;
function close(a: number, b: number, rel: number, label: string): void {
  const err = Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  worst = Math.max(worst, err);
  if (!(err <= rel)) throw new Error(`${label}: got ${a}, R ${b} (relative error ${err.toExponential(2)} > ${rel})`);
}
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`hosmer-lemeshow: worst relative error against R = ${worst.toExponential(2)}`);
});

describe('Hosmer-Lemeshow matches hoslem.test', () => {
  for (const c of golden.cases) {
    for (const key of ['hl10', 'hl5'] as const) {
      test(`${c.name}, g = ${c[key].g}`, () => {
        const g = c[key];
        const { p, y } = input(c.name);
        const r = hosmerLemeshow(y, p, g.g);
        // aSAH's probabilities come from our glm fit (~1e-12 from R's): quantile breaks agree to that.
        const tol = c.name === 'aSAH_apparent' ? 1e-9 : 1e-12;
        expect(r.groups.map((x) => x.lower).concat([r.groups[r.groups.length - 1]!.upper]).length).toBe(g.breaks.length);
        r.groups.forEach((x, k) => close(x.lower, g.breaks[k]!, tol, `break ${k}`));
        expect(r.groups.map((x) => x.n)).toEqual(g.n);
        expect(r.groups.map((x) => x.observed1)).toEqual(g.observed1);
        r.groups.forEach((x, k) => close(x.expected1, g.expected1[k]!, tol, `expected ${k}`));
        close(r.statistic, g.statistic, tol, 'statistic');
        expect(r.df).toBe(g.df);
        // R computes 1 - pchisq(); we use the upper tail directly (more accurate for tiny p).
        expect(Math.abs(r.p - g.p)).toBeLessThan(Math.max(1e-9 * g.p, 2e-16));
        if (g.df < g.g - 2) expect(r.warnings[0]).toMatch(/allowed only/);
        else expect(r.warnings).toEqual([]);
      });
    }
  }
  test('type-7 quantiles and seq(0, 1, 1/g) as R computes them', () => {
    expect(seqBy(0, 1, 0.1)[3]).toBe(0.30000000000000004);
    expect(seqBy(0, 1, 1 / 3)).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(quantileType7([1, 2, 3, 4], [0, 0.25, 0.5, 1])).toEqual([1, 1.75, 2.5, 4]);
  });
  test('bad input', () => {
    expect(() => hosmerLemeshow([0, 1, 0], [0.2, 0.5], 10)).toThrow(/2 probabilities but 3 outcomes/);
    expect(() => hosmerLemeshow([0, 1, 0], [0.2, 1.5, 0.1], 10)).toThrow(/row 2/);
    expect(() => hosmerLemeshow([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 10)).toThrow(/all predicted probabilities are equal/);
  });
});

describe('radnomo stats hl', () => {
  test('JSON statistic, df, p equal the golden', () => {
    const g = golden.cases.find((c) => c.name === 'sim_p_coarse')!.hl10;
    const out = analysis.run(readCsv(path.join(FIX, 'sim_logistic.csv')), { outcome: 'y', prob: 'p_coarse', groups: '10' });
    close(out.json.statistic as number, g.statistic, 1e-12, 'cli statistic');
    expect(out.json.df).toBe(g.df);
    expect((out.json.warnings as string[]).length).toBe(1);
    expect(out.text).toMatch(/X-squared/);
  });
});
