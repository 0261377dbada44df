import * as fs from 'node:fs';
import * as path from 'node:path';
import { icc, iccMany, iccArray, iccArrayFromLong, IccFilter, ICC_FORMS, type IccResult } from '../../stats/icc';
import { readCsv, parseCsv, numericColumn, stringColumn } from '../../src/io/csv';
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
    expect(r.warnings.join(' ')).toMatch(/agree perfectly/);
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

// Residual mean square 0 (fixtures/reference/icc_edge.R): raters in perfect agreement, or differing
// by a constant offset per rater. psych has no special case: its MSE is floating-point noise
// (~1e-28), giving F ~ 1e30, p ~ 1e-270 and bounds equal to the limits of its formulas up to
// rounding; radnomo reports those limits (F = Inf, p = 0, bounds by continuity).
interface EdgeLmer extends Partial<Res> { error?: string; notes: string[]; MS_resid?: number }
interface EdgeCase { name: string; table: number[][]; aov: Res; aov_MSB: number; aov_MSJ: number; aov_MSE: number; lmer: EdgeLmer }
const edge = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'icc_edge.json'), 'utf8')) as { cases: EdgeCase[] };
const edgeCase = (name: string): EdgeCase => edge.cases.find((c) => c.name === name)!;

/**
 * Compares radnomo's limits with psych's values for a table whose residual is 0.
 * `exactOne`: forms whose ICC and bounds are exactly 1 in the limit (radnomo: exactly 1; psych: 1
 * up to its last-bit rounding, |x - 1| <= 1e-15). `infiniteF`: forms whose F is MSB/MSE (or MSB/MSW
 * with MSW = 0): radnomo F = Inf and p = 0 exactly; psych's F is 1/noise (> 1e25) and p < 1e-100.
 * Every other value is compared at 1e-10 relative: psych's distance from the MSE -> 0 limit is of
 * the order of its MSE/MSB and MSE/MSJ, which the golden shows to be < 1e-25 (asserted below), so
 * the tolerance is that of qf's root search, as for the other aov goldens.
 */
function checkLimit(res: IccResult, g: Res, exactOne: readonly string[], infiniteF: readonly string[], label: string): void {
  expect(res.forms.map((r) => r.type)).toEqual(g.type);
  res.forms.forEach((row, i) => {
    const at = `${label} ${row.type}`;
    for (const fld of ['icc', 'f', 'df1', 'df2', 'p', 'lower', 'upper'] as const) expect(Number.isNaN(row[fld])).toBe(false);
    expect(row.df1).toBe(g.df1[i]);
    expect(row.df2).toBe(g.df2[i]);
    for (const fld of ['icc', 'lower', 'upper'] as const) {
      const e = g[fld][i]!;
      if (exactOne.includes(row.type)) {
        if (row[fld] !== 1) throw new Error(`${at}.${fld}: ${row[fld]}, expected exactly 1`);
        if (!(Math.abs(e - 1) <= 1e-15)) throw new Error(`${at}.${fld}: psych ${e} is not 1 up to rounding`);
      } else {
        const err = Math.abs(row[fld] - e) / Math.abs(e);
        worst[`edge:${fld}`] = Math.max(worst[`edge:${fld}`] ?? 0, err);
        if (!(err <= 1e-10)) throw new Error(`${at}.${fld}: ${row[fld]} vs psych ${e} (rel ${err.toExponential(2)})`);
      }
    }
    if (infiniteF.includes(row.type)) {
      expect(row.f).toBe(Infinity);
      expect(row.p).toBe(0);
      expect(g.f[i]!).toBeGreaterThan(1e25);
      expect(g.p[i]!).toBeLessThan(1e-100);
    } else {
      for (const fld of ['f', 'p'] as const) {
        const err = Math.abs(row[fld] - g[fld][i]!) / Math.abs(g[fld][i]!);
        if (!(err <= 1e-10)) throw new Error(`${at}.${fld}: ${row[fld]} vs psych ${g[fld][i]} (rel ${err.toExponential(2)})`);
      }
    }
  });
}

describe('residual mean square 0: the limits of psych::ICC as MSE -> 0', () => {
  const ALL = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'];
  const MSE_FORMS = ['ICC2', 'ICC3', 'ICC2k', 'ICC3k'];

  test('the golden: psych\'s MSE is floating-point noise, not 0', () => {
    expect(edge.cases.map((c) => c.name)).toEqual(['perfect', 'offset3', 'offset2', 'perfect_dec', 'normal']);
    for (const name of ['perfect', 'offset3', 'offset2', 'perfect_dec']) {
      const c = edgeCase(name);
      expect(c.aov_MSE).toBeGreaterThan(0);
      expect(c.aov_MSE / c.aov_MSB).toBeLessThan(1e-25);
      if (name.startsWith('offset')) expect(c.aov_MSE / c.aov_MSJ).toBeLessThan(1e-25);
    }
  });

  for (const method of ['aov', 'lmer'] as const) {
    test(`perfect agreement (integer and decimal ratings), ${method}: every ICC and bound 1, F = Inf, p = 0`, () => {
      for (const name of ['perfect', 'perfect_dec']) {
        const c = edgeCase(name);
        const r = icc(c.table, { method });
        // Exactly 0, also for decimal ratings whose sums round (radnomo checks the residual exactly).
        expect([r.mse, r.msj]).toEqual([0, 0]);
        checkLimit(r, c.aov, ALL, ALL, `${name} ${method}`);
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings[0]).toMatch(/^the raters agree perfectly \(residual and rater mean squares 0\)/);
      }
    });

    test(`constant offset per rater (3 and 2 raters), ${method}: ICC2 interval with the df limit k - 1`, () => {
      for (const name of ['offset3', 'offset2']) {
        const c = edgeCase(name);
        const r = icc(c.table, { method });
        expect(r.mse).toBe(0);
        expect(r.msj).toBeGreaterThan(0);
        checkLimit(r, c.aov, ['ICC3', 'ICC3k'], MSE_FORMS, `${name} ${method}`);
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings[0]).toMatch(/^the raters differ only by a constant offset per rater/);
        expect(r.warnings[0]).not.toMatch(/agree/);
        if (method === 'lmer') expect(r.warnings[0]).toMatch(/lme4 may fail to converge/);
        else expect(r.warnings[0]).not.toMatch(/lme4/);
      }
    });
  }

  test('offset2: the ICC2 bounds are those of psych\'s formulas with v = k - 1 = 1', () => {
    const c = edgeCase('offset2');
    const r = icc(c.table, { method: 'aov' });
    // psych's values, 12 subjects, 2 raters: ICC2 [0.001666, 0.9161], ICC2k [0.003327, 0.9562].
    expect(r.forms[1]!.lower).toBeCloseTo(0.001666294847766, 14);
    expect(r.forms[1]!.upper).toBeCloseTo(0.916109797566717, 14);
  });

  test('a feature with ordinary reader noise is unaffected (aov exact, lmer to lme4\'s tolerance)', () => {
    const c = edgeCase('normal');
    const r = icc(c.table, { method: 'aov' });
    check(r, c.aov, 1e-10, 'aov');
    expect(r.warnings).toEqual([]);
    check(icc(c.table), c.lmer as Res, 1e-4, 'lmer');
  });

  test('psych lmer = TRUE: perfect agreement gives the limits too; constant offsets make lme4 fail to converge', () => {
    // Perfect agreement: lme4 warns (boundary / roundoff) but psych's values are the same limits,
    // with lme4's residual variance instead of 0 (MS_resid / MSB ~ 1e-15 to 1e-13, varying from one
    // run of the R script to the next; asserted < 1e-12), F ~ 1e12-1e14. That keeps psych's ICCs and
    // bounds within ~30 * MS_resid / MSB of 1, so they are compared at 100 * MS_resid / MSB.
    for (const name of ['perfect', 'perfect_dec']) {
      const c = edgeCase(name);
      expect(c.lmer.error).toBeUndefined();
      expect(c.lmer.notes.join(' ')).toMatch(/singular/);
      const ratio = c.lmer.MS_resid! / c.aov_MSB;
      expect(ratio).toBeLessThan(1e-12);
      const g = c.lmer as Res;
      const r = icc(c.table);
      r.forms.forEach((row, i) => {
        expect([row.icc, row.lower, row.upper]).toEqual([1, 1, 1]);
        for (const v of [g.icc[i]!, g.lower[i]!, g.upper[i]!]) expect(Math.abs(v - 1)).toBeLessThanOrEqual(100 * ratio);
        expect(g.f[i]!).toBeGreaterThan(1e10);
        expect(row.f).toBe(Infinity);
      });
    }
    // Constant offset: lme4 stops away from the REML optimum ("Model failed to converge"), at a
    // different point on each run of the R script (offset2's ICC1 came out -1.4e-5 on one run and
    // 0.79 on another, against 0.529 from aov), so psych's lmer numbers are not a reference there.
    // The REML optimum of a table with MSE = 0 is the ANOVA solution (no variance component on the
    // boundary: MSB and MSJ exceed MSE = 0), so radnomo's lmer equals its aov, i.e. psych's aov limits.
    for (const name of ['offset3', 'offset2']) {
      const c = edgeCase(name);
      expect(c.lmer.notes.join(' ')).toMatch(/failed to converge/);
      const lm = icc(c.table);
      const av = icc(c.table, { method: 'aov' });
      expect(lm.forms).toEqual(av.forms);
    }
  });

  test('degenerate tables: all values equal, or each rater constant over subjects', () => {
    const same = icc([[2.1, 2.1, 2.1], [2.1, 2.1, 2.1], [2.1, 2.1, 2.1]], { method: 'aov' });
    expect([same.msb, same.msj, same.mse]).toEqual([0, 0, 0]);
    expect(same.forms.every((f) => Number.isNaN(f.icc))).toBe(true);
    expect(same.warnings[0]).toMatch(/every value is the same/);
    const cols = icc([[0.1, 0.7], [0.1, 0.7], [0.1, 0.7], [0.1, 0.7]], { method: 'aov' });
    expect([cols.msb, cols.mse]).toEqual([0, 0]);
    expect(cols.msj).toBeGreaterThan(0);
    expect(cols.warnings[0]).toMatch(/each rater gives every subject the same value/);
  });

  test('a residual of 1 ulp is not taken for 0', () => {
    const c = edgeCase('offset3');
    const t = c.table.map((row) => row.slice());
    t[4]![2] = t[4]![2]! + 2 ** -40; // no longer an exact constant offset
    const r = icc(t, { method: 'aov' });
    expect(r.mse).toBeGreaterThan(0);
    expect(r.warnings).toEqual([]);
    expect(Number.isFinite(r.forms[1]!.f)).toBe(true);
  });

  test('radnomo stats icc: the limits in the CLI output, both methods', () => {
    const c = edgeCase('offset3');
    const rows = c.table.flatMap((r, s) => r.map((v, j) => `S${s + 1},R${j + 1},${v},${edgeCase('perfect_dec').table[s]![j]}`));
    const t = parseCsv(['id,reader,offset,perfect', ...rows].join('\n'), 'edge.csv');
    for (const method of ['aov', 'lmer'] as const) {
      const out = cliIcc.run(t, { subject: 'id', rater: 'reader', method });
      const j = out.json as { features: Array<{ feature: string; forms: Array<{ type: string; lower: number; upper: number; f: number; p: number }>; warnings: string[] }> };
      const off = j.features.find((f) => f.feature === 'offset')!;
      close1e10(off.forms[1]!.lower, c.aov.lower[1]!);
      close1e10(off.forms[4]!.upper, c.aov.upper[4]!);
      expect(off.forms[1]!.p).toBe(0);
      expect(off.warnings.join(' ')).toMatch(/constant offset/);
      const per = j.features.find((f) => f.feature === 'perfect')!;
      expect(per.forms.map((f) => [f.lower, f.upper])).toEqual(Array(6).fill([1, 1]));
      expect(out.text).toMatch(/Inf/);
      expect(out.text).not.toMatch(/NaN/);
    }
  });
});

function close1e10(a: number, e: number): void {
  if (!(Math.abs(a - e) <= 1e-10 * Math.abs(e))) throw new Error(`${a} vs psych ${e}`);
}
