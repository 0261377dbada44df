import * as fs from 'node:fs';
import * as path from 'node:path';
import * as csvIo from '../../src/io/csv';
import { analysis as cliAnalysis } from '../../src/cli/stats/roc';
import { analysis as logisticCli } from '../../src/cli/stats/logistic';
import { analysis as kmCli } from '../../src/cli/stats/km';
import { analysis as svmCli } from '../../src/cli/stats/svm';
import { analysis as table1Cli } from '../../src/cli/stats/table1';
import { analysis as hlCli } from '../../src/cli/stats/hl';
import { analysis as delongCli } from '../../src/cli/stats/delong';
import { analysis as metricsCli } from '../../src/cli/stats/metrics';
import { Random } from '../../src/random';
import { isRadnomoError } from '../../src/errors';
import { bootstrapIndices } from '../../stats/bootstrap';
import { ciAucDelong, delongVariance } from '../../stats/delong';
import { bootstrapAucReplicates, ciAucBootstrap, coordsAt, roc, rocFromGroups, rocThresholds, youdenBest } from '../../stats/roc';
import { Worst, dataset, golden, maxRelErr } from './roc-golden';

interface RocCase {
  dataset: string;
  predictor: string;
  direction_arg: 'auto' | '<' | '>';
  direction: '<' | '>';
  ncontrols: number;
  ncases: number;
  thresholds: number[];
  sensitivities: number[];
  specificities: number[];
  auc: number;
  var_delong: number;
  ci_delong: [number, number, number];
  best_youden: { threshold: number[]; sensitivity: number[]; specificity: number[] };
}
interface BootCase {
  predictor: string;
  auc: number;
  boot_n: number;
  repeats: number;
  mean: [number, number, number];
  sd: [number, number, number];
  big_boot_n: number;
  big: [number, number, number];
}
const G = golden<{ cases: RocCase[]; bootstrap: BootCase[] }>('roc.json');
const worst = new Worst();
afterAll(() => worst.print('stats/roc'));

function curveOf(c: { dataset: string; predictor: string }, direction: 'auto' | '<' | '>' = 'auto') {
  const d = dataset(c.dataset);
  return roc(d.outcome, d.col(c.predictor), { direction, predictorName: c.predictor });
}

describe('roc() against pROC::roc (aSAH, simulated ties, adjacent doubles)', () => {
  for (const c of G.cases) {
    const label = `${c.dataset}:${c.predictor} direction=${c.direction_arg}`;
    test(`${label}: direction, thresholds, sensitivities, specificities bit for bit; AUC`, () => {
      const r = curveOf(c, c.direction_arg);
      expect(r.direction).toBe(c.direction);
      expect(r.controls.length).toBe(c.ncontrols);
      expect(r.cases.length).toBe(c.ncases);
      expect(Array.from(r.thresholds)).toEqual(c.thresholds);
      expect(Array.from(r.sensitivities)).toEqual(c.sensitivities);
      expect(Array.from(r.specificities)).toEqual(c.specificities);
      const e = maxRelErr([r.auc], [c.auc]);
      worst.note('auc', e);
      expect(e).toBeLessThan(1e-14);
    });
    test(`${label}: Youden best = coords(roc, "best") — every tied point, in pROC's order`, () => {
      const best = youdenBest(curveOf(c, c.direction_arg));
      expect(best.map((b) => b.threshold)).toEqual(c.best_youden.threshold);
      expect(best.map((b) => b.sensitivity)).toEqual(c.best_youden.sensitivity);
      expect(best.map((b) => b.specificity)).toEqual(c.best_youden.specificity);
    });
    test(`${label}: DeLong variance and ci.auc(method = "delong")`, () => {
      const r = curveOf(c, c.direction_arg);
      const v = delongVariance(r);
      const ev = maxRelErr([v.variance], [c.var_delong]);
      const ci = ciAucDelong(r, 0.95);
      const ec = maxRelErr([ci.lower, ci.auc, ci.upper], c.ci_delong);
      worst.note('DeLong var', ev);
      worst.note('DeLong CI', ec);
      expect(ev).toBeLessThan(1e-12);
      expect(ec).toBeLessThan(1e-12);
    });
  }

  test('the tied Youden optimum is reported in full (3 points on sim_ties:A), not just the first', () => {
    const c = G.cases.find((x) => x.dataset === 'sim_ties' && x.predictor === 'A')!;
    expect(c.best_youden.threshold.length).toBe(3);
    expect(youdenBest(curveOf(c)).length).toBe(3);
  });

  test('near-tie thresholds: midpoints that round onto a data value move to the side pROC moves them', () => {
    const e = Number.EPSILON;
    const u = [1, 1 + e, 1 + 2 * e];
    expect(Array.from(rocThresholds(u, '<'))).toEqual([-Infinity, 1 + e, 1 + 2 * e, Infinity]);
    expect(Array.from(rocThresholds(u, '>'))).toEqual([-Infinity, 1, 1 + e, Infinity]);
    // huge values: a/2 + b/2 instead of overflowing (a+b)/2
    expect(Array.from(rocThresholds([1e308, 1.5e308], '<'))).toEqual([-Infinity, 1.25e308, Infinity]);
  });

  test('coordsAt(threshold) counts as pROC: ">=" for "<", "<=" for ">"', () => {
    const r = rocFromGroups(Float64Array.from([1, 2, 3]), Float64Array.from([3, 4, 5]), '<');
    expect(coordsAt(r, 3)).toMatchObject({ tp: 3, fp: 1, sensitivity: 1, specificity: 2 / 3 });
    const s = rocFromGroups(Float64Array.from([3, 4, 5]), Float64Array.from([1, 2, 3]), '>');
    expect(coordsAt(s, 3)).toMatchObject({ tp: 3, fp: 1, sensitivity: 1, specificity: 2 / 3 });
    // AUC with one tie (3 vs 3) counted 1/2: (9 - 1 + 0.5) / 9
    expect(r.auc).toBe(8.5 / 3 / 3);
    expect(s.auc).toBe(8.5 / 3 / 3);
  });
});

describe('bad input', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return isRadnomoError(e) ? `${e.code}: ${e.message}` : 'not a RadnomoError';
    }
    return 'no error';
  };
  test('non-binary outcome, one class, NaN, unequal lengths are RadnomoErrors naming the problem', () => {
    expect(code(() => roc([0, 1, 2], [1, 2, 3]))).toMatch(/E_COLUMN.*row 3 holds 2/);
    expect(code(() => roc([1, 1, 1], [1, 2, 3]))).toMatch(/E_DATA.*no control/);
    expect(code(() => roc([0, 0], [1, 2]))).toMatch(/E_DATA.*no case/);
    expect(code(() => roc([0, 1], [1, NaN], { predictorName: 'rad' }))).toMatch(/E_VALUE.*"rad" row 2/);
    expect(code(() => roc([0, 1, 1], [1, 2]))).toMatch(/E_DATA.*3 values.*2/);
    expect(code(() => ciAucDelong(roc([0, 1, 1], [1, 2, 3])))).toMatch(/E_DATA.*at least 2 cases and 2 controls/);
  });
  test('a constant predictor gives AUC 0.5 with a warning; perfect separation warns', () => {
    const r = roc([0, 0, 1, 1], [2, 2, 2, 2]);
    expect(r.auc).toBe(0.5);
    expect(r.warnings.join(' ')).toMatch(/constant/);
    expect(roc([0, 0, 1, 1], [1, 2, 3, 4]).warnings.join(' ')).toMatch(/perfectly/);
  });
});

describe('stratified bootstrap CI (ci.auc(method = "bootstrap", boot.n = 2000, boot.stratified = TRUE))', () => {
  // Monte Carlo tolerance: roc.R ran pROC's 2000-replicate CI 25 times with different seeds and
  // recorded the mean and SD (sd_R) of each end point. Our 2000-replicate end point and R's mean of
  // 25 differ by MC error only, with SD sqrt(sd_R^2 + sd_R^2/25) (same procedure, so same MC SD);
  // we allow 4 such SDs (two-sided p ~ 6e-5 per end point). Against R's single 40000-replicate
  // run, both MC SDs shrink by sqrt(2000/B) and we allow 4 SDs of the difference likewise.
  for (const b of G.bootstrap) {
    const [dsName, pred] = b.predictor.split(':') as [string, string];
    const curve = curveOf({ dataset: dsName, predictor: pred });
    test(`${b.predictor}: 2000 replicates agree with pROC within 4 Monte Carlo SDs`, () => {
      const ci = ciAucBootstrap(curve, new Random(12345), { bootN: 2000 });
      const got = [ci.lower, ci.median!, ci.upper];
      for (let k = 0; k < 3; k++) {
        const sd = b.sd[k]!;
        const tol = 4 * Math.sqrt(sd * sd + (sd * sd) / b.repeats);
        expect(Math.abs(got[k]! - b.mean[k]!)).toBeLessThan(tol);
      }
      expect(ci.dropped).toBe(0);
      expect(ci.auc).toBeCloseTo(b.auc, 14);
    });
    // The two tests below are heavy (40000 and 25 x 2000 replicates): on aSAH only, to keep the suite quick.
    if (b.predictor !== 'aSAH:s100b') continue;
    test(`${b.predictor}: 40000 replicates agree with pROC's 40000-replicate CI`, () => {
      const ci = ciAucBootstrap(curve, new Random(777), { bootN: b.big_boot_n });
      const got = [ci.lower, ci.median!, ci.upper];
      for (let k = 0; k < 3; k++) {
        const sdB = b.sd[k]! * Math.sqrt(b.boot_n / b.big_boot_n);
        expect(Math.abs(got[k]! - b.big[k]!)).toBeLessThan(4 * Math.SQRT2 * sdB);
      }
    });
    test(`${b.predictor}: our Monte Carlo SD of the end points matches pROC's (ratio within [0.5, 2])`, () => {
      const lo: number[] = [];
      const hi: number[] = [];
      for (let s = 0; s < 25; s++) {
        const ci = ciAucBootstrap(curve, new Random(5000 + s), { bootN: 2000 });
        lo.push(ci.lower);
        hi.push(ci.upper);
      }
      const sd = (v: number[]): number => {
        const mu = v.reduce((a, x) => a + x, 0) / v.length;
        return Math.sqrt(v.reduce((a, x) => a + (x - mu) ** 2, 0) / (v.length - 1));
      };
      for (const [ours, theirs] of [[sd(lo), b.sd[0]!], [sd(hi), b.sd[2]!]] as const) {
        expect(ours / theirs).toBeGreaterThan(0.5);
        expect(ours / theirs).toBeLessThan(2);
      }
    });
  }

  test('same seed, same CI (bit for bit); another seed, another CI', () => {
    const c = curveOf({ dataset: 'aSAH', predictor: 's100b' });
    const a = ciAucBootstrap(c, new Random(42));
    const b = ciAucBootstrap(c, new Random(42));
    const d = ciAucBootstrap(c, new Random(43));
    expect([b.lower, b.median, b.upper]).toEqual([a.lower, a.median, a.upper]);
    expect([d.lower, d.upper]).not.toEqual([a.lower, a.upper]);
  });

  test('each fast replicate AUC equals roc() on the resampled controls and cases (both directions, ties)', () => {
    for (const [ds, pred, dir] of [['sim_ties', 'B', '<'], ['sim_ties', 'C', '>'], ['aSAH', 'wfns', '<']] as const) {
      const c = curveOf({ dataset: ds, predictor: pred }, dir);
      const reps = bootstrapAucReplicates(c, new Random(9), 20);
      const rng = new Random(9);
      const n = c.controls.length;
      const total = n + c.cases.length;
      const strata = Float64Array.from({ length: total }, (_, i) => (i < n ? 0 : 1));
      for (let r = 0; r < 20; r++) {
        const idx = bootstrapIndices(total, rng, strata);
        const all = [...c.controls, ...c.cases];
        const ctl = Float64Array.from(idx.subarray(0, n), (i) => all[i]!);
        const cas = Float64Array.from(idx.subarray(n), (i) => all[i]!);
        expect(reps[r]).toBeCloseTo(rocFromGroups(ctl, cas, dir).auc, 14);
      }
    }
  });

  test('non-stratified bootstrap runs and stays near the stratified one', () => {
    const c = curveOf({ dataset: 'aSAH', predictor: 's100b' });
    const ns = ciAucBootstrap(c, new Random(1), { stratified: false });
    const st = ciAucBootstrap(c, new Random(1));
    expect(ns.method).toMatch(/^bootstrap percentile/);
    expect(Math.abs(ns.lower - st.lower)).toBeLessThan(0.03);
    expect(Math.abs(ns.upper - st.upper)).toBeLessThan(0.03);
  });
});

describe('radnomo stats roc (CLI analysis)', () => {
  const cli = () => cliAnalysis;
  const csv = () => csvIo;
  const table = () => csv().readCsv(path.join(__dirname, '..', '..', 'fixtures', 'aSAH.csv'));

  test('aSAH s100b, DeLong: JSON equals pROC golden', () => {
    const g = G.cases.find((c) => c.dataset === 'aSAH' && c.predictor === 's100b' && c.direction_arg === 'auto')!;
    const { json, text } = cli().run(table(), { outcome: 'outcome', predictor: 's100b' });
    expect(json).toMatchObject({ direction: '<', cases: 41, controls: 72, dropped_missing: 0, ci_method: 'DeLong' });
    expect(json.auc as number).toBeCloseTo(g.auc, 14);
    const ci = json.ci as [number, number];
    expect(maxRelErr(ci, [g.ci_delong[0], g.ci_delong[2]])).toBeLessThan(1e-12);
    expect(json.youden).toEqual({ threshold: g.best_youden.threshold[0], sensitivity: g.best_youden.sensitivity[0], specificity: g.best_youden.specificity[0] });
    expect(text).toMatch(/AUC\s+0\.7314\s+0\.6301 - 0\.8326 \(DeLong\)/);
  });

  test('bootstrap CI option: seeded, within Monte Carlo error of pROC, same seed same JSON', () => {
    const b = G.bootstrap[0]!;
    const opts = { outcome: 'outcome', predictor: 's100b', ci: 'bootstrap', boot: '2000', seed: '11' };
    const a = cli().run(table(), opts).json;
    expect(cli().run(table(), opts).json).toEqual(a);
    const ci = a.ci as [number, number];
    for (const [k, j] of [[0, 0], [1, 2]] as const) {
      const sd = b.sd[j]!;
      expect(Math.abs(ci[k] - b.mean[j]!)).toBeLessThan(4 * Math.sqrt(sd * sd + (sd * sd) / b.repeats));
    }
    expect(a.ci_method).toMatch(/stratified bootstrap percentile \(2000 replicates\), seed 11/);
  });

  test('ties for the best Youden index: first in "youden", all in "youden_all", with a warning', () => {
    const t = csv().readCsv(path.join(__dirname, '..', '..', 'fixtures', 'sim_ties.csv'));
    const { json } = cli().run(t, { outcome: 'y', predictor: 'A' });
    expect((json.youden_all as unknown[]).length).toBe(3);
    expect((json.youden as { threshold: number }).threshold).toBe(0.45);
    expect((json.warnings as string[]).join(' ')).toMatch(/3 thresholds tie/);
  });

  test('missing cells are dropped and counted; bad input names the column', () => {
    const t = csv().parseCsv('y,x\n0,1\n0,2\n1,NA\n1,3\n,4\n1,5\n0,0.5\n', 'mini.csv');
    const { json } = cli().run(t, { outcome: 'y', predictor: 'x' });
    expect(json).toMatchObject({ n: 5, dropped_missing: 2, cases: 2, controls: 3 });
    expect(json.auc).toBe(1);
    expect(() => cli().run(t, { outcome: 'y', predictor: 'nope' })).toThrow(/no column "nope"/);
    const bad = csv().parseCsv('y,x\n0,1\n2,2\n1,3\n', 'bad.csv');
    expect(() => cli().run(bad, { outcome: 'y', predictor: 'x' })).toThrow(/bad\.csv: outcome column "y" holds 3 values \("0", "1", "2"\); name the control and the case with --levels/);
    expect(() => cli().run(t, { outcome: 'y', predictor: 'x', direction: 'up' })).toThrow(/--direction/);
    expect(() => cli().run(t, { outcome: 'y', predictor: 'x', ci: 'wald' })).toThrow(/--ci must be delong or bootstrap/);
  });
});

describe('outcome levels as pROC reads them (roc_levels.R)', () => {
  type One = { control: string; case: string; direction: string; auc: number; ci: [number, number]; n_controls: number; n_cases: number };
  const g = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'reference', 'roc_levels.json'), 'utf8')) as Record<string, One> & {
    delong_grade12: { z: number; p: number };
    delong_three_mid_high: { z: number; p: number };
  };
  const t = () => csvIo.readCsv(path.join(__dirname, '..', '..', 'fixtures', 'roc_levels.csv'));
  const check = (key: string, opts: Record<string, string>): void => {
    const e = g[key]!;
    const { json, text } = cliAnalysis.run(t(), opts);
    expect(json).toMatchObject({ levels: { control: e.control, case: e.case }, direction: e.direction, cases: e.n_cases, controls: e.n_controls });
    expect(maxRelErr([json.auc as number, ...(json.ci as number[])], [e.auc, ...e.ci])).toBeLessThan(1e-12);
    expect(text).toContain(`${e.n_cases} cases (${e.case}), ${e.n_controls} controls (${e.control})`);
  };

  test('default levels: 1/2 gives control 1; text and TRUE/FALSE sort as R sorts factor levels', () => {
    check('grade12_A', { outcome: 'grade12', predictor: 'A' });
    check('grade12_B', { outcome: 'grade12', predictor: 'B' });
    check('histo_A', { outcome: 'histo', predictor: 'A' });
    expect([g.flag_A!.control, g.flag_A!.case]).toEqual(['FALSE', 'TRUE']);
    check('flag_A', { outcome: 'flag', predictor: 'A' });
  });

  test('--levels: reversed levels, and a third value left out with a warning', () => {
    check('histo_reversed_A', { outcome: 'histo', predictor: 'A', levels: 'malignant,benign' });
    check('three_mid_high_A', { outcome: 'three', predictor: 'A', levels: 'mid,high' });
    const { json } = cliAnalysis.run(t(), { outcome: 'three', predictor: 'A', levels: 'mid,high' });
    const low = t().columns.get('three')!.filter((v) => v === 'low').length;
    expect((json.warnings as string[]).join(' ')).toContain(`${low} row(s) whose three is neither mid (control) nor high (case) left out.`);
    // numbers compare by value, as read.csv makes them: "2.0" names the level 2
    check('grade12_A', { outcome: 'grade12', predictor: 'A', levels: '1,2.0' });
  });

  test('delong and metrics take the same levels', () => {
    const d = delongCli.run(t(), { outcome: 'grade12', predictors: 'A,B' }).json as { pairs: Array<{ z: number; p: number }>; levels: unknown };
    expect(d.levels).toEqual({ control: '1', case: '2' });
    expect(maxRelErr([d.pairs[0]!.z, d.pairs[0]!.p], [g.delong_grade12.z, g.delong_grade12.p])).toBeLessThan(1e-10);
    const d3 = delongCli.run(t(), { outcome: 'three', predictors: 'A,B', levels: 'mid,high' }).json as { pairs: Array<{ z: number; p: number }> };
    expect(maxRelErr([d3.pairs[0]!.z, d3.pairs[0]!.p], [g.delong_three_mid_high.z, g.delong_three_mid_high.p])).toBeLessThan(1e-10);
    // metrics on 1/2 coding equal metrics on the same outcome written 0/1
    const cols = t().columns;
    const a = cols.get('A')!;
    const recoded = csvIo.parseCsv(['y,A', ...cols.get('grade12')!.map((v, i) => `${Number(v) - 1},${a[i]}`)].join('\n') + '\n', 'recoded.csv');
    const m12 = metricsCli.run(t(), { outcome: 'grade12', predictor: 'A', threshold: '0.3', boot: '200' }).json;
    const m01 = metricsCli.run(recoded, { outcome: 'y', predictor: 'A', threshold: '0.3', boot: '200' }).json;
    expect(m12.metrics).toEqual(m01.metrics);
    expect(m12.levels).toEqual({ control: '1', case: '2' });
  });

  test('bad levels: one value, a value no row holds, a malformed --levels', () => {
    const one = csvIo.parseCsv('y,x\n1,1\n1,2\n', 'one.csv');
    expect(() => cliAnalysis.run(one, { outcome: 'y', predictor: 'x' })).toThrow(/one\.csv: outcome column "y" holds only "1" in the 2 usable rows/);
    expect(() => cliAnalysis.run(t(), { outcome: 'histo', predictor: 'A', levels: 'benign,malign' })).toThrow(/no usable row holding "malign", the case value --levels names/);
    expect(() => cliAnalysis.run(t(), { outcome: 'histo', predictor: 'A', levels: 'benign' })).toThrow(/--levels must be two different values/);
    expect(() => cliAnalysis.run(t(), { outcome: 'histo', predictor: 'A', levels: 'benign,benign' })).toThrow(/--levels must be two different values/);
  });
});

describe('stats commands say why no row is usable', () => {
  test('no data rows, a column missing on every row, no row complete in all columns', () => {
    const header = csvIo.parseCsv('y,x\n', 'empty.csv');
    expect(() => cliAnalysis.run(header, { outcome: 'y', predictor: 'x' })).toThrow(/empty\.csv: the file has a header but no data rows/);
    const allNa = csvIo.parseCsv('y,x,z\n0,NA,1\n1,,2\n0,NA,3\n', 'na.csv');
    expect(() => cliAnalysis.run(allNa, { outcome: 'y', predictor: 'x' })).toThrow(/na\.csv: column "x" is missing on all 3 rows/);
    const disjoint = csvIo.parseCsv('y,a,b\n0,1,\n1,,2\n0,3,\n', 'disjoint.csv');
    expect(() => logisticCli.run(disjoint, { outcome: 'y', predictors: 'a,b' })).toThrow(/no row has values in all of "y", "a", "b"/);
  });
});

describe('stats commands name what is wrong', () => {
  test('a repeated column, a negative survival time (CSV row), a constant SVM predictor by name, too few bootstrap replicates', () => {
    const d = csvIo.parseCsv('y,a,b,c,time,event\n0,1,5,2,3,1\n1,2,5,1,-1.5,0\n0,3,5,4,2,1\n1,4,5,3,5,1\n0,1.5,5,2.5,4,0\n1,3.5,5,3.5,6,1\n', 'd.csv');
    expect(() => svmCli.run(d, { outcome: 'y', predictors: 'a,a' })).toThrow(/--predictors lists "a" twice/);
    expect(() => table1Cli.run(d, { group: 'y', vars: 'a,a' })).toThrow(/--vars lists "a" twice/);
    expect(() => kmCli.run(d, { time: 'time', event: 'event' })).toThrow(/d\.csv: column "time" row 3 holds -1\.5; survival times must not be negative/);
    const s = svmCli.run(d, { outcome: 'y', predictors: 'a,b,c' });
    expect((s.json.warnings as string[]).join(' ')).toMatch(/predictor\(s\) "b" are constant/);
    const pr = csvIo.parseCsv('y,p\n0,0.2\n1,1.3\n', 'p.csv');
    expect(() => hlCli.run(pr, { outcome: 'y', prob: 'p' })).toThrow(/p\.csv: column "p" row 3 holds 1\.3; probabilities must lie in \[0, 1\]/);
    const r = cliAnalysis.run(d, { outcome: 'y', predictor: 'a', ci: 'bootstrap', boot: '5' });
    expect((r.json.warnings as string[]).join(' ')).toMatch(/only 5 bootstrap replicate\(s\)/);
  });
});
