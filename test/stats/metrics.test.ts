import * as path from 'node:path';
import * as csvIo from '../../src/io/csv';
import { analysis as cliAnalysis } from '../../src/cli/stats/metrics';
import { isRadnomoError } from '../../src/errors';
import {
  averagePrecision,
  classificationMetrics,
  clopperPearson,
  confusionAt,
  mcc,
  proportionCi,
  wilson,
  type ClassificationMetrics,
  type MetricEstimate,
} from '../../stats/metrics';
import { Worst, dataset, golden, maxRelErr } from './roc-golden';

interface Prop { x: number; n: number; estimate: number; clopper_pearson: [number, number]; wilson: [number, number] }
interface BootSummary { mean: [number, number]; sd: [number, number]; big: [number, number] }
interface MetricsCase {
  dataset: string; predictor: string; threshold: number; direction_arg: 'auto' | '<' | '>'; direction: '<' | '>';
  tp: number; fp: number; tn: number; fn: number;
  pROC_coords: { sensitivity: number; specificity: number; accuracy: number; ppv: number; npv: number };
  proportions: Record<'accuracy' | 'sensitivity' | 'specificity' | 'ppv' | 'npv', Prop>;
  f1: number; mcc: number; balanced_accuracy: number; auprc: number;
  bootstrap: { boot_n: number; repeats: number; big_boot_n: number } & Record<'f1' | 'mcc' | 'balanced_accuracy' | 'auprc', BootSummary>;
}
const G = golden<{ cases: MetricsCase[] }>('metrics.json');
const worst = new Worst();
afterAll(() => worst.print('stats/metrics'));

const BOOT_KEYS = [
  ['f1', 'f1'],
  ['mcc', 'mcc'],
  ['balanced_accuracy', 'balancedAccuracy'],
  ['auprc', 'auprc'],
] as const;

describe('metrics at a cut-off against base R (binom.test, prop.test) and pROC::coords', () => {
  for (const c of G.cases) {
    const label = `${c.dataset}:${c.predictor} at ${c.threshold} (${c.direction})`;
    const d = dataset(c.dataset);
    const run = (ciMethod: 'clopper-pearson' | 'wilson', seed = 1, bootN = 2000): ClassificationMetrics =>
      classificationMetrics(d.outcome, d.col(c.predictor), c.threshold, { direction: c.direction_arg, ciMethod, seed, bootN, predictorName: c.predictor });

    test(`${label}: counts, point estimates, Clopper–Pearson and Wilson CIs`, () => {
      const cp = run('clopper-pearson', 1, 50);
      const wi = run('wilson', 1, 50);
      expect(cp.direction).toBe(c.direction);
      expect(cp.counts).toEqual({ tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn });
      for (const k of ['accuracy', 'sensitivity', 'specificity', 'ppv', 'npv'] as const) {
        const g = c.proportions[k];
        const a: MetricEstimate = cp[k];
        const b: MetricEstimate = wi[k];
        expect([a.x, a.n]).toEqual([g.x, g.n]);
        expect(a.estimate).toBe(g.estimate);
        expect(a.estimate).toBeCloseTo(c.pROC_coords[k], 15);
        const eCp = maxRelErr([a.lower, a.upper], g.clopper_pearson);
        const eW = maxRelErr([b.lower, b.upper], g.wilson);
        worst.note('Clopper-Pearson', eCp);
        worst.note('Wilson', eW);
        expect(eCp).toBeLessThan(1e-12);
        expect(eW).toBeLessThan(1e-14);
        expect(a.method).toMatch(/Clopper-Pearson/);
        expect(b.method).toMatch(/Wilson/);
      }
      const e = maxRelErr([cp.f1.estimate, cp.mcc.estimate, cp.balancedAccuracy.estimate, cp.auprc.estimate], [c.f1, c.mcc, c.balanced_accuracy, c.auprc]);
      worst.note('F1, MCC, BA, AUPRC', e);
      expect(e).toBeLessThan(1e-14);
    });

    // Monte Carlo tolerance, as for the AUC: metrics.R ran the 2000-replicate stratified bootstrap
    // 25 times (R's RNG) and recorded each end point's mean and SD (sd_R). Ours differs from R's
    // mean by MC error with SD sqrt(sd_R^2 + sd_R^2/25); we allow 4 SDs. F1/MCC/BA/AUPRC are step
    // functions of counts, so sd_R is floored at 1/(2n) (half the smallest possible step).
    test(`${label}: bootstrap CIs of F1, MCC, balanced accuracy, AUPRC agree with R within 4 Monte Carlo SDs`, () => {
      const r = run('clopper-pearson', 2024);
      const floor = 1 / (2 * d.outcome.length);
      for (const [gk, tk] of BOOT_KEYS) {
        const g = c.bootstrap[gk];
        const m: MetricEstimate = r[tk];
        expect(m.method).toMatch(/stratified bootstrap percentile \(2000 replicates, seed 2024\)/);
        const got = [m.lower, m.upper];
        for (let k = 0; k < 2; k++) {
          const sd = Math.max(g.sd[k]!, floor);
          const tol = 4 * Math.sqrt(sd * sd + (sd * sd) / c.bootstrap.repeats);
          expect(Math.abs(got[k]! - g.mean[k]!)).toBeLessThan(tol);
        }
      }
    });
  }

  test('same seed, same bootstrap CIs; another seed, others', () => {
    const d = dataset('aSAH');
    const a = classificationMetrics(d.outcome, d.col('s100b'), 0.205, { seed: 7 });
    const b = classificationMetrics(d.outcome, d.col('s100b'), 0.205, { seed: 7 });
    const c = classificationMetrics(d.outcome, d.col('s100b'), 0.205, { seed: 8 });
    expect(b).toEqual(a);
    expect([c.mcc.lower, c.mcc.upper, c.auprc.lower]).not.toEqual([a.mcc.lower, a.mcc.upper, a.auprc.lower]);
  });
});

describe('binomial CIs: closed forms and edge cases', () => {
  test('Clopper–Pearson: x = 0 and x = n have closed forms 1-(α/2)^(1/n) and (α/2)^(1/n)', () => {
    const n = 20;
    expect(clopperPearson(0, n).lower).toBe(0);
    expect(clopperPearson(0, n).upper).toBeCloseTo(1 - 0.025 ** (1 / n), 13);
    expect(clopperPearson(n, n).upper).toBe(1);
    expect(clopperPearson(n, n).lower).toBeCloseTo(0.025 ** (1 / n), 13);
  });
  test('Wilson: closed form at x = n/2, bounds clipped at 0 and 1', () => {
    const z = 1.959963984540054;
    const n = 50;
    const half = (z / (2 * n)) * Math.sqrt(n + z * z) / (1 + (z * z) / n);
    const w = wilson(25, n);
    expect(w.lower).toBeCloseTo(0.5 - half, 12);
    expect(w.upper).toBeCloseTo(0.5 + half, 12);
    expect(wilson(0, 10).lower).toBe(0);
    expect(wilson(10, 10).upper).toBe(1);
  });
  test('bad counts and methods are RadnomoErrors', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return isRadnomoError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => clopperPearson(3, 2))).toBe('E_VALUE');
    expect(code(() => proportionCi(1, 2, 'exact' as never))).toBe('E_PARAMS');
    expect(code(() => classificationMetrics([0, 1, 2], [1, 2, 3], 2))).toBe('E_COLUMN');
    expect(code(() => classificationMetrics([0, 1], [1, 2], NaN))).toBe('E_PARAMS');
  });
});

describe('definitions', () => {
  test('average precision by hand: scores 4,3,3,1 with labels 1,0,1,0 → (1/2)(1) + (1/2)(2/3)', () => {
    expect(averagePrecision([1, 0, 1, 0], [4, 3, 3, 1], '<')).toBeCloseTo(0.5 + (0.5 * 2) / 3, 15);
    // direction ">" reverses the ranking: same as negated scores with "<"
    expect(averagePrecision([1, 0, 1, 0], [-4, -3, -3, -1], '>')).toBeCloseTo(0.5 + (0.5 * 2) / 3, 15);
  });
  test('MCC is 0 when a margin is empty; undefined PPV is NaN with a warning', () => {
    expect(mcc({ tp: 0, fp: 0, tn: 5, fn: 5 })).toBe(0);
    const r = classificationMetrics([0, 0, 1, 1], [1, 2, 3, 4], 10, { bootN: 20 });
    expect(r.counts).toEqual({ tp: 0, fp: 0, tn: 2, fn: 2 });
    expect(Number.isNaN(r.ppv.estimate)).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/PPV is undefined/);
    expect(r.mcc.estimate).toBe(0);
  });
  test('a bootstrap CI that collapses to one value is flagged; a real interval is not', () => {
    // one case and one control: every stratified resample is the original data
    const two = classificationMetrics([0, 1], [1, 2], 1.5, { bootN: 200 });
    expect(two.f1.lower).toBe(two.f1.upper);
    for (const label of ['F1', 'MCC', 'balanced accuracy', 'AUPRC']) {
      expect(two.warnings.join(' ')).toContain(`the bootstrap CI of ${label} is the single value`);
    }
    const y = Array.from({ length: 60 }, (_, i) => i % 2);
    const x = y.map((v, i) => v + ((i * 7) % 11) / 5);
    const wide = classificationMetrics(y, x, 1, { bootN: 200 });
    expect(wide.f1.lower).toBeLessThan(wide.f1.upper);
    expect(wide.warnings.join(' ')).not.toMatch(/single value/);
    // one replicate (the paper tables' setting) cannot vary: no warning
    expect(classificationMetrics([0, 1], [1, 2], 1.5, { bootN: 1 }).warnings.join(' ')).not.toMatch(/single value/);
  });
  test('confusionAt uses >= for "<" and <= for ">"', () => {
    expect(confusionAt([0, 1, 1], [2, 2, 3], 2, '<')).toEqual({ tp: 2, fp: 1, tn: 0, fn: 0 });
    expect(confusionAt([0, 1, 1], [2, 2, 3], 2, '>')).toEqual({ tp: 1, fp: 1, tn: 0, fn: 1 });
  });
});

describe('radnomo stats metrics (CLI analysis)', () => {
  const cli = () => cliAnalysis;
  const csv = () => csvIo;

  test('aSAH s100b at 0.205: every metric with estimate, lower, upper and method', () => {
    const g = G.cases[0]!;
    const t = csv().readCsv(path.join(__dirname, '..', '..', 'fixtures', 'aSAH.csv'));
    const { json, text } = cli().run(t, { outcome: 'outcome', predictor: 's100b', threshold: '0.205', ciMethod: 'wilson', boot: '500', seed: '3' });
    const m = json.metrics as Record<string, { estimate: number; lower: number; upper: number; method: string }>;
    expect(Object.keys(m)).toEqual(['accuracy', 'sensitivity', 'specificity', 'ppv', 'npv', 'f1', 'mcc', 'balanced_accuracy', 'auprc']);
    expect(json.counts).toEqual({ tp: g.tp, fp: g.fp, tn: g.tn, fn: g.fn });
    for (const k of ['accuracy', 'sensitivity', 'specificity', 'ppv', 'npv'] as const) {
      expect(maxRelErr([m[k]!.lower, m[k]!.upper], g.proportions[k].wilson)).toBeLessThan(1e-14);
      expect(m[k]!.method).toMatch(/Wilson/);
    }
    expect(m.mcc!.estimate).toBeCloseTo(g.mcc, 14);
    expect(m.auprc!.method).toMatch(/stratified bootstrap percentile \(500 replicates, seed 3\)/);
    expect(text).toMatch(/Sensitivity\s+0\.6341/);
  });

  test('default CI method is Clopper-Pearson; usage errors name the flag', () => {
    const t = csv().parseCsv('y,x\n0,1\n0,2\n1,3\n1,4\n', 'mini.csv');
    const { json } = cli().run(t, { outcome: 'y', predictor: 'x', threshold: '3', boot: '50' });
    expect((json.metrics as Record<string, { method: string }>).sensitivity!.method).toMatch(/Clopper-Pearson/);
    expect(() => cli().run(t, { outcome: 'y', predictor: 'x' })).toThrow(/--threshold is required/);
    expect(() => cli().run(t, { outcome: 'y', predictor: 'x', threshold: 'abc' })).toThrow(/--threshold must be a number/);
    expect(() => cli().run(t, { outcome: 'y', predictor: 'x', threshold: '1', ciMethod: 'exact' })).toThrow(/--ci-method/);
  });
});
