import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCsv, readCsv, numericColumn, type CsvTable } from '../../src/io/csv';
import { averageRanks, correlationMatrix, CorrelationPruner, type CorrelationMethod, type PruneCriterion } from '../../stats/correlation';
import { analysis } from '../../src/cli/stats/correlation';
import { Random } from '../../src/random';

const FIX = path.join(__dirname, '..', '..', 'fixtures');
interface Prune { threshold: number; method: CorrelationMethod; criterion: PruneCriterion; score: number[]; kept: string[]; dropped: Array<{ feature: string; correlated_with: string; r: number }> }
interface Set_ { columns: string[]; pearson: number[][]; spearman: number[][]; prune: Prune[] }
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'correlation.json'), 'utf8')) as { sim: Set_; mtcars: Set_ };
const sets: Array<[string, Set_, CsvTable, string]> = [
  ['sim', golden.sim, readCsv(path.join(FIX, 'sim_logistic.csv')), 'y'],
  ['mtcars', golden.mtcars, readCsv(path.join(FIX, 'mtcars.csv')), 'am'],
];

let worst = 0;
function close(a: number, b: number, tol: number, label: string): void {
  const err = Math.abs(a - b);
  worst = Math.max(worst, err);
  if (!(err <= tol)) throw new Error(`${label}: got ${a}, R ${b} (abs error ${err.toExponential(2)})`);
}
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`correlation: worst absolute error against R = ${worst.toExponential(2)}`);
});

describe('correlation matrices match cor()', () => {
  for (const [name, g, t] of sets) {
    test(`${name}: pearson and spearman`, () => {
      const data = Object.fromEntries(g.columns.map((c) => [c, numericColumn(t, c)]));
      for (const method of ['pearson', 'spearman'] as const) {
        const cm = correlationMatrix(data, method);
        expect(cm.columns).toEqual(g.columns);
        g[method].forEach((row, i) => row.forEach((v, j) => close(cm.r[i]![j]!, v, 1e-14, `${name} ${method} [${i},${j}]`)));
      }
    });
  }
  test('average ranks for ties, as rank()', () => {
    expect(Array.from(averageRanks([10, 20, 10, 30, 20, 10]))).toEqual([2, 4.5, 2, 6, 4.5, 2]);
  });
  test('bad input names the column', () => {
    expect(() => correlationMatrix({ a: [1, 2, 3], b: [1, 1, 1] })).toThrow(/"b" is constant/);
    expect(() => correlationMatrix({ a: [1, 2, 3], b: [1, NaN, 2] })).toThrow(/"b" row 2/);
    expect(() => correlationMatrix({ a: [1, 2, 3], b: [1, 2] })).toThrow(/"b" has 2 rows/);
  });
  test('fast enough: 300 columns x 200 rows Spearman under 2 s', () => {
    const rng = new Random(3);
    const data: Record<string, Float64Array> = {};
    for (let c = 0; c < 300; c++) data[`f${c}`] = Float64Array.from({ length: 200 }, () => Math.round(rng.normal() * 10));
    const t0 = Date.now();
    const cm = correlationMatrix(data, 'spearman');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(cm.r[5]![5]).toBe(1);
  });
});

describe('CorrelationPruner follows the documented rule (R implementation in correlation.R)', () => {
  for (const [name, g, t, outcome] of sets) {
    for (const pr of g.prune) {
      test(`${name}: ${pr.method} |r| > ${pr.threshold} by ${pr.criterion}`, () => {
        const data = Object.fromEntries(g.columns.map((c) => [c, numericColumn(t, c)]));
        const pruner = new CorrelationPruner().fit(data, numericColumn(t, outcome), { threshold: pr.threshold, method: pr.method, criterion: pr.criterion });
        expect(pruner.kept).toEqual(pr.kept);
        expect(pruner.dropped.map((d) => [d.feature, d.correlatedWith])).toEqual(pr.dropped.map((d) => [d.feature, d.correlated_with]));
        pruner.dropped.forEach((d, k) => close(d.r, pr.dropped[k]!.r, 1e-14, 'r'));
        for (const [col, s] of Object.entries(pruner.scores)) {
          const ref = pr.score[g.columns.indexOf(col)]!;
          expect(Math.abs(s - ref)).toBeLessThanOrEqual(pr.criterion === 'auc' ? 1e-15 : 1e-9 * ref);
        }
        const selected = pruner.apply(data);
        expect(Object.keys(selected)).toEqual(pr.kept);
      });
    }
  }
  test('exact ties: r = 1 pairs and equal scores drop the later column', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const pr = new CorrelationPruner().fit({ a: x, b: x.map((v) => 2 * v), c: [3, 1, 2, 6, 4, 5] }, [0, 0, 1, 0, 1, 1], { threshold: 0.9, method: 'pearson' });
    expect(pr.kept).toEqual(['a', 'c']);
    expect(pr.dropped[0]).toMatchObject({ feature: 'b', correlatedWith: 'a' });
    expect(() => pr.apply({ a: 1 })).toThrow(/"c" is missing/);
  });
});

describe('radnomo stats correlation', () => {
  test('--all-numeric --method spearman --prune 0.9 --outcome y --criterion auc', () => {
    const g = golden.sim;
    const t = sets[0]![2];
    const cols = g.columns.join(',');
    const out = analysis.run(t, { columns: cols, method: 'spearman', prune: '0.9', outcome: 'y', criterion: 'auc' });
    expect((out.json.prune as { kept: string[] }).kept).toEqual(g.prune[0]!.kept);
    const all = analysis.run(t, { allNumeric: true, method: 'pearson' });
    // every numeric column, in file order; the string columns grade and site are skipped
    expect(all.json.columns).toEqual(['y', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'p_model', 'p_over', 'p_coarse', 'p_marker']);
    expect(all.json.columns as string[]).not.toContain('grade');
    expect(out.text).toMatch(/correlated with/);
  });
});

describe('--all-numeric reports the columns it leaves out', () => {
  test('a column with one stray text cell is named with the cell, not silently dropped', () => {
    const t = parseCsv('a,b,c,g\n1,2,3,x\n2,1,abc,y\n3,5,4,x\n4,3,1,y\n', 'stray.csv');
    const r = analysis.run(t, { allNumeric: true });
    expect((r.json as { warnings: string[] }).warnings).toEqual([
      'column "c" left out: row 3 holds "abc", which is not a number.',
      'column "g" left out: row 2 holds "x", which is not a number.',
    ]);
    expect(r.text).toMatch(/Warning: column "c" left out/);
  });
});
