import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsv, readCsv, numericColumn } from '../../src/io/csv';
import { isRadnomoError } from '../../src/errors';
import { defineStudy, fitStudyModel, predictorColumns, readModelFile, scoreRows, writeOutputs, MIN_EVENTS, MIN_ROWS } from '../../src/study';
import { fitLogistic } from '../../stats/logistic';
import { runNomogram } from '../../src/cli/nomogram-command';
import { runTables } from '../../src/cli/tables-command';
import { runPredict } from '../../src/cli/predict-command';

const root = path.join(__dirname, '..', '..');
const csvPath = path.join(root, 'fixtures/example/wdbc_study.csv');
const table = readCsv(csvPath);
const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'radnomo-study-'));
const quiet = (): void => undefined;

/** Throws a RadnomoError whose message matches. */
function expectError(f: () => unknown, re: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(isRadnomoError(err)).toBe(true);
  expect((err as Error).message).toMatch(re);
}
async function expectRejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(isRadnomoError(err)).toBe(true);
  expect((err as Error).message).toMatch(re);
}

/** A small CSV text: n rows, outcome y alternating in blocks, split by `split`. */
function small(n: number, opts: { events?: number; outcome?: (i: number) => string; split?: (i: number) => string; grade?: (i: number) => string } = {}): string {
  const ev = opts.events ?? Math.floor(n / 2);
  const lines = ['y,x,grade,set'];
  for (let i = 0; i < n; i++) {
    const y = opts.outcome ? opts.outcome(i) : i < ev ? '1' : '0';
    lines.push(`${y},${((i * 37) % 23) / 3 + (i < ev ? 1 : 0)},${opts.grade ? opts.grade(i) : ['a', 'b', 'c'][i % 3]},${opts.split ? opts.split(i) : 'train'}`);
  }
  return lines.join('\n') + '\n';
}

describe('study rows: split, outcome and size checks', () => {
  test('training and test rows from the split column; "train" found without --train', () => {
    const s = defineStudy(table, { outcome: 'malignant', split: 'split' });
    expect(s.trainValue).toBe('train');
    expect(s.testValue).toBe('test');
    expect(s.train.length).toBe(398);
    expect(s.test.length).toBe(171);
    expect(s.train.reduce((a, i) => a + s.y[i]!, 0)).toBe(148);
    expect(s.test.reduce((a, i) => a + s.y[i]!, 0)).toBe(64);
    const noSplit = defineStudy(table, { outcome: 'malignant' });
    expect(noSplit.train.length).toBe(569);
    expect(noSplit.test.length).toBe(0);
  });

  test('outcome that is not binary names the column and row', () => {
    expectError(() => defineStudy(parseCsv(small(40, { outcome: (i) => String(i % 3) }), 'x.csv'), { outcome: 'y' }), /outcome column "y" holds "2" at row 4; the outcome must be binary/);
    expectError(() => defineStudy(table, { outcome: 'radius_mean' }), /outcome column "radius_mean" holds "17.99"/);
  });

  test('too few rows or events in a split says how few', () => {
    expect(MIN_ROWS).toBe(20);
    expect(MIN_EVENTS).toBe(10);
    expectError(() => defineStudy(parseCsv(small(15), 'x.csv'), { outcome: 'y' }), /has 15 complete row\(s\); at least 20 are needed/);
    expectError(() => defineStudy(parseCsv(small(60, { events: 6 }), 'x.csv'), { outcome: 'y' }), /has 6 event\(s\) \("y" = 1\) and 54 non-event\(s\).*at least 10 of each/);
    const csv = small(60, { split: (i) => (i % 5 === 0 ? 'test' : 'train') });
    expectError(() => defineStudy(parseCsv(csv, 'x.csv'), { outcome: 'y', split: 'set' }), /test set \("set" = "test"\) has 12 complete row\(s\); at least 20/);
  });

  test('split column problems name the column', () => {
    expectError(() => defineStudy(table, { outcome: 'malignant', split: 'nope' }), /split column "nope" is not a column/);
    expectError(() => defineStudy(table, { outcome: 'malignant', split: 'split', train: 'TRAIN' }), /no row with the training value "TRAIN" \(its values are: test, train\)/);
    const three = small(90, { split: (i) => ['train', 'test', 'external'][i % 3]! });
    expectError(() => defineStudy(parseCsv(three, 'x.csv'), { outcome: 'y', split: 'set' }), /split column "set" must have two values/);
    expectError(() => defineStudy(table, { outcome: 'malignant', split: 'symmetry_tertile' }), /say which value of split column "symmetry_tertile"/);
  });

  test('rows with a missing outcome or required value are dropped and counted', () => {
    const csv = small(60).replace(/\n1,/, '\nNA,');
    const s = defineStudy(parseCsv(csv, 'x.csv'), { outcome: 'y' });
    expect(s.dropped).toBe(1);
    expect(s.train.length).toBe(59);
    expect(s.notes[0]).toMatch(/1 row\(s\) with a missing outcome/);
  });
});

describe('model fitted on training rows only', () => {
  const s = defineStudy(table, { outcome: 'malignant', split: 'split', train: 'train' });
  test('probabilities equal glm on the training rows applied to all rows; test labels unused', () => {
    const m = fitStudyModel(s, ['radius_mean', 'symmetry_tertile'], ['symmetry_tertile']);
    const y = Float64Array.from(s.train, (i) => s.y[i]!);
    const f = fitLogistic(y, predictorColumns(table, s.train, ['radius_mean', 'symmetry_tertile'], ['symmetry_tertile']));
    expect(Array.from(m.fit.model.coefficients)).toEqual(Array.from(f.model.coefficients));
    const testProb = f.model.predict(f.encoder.apply(predictorColumns(table, s.test, ['radius_mean', 'symmetry_tertile'], ['symmetry_tertile'])));
    s.test.forEach((r, k) => expect(m.probability[r]).toBe(testProb[k]));
    // flipping every test label changes nothing
    const flipped = { ...s, y: Float64Array.from(s.y, (v, i) => (s.test.includes(i) ? 1 - v : v)) };
    expect(Array.from(fitStudyModel(flipped, ['radius_mean']).fit.model.coefficients)).toEqual(Array.from(fitStudyModel(s, ['radius_mean']).fit.model.coefficients));
  });

  test('bad predictors: not in the data, the outcome, a test level unseen in training', () => {
    expectError(() => fitStudyModel(s, ['radius_mean', 'nope']), /predictor "nope" is not a column/);
    expectError(() => fitStudyModel(s, ['malignant']), /outcome "malignant" cannot also be a predictor/);
    expectError(() => fitStudyModel(s, ['radius_mean'], ['texture_mean']), /--categorical column "texture_mean" is not among the predictors/);
    const csv = small(80, { split: (i) => (i % 2 === 0 ? 'train' : 'test'), grade: (i) => (i === 5 ? 'zzz' : ['a', 'b'][(i >> 1) % 2]!), events: 40 });
    const st = defineStudy(parseCsv(csv, 'g.csv'), { outcome: 'y', split: 'set', train: 'train' });
    expectError(() => fitStudyModel(st, ['x', 'grade'], ['grade']), /categorical predictor "grade" has level "zzz" at row 7 \(test set\) that no training row has \(training levels: a, b\)/);
  });
});

describe('atomic outputs', () => {
  test('all files appear together; a failure leaves none and no temporary files', () => {
    const dir = tmp();
    writeOutputs([{ path: path.join(dir, 'a.txt'), data: 'A' }, { path: path.join(dir, 'sub', 'b.txt'), data: 'B' }]);
    expect(fs.readFileSync(path.join(dir, 'sub', 'b.txt'), 'utf8')).toBe('B');
    const bad = path.join(dir, 'file-not-dir');
    fs.writeFileSync(bad, 'x');
    expectError(() => writeOutputs([{ path: path.join(dir, 'c.txt'), data: 'C' }, { path: path.join(bad, 'd.txt'), data: 'D' }]), /nothing was written/);
    expect(fs.existsSync(path.join(dir, 'c.txt'))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('radnomo nomogram, tables and predict', () => {
  const base = { data: csvPath, outcome: 'malignant', split: 'split', train: 'train' };
  test('nomogram writes model.json, SVG, 300 dpi PNG, calculator, predictions; predict reproduces them', async () => {
    const dir = tmp();
    const out = path.join(dir, 'nomo');
    expect(await runNomogram({ ...base, predictors: 'radius_mean,texture_mean,symmetry_tertile', categorical: 'symmetry_tertile', outDir: out }, quiet)).toBe(0);
    for (const f of ['model.json', 'nomogram.svg', 'nomogram.png', 'nomogram.html', 'predictions.csv', 'roc.svg', 'roc.png', 'calibration.svg', 'calibration.png', 'dca_training.svg', 'dca_test.png']) expect(fs.existsSync(path.join(out, f))).toBe(true);
    const png = fs.readFileSync(path.join(out, 'nomogram.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const phys = png.indexOf('pHYs');
    expect(png.readUInt32BE(phys + 4)).toBe(Math.round(300 / 0.0254)); // pixels per metre
    const model = readModelFile(path.join(out, 'model.json'));
    expect(model.n.train).toBe(398);
    const scored = path.join(dir, 'scored.csv');
    expect(await runPredict({ model: path.join(out, 'model.json'), data: csvPath, out: scored }, quiet)).toBe(0);
    const a = numericColumn(readCsv(path.join(out, 'predictions.csv')), 'nomogram_probability');
    const b = numericColumn(readCsv(scored), 'probability');
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-12);
    // total points agree with the nomogram object
    const pts = numericColumn(readCsv(scored), 'total_points');
    expect(pts.every((v) => v >= 0 && v <= 400)).toBe(true);
  });

  test('bad input to nomogram: error naming the column and nothing written', async () => {
    const dir = tmp();
    const out = path.join(dir, 'nomo');
    await expectRejects(runNomogram({ ...base, predictors: 'radius_mean,not_a_column', outDir: out }, quiet), /"not_a_column" is not a column/);
    await expectRejects(runNomogram({ ...base, outcome: 'symmetry_tertile', predictors: 'radius_mean', outDir: out }, quiet), /outcome column "symmetry_tertile" holds "T3".*binary/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('tables writes every table in three formats; bad model column writes nothing', async () => {
    const dir = tmp();
    const nomo = path.join(dir, 'nomo');
    await runNomogram({ ...base, predictors: 'radius_mean,texture_mean', outDir: nomo }, quiet);
    const out = path.join(dir, 'tables');
    expect(await runTables({ ...base, data: path.join(nomo, 'predictions.csv'), models: 'nomogram_probability,radius_mean,area_mean,concavity_mean', predictors: 'radius_mean,texture_mean,symmetry_tertile', outDir: out }, quiet)).toBe(0);
    const files = fs.readdirSync(out);
    for (const id of ['table1', 'regression', 'performance', 'delong', 'hosmer-lemeshow']) for (const ext of ['csv', 'md', 'html']) expect(files).toContain(`${id}.${ext}`);
    expect(files).toContain('tables.json');
    const json = JSON.parse(fs.readFileSync(path.join(out, 'tables.json'), 'utf8')) as { performance: { rules: Array<{ model: string }> } };
    expect(json.performance.rules.map((r) => r.model)).toEqual(['nomogram_probability', 'radius_mean', 'area_mean', 'concavity_mean']);
    const out2 = path.join(dir, 'tables2');
    await expectRejects(runTables({ ...base, models: 'radius_mean,symmetry_tertile', outDir: out2 }, quiet), /column "symmetry_tertile" row 2 holds "T3", which is not a number/);
    await expectRejects(runTables({ ...base, models: 'nope', outDir: out2 }, quiet), /"nope" is not a column/);
    expect(fs.existsSync(out2)).toBe(false);
  });

  test('predict: missing predictor column and unseen level are errors naming the column; nothing written', async () => {
    const dir = tmp();
    const nomo = path.join(dir, 'nomo');
    await runNomogram({ ...base, predictors: 'radius_mean,symmetry_tertile', categorical: 'symmetry_tertile', outDir: nomo }, quiet);
    const model = path.join(nomo, 'model.json');
    const noCol = path.join(dir, 'nocol.csv');
    fs.writeFileSync(noCol, 'radius_mean,other\n12,1\n');
    const out = path.join(dir, 'scored.csv');
    await expectRejects(runPredict({ model, data: noCol, out }, quiet), /predictor column "symmetry_tertile" is missing/);
    const unseen = path.join(dir, 'unseen.csv');
    fs.writeFileSync(unseen, 'radius_mean,symmetry_tertile\n12,T1\n14,T4\n');
    await expectRejects(runPredict({ model, data: unseen, out }, quiet), /column "symmetry_tertile" row 3 has level "T4", which the model was not fitted on \(levels: T1, T2, T3\)/);
    expect(fs.existsSync(out)).toBe(false);
    const missing = path.join(dir, 'missing.csv');
    fs.writeFileSync(missing, 'radius_mean,symmetry_tertile\n12,T1\nNA,T2\n');
    const scores = scoreRows(readModelFile(model), readCsv(missing));
    expect(Number.isNaN(scores[1]!.probability)).toBe(true);
    expect(scores[0]!.probability).toBeGreaterThan(0);
    await expectRejects(runPredict({ model: csvPath, data: missing, out }, quiet), /not valid JSON|not a radnomo model/);
  });

  test('predict: numeric category levels match by value, as R factors of a numeric column ("2.0" is level "2")', async () => {
    const dir = tmp();
    const numeric = path.join(dir, 'numeric_levels.csv');
    fs.writeFileSync(numeric, fs.readFileSync(csvPath, 'utf8').replace(/,T([123])(?=,|\r?\n|$)/gm, ',$1'));
    const nomo = path.join(dir, 'nomo');
    await runNomogram({ ...base, data: numeric, predictors: 'radius_mean,symmetry_tertile', categorical: 'symmetry_tertile', outDir: nomo }, quiet);
    const m = readModelFile(path.join(nomo, 'model.json'));
    const rows = path.join(dir, 'rows.csv');
    fs.writeFileSync(rows, 'radius_mean,symmetry_tertile\n12,2\n12,2.0\n12,3\n');
    const s = scoreRows(m, readCsv(rows));
    expect(s[1]!.probability).toBe(s[0]!.probability);
    expect(s[2]!.probability).not.toBe(s[0]!.probability);
    fs.writeFileSync(rows, 'radius_mean,symmetry_tertile\n12,4\n');
    expect(() => scoreRows(m, readCsv(rows))).toThrow(/level "4", which the model was not fitted on \(levels: 1, 2, 3\)/);
  });
});
