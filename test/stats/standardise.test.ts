import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn } from '../../src/io/csv';
import { ZScore } from '../../stats/standardise';
import { isRadnomoError } from '../../src/errors';

const FIX = path.join(__dirname, '..', '..', 'fixtures');
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'correlation.json'), 'utf8')) as {
  sim: { columns: string[] };
  scale: { center: number[]; sd: number[]; first_rows: number[][] };
};

describe('ZScore matches scale()', () => {
  test('mean, sample SD and transformed rows on sim_logistic', () => {
    const t = readCsv(path.join(FIX, 'sim_logistic.csv'));
    const cols = Object.fromEntries(golden.sim.columns.map((c) => [c, numericColumn(t, c)]));
    const z = new ZScore().fit(cols);
    golden.sim.columns.forEach((c, j) => {
      expect(Math.abs(z.parameters.mean[j]! - golden.scale.center[j]!)).toBeLessThanOrEqual(1e-14 * Math.abs(golden.scale.center[j]!));
      expect(Math.abs(z.parameters.sd[j]! - golden.scale.sd[j]!)).toBeLessThanOrEqual(1e-13 * golden.scale.sd[j]!);
    });
    const out = z.apply(cols);
    golden.scale.first_rows.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(out[golden.sim.columns[j]!]![i]! - v)).toBeLessThan(1e-13)));
  });
  test('fit on training rows, apply to new rows with the training parameters', () => {
    const z = new ZScore().fit({ a: [1, 2, 3, 4] });
    // mean 2.5, sd sqrt(5/3)
    expect(z.apply({ a: [2.5, 10] }).a![1]).toBeCloseTo(7.5 / Math.sqrt(5 / 3), 14);
    expect(Number.isNaN(z.apply({ a: [NaN] }).a![0]!)).toBe(true);
  });
  test('a constant column is an error naming it; missing columns too', () => {
    try {
      new ZScore().fit({ ok: [1, 2, 3], flat: [5, 5, 5] });
      throw new Error('no error');
    } catch (e) {
      expect(isRadnomoError(e)).toBe(true);
      expect((e as Error).message).toMatch(/column "flat" is constant/);
    }
    expect(() => new ZScore().fit({ a: [1, 2] }).apply({ b: [1] })).toThrow(/"a" was fitted but is missing/);
    expect(() => new ZScore().apply({ a: [1] })).toThrow(/call fit\(\)/);
  });
});
