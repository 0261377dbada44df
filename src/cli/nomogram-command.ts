/**
 * `radnomo nomogram --data d.csv --outcome Y --predictors A,B,... [--categorical C] [--split COL
 * --train VALUE] -o DIR`: fits glm(Y ~ A + B + ..., family = binomial) on the training rows, and
 * writes into DIR
 *   model.json       the fitted logistic model and its nomogram (read by `radnomo predict`)
 *   nomogram.svg     the nomogram (rms::nomogram conventions), nomogram.png at --dpi (300)
 *   nomogram.html    the self-contained offline calculator
 *   predictions.csv  the input rows with the model's predicted probability (for `radnomo tables`)
 *   roc, calibration, dca_training, dca_test (.svg and .png): figures of the nomogram's
 *                    predictions on each set (see FIGURES below)
 * Every output is built in memory first and written atomically at the end; on any error nothing
 * is written.
 */
import * as path from 'node:path';
import { isRadnomoError, RadnomoError } from '../errors';
import { readCsv, toCsv, formatNumber, type CsvTable } from '../io/csv';
import { calculatorHtml } from '../../nomogram/calculator-html';
import { nomogramSvg } from '../../nomogram/nomogram-svg';
import { svgToPng } from '../../nomogram/png';
import { calibrationFigureSvg, dcaFigureSvg, rocFigureSvg, type CalibrationFigureModel } from '../../nomogram/figures/index';
import { calibrateBoot } from '../../stats/calibration-bootstrap';
import { calibration } from '../../stats/calibration';
import { decisionCurves } from '../../stats/dca';
import { ciAucDelong } from '../../stats/delong';
import { roc } from '../../stats/roc';
import { defineStudy, fitStudyModel, modelFile, predictorColumns, writeOutputs, type OutputFile, type Study, type StudyModel } from '../study';
import { listOption } from './stats/common';

/** Options of `radnomo nomogram` (commander's camel-cased keys; all strings). */
export interface NomogramCommandOptions {
  data?: string;
  outcome?: string;
  predictors?: string;
  categorical?: string;
  split?: string;
  train?: string;
  outDir?: string;
  dpi?: string;
  width?: string;
  title?: string;
  labels?: string;
}

/** "name=Label,name2=Label 2" → record. */
export function parseLabels(v: string | undefined, flag = '--labels'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of listOption(v)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new RadnomoError('E_USAGE', `${flag} takes name=label pairs separated by commas, got "${part}".`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function required(v: string | undefined, flag: string): string {
  if (v === undefined || v.trim() === '') throw new RadnomoError('E_USAGE', `${flag} is required.`);
  return v.trim();
}

/** What the figure renderers get: the model's predictions per set. */
export interface FigureInputs {
  modelName: string;
  outcome: string;
  sets: Array<{ label: string; y: Float64Array; probability: Float64Array }>;
  /** The training rows' design matrix (no intercept), for the bootstrap bias-corrected calibration curve. */
  trainingDesign?: Float64Array[];
  /** The design matrix's term names (named in errors). */
  trainingTerms?: string[];
  /** The fit's separation warnings, added to an error of the bootstrap fit. */
  separation?: string[];
}

/** rms::calibrate-style bootstrap of the training rows, with errors that name the model's terms and its separation. */
function trainingBootstrap(inputs: FigureInputs, y: Float64Array): ReturnType<typeof calibrateBoot> {
  try {
    return calibrateBoot(inputs.trainingDesign!, y, { B: 200, seed: 20251123, names: inputs.trainingTerms });
  } catch (e) {
    if (!isRadnomoError(e)) throw e;
    const why = inputs.separation && inputs.separation.length > 0 ? ` The fit on the training rows reported: ${inputs.separation.join(' ')}` : '';
    throw new RadnomoError(e.code, `the bootstrap calibration curve (rms::calibrate) cannot be computed: ${e.message}${why}`);
  }
}

/**
 * FIGURES: the nomogram's ROC curves (training and test on one plot, DeLong 95% CIs), its
 * calibration curves (apparent, lowess, as rms::val.prob; one curve per set) and its decision
 * curves (one figure per set), drawn by nomogram/figures, as SVG and PNG at `dpi`.
 */
export function figureFiles(inputs: FigureInputs, outDir: string, dpi: number): OutputFile[] {
  const files: OutputFile[] = [];
  const add = (stem: string, svg: string): void => {
    files.push({ path: path.join(outDir, `${stem}.svg`), data: svg });
    files.push({ path: path.join(outDir, `${stem}.png`), data: svgToPng(svg, { dpi }) });
  };
  const rocModels = inputs.sets.map((s) => {
    const curve = roc(s.y, s.probability, { direction: '<', predictorName: inputs.modelName });
    return { name: s.label, curve, ci: ciAucDelong(curve) };
  });
  add('roc', rocFigureSvg(rocModels, { title: `ROC curves of the ${inputs.modelName.toLowerCase()}` }));
  // Training set: apparent and bootstrap bias-corrected (rms::calibrate, B = 200, seeded) curves;
  // other sets: apparent curves. A rug shows the distribution of predictions.
  const calModels: CalibrationFigureModel[] = inputs.sets.map((s, k) => ({
    name: s.label,
    calibration: calibration(s.probability, s.y),
    ...(k === 0 && inputs.trainingDesign ? { bootstrap: trainingBootstrap(inputs, s.y) } : {}),
  }));
  add('calibration', calibrationFigureSvg(calModels, { title: `Calibration of the ${inputs.modelName.toLowerCase()}`, apparent: true, rug: true }));
  for (const s of inputs.sets) {
    const stem = `dca_${s.label.toLowerCase().replace(/ set$/, '').replace(/[^a-z0-9]+/g, '_')}`;
    // the set is named in the legend: the figure carries no printed title (captions go in the paper)
    add(stem, dcaFigureSvg(decisionCurves(s.y, [{ name: `${inputs.modelName}, ${s.label.toLowerCase()}`, risk: s.probability }]), { title: `Decision curves, ${s.label.toLowerCase()}` }));
  }
  return files;
}

/** The figure inputs of a fitted study model. */
export function figureInputs(study: Study, m: StudyModel, modelName = 'Nomogram'): FigureInputs {
  const sets = [{ label: study.split ? 'Training set' : 'All rows', rows: study.train }];
  if (study.test.length > 0) sets.push({ label: 'Test set', rows: study.test });
  return {
    modelName,
    outcome: study.outcome,
    sets: sets.map((s) => ({ label: s.label, y: Float64Array.from(s.rows, (i) => study.y[i]!), probability: Float64Array.from(s.rows, (i) => m.probability[i]!) })),
    trainingDesign: m.fit.encoder.apply(predictorColumns(study.table, study.train, m.predictors, m.categorical)),
    trainingTerms: m.fit.encoder.terms,
    separation: m.fit.warnings.filter((w) => w.startsWith('separation') || w.includes('separates')),
  };
}

/** The input table with one more column (a model's value per row; empty where NaN). */
export function withColumn(table: CsvTable, name: string, values: ArrayLike<number>): string {
  let col = name;
  for (let k = 2; table.columns.has(col); k++) col = `${name}_${k}`;
  const rows: string[][] = [];
  for (let i = 0; i < table.nrows; i++) {
    const r = table.names.map((n) => table.columns.get(n)![i]!);
    r.push(Number.isNaN(values[i]!) ? '' : formatNumber(values[i]!));
    rows.push(r);
  }
  return toCsv([...table.names, col], rows);
}

/** Everything `radnomo nomogram` writes, computed in memory (no file is touched). */
export function nomogramOutputs(table: CsvTable, opts: NomogramCommandOptions, outDir: string): { files: OutputFile[]; study: Study; model: StudyModel } {
  const outcome = required(opts.outcome, '--outcome');
  const predictors = listOption(opts.predictors);
  if (predictors.length === 0) throw new RadnomoError('E_USAGE', '--predictors needs at least one column name.');
  const categorical = listOption(opts.categorical);
  if (opts.train !== undefined && opts.split === undefined) throw new RadnomoError('E_USAGE', '--train needs --split (the column that holds it).');
  const dpi = opts.dpi === undefined ? 300 : Number(opts.dpi);
  if (!(Number.isFinite(dpi) && dpi >= 50 && dpi <= 2400)) throw new RadnomoError('E_USAGE', `--dpi must be a number from 50 to 2400, got "${opts.dpi}".`);
  const width = opts.width === undefined ? 'double' : opts.width === 'single' || opts.width === 'double' ? opts.width : Number(opts.width);
  if (typeof width === 'number' && !(width >= 40 && width <= 600)) throw new RadnomoError('E_USAGE', `--width must be single, double or a width in mm (40..600), got "${opts.width}".`);
  const labels = parseLabels(opts.labels);
  const study = defineStudy(table, { outcome, split: opts.split?.trim(), train: opts.train, required: predictors });
  const model = fitStudyModel(study, predictors, categorical, labels);
  const title = opts.title ?? `Nomogram for ${outcome}`;
  const svg = nomogramSvg(model.nomogram, { width, title });
  const files: OutputFile[] = [
    { path: path.join(outDir, 'model.json'), data: JSON.stringify(modelFile(study, model), null, 2) + '\n' },
    { path: path.join(outDir, 'nomogram.svg'), data: svg },
    { path: path.join(outDir, 'nomogram.png'), data: svgToPng(svg, { dpi }) },
    {
      path: path.join(outDir, 'nomogram.html'),
      data: calculatorHtml(model.nomogram, {
        title,
        description: `Logistic model of ${outcome} on ${predictors.join(', ')}, fitted on ${study.train.length} training rows (${study.train.reduce((a, i) => a + study.y[i]!, 0)} events).`,
      }),
    },
    { path: path.join(outDir, 'predictions.csv'), data: withColumn(table, 'nomogram_probability', model.probability) },
    ...figureFiles(figureInputs(study, model), outDir, dpi),
  ];
  return { files, study, model };
}

/** `radnomo nomogram`: returns the exit code (0). Bad input throws a RadnomoError before anything is written. */
export async function runNomogram(opts: NomogramCommandOptions, log: (s: string) => void): Promise<number> {
  const data = required(opts.data, '--data');
  const outDir = path.resolve(required(opts.outDir, '-o/--out-dir'));
  const table = readCsv(data);
  const { files, study, model } = nomogramOutputs(table, opts, outDir);
  writeOutputs(files);
  const ev = (rows: number[]): number => rows.reduce((a, i) => a + study.y[i]!, 0);
  log(
    `radnomo: nomogram of "${study.outcome}" on ${model.predictors.join(', ')} fitted on ${study.train.length} training rows (${ev(study.train)} events)` +
      (study.split ? `; test set ${study.test.length} rows (${ev(study.test)} events)` : ''),
  );
  for (const n of study.notes) log(`  note: ${n}`);
  for (const w of model.fit.warnings) log(`  warning: ${w}`);
  for (const f of files) log(`  ${path.relative(process.cwd(), f.path) || f.path}`);
  return 0;
}
