import * as fs from 'node:fs';
import * as path from 'node:path';
import { analysis as table1 } from '../../src/cli/stats/table1';
import { readCsv, stringColumn } from '../../src/io/csv';
import {
  chiSquareTest,
  contingencyTable,
  fisherTest,
  kruskalWallis,
  onewayAnova,
  pwilcox,
  sortLevels,
  tTest,
  wilcoxonTest,
} from '../../stats/tests';
import { TreatmentEncoder } from '../../stats/logistic';

type Num = number | 'Inf' | '-Inf';
interface Golden {
  ttest: {
    label: string; x: number[]; y: number[]; varEqual: boolean; statistic: number; df: number; pValue: number;
    confInt: number[]; estimate: number[]; stderr: number; method: string;
  }[];
  wilcox: { label: string; x: number[]; y: number[]; statistic: number; pValue: number; method: string; warnings: string[] }[];
  kgroups: {
    label: string; groups: Record<string, number[]>;
    anova: { statistic: number; df: number[]; pValue: number };
    kruskal: { statistic: number; df: number; pValue: number };
  }[];
  chisq: {
    label: string; table: number[][]; correct: boolean; statistic: number; df: number; pValue: number;
    expected: number[][]; method: string; warnings: string[];
  }[];
  fisher: { label: string; table: number[][]; pValue: number; oddsRatio?: Num; confInt?: Num[] }[];
  table: { rowLevels: string[]; colLevels: string[]; counts: number[][] };
}
const G = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/tests.json'), 'utf8')) as Golden;
const num = (v: Num): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : v);

function rel(got: number, want: number): number {
  if (!Number.isFinite(want)) return got === want ? 0 : Infinity;
  if (want === 0) return Math.abs(got);
  return Math.abs(got - want) / Math.abs(want);
}

describe('t tests match R t.test (fixtures/reference/tests.R)', () => {
  for (const g of G.ttest) {
    test(g.label, () => {
      const r = tTest(g.x, g.y, { varEqual: g.varEqual });
      expect(r.method).toBe(g.method);
      expect(rel(r.statistic, g.statistic)).toBeLessThan(1e-12);
      expect(rel(r.df, g.df)).toBeLessThan(1e-12);
      expect(rel(r.pValue, g.pValue)).toBeLessThan(1e-11);
      expect(rel(r.confInt[0], g.confInt[0]!)).toBeLessThan(1e-11);
      expect(rel(r.confInt[1], g.confInt[1]!)).toBeLessThan(1e-11);
      expect(rel(r.estimate[0], g.estimate[0]!)).toBeLessThan(1e-14);
      expect(rel(r.estimate[1], g.estimate[1]!)).toBeLessThan(1e-14);
      expect(rel(r.stderr, g.stderr)).toBeLessThan(1e-13);
    });
  }
  test('constant data and too few observations are errors', () => {
    expect(() => tTest([1, 1, 1], [1, 1, 1])).toThrow(/essentially constant/);
    expect(() => tTest([1], [2, 3])).toThrow(/not enough 'x'/);
    expect(() => tTest([1, NaN], [2, 3])).toThrow(/NaN/);
  });
});

describe('Wilcoxon rank-sum test matches R wilcox.test defaults', () => {
  for (const g of G.wilcox) {
    test(g.label, () => {
      const r = wilcoxonTest(g.x, g.y);
      expect(r.method).toBe(g.method);
      expect(r.statistic).toBe(g.statistic);
      expect(rel(r.pValue, g.pValue)).toBeLessThan(1e-12);
      expect(r.warnings).toEqual(g.warnings);
    });
  }
  test('pwilcox: closed form for m = 1 (uniform on 0..n) and symmetry', () => {
    for (let q = 0; q <= 7; q++) expect(rel(pwilcox(q, 1, 7), (q + 1) / 8)).toBeLessThan(1e-15);
    expect(rel(pwilcox(10, 5, 6) + pwilcox(10, 5, 6, false), 1)).toBeLessThan(1e-15);
    expect(rel(pwilcox(12, 5, 6), pwilcox(30 - 12 - 1, 5, 6, false))).toBeLessThan(1e-14);
  });
});

describe('one-way ANOVA and Kruskal–Wallis match R oneway.test(var.equal = TRUE) and kruskal.test', () => {
  for (const g of G.kgroups) {
    test(g.label, () => {
      const groups = Object.values(g.groups);
      const a = onewayAnova(groups);
      expect(rel(a.statistic, g.anova.statistic)).toBeLessThan(1e-12);
      expect(a.df).toEqual(g.anova.df);
      expect(rel(a.pValue, g.anova.pValue)).toBeLessThan(1e-11);
      const k = kruskalWallis(groups);
      expect(rel(k.statistic, g.kruskal.statistic)).toBeLessThan(1e-12);
      expect(k.df).toBe(g.kruskal.df);
      expect(rel(k.pValue, g.kruskal.pValue)).toBeLessThan(1e-11);
    });
  }
});

describe('chi-square test matches R chisq.test', () => {
  for (const g of G.chisq) {
    test(g.label, () => {
      const r = chiSquareTest(g.table, { correct: g.correct });
      expect(r.method).toBe(g.method);
      expect(rel(r.statistic, g.statistic)).toBeLessThan(1e-13);
      expect(r.df).toBe(g.df);
      expect(rel(r.pValue, g.pValue)).toBeLessThan(1e-12);
      r.expected.forEach((row, i) => row.forEach((e, j) => expect(rel(e, g.expected[i]![j]!)).toBeLessThan(1e-14)));
      expect(r.warnings).toEqual(g.warnings);
    });
  }
  test('an all-zero row is an error', () => {
    expect(() => chiSquareTest([[0, 0], [3, 4]])).toThrow(/all zero/);
  });
});

describe("Fisher's exact test matches R fisher.test", () => {
  for (const g of G.fisher) {
    test(g.label, () => {
      const r = fisherTest(g.table);
      expect(rel(r.pValue, g.pValue)).toBeLessThan(1e-12);
      if (g.oddsRatio !== undefined) {
        // R finds these with uniroot (tol 1.2e-4); ours replays uniroot's steps, so they agree to rounding
        expect(rel(r.oddsRatio!, num(g.oddsRatio))).toBeLessThan(1e-12);
        expect(rel(r.confInt![0], num(g.confInt![0]!))).toBeLessThan(1e-12);
        expect(rel(r.confInt![1], num(g.confInt![1]!))).toBeLessThan(1e-12);
      } else {
        expect(r.oddsRatio).toBeUndefined();
      }
    });
  }
  test('too large an r x c table is refused with advice, not left running', () => {
    expect(() => fisherTest([[30, 40, 35], [45, 30, 38], [33, 41, 29]], { maxTables: 1000 })).toThrow(/chi-square/);
  });
});

describe('contingency table from two string columns', () => {
  test('matches R table(wfns, gender) on aSAH, with R level order', () => {
    const t = readCsv(path.join(__dirname, '../../fixtures/aSAH.csv'));
    const ct = contingencyTable(stringColumn(t, 'wfns'), stringColumn(t, 'gender'));
    expect(ct.rowLevels).toEqual(G.table.rowLevels);
    expect(ct.colLevels).toEqual(G.table.colLevels);
    expect(ct.counts).toEqual(G.table.counts);
    expect(ct.dropped).toBe(0);
  });
  test('missing values are dropped pairwise and counted; numeric levels sort numerically', () => {
    const ct = contingencyTable(['10', '9', 'NA', '9', ''], ['a', 'b', 'a', 'NA', 'b']);
    expect(ct.rowLevels).toEqual(['9', '10']);
    expect(ct.counts).toEqual([[0, 1], [1, 0]]);
    expect(ct.dropped).toBe(3);
    expect(() => contingencyTable(['a'], ['b', 'c'])).toThrow(/different lengths/);
  });
});

// ---------------------------------------------------------------------------------------------
// radnomo stats table1
// ---------------------------------------------------------------------------------------------

interface T1Summary { n: number; mean: number; sd: number; median: number; q1: number; q3: number }
interface T1Cont { overall: T1Summary; groups: T1Summary[]; pParametric: number; pNonparametric: number }
interface T1Cat { levels: string[]; counts: number[][]; test: string; p: number }
const T1 = (G as unknown as { table1: Record<string, Record<string, T1Cont | T1Cat>> }).table1;

describe('radnomo stats table1 matches R on aSAH (t.test / wilcox.test / oneway.test / kruskal.test / chisq.test / fisher.test)', () => {
  const data = readCsv(path.join(__dirname, '../../fixtures/aSAH.csv'));
  type VarJson = {
    name: string; type: string; test: string; p: number; overall?: T1Summary; groups?: T1Summary[];
    levels?: { level: string; groups: { n: number; percent: number }[] }[];
  };
  const check = (group: string, vars: string[], categorical: string[], nonparametric: boolean): void => {
    const out = table1.run(data, { group, vars: vars.join(','), categorical: categorical.join(','), nonparametric });
    const vs = out.json['variables'] as VarJson[];
    for (const v of vs) {
      const g = T1[group]![v.name]!;
      if (v.type === 'categorical') {
        const c = g as T1Cat;
        expect(v.levels!.map((l) => l.level)).toEqual(c.levels);
        v.levels!.forEach((l, r) => expect(l.groups.map((x) => x.n)).toEqual(c.counts[r]));
        expect(v.test).toEqual(c.test === 'fisher' ? "Fisher's exact test" : expect.stringContaining('Chi-squared'));
        expect(rel(v.p, c.p)).toBeLessThan(1e-12);
      } else {
        const c = g as T1Cont;
        const pw = nonparametric ? c.pNonparametric : c.pParametric;
        expect(rel(v.p, pw)).toBeLessThan(1e-11);
        for (const [got, want] of [[v.overall!, c.overall], ...v.groups!.map((s, k) => [s, c.groups[k]!])] as [T1Summary, T1Summary][]) {
          expect(got.n).toBe(want.n);
          for (const key of ['mean', 'sd', 'median', 'q1', 'q3'] as const) expect(rel(got[key], want[key])).toBeLessThan(1e-13);
        }
      }
    }
    expect(out.text).toContain('p');
  };
  test('two groups, parametric: Welch t tests, chi-square (Yates) and Fisher (expected < 5)', () => {
    check('outcome', ['age', 's100b', 'ndka', 'gender', 'wfns'], ['gender', 'wfns'], false);
  });
  test('two groups, nonparametric: Wilcoxon with ties', () => {
    check('outcome', ['age', 's100b', 'ndka'], [], true);
  });
  test('more than two groups: one-way ANOVA, Kruskal–Wallis, Fisher 2 x k', () => {
    check('gos6', ['age', 's100b', 'gender'], ['gender'], false);
    check('gos6', ['age', 's100b'], [], true);
  });
  test('usage errors name the option or column', () => {
    expect(() => table1.run(data, { vars: 'age' })).toThrow(/--group/);
    expect(() => table1.run(data, { group: 'outcome', vars: 'nope' })).toThrow(/nope/);
    expect(() => table1.run(data, { group: 'outcome', vars: 'age', categorical: 'gender' })).toThrow(/not among --vars/);
  });
});

describe('factor level order matches R (fixtures/reference/levels.R)', () => {
  const g = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/reference/levels.json'), 'utf8')) as {
    input: string[];
    levels: string[];
    numeric_input: number[];
    numeric_levels: string[];
  };
  test('text levels in R\'s ICU collation (case secondary), numbers numerically', () => {
    expect(sortLevels(g.input)).toEqual(g.levels);
    expect(sortLevels(g.numeric_input.map(String))).toEqual(g.numeric_levels);
    // the logistic encoder's reference level is the first: "a" before "B", as R picks it
    expect(new TreatmentEncoder().fit([{ name: 'g', values: ['B', 'a', 'c', 'B'] }]).levels.g).toEqual(['a', 'B', 'c']);
  });
});
