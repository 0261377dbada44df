import * as fs from 'node:fs';
import * as path from 'node:path';
import { numericColumn, readCsv } from '../../src/io/csv';
import { Random } from '../../src/random';
import { approxTiesFirst, calibrateBoot, lowessIter0 } from '../../stats/calibration-bootstrap';
import { lowess } from '../../stats/calibration';

const root = path.join(__dirname, '..', '..');
interface Golden {
  coefficients: number[];
  exact: {
    B: number;
    indices: number[][];
    predicted: number[];
    predy: number[];
    calibratedOrig: number[];
    calibratedCorrected: number[];
    indexOrig: number[];
    training: number[];
    test: number[];
    optimism: number[];
    indexCorrected: number[];
    n: number[];
    meanAbsError: number;
    meanSquaredError: number;
    q90AbsError: number;
  };
  monteCarlo: { B: number; runs: number; optimismMean: number[]; optimismSd: number[]; correctedMean: number[]; correctedSd: number[]; meanAbsErrorMean: number; meanAbsErrorSd: number };
}
const golden = JSON.parse(fs.readFileSync(path.join(root, 'fixtures/reference/calibrate.json'), 'utf8')) as Golden;
const table = readCsv(path.join(root, 'fixtures/infert.csv'));
const names = ['age', 'parity', 'spontaneous', 'induced'];
const cols = names.map((c) => numericColumn(table, c));
const rows = Array.from({ length: cols[0]!.length }, (_, i) => cols.map((c) => c[i]!));
const y = numericColumn(table, 'case');

function expectClose(got: ArrayLike<number>, want: readonly number[], rel: number, abs = 0) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = rel * Math.abs(want[i]!) + abs;
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) throw new Error(`index ${i}: got ${got[i]}, want ${want[i]} (tol ${tol})`);
  }
}

describe('calibrateBoot vs rms::calibrate (infert, case ~ age + parity + spontaneous + induced)', () => {
  test('with the resamples R drew, every column equals rms::calibrate(B = 40)', () => {
    const g = golden.exact;
    const r = calibrateBoot(rows, y, { indices: g.indices.map((ix) => ix.map((v) => v - 1)), names });
    expect(r.B).toBe(40);
    expect(r.successes).toBe(40);
    expectClose(r.coefficients, golden.coefficients, 1e-8);
    expectClose(r.predicted, g.predicted, 1e-9);
    expectClose(r.predy, g.predy, 1e-9);
    expectClose(r.calibratedOrig, g.calibratedOrig, 1e-8);
    expectClose(r.indexOrig, g.indexOrig, 0, 1e-8); // a difference cal - predy: absolute tolerance on the probability scale
    expectClose(r.training, g.training, 0, 1e-8);
    expectClose(r.test, g.test, 0, 1e-8);
    expectClose(r.optimism, g.optimism, 0, 1e-8);
    expectClose(r.calibratedCorrected, g.calibratedCorrected, 1e-8);
    expectClose(r.indexCorrected, g.indexCorrected, 0, 1e-8);
    expect(Array.from(r.nUsed)).toEqual(g.n);
    expect(r.meanAbsError).toBeCloseTo(g.meanAbsError, 9);
    expect(r.meanSquaredError).toBeCloseTo(g.meanSquaredError, 10);
    expect(r.q90AbsError).toBeCloseTo(g.q90AbsError, 9);
  });

  test('with radnomo\'s own generator (B = 200) the optimism is within Monte Carlo error of R', () => {
    // R: 20 runs of calibrate(B = 200); optimismSd is the SD of one B = 200 run's optimism at each
    // grid point. Our run is another independent B = 200 draw, so ours - mean(R) has SD
    // sd * sqrt(1 + 1/20); 4 SD (plus 1e-4 for grid points where sd is ~0) makes a false
    // failure about 1 in 16,000 per point, while a wrong resampling or evaluation rule (e.g.
    // training and test swapped, or no refit) moves the optimism by many SDs.
    const mc = golden.monteCarlo;
    const r = calibrateBoot(rows, y, { B: mc.B, random: new Random(7), names });
    let maxZ = 0;
    for (let g = 0; g < 50; g++) {
      const sd = mc.optimismSd[g]! * Math.sqrt(1 + 1 / mc.runs);
      const z = Math.abs(r.optimism[g]! - mc.optimismMean[g]!) / sd;
      maxZ = Math.max(maxZ, z);
      expect(Math.abs(r.optimism[g]! - mc.optimismMean[g]!)).toBeLessThanOrEqual(4 * sd + 1e-4);
      expect(Math.abs(r.calibratedCorrected[g]! - mc.correctedMean[g]!)).toBeLessThanOrEqual(4 * mc.correctedSd[g]! * Math.sqrt(1 + 1 / mc.runs) + 1e-4);
    }
    expect(Math.abs(r.meanAbsError - mc.meanAbsErrorMean)).toBeLessThanOrEqual(4 * mc.meanAbsErrorSd * Math.sqrt(1 + 1 / mc.runs));
    // the optimism is not trivially zero: the correction is real and has R's sign pattern
    const big = mc.optimismMean.map((m, g) => (Math.abs(m) > 3 * mc.optimismSd[g]! ? g : -1)).filter((g) => g >= 0);
    expect(big.length).toBeGreaterThan(10);
    for (const g of big) expect(Math.sign(r.optimism[g]!)).toBe(Math.sign(mc.optimismMean[g]!));
    expect(maxZ).toBeLessThan(4);
  });

  test('same seed, same result; different seed, different result', () => {
    const a = calibrateBoot(rows, y, { B: 30, seed: 3 });
    const b = calibrateBoot(rows, y, { B: 30, seed: 3 });
    const c = calibrateBoot(rows, y, { B: 30, seed: 4 });
    expect(Array.from(a.optimism)).toEqual(Array.from(b.optimism));
    expect(Array.from(a.optimism)).not.toEqual(Array.from(c.optimism));
  });

  test('approx with ties = first and rule = 1', () => {
    const out = approxTiesFirst([0, 1, 1, 2], [0, 10, 20, 30], [-0.5, 0, 0.5, 1, 1.5, 2, 2.5]);
    expect(Array.from(out)).toEqual([NaN, 0, 5, 10, 20, 30, NaN]);
  });

  test('bad input is an error naming the problem', () => {
    expect(() => calibrateBoot(rows, y.map(() => 1), {})).toThrow(/single class/);
    const bad = rows.map((r) => [...r]);
    bad[3]![1] = NaN;
    expect(() => calibrateBoot(bad, y, { names })).toThrow(/"parity" at row 4/);
  });
});

describe('lowessIter0', () => {
  test('equals stats/calibration lowess(x, y, iter = 0) (itself checked against R) on tied and untied data', () => {
    const rng = new Random(11);
    for (const n of [5, 60, 442]) {
      const x = Array.from({ length: n }, () => Math.round(rng.next() * (n / 3)) / (n / 3));
      const yy = x.map((v) => (rng.next() < v ? 1 : 0));
      const a = lowess(x, yy, { iter: 0 });
      const b = lowessIter0(x, yy);
      expectClose(b.x, Array.from(a.x), 0, 0);
      expectClose(b.y, Array.from(a.y), 0, 1e-12);
    }
  });
});
