import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn } from '../../src/io/csv';
import { glmnetBinomial, cvGlmnetBinomial, LassoLogistic, coefAt, lambdaInterp, randomFolds } from '../../stats/lasso';
import { Random } from '../../src/random';
import { RadnomoError } from '../../src/errors';
import { analysis as cliLasso } from '../../src/cli/stats/lasso';

const FIX = path.join(__dirname, '..', '..', 'fixtures');

interface CvGolden {
  measure: string;
  lambda: number[];
  cvm: number[];
  cvsd: number[];
  nzero: number[];
  lambda_min: number;
  lambda_1se: number;
  coef_min: number[];
  coef_1se: number[];
  link_min: number[];
}
interface CaseGolden {
  name: string;
  alpha: number;
  foldcol: string;
  predictors: string[];
  path: { lambda: number[]; df: number[]; dev_ratio: number[]; nulldev: number; a0: number[]; beta: number[][]; npasses: number };
  cv_deviance: CvGolden;
  cv_auc?: CvGolden;
  fold_nlambda: number[];
}
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'lasso.json'), 'utf8')) as { cases: CaseGolden[] };

function load(file: string, predictors: string[], foldcol: string): { rows: number[][]; y: Float64Array; fold: Float64Array } {
  const t = readCsv(path.join(FIX, file));
  const cols = predictors.map((c) => numericColumn(t, c));
  const rows = Array.from({ length: t.nrows }, (_, i) => cols.map((c) => c[i]!));
  return { rows, y: numericColumn(t, 'y'), fold: numericColumn(t, foldcol) };
}

/**
 * glmnet stops its coordinate descent when max_j xv_j * (change in b_j)^2 < 1e-7 * null deviance,
 * so its coefficients are only accurate to roughly sqrt(1e-7 * dev0 / xv_j) ~ 1e-4 standardised
 * units in the worst case; radnomo runs the same algorithm in the same order, so the two agree far
 * better than that (about 1e-12), but tiny floating-point differences (summation order) could move a
 * stopping decision by one pass. We therefore compare coefficients at 1e-5 relative to the largest
 * coefficient of the same lambda (an absolute tolerance for small ones), and lambdas at 1e-10.
 */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i]! - expected[i]!) / Math.max(scale, 1e-300);
    worst = Math.max(worst, e);
    if (!(e <= tol)) throw new Error(`${what}[${i}]: ${actual[i]} vs R ${expected[i]} (rel ${e.toExponential(2)})`);
  }
  return worst;
}
function relVec(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), 1e-300);
    worst = Math.max(worst, e);
    if (!(e <= tol)) throw new Error(`${what}[${i}]: ${actual[i]} vs R ${expected[i]} (rel ${e.toExponential(2)})`);
  }
  return worst;
}

const worst: Record<string, number> = {};
function note(k: string, v: number): void {
  worst[k] = Math.max(worst[k] ?? 0, v);
}
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log('lasso worst relative differences vs glmnet:', JSON.stringify(worst));
});

describe.each(golden.cases.map((c) => [c.name, c] as const))('glmnet binomial %s', (_name, c) => {
  const file = c.name.startsWith('wide') ? 'lasso_wide.csv' : 'lasso_sim.csv';
  const d = load(file, c.predictors, c.foldcol);

  test('path: lambda sequence, its length (glmnet exit rules), df, dev.ratio, coefficients', () => {
    const fit = glmnetBinomial(d.rows, d.y, c.predictors, { alpha: c.alpha });
    expect(fit.lambda.length).toBe(c.path.lambda.length);
    note('lambda', relVec(fit.lambda, c.path.lambda, 1e-10, 'lambda'));
    expect(Array.from(fit.df)).toEqual(c.path.df);
    note('dev.ratio', expectClose(fit.devRatio, c.path.dev_ratio, 1e-6, 'dev.ratio'));
    note('nulldev', relVec([fit.nulldev], [c.path.nulldev], 1e-12, 'nulldev'));
    note('a0', expectClose(fit.a0, c.path.a0, 1e-5, 'a0'));
    for (let k = 0; k < c.path.beta.length; k++) note('beta', expectClose(fit.beta[k]!, c.path.beta[k]!, 1e-5, `beta[lambda ${k + 1}]`));
  });

  test('cv.glmnet deviance with the same foldid: cvm, cvsd, lambda.min, lambda.1se, coefficients, rad score', () => {
    const g = c.cv_deviance;
    const cv = cvGlmnetBinomial(d.rows, d.y, c.predictors, { alpha: c.alpha, foldid: d.fold, typeMeasure: 'deviance' });
    expect(cv.measure).toBe('deviance');
    note('cv lambda', relVec(cv.lambda, g.lambda, 1e-10, 'lambda'));
    note('cvm', relVec(cv.cvm, g.cvm, 1e-6, 'cvm'));
    note('cvsd', relVec(cv.cvsd, g.cvsd, 1e-5, 'cvsd'));
    expect(Array.from(cv.nzero)).toEqual(g.nzero);
    expect(cv.lambdaMin).toBeCloseTo(g.lambda_min, 12);
    expect(cv.lambda1se).toBeCloseTo(g.lambda_1se, 12);
    const model = new LassoLogistic({ alpha: c.alpha }).fit(d.rows, d.y, c.predictors);
    const cmin = model.coefficients(cv.lambdaMin).map((e) => e.value);
    note('coef min', expectClose(cmin, g.coef_min, 1e-5, 'coef lambda.min'));
    const c1 = coefAt(cv.fit, cv.lambda1se);
    note('coef 1se', expectClose([c1.intercept, ...c1.beta], g.coef_1se, 1e-5, 'coef lambda.1se'));
    note('rad score', expectClose(model.apply(d.rows, cv.lambdaMin), g.link_min, 1e-5, 'link'));
  });

  if (c.cv_auc) {
    const g = c.cv_auc;
    test('cv.glmnet auc with the same foldid', () => {
      const cv = cvGlmnetBinomial(d.rows, d.y, c.predictors, { alpha: c.alpha, foldid: d.fold, typeMeasure: 'auc' });
      expect(cv.measure).toBe('auc');
      note('cvm auc', relVec(cv.cvm, g.cvm, 1e-6, 'cvm'));
      note('cvsd auc', relVec(cv.cvsd, g.cvsd, 1e-5, 'cvsd'));
      expect(cv.lambdaMin).toBeCloseTo(g.lambda_min, 12);
      expect(cv.lambda1se).toBeCloseTo(g.lambda_1se, 12);
    });
  }
});

describe('fold paths and helpers', () => {
  const c = golden.cases[0]!;
  const d = load('lasso_sim.csv', c.predictors, c.foldcol);
  test('each fold training set stops its own path where glmnet does (exit rules)', () => {
    const lens = c.fold_nlambda.map((_, k) => {
      const keep = d.rows.map((_, i) => i).filter((i) => d.fold[i] !== k + 1);
      return glmnetBinomial(keep.map((i) => d.rows[i]!), keep.map((i) => d.y[i]!), c.predictors).lambda.length;
    });
    expect(lens).toEqual(c.fold_nlambda);
  });
  test('lambdaInterp: exact knots, midpoints, clamping beyond the path', () => {
    const lam = [1, 0.5, 0.25];
    expect(lambdaInterp(lam, 0.5)).toEqual({ left: 1, right: 1, frac: 1 });
    const mid = lambdaInterp(lam, 0.375);
    expect(mid.left).toBe(1);
    expect(mid.right).toBe(2);
    expect(mid.frac).toBeCloseTo(0.5, 14);
    expect(lambdaInterp(lam, 2)).toEqual({ left: 0, right: 0, frac: 1 });
    expect(lambdaInterp(lam, 0.1)).toEqual({ left: 2, right: 2, frac: 1 });
  });
  test('seeded random folds are balanced and reproducible', () => {
    const a = randomFolds(23, 5, new Random(3));
    const b = randomFolds(23, 5, new Random(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    const counts = [0, 0, 0, 0, 0];
    for (const f of a) counts[f - 1]!++;
    expect(counts.sort()).toEqual([4, 4, 5, 5, 5]);
    const cv1 = cvGlmnetBinomial(d.rows, d.y, c.predictors, { nfolds: 5, random: new Random(9) });
    const cv2 = cvGlmnetBinomial(d.rows, d.y, c.predictors, { nfolds: 5, random: new Random(9) });
    expect(cv1.lambdaMin).toBe(cv2.lambdaMin);
    expect(Array.from(cv1.cvm)).toEqual(Array.from(cv2.cvm));
  });
  test('bad input is a RadnomoError naming the problem', () => {
    expect(() => glmnetBinomial(d.rows, d.y.map((v) => v * 2))).toThrow(/0\/1/);
    expect(() => glmnetBinomial(d.rows.map((r) => [r[0]!]), d.y)).toThrow(RadnomoError);
    const bad = d.rows.map((r) => r.slice());
    bad[3]![2] = NaN;
    expect(() => glmnetBinomial(bad, d.y)).toThrow(/row 4/);
    expect(() => cvGlmnetBinomial(d.rows, d.y, c.predictors, {})).toThrow(/foldid/);
    expect(() => cvGlmnetBinomial(d.rows, d.y, c.predictors, { foldid: d.rows.map((_, i) => (i % 2) + 1) })).toThrow(/at least 3/);
    expect(() => new LassoLogistic().path).toThrow(/fit/);
  });
  test('auc with < 10 rows per fold falls back to deviance with a warning, as cv.glmnet', () => {
    const cv = cvGlmnetBinomial(d.rows, d.y, c.predictors, { foldid: d.rows.map((_, i) => (i % 20) + 1), typeMeasure: 'auc' });
    expect(cv.measure).toBe('deviance');
    expect(cv.warnings.join(' ')).toMatch(/Too few/);
  });
});

describe('radnomo stats lasso (CLI run)', () => {
  test('explicit foldid column reproduces cv.glmnet', () => {
    const c = golden.cases[0]!;
    const out = cliLasso.run(readCsv(path.join(FIX, 'lasso_sim.csv')), { outcome: 'y', predictors: c.predictors.join(','), foldid: c.foldcol });
    const j = out.json as { lambda_min: number; lambda_1se: number; lambda: number[]; coefficients: { lambda_min: Array<{ name: string; value: number }> } };
    expect(j.lambda_min).toBeCloseTo(c.cv_deviance.lambda_min, 12);
    expect(j.lambda_1se).toBeCloseTo(c.cv_deviance.lambda_1se, 12);
    expect(j.lambda.length).toBe(c.cv_deviance.lambda.length);
    const names = ['(Intercept)', ...c.predictors];
    const nonzero = names.map((n, k) => ({ name: n, value: c.cv_deviance.coef_min[k]! })).filter((e) => e.value !== 0);
    expect(j.coefficients.lambda_min.map((e) => e.name)).toEqual(nonzero.map((e) => e.name));
    expectClose(j.coefficients.lambda_min.map((e) => e.value), nonzero.map((e) => e.value), 1e-5, 'cli coef');
    expect(out.text).toMatch(/lambda\.min/);
  });
  test('--all-numeric with --measure auc on the wide set', () => {
    const c = golden.cases[3]!;
    const out = cliLasso.run(readCsv(path.join(FIX, 'lasso_wide.csv')), { outcome: 'y', allNumeric: true, foldid: 'foldid', measure: 'auc' });
    const j = out.json as { lambda_min: number; lambda_1se: number; n_predictors: number; measure: string };
    expect(j.n_predictors).toBe(100);
    expect(j.measure).toBe('auc');
    expect(j.lambda_min).toBeCloseTo(c.cv_auc!.lambda_min, 12);
    expect(j.lambda_1se).toBeCloseTo(c.cv_auc!.lambda_1se, 12);
  });
  test('usage errors', () => {
    const t = readCsv(path.join(FIX, 'lasso_sim.csv'));
    expect(() => cliLasso.run(t, { outcome: 'y', predictors: 'x1' })).toThrow(/at least 2/);
    expect(() => cliLasso.run(t, { outcome: 'y', predictors: 'x1,x2', measure: 'mse' })).toThrow(/--measure/);
    expect(() => cliLasso.run(t, { outcome: 'y', predictors: 'x1,nope' })).toThrow(/nope/);
  });
});

describe("glmnet's non-fatal convergence failure (lasso_maxit.R)", () => {
  test('a fold that does not converge at a lambda keeps its larger lambdas, warns, and cv.glmnet goes on as in R', () => {
    const g = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/lasso_maxit.json'), 'utf8')) as {
      lambda: number[];
      cvm: number[];
      cvsd: number[];
      lambda_min: number;
      lambda_1se: number;
      warnings: string[];
    };
    const t = readCsv(path.join(__dirname, '../../fixtures/lasso_maxit.csv'));
    const cols = ['x1', 'x2', 'x3'].map((c) => numericColumn(t, c));
    const rows = Array.from({ length: t.nrows }, (_, i) => cols.map((c) => c[i]!));
    const r = cvGlmnetBinomial(rows, numericColumn(t, 'y'), ['x1', 'x2', 'x3'], { foldid: Array.from(numericColumn(t, 'fold')) });
    expect(g.warnings.join(' ')).toMatch(/Convergence for 73th lambda/);
    expect(r.warnings.join(' ')).toMatch(/fold 1: convergence for lambda 73 not reached/);
    expect(r.lambda.length).toBe(g.lambda.length);
    for (let l = 0; l < g.lambda.length; l++) {
      expect(Math.abs(r.lambda[l]! - g.lambda[l]!) / g.lambda[l]!).toBeLessThan(1e-12);
      expect(Math.abs(r.cvm[l]! - g.cvm[l]!) / g.cvm[l]!).toBeLessThan(1e-10);
      expect(Math.abs(r.cvsd[l]! - g.cvsd[l]!) / g.cvsd[l]!).toBeLessThan(1e-8);
    }
    expect(r.lambdaMin).toBeCloseTo(g.lambda_min, 14);
    expect(r.lambda1se).toBeCloseTo(g.lambda_1se, 14);
  });
});
