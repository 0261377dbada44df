import * as fs from 'node:fs';
import * as path from 'node:path';
import * as csvIo from '../../src/io/csv';
import { analysis as cliAnalysis } from '../../src/cli/stats/delong';
import { Random } from '../../src/random';
import { isRadnomoError } from '../../src/errors';
import { delongPaired, delongPairedCurves, delongPairwise, delongPlacements, delongUnpaired, delongVariance } from '../../stats/delong';
import { roc, rocFromGroups } from '../../stats/roc';
import { Worst, dataset, golden, maxRelErr } from './roc-golden';

interface Paired {
  dataset: string; a: string; b: string; direction_arg: 'auto' | '<' | '>';
  direction_a: string; direction_b: string; auc_a: number; auc_b: number;
  z: number; p: number; p_greater: number; conf_int: [number, number]; warnings: string[];
}
interface KMatrix { dataset: string; names: string[]; p: number[][]; z: number[][] }
interface Unpaired {
  dataset: string; predictor: string; split: string; g1: string; g2: string; direction_arg: 'auto' | '<' | '>';
  direction_a: string; direction_b: string; auc_a: number; auc_b: number; D: number; df: number; p: number; p_less: number;
}
interface Placements { dataset: string; predictor: string; direction: '<' | '>'; theta: number; X: number[]; Y: number[]; var: number }
const G = golden<{ paired: Paired[]; matrices: KMatrix[]; unpaired: Unpaired[]; placements: Placements[] }>('delong.json');
const worst = new Worst();
afterAll(() => worst.print('stats/delong'));

describe('DeLong placements (Sun & Xu mid-ranks) against pROC', () => {
  for (const c of G.placements) {
    test(`${c.dataset}:${c.predictor} direction ${c.direction}: theta, X, Y bit for bit; var()`, () => {
      const d = dataset(c.dataset);
      const r = roc(d.outcome, d.col(c.predictor), { direction: c.direction });
      const p = delongPlacements(r);
      expect(p.theta).toBe(c.theta);
      expect(Array.from(p.X)).toEqual(c.X);
      expect(Array.from(p.Y)).toEqual(c.Y);
      const e = maxRelErr([delongVariance(r).variance], [c.var]);
      worst.note('variance', e);
      expect(e).toBeLessThan(1e-12);
    });
  }

  test('equal to the O(n·m) Mann–Whitney kernel sums on random tied data, both directions (Y to rounding)', () => {
    const rng = new Random(3);
    for (let rep = 0; rep < 20; rep++) {
      const n = 1 + rng.int(30);
      const m = 1 + rng.int(30);
      const ctl = Float64Array.from({ length: n }, () => rng.int(6));
      const cas = Float64Array.from({ length: m }, () => rng.int(6) + rng.int(2));
      for (const dir of ['<', '>'] as const) {
        const p = delongPlacements(rocFromGroups(ctl, cas, dir));
        const k = (x: number, y: number): number => {
          const [a, b] = dir === '<' ? [x, y] : [y, x];
          return a > b ? 1 : a === b ? 0.5 : 0;
        };
        let sum = 0;
        const X = new Float64Array(m);
        const Y = new Float64Array(n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const v = k(cas[i]!, ctl[j]!);
            X[i] += v;
            Y[j] += v;
            sum += v;
          }
        }
        expect(Array.from(p.X)).toEqual(Array.from(X, (v) => v / n));
        // pROC's Y = 1 - count/m: equal to the kernel sum / m up to one rounding of 1 - (.)
        Y.forEach((v, j) => expect(Math.abs(p.Y[j]! - v / m)).toBeLessThanOrEqual(Number.EPSILON));
        expect(p.theta).toBe(sum / m / n);
      }
    }
  });
});

describe('paired DeLong test: roc.test(roc1, roc2, method = "delong")', () => {
  for (const c of G.paired) {
    test(`${c.dataset}: ${c.a} vs ${c.b} (direction ${c.direction_arg})`, () => {
      const d = dataset(c.dataset);
      const r = delongPaired(d.outcome, d.col(c.a), d.col(c.b), { direction: c.direction_arg, names: [c.a, c.b] });
      const g = delongPaired(d.outcome, d.col(c.a), d.col(c.b), { direction: c.direction_arg, alternative: 'greater' });
      expect(r.directionA).toBe(c.direction_a);
      expect(r.directionB).toBe(c.direction_b);
      const eAuc = maxRelErr([r.aucA, r.aucB], [c.auc_a, c.auc_b]);
      const eZ = maxRelErr([r.z], [c.z]);
      const eP = maxRelErr([r.p, g.p], [c.p, c.p_greater]);
      const eCi = maxRelErr(r.ci, c.conf_int);
      worst.note('AUC', eAuc);
      worst.note('paired z', eZ);
      worst.note('paired p', eP);
      worst.note('paired diff CI', eCi);
      expect(eAuc).toBeLessThan(1e-13);
      expect(eZ).toBeLessThan(1e-12);
      expect(eP).toBeLessThan(1e-11);
      expect(eCi).toBeLessThan(1e-12);
      const differ = c.warnings.some((w) => /different direction/.test(w));
      expect(r.warnings.some((w) => /different direction/.test(w))).toBe(differ);
    });
  }

  test('identical predictors: difference 0, SD 0, Z = 0 and p = 1 (pROC sets Z to 0)', () => {
    const d = dataset('aSAH');
    const r = delongPaired(d.outcome, d.col('s100b'), d.col('s100b'));
    expect(r.z).toBe(0);
    expect(r.p).toBe(1);
  });

  test('curves on different samples are refused', () => {
    const a = rocFromGroups(Float64Array.from([1, 2, 3]), Float64Array.from([2, 3, 4]));
    const b = rocFromGroups(Float64Array.from([1, 2]), Float64Array.from([2, 3, 4]));
    let err: unknown;
    try {
      delongPairedCurves(a, b);
    } catch (e) {
      err = e;
    }
    expect(isRadnomoError(err) && err.code === 'E_DATA' && /same cases and controls/.test(err.message)).toBe(true);
  });
});

describe('k-model matrix of pairwise paired DeLong p-values', () => {
  for (const c of G.matrices) {
    test(`${c.dataset}: ${c.names.join(', ')}`, () => {
      const d = dataset(c.dataset);
      const res = delongPairwise(d.outcome, c.names.map((name) => ({ name, values: d.col(name) })));
      expect(res.pairs.map((p) => `${p.a}-${p.b}`)).toEqual(
        c.names.flatMap((a, i) => c.names.slice(i + 1).map((b) => `${a}-${b}`)),
      );
      for (let i = 0; i < c.names.length; i++) {
        const e = maxRelErr(res.p[i]!, c.p[i]!);
        worst.note('matrix p', e);
        expect(e).toBeLessThan(1e-11);
      }
      for (const p of res.pairs) {
        const i = c.names.indexOf(p.a);
        const j = c.names.indexOf(p.b);
        expect(maxRelErr([p.z], [c.z[i]![j]!])).toBeLessThan(1e-12);
        expect(p.dropped).toBe(0);
      }
    });
  }

  test('rows missing in one predictor are dropped for the pairs that use it only', () => {
    const d = dataset('aSAH');
    const a = d.col('s100b');
    const b = Float64Array.from(d.col('ndka'));
    b[0] = NaN;
    b[5] = NaN;
    const res = delongPairwise(d.outcome, [{ name: 's100b', values: a }, { name: 'ndka', values: b }, { name: 'wfns', values: d.col('wfns') }]);
    expect(res.pairs.map((p) => p.dropped)).toEqual([2, 0, 2]);
    const keep = Array.from(d.outcome.keys()).filter((i) => i !== 0 && i !== 5);
    const direct = delongPaired(keep.map((i) => d.outcome[i]!), keep.map((i) => a[i]!), keep.map((i) => b[i]!));
    expect(res.pairs[0]!.p).toBe(direct.p);
  });
});

describe('unpaired DeLong test: roc.test(roc1, roc2, method = "delong", paired = FALSE)', () => {
  for (const c of G.unpaired) {
    test(`${c.dataset}: ${c.predictor} in ${c.split} ${c.g1} vs ${c.g2}: D, df, p`, () => {
      const d = dataset(c.dataset);
      const s = d.str(c.split);
      const x = d.col(c.predictor);
      const part = (g: string) => {
        const rows = s.flatMap((v, i) => (v === g ? [i] : []));
        return roc(rows.map((i) => d.outcome[i]!), rows.map((i) => x[i]!), { direction: c.direction_arg });
      };
      const r1 = part(c.g1);
      const r2 = part(c.g2);
      const t = delongUnpaired(r1, r2);
      const tl = delongUnpaired(r1, r2, { alternative: 'less' });
      const eD = maxRelErr([t.D, t.df], [c.D, c.df]);
      const eP = maxRelErr([t.p, tl.p], [c.p, c.p_less]);
      worst.note('unpaired D, df', eD);
      worst.note('unpaired p', eP);
      expect(r1.direction).toBe(c.direction_a);
      expect(r2.direction).toBe(c.direction_b);
      expect(maxRelErr([t.aucA, t.aucB], [c.auc_a, c.auc_b])).toBeLessThan(1e-13);
      expect(eD).toBeLessThan(1e-12);
      expect(eP).toBeLessThan(1e-11);
    });
  }
});

describe('radnomo stats delong (CLI analysis)', () => {
  const cli = () => cliAnalysis;
  const csv = () => csvIo;

  test('aSAH four predictors: every pair and the p matrix equal pROC', () => {
    const g = G.matrices[0]!;
    const t = csv().readCsv(path.join(__dirname, '..', '..', 'fixtures', 'aSAH.csv'));
    const { json, text } = cli().run(t, { outcome: 'outcome', predictors: g.names.join(',') });
    const pairs = json.pairs as Array<{ a: string; b: string; auc_a: number; auc_b: number; z: number; p: number }>;
    expect(pairs.length).toBe(6);
    for (const p of pairs) {
      const i = g.names.indexOf(p.a);
      const j = g.names.indexOf(p.b);
      expect(maxRelErr([p.z, p.p], [g.z[i]![j]!, g.p[i]![j]!])).toBeLessThan(1e-11);
    }
    const first = G.paired[0]!; // s100b vs ndka
    expect(maxRelErr([pairs[0]!.auc_a, pairs[0]!.auc_b], [first.auc_a, first.auc_b])).toBeLessThan(1e-13);
    expect((json.p_matrix as { p: number[][] }).p[0]![0]).toBe(1);
    expect(text).toMatch(/s100b vs ndka/);
    expect(text).toMatch(/p-values/);
  });

  test('--unpaired: two independent samples in one CSV equal roc.test(paired = FALSE) (delong_unpaired.R)', () => {
    const g = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'reference', 'delong_unpaired.json'), 'utf8')) as Record<string, number | string>;
    const t = csv().readCsv(path.join(__dirname, '..', '..', 'fixtures', 'delong_unpaired.csv'));
    const { json, text } = cli().run(t, { outcome: 'y', predictors: 'a,b', unpaired: true });
    expect(maxRelErr([json.auc_a as number, json.auc_b as number], [g.auc_a as number, g.auc_b as number])).toBeLessThan(1e-13);
    expect([json.direction_a, json.direction_b]).toEqual([g.direction_a, g.direction_b]);
    expect(maxRelErr([json.D as number, json.df as number, json.p as number], [g.D as number, g.df as number, g.p as number])).toBeLessThan(1e-10);
    expect((json.warnings as string[]).join(' ')).toMatch(/different direction/);
    expect(text).toMatch(/unpaired/);
    // paired on the same file: no row holds both, which the error says (not "no control")
    expect(() => cli().run(t, { outcome: 'y', predictors: 'a,b' })).toThrow(/never both present.*--unpaired/);
  });

  test('usage errors: one predictor, a repeated one', () => {
    const t = csv().parseCsv('y,a,b\n0,1,2\n1,2,3\n', 'mini.csv');
    expect(() => cli().run(t, { outcome: 'y', predictors: 'a' })).toThrow(/at least two/);
    const t3 = csv().parseCsv('y,a,b,c\n0,1,2,3\n1,2,3,4\n', 'mini.csv');
    expect(() => cli().run(t3, { outcome: 'y', predictors: 'a,b,c', unpaired: true })).toThrow(/exactly two/);
    expect(() => cli().run(t, { outcome: 'y', predictors: 'a,a' })).toThrow(/twice/);
  });
});
