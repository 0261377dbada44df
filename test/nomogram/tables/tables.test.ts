/**
 * The paper tables show exactly what radnomo's statistics functions compute (those are verified
 * against R in test/stats/), formatted by the rules of format.ts. Data: the bundled WDBC example.
 */
import * as path from 'node:path';
import { numericColumn, readCsv, stringColumn } from '../../../src/io/csv';
import { defineStudy, fitStudyModel, predictorColumns } from '../../../src/study';
import { ciAucDelong, delongPaired } from '../../../stats/delong';
import { hosmerLemeshow } from '../../../stats/hosmer-lemeshow';
import { fitLogistic, univariableLogistic } from '../../../stats/logistic';
import { classificationMetrics } from '../../../stats/metrics';
import { roc, youdenBest } from '../../../stats/roc';
import { chiSquareTest, contingencyTable, mean, tTest, variance, wilcoxonTest } from '../../../stats/tests';
import { DASH, fmtCi, fmtMeanSd, fmtMedianIqr, fmtNum, fmtP, fmtRatio } from '../../../nomogram/tables/format';
import { sampleSkewness, quantile7 } from '../../../nomogram/tables/table1';
import { footnotesOf } from '../../../nomogram/tables/render';
import { studySets, studyTables, tableFiles, type ModelColumn } from '../../../nomogram/tables/index';
import { regressionTable } from '../../../nomogram/tables/regression-table';

const root = path.join(__dirname, '..', '..', '..');
const table = readCsv(path.join(root, 'fixtures/example/wdbc_study.csv'));
const study = defineStudy(table, { outcome: 'malignant', split: 'split', train: 'train' });
const sets = studySets(study);
const clinical = fitStudyModel(study, ['radius_mean', 'texture_mean', 'symmetry_tertile'], ['symmetry_tertile']);
const negTexture = Float64Array.from(numericColumn(table, 'texture_mean'), (v) => -v);
const models: ModelColumn[] = [
  { name: 'clinical', label: 'Clinical', values: clinical.probability },
  { name: 'radius_mean', values: numericColumn(table, 'radius_mean') },
  { name: 'neg_texture', values: negTexture }, // lower values predict malignancy: direction ">"
  { name: 'concave_points_mean', values: numericColumn(table, 'concave_points_mean') },
];
const vars = ['radius_mean', 'area_mean', 'symmetry_tertile'];
const predictors = ['radius_mean', 'texture_mean', 'symmetry_tertile'];
const res = studyTables(study, { vars, categorical: ['symmetry_tertile'], predictors, models });
const sub = (rows: readonly number[], x: ArrayLike<number>): Float64Array => Float64Array.from(rows, (i) => x[i]!);
const row = (id: string, label: string, nth = 0): string[] => {
  const t = res.tables.find((x) => x.id === id)!;
  return t.rows.filter((r) => r.cells[0] === label)[nth]!.cells;
};

describe('Table 1 equals the group tests and summaries', () => {
  const byGroup = (rows: readonly number[], v: string): [number[], number[]] => {
    const x = numericColumn(table, v);
    return [rows.filter((i) => study.y[i] === 0).map((i) => x[i]!), rows.filter((i) => study.y[i] === 1).map((i) => x[i]!)];
  };
  test('skewness rule picks mean ± SD for radius_mean and median [IQR] for area_mean', () => {
    const all = [...study.train, ...study.test];
    const rs = sampleSkewness(all.map((i) => numericColumn(table, 'radius_mean')[i]!));
    const as = sampleSkewness(all.map((i) => numericColumn(table, 'area_mean')[i]!));
    expect(Math.abs(rs)).toBeLessThanOrEqual(1);
    expect(Math.abs(as)).toBeGreaterThan(1);
    expect(res.table1!.summaries.radius_mean!.kind).toBe('mean');
    expect(res.table1!.summaries.area_mean!.kind).toBe('median');
    // G1 = sqrt(n(n-1))/(n-2) * m3/m2^1.5; R: e1071::skewness(c(1, 2, 3, 10), type = 2) = 1.7636326148
    expect(sampleSkewness([1, 2, 3, 10])).toBeCloseTo(1.7636326148, 9);
  });

  test('continuous cells and p-values: Welch t test / Wilcoxon on each set', () => {
    const cells = row('table1', 'radius_mean, mean ± SD');
    const d = res.table1!.summaries.radius_mean!.decimals;
    sets.forEach((s, k) => {
      const [g0, g1] = byGroup(s.rows, 'radius_mean');
      const t = tTest(g0, g1);
      expect(cells[1 + 3 * k]).toBe(fmtMeanSd(mean(g0), Math.sqrt(variance(g0)), d));
      expect(cells[2 + 3 * k]).toBe(fmtMeanSd(mean(g1), Math.sqrt(variance(g1)), d));
      expect(cells[3 + 3 * k]).toBe(fmtP(t.pValue) + 'ᵃ');
      const cmp = res.table1!.sets[k]!.comparison.variables[0]!;
      expect(cmp.p).toBe(t.pValue);
    });
    const area = row('table1', 'area_mean, median [IQR]');
    const da = res.table1!.summaries.area_mean!.decimals;
    sets.forEach((s, k) => {
      const [g0, g1] = byGroup(s.rows, 'area_mean');
      expect(area[1 + 3 * k]).toBe(fmtMedianIqr(quantile7(g0, 0.5), quantile7(g0, 0.25), quantile7(g0, 0.75), da));
      const w = wilcoxonTest(g0, g1);
      expect(res.table1!.sets[k]!.comparison.variables[1]!.p).toBe(w.pValue);
      expect(area[3 + 3 * k]).toBe(fmtP(w.pValue) + 'ᵇ');
    });
    const notes = res.tables[0]!.footnotes[0]!;
    expect(notes).toContain('ᵃ Welch Two Sample t-test');
    expect(notes).toContain('ᵇ Wilcoxon rank sum');
  });

  test('categorical: n (%) within group and the chi-square test', () => {
    const s = stringColumn(table, 'symmetry_tertile');
    sets.forEach((set, k) => {
      const ct = contingencyTable(set.rows.map((i) => s[i]!), set.rows.map((i) => String(study.y[i])));
      const chi = chiSquareTest(ct.counts);
      expect(res.table1!.sets[k]!.comparison.variables[2]!.p).toBe(chi.pValue);
      const t3 = row('table1', 'T3');
      const r = ct.rowLevels.indexOf('T3');
      const n0 = ct.counts[r]![0]!;
      const tot0 = ct.counts.reduce((a, x) => a + x[0]!, 0);
      expect(t3[1 + 3 * k]).toBe(`${n0} (${((100 * n0) / tot0).toFixed(1)})`);
    });
  });
});

describe('regression table equals univariableLogistic and fitLogistic on the training rows', () => {
  const y = sub(study.train, study.y);
  const cols = predictorColumns(table, study.train, predictors, ['symmetry_tertile']);
  test('univariable and multivariable OR (95% CI) and p', () => {
    const uni = univariableLogistic(y, cols);
    const multi = fitLogistic(y, cols);
    expect(res.regression!.univariable.map((r) => r.or)).toEqual(uni.map((r) => r.or));
    const rad = row('regression', 'radius_mean');
    const u = uni.find((r) => r.term === 'radius_mean')!;
    const m = multi.coefficients.find((r) => r.term === 'radius_mean')!;
    expect(rad).toEqual(['radius_mean', fmtCi(u.or, u.orLower, u.orUpper, 2, fmtRatio), fmtP(u.p), fmtCi(m.or, m.orLower, m.orUpper, 2, fmtRatio), fmtP(m.p)]);
    expect(u.or).toBeCloseTo(Math.exp(u.estimate), 12);
    const t3 = row('regression', 'T3');
    const mt3 = multi.coefficients.find((r) => r.term === 'symmetry_tertileT3')!;
    expect(t3[3]).toBe(fmtCi(mt3.or, mt3.orLower, mt3.orUpper, 2, fmtRatio));
    expect(row('regression', 'T1 (reference)')).toEqual(['T1 (reference)', '1', '', '1', '']);
  });
});

describe('regression table with missing predictor values: each fit on its complete cases (glm na.omit)', () => {
  test('univariable fits use the rows where the predictor is present, the multivariable fit the complete rows', () => {
    const y = sub(study.train, study.y);
    const cols = predictorColumns(table, study.train, predictors, ['symmetry_tertile']);
    const rad = Float64Array.from(cols[0]!.values as ArrayLike<number>);
    const tert = [...(cols[2]!.values as readonly string[])];
    for (let i = 0; i < rad.length; i += 17) rad[i] = NaN; // 24 missing radius values
    for (let i = 5; i < tert.length; i += 29) tert[i] = ''; // 14 missing tertiles
    const withNa = [{ ...cols[0]!, values: rad }, cols[1]!, { ...cols[2]!, values: tert }];
    const r = regressionTable(y, withNa);
    const radRows = [...rad.keys()].filter((i) => !Number.isNaN(rad[i]!));
    const uniRad = univariableLogistic(sub(radRows, y), [{ name: 'radius_mean', values: sub(radRows, rad) }])[0]!;
    expect(r.univariable.find((u) => u.term === 'radius_mean')!.or).toBe(uniRad.or);
    const uniTex = univariableLogistic(y, [cols[1]!])[0]!;
    expect(r.univariable.find((u) => u.term === 'texture_mean')!.or).toBe(uniTex.or); // texture: all rows
    const both = radRows.filter((i) => tert[i] !== '');
    const multi = fitLogistic(sub(both, y), [
      { name: 'radius_mean', values: sub(both, rad) },
      { name: 'texture_mean', values: sub(both, cols[1]!.values as ArrayLike<number>) },
      { name: 'symmetry_tertile', values: both.map((i) => tert[i]!), categorical: true },
    ]);
    expect(r.multivariable!.coefficients.map((c) => c.estimate)).toEqual(multi.coefficients.map((c) => c.estimate));
    expect(r.table.footnotes.join(' ')).toContain(`radius_mean ${rad.length - radRows.length}, symmetry_tertile ${tert.filter((s) => s === '').length}`);
    expect(r.table.footnotes.join(' ')).toContain(`the ${both.length} rows complete for all its predictors`);
  });
});

describe('performance table: training Youden cut-off and direction applied to the test set', () => {
  test('AUC with DeLong CI and metrics with Clopper–Pearson CIs equal the stats functions', () => {
    for (const m of models) {
      const trY = sub(study.train, study.y);
      const trX = sub(study.train, m.values);
      const curve = roc(trY, trX);
      const thr = youdenBest(curve)[curve.direction === '<' ? 0 : youdenBest(curve).length - 1]!.threshold;
      const rule = res.performance!.rules.find((r) => r.model === m.name)!;
      expect(rule.direction).toBe(curve.direction);
      expect(rule.threshold).toBe(thr);
      sets.forEach((s, k) => {
        const yy = sub(s.rows, study.y);
        const xx = sub(s.rows, m.values);
        const c = roc(yy, xx, { direction: curve.direction });
        const ci = ciAucDelong(c);
        const met = classificationMetrics(yy, xx, thr, { direction: curve.direction, bootN: 1 }); // binomial CIs do not depend on bootN
        const r = res.performance!.results.find((q) => q.model === m.name && q.set === s.label)!;
        expect(r.auc.auc).toBe(c.auc);
        expect(r.auc.lower).toBe(ci.lower);
        expect(r.auc.upper).toBe(ci.upper);
        for (const key of ['accuracy', 'sensitivity', 'specificity', 'ppv', 'npv'] as const) {
          expect(r.metrics![key].estimate).toBe(met[key].estimate);
          expect(r.metrics![key].lower).toBe(met[key].lower);
          expect(r.metrics![key].upper).toBe(met[key].upper);
        }
        const cells = row('performance', m.label ?? m.name, k);
        expect(cells[1]).toBe(fmtCi(c.auc, ci.lower, ci.upper, 2));
        expect(cells[3]).toBe(fmtCi(met.sensitivity.estimate, met.sensitivity.lower, met.sensitivity.upper, 2));
        expect(cells[7]).toBe(fmtNum(thr, 3));
      });
    }
    expect(res.performance!.rules.find((r) => r.model === 'neg_texture')!.direction).toBe('>');
    const notes = res.tables.find((t) => t.id === 'performance')!.footnotes.join(' ');
    expect(notes).toMatch(/Youden-optimal threshold .* on the training set, applied unchanged to the test set/);
    expect(notes).toContain('neg_texture: lower values predict the event');
    // the table shows no bootstrap CI, so no note about one
    expect(notes).not.toMatch(/bootstrap/i);
  });
});

describe('DeLong matrix and Hosmer–Lemeshow', () => {
  test('pairwise p-values equal delongPaired with the training directions, per set', () => {
    const dirs = res.performance!.rules.map((r) => r.direction);
    sets.forEach((s, k) => {
      const mat = res.delong!.matrices[k]!;
      for (let i = 0; i < models.length; i++) {
        expect(mat.p[i]![i]).toBe(1);
        for (let j = i + 1; j < models.length; j++) {
          const r = delongPaired(sub(s.rows, study.y), sub(s.rows, models[i]!.values), sub(s.rows, models[j]!.values), { direction: [dirs[i]!, dirs[j]!] });
          expect(mat.p[i]![j]).toBe(r.p);
          expect(mat.p[j]![i]).toBe(r.p);
        }
      }
      const cells = row('delong', 'Clinical', k);
      expect(cells[1]).toBe('');
      expect(cells[2]).toBe(fmtP(mat.p[0]![1]!));
    });
  });

  test('HL p equals hosmerLemeshow for probabilities; scores get "—" with a footnote', () => {
    sets.forEach((s, k) => {
      const hl = hosmerLemeshow(sub(s.rows, study.y), sub(s.rows, clinical.probability));
      const c = res.hl!.cells.find((x) => x.model === 'clinical' && x.set === s.label)!;
      expect(c.result!.p).toBe(hl.p);
      const cells = row('hosmer-lemeshow', 'Clinical');
      expect(cells.slice(1 + 3 * k, 4 + 3 * k)).toEqual([fmtNum(hl.statistic, 2), String(hl.df), fmtP(hl.p)]);
    });
    expect(row('hosmer-lemeshow', 'radius_mean').slice(1)).toEqual([DASH, DASH, DASH, DASH, DASH, DASH]);
    const t = res.tables.find((x) => x.id === 'hosmer-lemeshow')!;
    const notes = footnotesOf(t).join('\n');
    expect(notes).toMatch(/— radius_mean, neg_texture: values are scores, not probabilities/);
  });

  test('one CSV, Markdown and HTML file per table, plus combined documents', () => {
    const files = tableFiles(res.tables).map((f) => f.name);
    for (const id of ['table1', 'regression', 'performance', 'delong', 'hosmer-lemeshow']) {
      for (const ext of ['csv', 'md', 'html']) expect(files).toContain(`${id}.${ext}`);
    }
    expect(files).toContain('tables.md');
    expect(files).toContain('tables.html');
  });
});
