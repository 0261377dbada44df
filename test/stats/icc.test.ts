import * as fs from 'node:fs';
import * as path from 'node:path';
import { icc, iccMany, iccArray, iccArrayFromLong, IccFilter, ICC_FORMS, type IccResult } from '../../stats/icc';
import { readCsv, numericColumn, stringColumn } from '../../src/io/csv';
import { RadnomoError } from '../../src/errors';
import { analysis as cliIcc } from '../../src/cli/stats/icc';

const FIX = path.join(__dirname, '..', '..', 'fixtures');
interface Res { type: string[]; icc: number[]; f: number[]; df1: number[]; df2: number[]; p: number[]; lower: number[]; upper: number[] }
interface Case { name: string; table: number[][]; lmer: Res; aov: Res }
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'icc.json'), 'utf8')) as { features: string[]; cases: Case[] };

const worst: Record<string, number> = {};
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log('icc worst relative differences vs psych:', JSON.stringify(worst));
});

function check(res: IccResult, g: Res, tol: number, key: string): void {
  expect(res.forms.map((r) => r.type)).toEqual(g.type);
  const fields = ['icc', 'f', 'df1', 'df2', 'p', 'lower', 'upper'] as const;
  for (const fld of fields) {
    res.forms.forEach((row, i) => {
      const a = row[fld];
      const e = g[fld][i]!;
      // Relative error, with an absolute floor of 1e-300 only for exact zeros (lmer boundary ICC = 0).
      let err = e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
      // lme4's ~1e-6 relative error in the mean squares is amplified in a tiny p-value's relative
      // error (d log p / d log F ~ F * density): for lmer goldens compare p as |log p - log p_R|,
      // held to 1e-4 * max(1, |log p_R|) * 100, i.e. 1e-2 per unit of log p.
      if (fld === 'p' && key === 'lmer' && e > 0) err = Math.abs(Math.log(a) - Math.log(e)) / (100 * Math.max(1, Math.abs(Math.log(e))));
      worst[`${key}:${fld}`] = Math.max(worst[`${key}:${fld}`] ?? 0, err);
      if (!(err <= tol)) throw new Error(`${key} ${row.type}.${fld}: ${a} vs psych ${e} (rel ${err.toExponential(2)})`);
    });
  }
}

describe('psych::ICC, lmer = FALSE (two-way ANOVA mean squares): exact', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    // 1e-10: the only approximation is qf's root search (R's and ours agree to ~1e-14).
    check(icc(c.table, { method: 'aov' }), c.aov, 1e-10, 'aov');
  });
});

describe("psych::ICC default (lmer = TRUE): REML variance components", () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    // radnomo evaluates the REML optimum in closed form; lme4 reaches it numerically (its
    // optimiser stops at relative changes ~1e-6 in the variance parameters), so psych's lmer
    // numbers carry that error: compare at 1e-4 relative. p-values of tiny size inherit it too.
    check(icc(c.table), c.lmer, 1e-4, 'lmer');
  });

  test('boundary cases take the REML zero-variance branch', () => {
    const noise = golden.cases.find((c) => c.name === 'noise')!;
    const r = icc(noise.table);
    // reader noise bigger than the subject spread: subject variance 0, so every ICC is 0 as in psych.
    for (const row of r.forms) expect(row.icc).toBe(0);
    const aov = icc(noise.table, { method: 'aov' });
    expect(aov.forms[0]!.icc).toBeLessThan(0);
  });
});

describe('many features at once, long format', () => {
  const t = readCsv(path.join(FIX, 'icc_long.csv'));
  const input = {
    subject: stringColumn(t, 'id'),
    rater: stringColumn(t, 'reader'),
    features: golden.features.map((name) => ({ name, values: numericColumn(t, name) })),
  };

  test('long-format reshaping gives the same six forms as the per-feature tables', () => {
    const { data, names, raters } = iccArrayFromLong(input);
    expect(names).toEqual(golden.features);
    expect(raters).toEqual(['B', 'A']);
    const res = iccMany(data, { method: 'aov' });
    golden.features.forEach((name, f) => check(res[f]!, golden.cases.find((c) => c.name === name)!.aov, 1e-10, 'long'));
  });

  test('incomplete subjects are dropped (complete cases) and reported', () => {
    const c = golden.cases.find((x) => x.name === 'rel3')!;
    const table = c.table.map((r) => r.slice());
    table.push([1, NaN]);
    const r = icc(table, { method: 'aov' });
    check(r, c.aov, 1e-10, 'complete-cases');
    expect(r.warnings.join(' ')).toMatch(/1 subject/);
  });

  test('IccFilter keeps features with ICC2 >= threshold and apply selects the columns', () => {
    const filt = new IccFilter({ threshold: 0.8 }).fitLong(input);
    const expected = golden.features.filter((name) => golden.cases.find((c) => c.name === name)!.lmer.icc[1]! >= 0.8);
    expect(filt.kept).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(golden.features.length);
    const cols = ['z', ...golden.features];
    const rows = [[0, ...golden.features.map((_, j) => j + 1)]];
    const out = filt.apply(rows, cols);
    expect(out.names).toEqual(expected);
    expect(Array.from(out.rows[0]!)).toEqual(expected.map((n) => golden.features.indexOf(n) + 1));
    const f3 = new IccFilter({ threshold: 0.8, form: 'ICC3', method: 'aov' }).fitLong(input);
    expect(f3.kept).toEqual(golden.features.filter((name) => golden.cases.find((c) => c.name === name)!.aov.icc[2]! >= 0.8));
  });
});

describe('bad input', () => {
  test('one rater, duplicate ratings, too few subjects', () => {
    expect(() => icc([[1], [2], [3]])).toThrow(RadnomoError);
    expect(() => iccArrayFromLong({ subject: ['a', 'a'], rater: ['r', 'r'], features: [{ name: 'x', values: [1, 2] }] })).toThrow(/two rows/);
    expect(() => icc([[1, 2], [NaN, 3]])).toThrow(/at least 2/);
  });
  test('perfect agreement: warned, not silent', () => {
    const r = icc([[1, 1], [2, 2], [3, 3]], { method: 'aov' });
    expect(r.forms[1]!.icc).toBe(1);
    expect(r.warnings.join(' ')).toMatch(/agree exactly/);
  });
  test('forms list', () => {
    expect(iccMany(iccArray([[[1, 2], [3, 5], [4, 4]]]))[0]!.forms.map((f) => f.type)).toEqual([...ICC_FORMS]);
  });
});

describe('radnomo stats icc (CLI run)', () => {
  test('long CSV: every feature, psych default (lmer) and aov', () => {
    const t = readCsv(path.join(FIX, 'icc_long.csv'));
    for (const method of ['aov', 'lmer'] as const) {
      const out = cliIcc.run(t, { subject: 'id', rater: 'reader', method });
      const j = out.json as { features: Array<{ feature: string; forms: Array<{ type: string; icc: number; f: number; df1: number; df2: number; p: number; lower: number; upper: number }> }> };
      expect(j.features.map((f) => f.feature)).toEqual(golden.features);
      for (const f of j.features) {
        const g = golden.cases.find((c) => c.name === f.feature)![method];
        const res = { forms: f.forms, nSubjects: 20, nRaters: 2, msb: 0, msj: 0, mse: 0, msw: 0, warnings: [] } as unknown as IccResult;
        check(res, g, method === 'aov' ? 1e-10 : 1e-4, method === 'aov' ? 'cli' : 'lmer');
      }
      expect(out.text).toMatch(/ICC2k/);
    }
    const one = cliIcc.run(t, { subject: 'id', rater: 'reader', features: 'rel1,bias' });
    expect((one.json as { features: unknown[] }).features.length).toBe(2);
    expect(() => cliIcc.run(t, { subject: 'id', rater: 'reader', method: 'reml' })).toThrow(/--method/);
  });
});
