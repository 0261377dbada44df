import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn, stringColumn, type CsvTable } from '../../src/io/csv';
import { fitLogistic, univariableLogistic, LogisticModel, TreatmentEncoder, concordance, type Predictor } from '../../stats/logistic';
import { analysis } from '../../src/cli/stats/logistic';
import { isRadnomoError } from '../../src/errors';

const FIX = path.join(__dirname, '..', '..', 'fixtures');

interface FitGolden {
  name: string;
  outcome: string;
  predictors: string[];
  categorical: string[];
  terms: string[];
  estimate: number[];
  se: number[];
  z: number[];
  p: number[];
  or: number[];
  or_lower: number[];
  or_upper: number[];
  vcov: number[][];
  loglik: number;
  deviance: number;
  null_deviance: number;
  aic: number;
  iter: number;
  converged: boolean;
  warnings: string[];
  fitted: number[];
  newrows: number[];
  predict_link: number[];
  predict_response: number[];
  lrm: null | { model_lr: number; df: number; p: number; c: number; dxy: number; r2: number; brier: number };
  c_exact: number;
}
interface UniGolden {
  name: string;
  outcome: string;
  rows: Array<{ predictor: string; term: string; estimate: number; se: number; z: number; p: number; or: number; or_lower: number; or_upper: number }>;
}
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'logistic.json'), 'utf8')) as { fits: FitGolden[]; univariable: UniGolden[] };

const DATA: Record<string, string> = { infert: 'infert.csv', mtcars: 'mtcars.csv', mtcars_mpg: 'mtcars.csv', sim: 'sim_logistic.csv', separated: 'separated.csv' };
const tables = new Map<string, CsvTable>();
function table(name: string): CsvTable {
  const file = DATA[name]!;
  if (!tables.has(file)) tables.set(file, readCsv(path.join(FIX, file)));
  return tables.get(file)!;
}
function predictors(t: CsvTable, names: string[], categorical: string[]): Predictor[] {
  return names.map((n) => (categorical.includes(n) ? { name: n, values: stringColumn(t, n), categorical: true } : { name: n, values: numericColumn(t, n) }));
}

let worst = 0;
let worstGlm = 0;
/** Relative error, with an absolute floor `scale` for quantities that are 0 in exact arithmetic. */
function close(a: number, b: number, rel: number, label: string, scale = 1e-300): void {
  const err = Math.abs(a - b) / Math.max(Math.abs(b), scale);
  if (Math.abs(a - b) > 1e-300) worst = Math.max(worst, err);
  if (rel <= 1e-9 && !label.startsWith('separated')) worstGlm = Math.max(worstGlm, err);
  if (!(err <= rel)) throw new Error(`${label}: got ${a}, R ${b} (relative error ${err.toExponential(2)} > ${rel})`);
}
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`logistic: worst relative error against glm = ${worstGlm.toExponential(2)}; overall (incl. rms::lrm, separated) = ${worst.toExponential(2)}`);
});

describe('LogisticModel matches glm(family = binomial)', () => {
  for (const g of golden.fits.filter((f) => f.name !== 'separated')) {
    test(`${g.name}: coefficients, SE, z, p, OR and CI, vcov, deviance, AIC, predictions`, () => {
      const t = table(g.name);
      const y = numericColumn(t, g.outcome);
      const fit = fitLogistic(y, predictors(t, g.predictors, g.categorical));
      expect(fit.model.terms).toEqual(g.terms);
      expect(fit.model.converged).toBe(true);
      expect(fit.model.iterations).toBe(g.iter);
      expect(fit.warnings).toEqual([]);
      fit.coefficients.forEach((c, j) => {
        close(c.estimate, g.estimate[j]!, 1e-10, `${g.name} ${c.term} estimate`);
        close(c.se, g.se[j]!, 1e-10, `${g.name} ${c.term} se`);
        close(c.z, g.z[j]!, 1e-10, `${g.name} ${c.term} z`);
        close(c.p, g.p[j]!, 1e-9, `${g.name} ${c.term} p`);
        close(c.or, g.or[j]!, 1e-10, `${g.name} ${c.term} OR`);
        close(c.orLower, g.or_lower[j]!, 1e-10, `${g.name} ${c.term} OR lower`);
        close(c.orUpper, g.or_upper[j]!, 1e-10, `${g.name} ${c.term} OR upper`);
      });
      g.vcov.forEach((row, a) => row.forEach((v, b) => close(fit.model.vcov[a]![b]!, v, 1e-9, `${g.name} vcov[${a},${b}]`)));
      close(fit.model.logLik, g.loglik, 1e-12, `${g.name} logLik`);
      close(fit.model.deviance, g.deviance, 1e-12, `${g.name} deviance`);
      close(fit.model.nullDeviance, g.null_deviance, 1e-12, `${g.name} null deviance`);
      close(fit.model.aic, g.aic, 1e-12, `${g.name} AIC`);
      g.fitted.forEach((v, i) => close(fit.model.fitted[i]!, v, 1e-10, `${g.name} fitted[${i}]`));
      // predict on new rows of raw data (through the fitted encoder)
      const sub = g.newrows;
      const newPreds = predictors(t, g.predictors, g.categorical).map((p) => ({
        ...p,
        values: Array.isArray(p.values) ? sub.map((i) => (p.values as string[])[i]!) : Float64Array.from(sub, (i) => (p.values as Float64Array)[i]!),
      }));
      const rows = fit.encoder.apply(newPreds);
      const lp = fit.model.linearPredictor(rows);
      const pr = fit.model.predict(rows);
      sub.forEach((_, k) => {
        close(lp[k]!, g.predict_link[k]!, 1e-10, `${g.name} predict link ${k}`);
        close(pr[k]!, g.predict_response[k]!, 1e-10, `${g.name} predict response ${k}`);
      });
    });

    test(`${g.name}: rms::lrm statistics (LR chi2, p, C, Dxy, Nagelkerke R2, Brier)`, () => {
      const t = table(g.name);
      const fit = fitLogistic(numericColumn(t, g.outcome), predictors(t, g.predictors, g.categorical));
      const l = g.lrm!;
      // lrm's Newton-Raphson stops on |change in -2LL| <= 0.025 one step after glm's IRLS; both
      // reach the same MLE, so these agree far inside 1e-6.
      close(fit.lrm.lrChi2, l.model_lr, 1e-7, 'LR chi2');
      expect(fit.lrm.df).toBe(l.df);
      expect(Math.abs(fit.lrm.p - l.p)).toBeLessThan(Math.max(1e-7 * l.p, 1e-15));
      close(fit.lrm.c, l.c, 1e-12, 'C');
      close(fit.lrm.cExact, g.c_exact, 1e-12, 'C exact');
      close(fit.lrm.dxy, l.dxy, 1e-12, 'Dxy');
      close(fit.lrm.r2, l.r2, 1e-7, 'R2');
      close(fit.lrm.brier, l.brier, 1e-7, 'Brier');
    });
  }

  test('the reference level is the first sorted level, as factor() sorts (C locale)', () => {
    const enc = new TreatmentEncoder().fit([
      { name: 'grade', values: ['mid', 'low', 'high', 'low'] },
      { name: 'n', values: ['10', '2', '1', '2'], categorical: true },
    ]);
    expect(enc.levels).toEqual({ grade: ['high', 'low', 'mid'], n: ['1', '2', '10'] });
    expect(enc.terms).toEqual(['gradelow', 'grademid', 'n2', 'n10']);
    expect(Array.from(enc.apply([{ name: 'grade', values: ['high'] }, { name: 'n', values: ['10'] }])[0]!)).toEqual([0, 0, 0, 1]);
    expect(() => enc.apply([{ name: 'grade', values: ['top'] }, { name: 'n', values: ['1'] }])).toThrow(/level "top"/);
  });
});

describe('univariable screening matches one glm per predictor', () => {
  const cats: Record<string, string[]> = { infert: ['education'], mtcars: [], sim: ['grade', 'site'] };
  for (const g of golden.univariable) {
    test(g.name, () => {
      const t = table(g.name);
      const names = [...new Set(g.rows.map((r) => r.predictor))];
      const rows = univariableLogistic(numericColumn(t, g.outcome), predictors(t, names, cats[g.name]!));
      expect(rows.map((r) => `${r.predictor}:${r.term}`)).toEqual(g.rows.map((r) => `${r.predictor}:${r.term}`));
      rows.forEach((r, k) => {
        const e = g.rows[k]!;
        // infert's education6-11yrs has the reference level's proportion: estimate 0 +- 1e-15.
        close(r.estimate, e.estimate, 1e-10, `${r.term} estimate`, 1);
        close(r.se, e.se, 1e-10, `${r.term} se`);
        close(r.p, e.p, 1e-9, `${r.term} p`);
        close(r.or, e.or, 1e-10, `${r.term} OR`);
        close(r.orLower, e.or_lower, 1e-10, `${r.term} OR lower`);
        close(r.orUpper, e.or_upper, 1e-10, `${r.term} OR upper`);
      });
    });
  }
});

describe('separation', () => {
  const g = golden.fits.find((f) => f.name === 'separated')!;
  test('glm warns; radnomo warns and names the separating predictor', () => {
    expect(g.warnings.join(' ')).toMatch(/fitted probabilities numerically 0 or 1 occurred/);
    const t = table('separated');
    const fit = fitLogistic(numericColumn(t, 'y'), predictors(t, ['x', 'z'], []));
    expect(fit.model.converged).toBe(g.converged);
    expect(fit.model.iterations).toBe(g.iter);
    expect(fit.model.separation.detected).toBe(true);
    const text = fit.warnings.join('\n');
    expect(text).toMatch(/fitted probabilities numerically 0 or 1 occurred/);
    expect(text).toMatch(/did not converge/);
    expect(text).toMatch(/separation involves predictor\(s\): "x"/);
    expect(text).toMatch(/predictor "x" alone completely separates the outcome/);
    expect(text).not.toMatch(/predictor "z" alone/);
    // The diverged estimates follow R's iterations too (same 25 IRLS steps).
    fit.coefficients.forEach((c, j) => close(c.estimate, g.estimate[j]!, 1e-6, `separated ${c.term}`));
  });

  test('a category level with a single outcome is reported as quasi-complete separation', () => {
    const y = [0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1];
    const grp = ['a', 'a', 'a', 'b', 'b', 'b', 'b', 'a', 'c', 'c', 'b', 'c'];
    const fit = fitLogistic(y, [{ name: 'grp', values: grp }]);
    expect(fit.model.separation.detected).toBe(true);
    expect(fit.warnings.join('\n')).toMatch(/"grp" quasi-completely separates the outcome: level "a" \(all 0\), "c" \(all 1\)/);
  });
});

describe('bad input', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (isRadnomoError(e)) return `${e.code}: ${e.message}`;
      throw e;
    }
    return 'no error';
  };
  test('single-class outcome, non-binary outcome, constant and collinear predictors, NaN', () => {
    expect(code(() => new LogisticModel().fit([[1], [2], [3]], [1, 1, 1], ['x']))).toMatch(/E_DATA: .*both outcome classes/);
    expect(code(() => new LogisticModel().fit([[1], [2], [3]], [0, 2, 1], ['x']))).toMatch(/E_COLUMN: .*coded 0\/1/);
    expect(code(() => new LogisticModel().fit([[1], [1], [1], [1]], [0, 1, 0, 1], ['x']))).toMatch(/"x" is constant/);
    expect(code(() => new LogisticModel().fit([[1, 2], [2, 4], [3, 6], [4, 8], [5, 10]], [0, 1, 0, 1, 1], ['a', 'b']))).toMatch(/"b" is collinear/);
    expect(code(() => new LogisticModel().fit([[1], [NaN], [3], [4]], [0, 1, 0, 1], ['x']))).toMatch(/E_VALUE: .*"x" row 2/);
    expect(code(() => new LogisticModel().linearPredictor([[1]]))).toMatch(/E_USAGE/);
  });
  test('concordance counts ties as one half', () => {
    expect(concordance([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.875, 15);
  });
});

describe('radnomo stats logistic', () => {
  test('multivariable JSON equals the glm golden (infert, categorical education)', () => {
    const g = golden.fits.find((f) => f.name === 'infert')!;
    const out = analysis.run(table('infert'), { outcome: 'case', predictors: g.predictors.join(','), categorical: 'education' });
    const coefs = out.json.coefficients as Array<Record<string, number | string>>;
    expect(coefs.map((c) => c.term)).toEqual(g.terms);
    coefs.forEach((c, j) => {
      close(c.estimate as number, g.estimate[j]!, 1e-10, 'cli estimate');
      close(c.or_upper as number, g.or_upper[j]!, 1e-10, 'cli or_upper');
    });
    close(out.json.loglik as number, g.loglik, 1e-12, 'cli loglik');
    close(out.json.aic as number, g.aic, 1e-12, 'cli aic');
    expect(out.json.warnings).toEqual([]);
    expect(out.text).toMatch(/education12\+ yrs/);
  });
  test('univariable JSON and missing-row dropping', () => {
    const g = golden.univariable.find((u) => u.name === 'mtcars')!;
    const out = analysis.run(table('mtcars'), { outcome: 'am', predictors: 'mpg,disp,hp,drat,wt,qsec', univariable: true });
    const rows = out.json.coefficients as Array<Record<string, number | string>>;
    expect(rows.length).toBe(g.rows.length);
    rows.forEach((r, k) => close(r.p as number, g.rows[k]!.p, 1e-9, 'cli univariable p'));
    const t: CsvTable = { source: 'mem', names: ['y', 'x'], nrows: 6, columns: new Map([['y', ['0', '1', '0', '1', 'NA', '1']], ['x', ['1', '2', '2.5', '', '3', '0.5']]]) };
    const o2 = analysis.run(t, { outcome: 'y', predictors: 'x' });
    expect(o2.json.n).toBe(4);
    expect(o2.json.dropped_missing).toBe(2);
  });
  test('separation warning reaches the CLI output', () => {
    const out = analysis.run(table('separated'), { outcome: 'y', predictors: 'x,z' });
    expect((out.json.warnings as string[]).join('\n')).toMatch(/"x"/);
    expect(out.text).toMatch(/Warning/);
  });
});
