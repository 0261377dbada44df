import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { RadnomoError, isRadnomoError } from '../errors';
import { readCsv } from '../io/csv';
import { VERSION } from '../version';
import { runExtract } from './extract-command';
import { runN4, type N4CommandOptions } from './n4-command';
import { runMerge } from './merge-command';
import { ANALYSES } from './stats/index';
import type { DeepExtractOptions, DeepGradcamOptions } from './deep-command';
import type { NomogramCommandOptions } from './nomogram-command';
import type { TablesCommandOptions } from './tables-command';
import type { PredictCommandOptions } from './predict-command';

// The commands that pull in TensorFlow.js or the SVG renderer are loaded when they run, so that
// `radnomo extract`, `stats` and every worker thread start without them (~0.4 s per process).
const deepCommand = (): typeof import('./deep-command') => require('./deep-command') as typeof import('./deep-command');
const nomogramCommand = (): typeof import('./nomogram-command') => require('./nomogram-command') as typeof import('./nomogram-command');
const tablesCommand = (): typeof import('./tables-command') => require('./tables-command') as typeof import('./tables-command');
const predictCommand = (): typeof import('./predict-command') => require('./predict-command') as typeof import('./predict-command');
const demoCommand = (): typeof import('./demo') => require('./demo') as typeof import('./demo');

function addStats(program: Command, out: (s: string) => void): void {
  const stats = program
    .command('stats')
    .description('statistics of a nomogram paper on a CSV file, verified against R')
    .addHelpText('after', '\nRun "radnomo stats <analysis> --help" for its options; add --json for one JSON object.');
  for (const a of ANALYSES) {
    const cmd = stats.command(a.name).description(a.summary).requiredOption('--data <file>', 'input CSV file').option('--json', 'print one JSON object instead of a table');
    for (const o of a.options) {
      const opt = new Option(o.flags, o.description);
      if (o.defaultValue !== undefined) opt.default(o.defaultValue);
      if (o.required) opt.makeOptionMandatory(true);
      cmd.addOption(opt);
    }
    cmd.action((opts: Record<string, string | boolean | undefined>) => {
      const table = readCsv(String(opts.data));
      const res = a.run(table, opts);
      out(opts.json ? JSON.stringify(res.json, jsonNumber, 2) : res.text);
    });
  }
}

/** JSON numbers as R's jsonlite writes them: infinities as the strings "Inf"/"-Inf", NaN as null. */
function jsonNumber(_key: string, v: unknown): unknown {
  if (typeof v !== 'number' || Number.isFinite(v)) return v;
  return Number.isNaN(v) ? null : v > 0 ? 'Inf' : '-Inf';
}

/** Builds the command-line program. `out` receives results, `log` messages. */
export function buildProgram(out: (s: string) => void, log: (s: string) => void, exit: { code: number }): Command {
  const program = new Command();
  program
    .name('radnomo')
    .description('Radiomics features exactly as PyRadiomics and IBSI, statistics exactly as R, for nomogram studies.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.replace(/\n$/, '')), writeErr: (s) => log(s.replace(/\n$/, '')) });

  program
    .command('extract')
    .description('extract radiomics features of one case, or of a PyRadiomics batch CSV')
    .argument('[image]', 'image file (.nii, .nii.gz, .nrrd, .nhdr, .mha, .mhd) or DICOM series folder')
    .argument('[mask]', 'label map of the ROI (same formats)')
    .option('-p, --params <file>', 'PyRadiomics parameter file (YAML or JSON); default: PyRadiomics defaults')
    .option('-o, --out <file>', 'output file (CSV, or JSON with --format json)')
    .option('-b, --batch <file>', 'PyRadiomics batch CSV with Image, Mask and optional Label columns; other columns are carried into the output')
    .option('-f, --format <format>', 'csv or json', 'csv')
    .option('-l, --label <n>', 'label of the ROI in the mask (overrides the params file)')
    .option('-q, --quiet', 'no progress output')
    .option('-j, --jobs <n>', 'batch: cases extracted in parallel on worker threads (default: the number of cores; 1 runs in-process)')
    .option('--resume', 'batch: continue an interrupted run from <out>.parts, skipping the cases already done')
    .option('--shard <K/N>', 'batch: extract only cases K, K+N, K+2N, ... (1-based K of N shards); join shard outputs with "radnomo merge"')
    .addHelpText(
      'after',
      `
Examples:
  radnomo extract brain.nrrd brain_label.nrrd -p params.yaml -o features.csv
  radnomo extract --batch cases.csv -p params.yaml -o features.csv --jobs 8
  radnomo extract --batch cases.csv -p params.yaml -o features.csv --resume
  radnomo extract --batch cases.csv -p params.yaml -o shard2.csv --shard 2/4

In a batch, a case that fails is listed with its error in <out>.errors.csv, the other cases
are written to <out>, and the exit code is 3. Each finished case is saved in <out>.parts/ as
it completes; if the run is interrupted, the same command with --resume continues it. The
folder is removed when <out> is written.`,
    )
    .action(async (image: string | undefined, mask: string | undefined, opts: Record<string, string | boolean | undefined>) => {
      exit.code = await runExtract(image, mask, opts as never, log);
    });

  program
    .command('merge')
    .description('join the outputs of "extract --batch --shard K/N" into one table in the batch order')
    .argument('<shards...>', 'shard output CSV files (their <shard>.errors.csv files are merged too)')
    .requiredOption('-b, --batch <file>', 'the batch CSV the shards were extracted from')
    .requiredOption('-o, --out <file>', 'merged output CSV (failed cases go to <out>.errors.csv)')
    .addHelpText(
      'after',
      `
Example:
  radnomo merge --batch cases.csv -o features.csv shard1.csv shard2.csv shard3.csv

Rows are matched to cases by their Image, Mask (and Label) columns. A case present twice or
shards with different columns are errors; cases missing from all shards are listed and the
exit code is 3.`,
    )
    .action((shards: string[], opts: { batch?: string; out?: string }) => {
      exit.code = runMerge(shards, opts, log);
    });

  addStats(program, out);

  program
    .command('n4')
    .description('N4 bias-field correction (Tustison 2010, as ITK/3D Slicer), defaults as Slicer')
    .argument('<image>', 'image to correct')
    .option('-m, --mask <file>', 'voxels used to estimate the field (non-zero); default: Otsu foreground')
    .option('--shrink <n>', 'shrink factor', '4')
    .option('--iterations <list>', 'iterations per fitting level, comma separated', '50,40,30')
    .option('--convergence <x>', 'convergence threshold', '0.0001')
    .option('--control-points <n>', 'control points per axis of the initial B-spline lattice (or x,y,z)', '4')
    .option('--spline-order <n>', 'B-spline order', '3')
    .option('--fwhm <x>', 'bias-field full width at half maximum', '0.15')
    .option('--wiener <x>', 'Wiener filter noise', '0.01')
    .option('--bins <n>', 'histogram bins', '200')
    .option('-o, --out <file>', 'corrected image (.nrrd, .nii, .nii.gz, .mha)')
    .option('--field <file>', 'also write the bias field')
    .option('--log-field <file>', 'also write the log bias field')
    .action(async (image: string, opts: N4CommandOptions) => {
      exit.code = await runN4(image, opts, log);
    });

  program
    .command('nomogram')
    .description('fit a logistic model on the training rows and draw its nomogram (as rms), calculator and figures')
    .requiredOption('--data <file>', 'input CSV')
    .requiredOption('--outcome <column>', 'binary outcome column (0/1)')
    .requiredOption('--predictors <columns>', 'comma-separated predictor columns')
    .option('--categorical <columns>', 'predictors to treat as categorical (treatment coding, R reference level)')
    .option('--split <column>', 'column that tells training from test rows')
    .option('--train <value>', 'value of --split that marks training rows (default: train)')
    .option('-o, --out-dir <dir>', 'output folder')
    .option('--dpi <n>', 'PNG resolution', '300')
    .option('--width <single|double|mm>', 'figure width: journal single (84 mm) or double (174 mm) column, or mm', 'double')
    .option('--title <text>', 'nomogram title')
    .option('--labels <name=Label,...>', 'display labels for predictors')
    .addHelpText('after', '\nWrites model.json, nomogram.svg/.png/.html, predictions.csv and the ROC, calibration and decision-curve figures.')
    .action(async (opts: NomogramCommandOptions) => {
      exit.code = await nomogramCommand().runNomogram(opts, log);
    });

  program
    .command('tables')
    .description('paper tables (Table 1, regression, performance, DeLong, Hosmer-Lemeshow) as CSV, Markdown and HTML')
    .requiredOption('--data <file>', 'input CSV')
    .requiredOption('--outcome <column>', 'binary outcome column (0/1)')
    .requiredOption('--models <columns>', 'columns holding each model\'s predicted probability or score')
    .option('-o, --out-dir <dir>', 'output folder')
    .option('--split <column>', 'column that tells training from test rows')
    .option('--train <value>', 'value of --split that marks training rows (default: train)')
    .option('--vars <columns>', 'Table 1 variables')
    .option('--categorical <columns>', 'categorical variables')
    .option('--predictors <columns>', 'predictors for the univariable regression table')
    .option('--multivariable <columns>', 'predictors of the multivariable model')
    .option('--summary <auto|mean|median>', 'Table 1 summaries of continuous variables', 'auto')
    .option('--decimals <n>', 'decimals of estimates')
    .option('--outcome-labels <label0,label1>', 'names of the outcome groups')
    .option('--labels <name=Label,...>', 'display labels for variables and models')
    .action(async (opts: TablesCommandOptions) => {
      exit.code = await tablesCommand().runTables(opts, log);
    });

  program
    .command('predict')
    .description('score new rows with a fitted model.json from "radnomo nomogram"')
    .requiredOption('--model <file>', 'model.json written by radnomo nomogram')
    .requiredOption('--data <file>', 'CSV with the model\'s predictor columns')
    .requiredOption('-o, --out <file>', 'scored CSV (adds linear_predictor, probability, total_points)')
    .action(async (opts: PredictCommandOptions) => {
      exit.code = await predictCommand().runPredict(opts, log);
    });

  const deep = program.command('deep').description('deep transfer-learning (ResNet50) features from the largest axial ROI slice');
  deep
    .command('extract')
    .description('2,048 ResNet50 features per case (dtl_0000...dtl_2047), optionally a fine-tuned head score')
    .requiredOption('-b, --batch <file>', 'batch CSV with Image and Mask columns (other columns are carried)')
    .requiredOption('-w, --weights <dir|random>', 'folder with ResNet50 weights in tfjs layers format; "random" (tests only, needs --seed) marks every output untrained')
    .option('--seed <n>', 'seed for --weights random and for fine-tuning')
    .option('--finetune <mode>', 'head: train a new dropout + sigmoid head on the frozen backbone\'s cached features; full: train every layer on the slices with augmentation (about 6 s per image per epoch on a CPU: use --backend tensorflow with tfjs-node-gpu)')
    .option('--learning-rate <r>', 'SGD learning rate for --finetune (default 0.01, as the seed study; full fine-tuning of ImageNet weights is usually run at 1e-4)')
    .option('--epochs <n>', 'fine-tuning epochs; the best by validation AUC is kept (default 30)')
    .option('--outcome <column>', 'binary outcome column for --finetune')
    .option('--train-column <column>', 'column marking training rows (train or 1); default: every row with an outcome')
    .option('--mask-column <column>', 'mask column to use (e.g. Mask2 for a second reader)', 'Mask')
    .option('-l, --label <n>', 'ROI label (default: the params file\'s label, else 1)')
    .option('--margin <voxels>', 'margin around the ROI bounding box (voxels after resampling)', '10')
    .option('-p, --params <file>', 'PyRadiomics params file; its setting: n4, normalize, resampledPixelSpacing, interpolator, correctMask, geometryTolerance and label apply before the slice, as in "radnomo extract"')
    .option('--resample <x,y,z>', 'resample to this spacing in mm before taking the slice (image sitkBSpline unless the params file sets interpolator, mask nearest neighbour)')
    .option('--n4', 'N4 bias-field correction before resampling, with the defaults of "radnomo n4" (3D Slicer\'s)')
    .option('--backend <name>', 'auto, wasm, cpu or tensorflow (tfjs-node, if you installed it)', 'auto')
    .option('-j, --jobs <n>', 'worker threads, one model each (default: the number of cores, at most 8)')
    .option('--resume', 'continue an interrupted run from <out>.parts, skipping the cases already done')
    .option('--head-out <file>', 'where the trained head goes (default <out>.head.json)')
    .requiredOption('-o, --out <file>', 'output CSV')
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Examples:
  radnomo deep extract --batch cases.csv --weights resnet50_tfjs -o dtl.csv
  radnomo deep extract --batch cases.csv --weights resnet50_tfjs --n4 --resample 1,1,1 -o dtl.csv
  radnomo deep extract --batch cases.csv --weights resnet50_tfjs -p params.yaml -o dtl.csv --resume

Preprocessing runs in the extractor's order: geometry check, N4, normalisation, resampling
(PyRadiomics' resampleImage); then the largest axial ROI slice of the resampled volumes is
cropped with --margin voxels. --resample and --n4 override the params file's settings.

As in "radnomo extract --batch": a case that fails is listed with its error in
<out>.errors.csv, the other cases are written to <out>, and the exit code is 3; --finetune
trains on the successful training rows only and says how many were dropped. Each finished case
is saved in <out>.parts/ as it completes; if the run is interrupted, the same command with
--resume continues it. The folder is removed when <out> is written.`,
    )
    .action(async (opts: DeepExtractOptions) => {
      exit.code = await deepCommand().runDeepExtract(opts, log);
    });
  deep
    .command('gradcam')
    .description('Grad-CAM heatmap on the last convolutional block, as a PNG overlay on the slice')
    .requiredOption('--image <file>', 'image')
    .requiredOption('--mask <file>', 'mask')
    .requiredOption('-w, --weights <dir|random>', 'ResNet50 weights folder (or random with --seed, tests only)')
    .option('--seed <n>', 'seed for --weights random')
    .option('--head <file>', 'head JSON from deep extract --finetune (default: the pooled features\' sum); after --finetune full, give its backbone folder (<head>.backbone) as --weights')
    .option('-l, --label <n>', 'ROI label (default: the params file\'s label, else 1)')
    .option('--margin <voxels>', 'margin around the ROI bounding box (voxels after resampling)', '10')
    .option('-p, --params <file>', 'the params file given to deep extract: the same preprocessing before the slice')
    .option('--resample <x,y,z>', 'as deep extract --resample')
    .option('--n4', 'as deep extract --n4')
    .option('--backend <name>', 'auto, wasm, cpu or tensorflow', 'auto')
    .requiredOption('-o, --out <file>', 'output PNG')
    .action(async (opts: DeepGradcamOptions) => {
      exit.code = await deepCommand().runDeepGradcam(opts, log);
    });

  program
    .command('demo')
    .description('the bundled default job (what "npm start" runs): sample-case features, and the example study\'s nomogram, figures and tables, into out/')
    .option('-o, --out-dir <dir>', 'output folder', 'out')
    .action(async (opts: { outDir: string }) => {
      await demoCommand().runDemo(path.resolve(opts.outDir), log);
    });
  return program;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 error, 2 usage, 3 some batch cases failed). */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  const exit = { code: 0 };
  const program = buildProgram(out, log, exit);
  try {
    await program.parseAsync(argv);
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (isRadnomoError(e)) {
      log(`radnomo: ${e.message}`);
      return e.code === 'E_USAGE' ? 2 : 1;
    }
    log(`radnomo: internal error: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

export { RadnomoError };
