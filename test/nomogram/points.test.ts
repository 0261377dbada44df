import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn, stringColumn } from '../../src/io/csv';
import { fitLogistic, type Predictor } from '../../stats/logistic';
import { NomogramModel, plogis } from '../../nomogram/points';
import { pretty } from '../../nomogram/svg';
import { isRadnomoError } from '../../src/errors';

interface GoldenPredictor { name: string; values: Array<number | string>; xbeta: number[]; points: number[] }
interface GoldenModel {
  coefficients: Record<string, number>;
  sc: number;
  intercept: number;
  rangeLow: Record<string, number>;
  rangeHigh: Record<string, number>;
  predictors: GoldenPredictor[];
  totalPoints: number[];
  lpAt: number[];
  lpPoints: number[];
  riskAt: number[];
  riskPoints: number[];
  riskOfTotal: number[];
}
interface Golden { A: GoldenModel; B: GoldenModel; pretty: Array<{ lo: number; hi: number; n: number; out: number[] }> }

const root = path.join(__dirname, '..', '..');
const golden = JSON.parse(fs.readFileSync(path.join(root, 'fixtures/reference/nomogram.json'), 'utf8')) as Golden;
const table = readCsv(path.join(root, 'fixtures/nomogram_sim.csv'));
const y = numericColumn(table, 'y');
const col = (name: string): Predictor =>
  name === 'grade' ? { name, values: stringColumn(table, name) } : { name, values: numericColumn(table, name) };

/** Relative error with an absolute floor for values near 0 (points of the lowest tick are exactly 0). */
function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-3);
}
const TOL = 1e-6;
let worst = 0;
function close(a: number, b: number, what: string): void {
  const e = relErr(a, b);
  worst = Math.max(worst, e);
  if (!(e <= TOL)) throw new Error(`${what}: radnomo ${a} vs rms ${b} (rel err ${e})`);
}

function build(names: string[], riskAt?: number[]): NomogramModel {
  const preds = names.map(col);
  const fit = fitLogistic(y, preds);
  return NomogramModel.fromLogistic(fit, preds, riskAt ? { riskAt } : {});
}

describe.each([
  ['A', ['x1', 'x2', 'grade'], undefined],
  ['B', ['x2', 'score', 'grade'], [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]],
] as const)('model %s against rms::nomogram', (key, names, riskAt) => {
  const g = golden[key];
  const m = build([...names], riskAt ? [...riskAt] : undefined);
  const t = m.table();

  test('scale and adjusted intercept', () => {
    close(m.scale, g.sc, 'sc');
    close(m.pointsIntercept, g.intercept, 'Intercept');
    m.predictors.forEach((p, i) => {
      close(m.rangeLow[i]!, g.rangeLow[p.name]!, `R[1,${p.name}]`);
      close(m.rangeHigh[i]!, g.rangeHigh[p.name]!, `R[2,${p.name}]`);
    });
  });

  test('axis values and points of every predictor', () => {
    expect(t.predictors.map((p) => p.name)).toEqual(g.predictors.map((p) => p.name));
    t.predictors.forEach((p, i) => {
      const gp = g.predictors[i]!;
      expect(p.ticks.map((k) => k.value)).toEqual(gp.values);
      p.ticks.forEach((k, j) => close(k.points, gp.points[j]!, `${p.name}=${k.value} points`));
      p.ticks.forEach((k, j) => close(m.contribution(p.name, k.value), gp.xbeta[j]!, `${p.name}=${k.value} Xbeta`));
    });
  });

  test('total points, linear predictor and risk axes', () => {
    expect(t.totalPointsToRisk.map((r) => r.points)).toEqual(g.totalPoints);
    t.totalPointsToRisk.forEach((r, i) => close(r.risk, g.riskOfTotal[i]!, `risk at total ${r.points}`));
    expect(t.lpAxis.map((r) => r.lp)).toEqual(g.lpAt);
    t.lpAxis.forEach((r, i) => close(r.points, g.lpPoints[i]!, `lp ${r.lp} position`));
    expect(t.riskAxis.map((r) => r.risk)).toEqual(g.riskAt);
    t.riskAxis.forEach((r, i) => close(r.points, g.riskPoints[i]!, `risk ${r.risk} position`));
  });

  test('risk of each training row equals the logistic model (points reconstruct lp)', () => {
    const preds = names.map(col);
    const fit = fitLogistic(y, preds);
    const p = fit.model.predict(fit.encoder.apply(preds));
    for (let i = 0; i < y.length; i++) {
      const row: Record<string, number | string> = {};
      for (const pr of preds) row[pr.name] = pr.values[i]!;
      expect(Math.abs(m.risk(row) - p[i]!)).toBeLessThan(1e-12);
    }
  });

  test('JSON round trip scores the same', () => {
    const back = NomogramModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(back.table()).toEqual(t);
    const row = { x1: 61.3, x2: 2.5, score: 3, grade: 'mid' };
    expect(back.risk(row)).toBe(m.risk(row));
  });
});

test('negative coefficient: x2 axis runs from 100 points at its lowest value down to 0', () => {
  const m = build(['x1', 'x2', 'grade']);
  const x2 = m.table().predictors.find((p) => p.name === 'x2')!;
  expect(x2.ticks[0]!.points).toBeCloseTo(100, 10);
  expect(x2.ticks[x2.ticks.length - 1]!.points).toBe(0);
  for (let k = 1; k < x2.ticks.length; k++) expect(x2.ticks[k]!.points).toBeLessThan(x2.ticks[k - 1]!.points);
});

test('closed form: points, total and risk by hand', () => {
  const m = build(['x1', 'x2', 'grade']);
  const row = { x1: 50, x2: 3, grade: 'low' };
  const [b0, b1, b2, , bLow] = [m.intercept, (m.predictors[0] as { beta: number }).beta, (m.predictors[1] as { beta: number }).beta, 0, (m.predictors[2] as { betas: number[] }).betas[1]!];
  expect(m.risk(row)).toBeCloseTo(plogis(b0 + b1 * 50 + b2 * 3 + bLow), 13);
  const sc = m.scale;
  expect(m.pointsFor('x1', 50)).toBeCloseTo((b1 * 50 - b1 * 10) * sc, 10);
  expect(m.pointsFor('grade', 'high')).toBeCloseTo(100 * ((0 - bLow) / (b2 * 0 - b2 * 12)), 10);
});

test('unseen level, missing predictor and non-number are RadnomoErrors naming the column', () => {
  const m = NomogramModel.fromJSON(JSON.parse(JSON.stringify(build(['x1', 'x2', 'grade']).toJSON())));
  const expectErr = (f: () => unknown, re: RegExp) => {
    try {
      f();
    } catch (e) {
      expect(isRadnomoError(e)).toBe(true);
      expect((e as Error).message).toMatch(re);
      return;
    }
    throw new Error('no error');
  };
  expectErr(() => m.risk({ x1: 50, x2: 3, grade: 'extreme' }), /"grade".*"extreme"/);
  expectErr(() => m.risk({ x1: 50, grade: 'low' }), /"x2"/);
  expectErr(() => m.risk({ x1: 'abc', x2: 3, grade: 'low' }), /"x1".*"abc"/);
  expectErr(() => NomogramModel.fromJSON({ format: 'other' }), /radnomo nomogram/);
});

test("pretty() matches R's pretty on assorted ranges", () => {
  for (const c of golden.pretty) {
    const got = pretty(c.lo, c.hi, c.n);
    expect(got.length).toBe(c.out.length);
    got.forEach((v, i) => expect(Math.abs(v - c.out[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1e-300, Math.abs(c.out[i]!), Math.abs(c.out[1]! - c.out[0]!))));
  }
});

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`nomogram points vs rms: worst relative error ${worst.toExponential(2)}`);
});
