/**
 * The bundled example study (what `npm start` runs after the feature demo): the Wisconsin
 * Diagnostic Breast Cancer data in fixtures/example/wdbc_study.csv (provenance and licence in
 * fixtures/example/README.md), shaped like a radiomics nomogram study:
 *   1. rad score: the 10 "_se" image features are z-scored with the training rows' means and SDs,
 *      a LASSO logistic path is cross-validated on the training rows only (cv.glmnet, 10 folds from
 *      a seeded generator) and the rad score is its linear predictor at lambda.1se for every row;
 *   2. models, each glm(family = binomial) fitted on the training rows: clinical (radius_mean,
 *      texture_mean, symmetry_tertile), radiomics (rad_score), nomogram (clinical + rad_score);
 *   3. `radnomo nomogram` of the combined model and `radnomo tables` of the three models.
 * Outputs go to <outDir>/study/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import { formatNumber, numericColumn, readCsv, toCsv, type CsvTable } from '../io/csv';
import { Random } from '../random';
import { coefAt, cvGlmnetBinomial, linkScores } from '../../stats/lasso';
import { ZScore } from '../../stats/standardise';
import { defineStudy, fitStudyModel, writeOutputs } from '../study';
import { runNomogram } from './nomogram-command';
import { runTables } from './tables-command';

/** The repository (package) root: the nearest folder above this file with radnomo's package.json. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'radnomo') return dir;
      } catch {
        /* not ours */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new RadnomoError('E_IO', `cannot find radnomo's package root above ${__dirname}.`);
    dir = up;
  }
}

/** The example study's design. */
export const EXAMPLE = {
  csv: ['fixtures', 'example', 'wdbc_study.csv'],
  outcome: 'malignant',
  split: 'split',
  train: 'train',
  clinical: ['radius_mean', 'texture_mean', 'symmetry_tertile'],
  categorical: ['symmetry_tertile'],
  radiomicFeatures: ['radius_se', 'texture_se', 'perimeter_se', 'area_se', 'smoothness_se', 'compactness_se', 'concavity_se', 'concave_points_se', 'symmetry_se', 'fractal_dimension_se'],
  seed: 20250601,
  nfolds: 10,
} as const;

/** The rad score of every row (NaN outside the study rows) and the LASSO behind it, fitted on training rows only. */
export function radScore(table: CsvTable): { score: Float64Array; lambda: number; coefficients: Array<{ name: string; value: number }>; zscore: { mean: number[]; sd: number[] } } {
  const study = defineStudy(table, { outcome: EXAMPLE.outcome, split: EXAMPLE.split, train: EXAMPLE.train, required: EXAMPLE.radiomicFeatures });
  const feats = [...EXAMPLE.radiomicFeatures];
  const cols = Object.fromEntries(feats.map((f) => [f, numericColumn(table, f)]));
  const pick = (rows: readonly number[]): Record<string, Float64Array> => Object.fromEntries(feats.map((f) => [f, Float64Array.from(rows, (i) => cols[f]![i]!)]));
  const z = new ZScore().fit(pick(study.train));
  const toRows = (c: Record<string, Float64Array>, n: number): Float64Array[] => Array.from({ length: n }, (_, i) => Float64Array.from(feats, (f) => c[f]![i]!));
  const trainRows = toRows(z.apply(pick(study.train)), study.train.length);
  const yTrain = Float64Array.from(study.train, (i) => study.y[i]!);
  const cv = cvGlmnetBinomial(trainRows, yTrain, feats, { nfolds: EXAMPLE.nfolds, random: new Random(EXAMPLE.seed) });
  const all = [...study.train, ...study.test];
  const s = linkScores(cv.fit, toRows(z.apply(pick(all)), all.length), cv.lambda1se);
  const score = new Float64Array(table.nrows).fill(NaN);
  all.forEach((r, k) => (score[r] = s[k]!));
  const c = coefAt(cv.fit, cv.lambda1se);
  const coefficients = [{ name: '(Intercept)', value: c.intercept }, ...feats.map((f, j) => ({ name: f, value: c.beta[j]! }))];
  return { score, lambda: cv.lambda1se, coefficients, zscore: { mean: Array.from(z.parameters.mean), sd: Array.from(z.parameters.sd) } };
}

/** The table with extra numeric columns appended, as CSV text (empty cells for NaN). */
function appendColumns(table: CsvTable, extra: Array<{ name: string; values: ArrayLike<number> }>): string {
  const rows: string[][] = [];
  for (let i = 0; i < table.nrows; i++) {
    rows.push([...table.names.map((n) => table.columns.get(n)![i]!), ...extra.map((e) => (Number.isNaN(e.values[i]!) ? '' : formatNumber(e.values[i]!)))]);
  }
  return toCsv([...table.names, ...extra.map((e) => e.name)], rows);
}

/** Runs the example study into `outDir/study/` and says where each output is. */
export async function runExampleStudy(outDir: string, log: (s: string) => void): Promise<void> {
  const root = packageRoot();
  const src = path.join(root, ...EXAMPLE.csv);
  const studyDir = path.join(outDir, 'study');
  const table = readCsv(src);
  const rel = (p: string): string => path.relative(process.cwd(), p) || p;

  // 1. rad score (LASSO on training rows only)
  const rs = radScore(table);
  const withScore = path.join(studyDir, 'wdbc_with_radscore.csv');
  const radJson = path.join(studyDir, 'radscore.json');
  writeOutputs([
    { path: withScore, data: appendColumns(table, [{ name: 'rad_score', values: rs.score }]) },
    {
      path: radJson,
      data:
        JSON.stringify(
          {
            description: 'rad score = LASSO logistic linear predictor at lambda.1se on z-scored features (z-score and LASSO fitted on the training rows only)',
            features: EXAMPLE.radiomicFeatures,
            zscore: rs.zscore,
            nfolds: EXAMPLE.nfolds,
            seed: EXAMPLE.seed,
            lambda_1se: rs.lambda,
            coefficients: rs.coefficients,
          },
          null,
          2,
        ) + '\n',
    },
  ]);

  // 2. the three models' predicted probabilities (each fitted on the training rows)
  const scored = readCsv(withScore);
  const nomoPredictors = [...EXAMPLE.clinical, 'rad_score'];
  const study = defineStudy(scored, { outcome: EXAMPLE.outcome, split: EXAMPLE.split, train: EXAMPLE.train, required: nomoPredictors });
  const clinical = fitStudyModel(study, [...EXAMPLE.clinical], [...EXAMPLE.categorical]);
  const radiomics = fitStudyModel(study, ['rad_score']);
  const nomogram = fitStudyModel(study, nomoPredictors, [...EXAMPLE.categorical]);
  const predictions = path.join(studyDir, 'predictions.csv');
  writeOutputs([
    {
      path: predictions,
      data: appendColumns(scored, [
        { name: 'clinical_model', values: clinical.probability },
        { name: 'radiomics_model', values: radiomics.probability },
        { name: 'nomogram_model', values: nomogram.probability },
      ]),
    },
  ]);

  // 3. nomogram and tables through the same code paths as the CLI commands
  const quiet = (): void => undefined;
  const nomoDir = path.join(studyDir, 'nomogram');
  await runNomogram(
    {
      data: withScore,
      outcome: EXAMPLE.outcome,
      predictors: nomoPredictors.join(','),
      categorical: EXAMPLE.categorical.join(','),
      split: EXAMPLE.split,
      train: EXAMPLE.train,
      outDir: nomoDir,
      title: 'Nomogram: probability of malignancy (WDBC example)',
      labels: 'radius_mean=Mean radius,texture_mean=Mean texture,symmetry_tertile=Symmetry tertile,rad_score=Rad score',
    },
    quiet,
  );
  const tablesDir = path.join(studyDir, 'tables');
  await runTables(
    {
      data: predictions,
      outcome: EXAMPLE.outcome,
      split: EXAMPLE.split,
      train: EXAMPLE.train,
      models: 'clinical_model,radiomics_model,nomogram_model',
      vars: nomoPredictors.join(','),
      predictors: nomoPredictors.join(','),
      categorical: EXAMPLE.categorical.join(','),
      outcomeLabels: 'Benign,Malignant',
      labels: 'clinical_model=Clinical model,radiomics_model=Radiomics model,nomogram_model=Nomogram,radius_mean=Mean radius,texture_mean=Mean texture,symmetry_tertile=Symmetry tertile,rad_score=Rad score',
      outDir: tablesDir,
    },
    quiet,
  );
  const ev = (rows: number[]): number => rows.reduce((a, i) => a + study.y[i]!, 0);
  log(`radnomo: example study (Wisconsin Diagnostic Breast Cancer, ${table.nrows} cases; training ${study.train.length} with ${ev(study.train)} malignant, test ${study.test.length} with ${ev(study.test)} malignant)`);
  log(`  data:        ${rel(src)} (provenance and licence: ${rel(path.join(root, 'fixtures', 'example', 'README.md'))})`);
  log(`  rad score:   ${rel(withScore)} (LASSO at lambda.1se = ${rs.lambda.toPrecision(4)}, ${rs.coefficients.slice(1).filter((c) => c.value !== 0).length} of ${EXAMPLE.radiomicFeatures.length} features; ${rel(radJson)})`);
  log(`  predictions: ${rel(predictions)} (clinical, radiomics and nomogram models)`);
  const files = fs.readdirSync(nomoDir);
  const figures = [...new Set(files.filter((f) => f.endsWith('.png') && f !== 'nomogram.png').map((f) => f.replace(/\.png$/, '')))].sort();
  log(`  nomogram:    ${rel(path.join(nomoDir, 'nomogram.png'))} (also .svg; offline calculator ${rel(path.join(nomoDir, 'nomogram.html'))}; model ${rel(path.join(nomoDir, 'model.json'))})`);
  log(`  figures:     ${figures.map((f) => rel(path.join(nomoDir, `${f}.png`))).join(', ')} (also .svg)`);
  log(`  tables:      ${rel(path.join(tablesDir, 'tables.html'))}, ${rel(path.join(tablesDir, 'tables.md'))} (and one CSV/Markdown/HTML file per table in ${rel(tablesDir)})`);
}
