/**
 * `radnomo tables --data d.csv --outcome Y --split COL [--train VALUE] --models P1,P2,... -o DIR`:
 * the paper tables of a study as CSV, Markdown and HTML (one file per table and format, plus
 * tables.md and tables.html with all of them, and tables.json with the numbers behind them):
 *   table1           characteristics by outcome group within the training and test sets
 *   regression       univariable and multivariable logistic regression (with --predictors)
 *   performance      AUC, accuracy, sensitivity, specificity, PPV, NPV with 95% CIs per model and set
 *   delong           pairwise DeLong p-values per set (two or more models)
 *   hosmer-lemeshow  Hosmer–Lemeshow test per model and set
 * Models are columns of predicted probabilities or scores. Outputs are written atomically at the
 * end; on any error nothing is written.
 */
import * as path from 'node:path';
import { RadnomoError } from '../errors';
import { isMissing, numericColumn, readCsv, stringColumn, type CsvTable } from '../io/csv';
import { studyTables, tableFiles, type ModelColumn, type StudyTables } from '../../nomogram/tables/index';
import { defineStudy, writeOutputs, type OutputFile, type Study } from '../study';
import { listOption } from './stats/common';
import { parseLabels, required } from './nomogram-command';

/** Options of `radnomo tables` (commander's camel-cased keys; all strings). */
export interface TablesCommandOptions {
  data?: string;
  outcome?: string;
  split?: string;
  train?: string;
  models?: string;
  vars?: string;
  categorical?: string;
  predictors?: string;
  multivariable?: string;
  summary?: string;
  decimals?: string;
  outcomeLabels?: string;
  labels?: string;
  outDir?: string;
}

/** True when a column holds a non-missing value that is not a number. */
function hasText(t: CsvTable, name: string): boolean {
  return stringColumn(t, name).some((c) => !isMissing(c) && !Number.isFinite(Number(c.trim())));
}

/** The tables and their files, computed in memory. */
export function tablesOutputs(table: CsvTable, opts: TablesCommandOptions, outDir: string): { files: OutputFile[]; study: Study; result: StudyTables } {
  const outcome = required(opts.outcome, '--outcome');
  const modelNames = listOption(opts.models);
  if (modelNames.length === 0) throw new RadnomoError('E_USAGE', '--models needs at least one column of predicted probabilities or scores.');
  if (new Set(modelNames).size !== modelNames.length) throw new RadnomoError('E_USAGE', '--models lists a column twice.');
  if (opts.train !== undefined && opts.split === undefined) throw new RadnomoError('E_USAGE', '--train needs --split (the column that holds it).');
  const split = opts.split?.trim();
  const predictors = listOption(opts.predictors);
  const reserved = new Set([outcome, ...(split ? [split] : [])]);
  for (const p of predictors) if (reserved.has(p)) throw new RadnomoError('E_USAGE', `--predictors must not include the outcome or split column "${p}".`);
  const vars = opts.vars !== undefined ? listOption(opts.vars) : predictors.length > 0 ? predictors : table.names.filter((n) => !reserved.has(n) && !modelNames.includes(n));
  for (const v of vars) {
    if (reserved.has(v)) throw new RadnomoError('E_USAGE', `--vars must not include the outcome or split column "${v}".`);
    if (!table.columns.has(v)) throw new RadnomoError('E_COLUMN', `${table.source}: Table 1 variable "${v}" is not a column of the data (columns are: ${table.names.join(', ')}).`);
  }
  for (const p of predictors) if (!table.columns.has(p)) throw new RadnomoError('E_COLUMN', `${table.source}: predictor "${p}" is not a column of the data (columns are: ${table.names.join(', ')}).`);
  const given = listOption(opts.categorical);
  for (const c of given) if (!vars.includes(c) && !predictors.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is neither a Table 1 variable nor a predictor.`);
  // categorical: named, or holding text
  const categorical = [...new Set([...given, ...[...vars, ...predictors].filter((v) => !given.includes(v) && hasText(table, v))])];
  const multivariable = opts.multivariable !== undefined ? listOption(opts.multivariable) : undefined;
  for (const m of multivariable ?? []) if (!predictors.includes(m)) throw new RadnomoError('E_USAGE', `--multivariable column "${m}" is not among --predictors.`);
  const summary = (opts.summary ?? 'auto') as 'auto' | 'mean' | 'median';
  if (!['auto', 'mean', 'median'].includes(summary)) throw new RadnomoError('E_USAGE', `--summary must be auto, mean or median, got "${opts.summary}".`);
  const decimals = opts.decimals === undefined ? 2 : Number(opts.decimals);
  if (!(Number.isInteger(decimals) && decimals >= 0 && decimals <= 6)) throw new RadnomoError('E_USAGE', `--decimals must be an integer 0..6, got "${opts.decimals}".`);
  const labels = parseLabels(opts.labels);
  let groupLabels: Record<string, string> | undefined;
  if (opts.outcomeLabels !== undefined) {
    const gl = listOption(opts.outcomeLabels);
    if (gl.length !== 2) throw new RadnomoError('E_USAGE', `--outcome-labels takes two labels, for ${outcome} = 0 and ${outcome} = 1, got "${opts.outcomeLabels}".`);
    groupLabels = { '0': gl[0]!, '1': gl[1]! };
  }
  // rows need the outcome, the split and every model value (the models are compared on the same
  // rows); a missing Table 1 variable or predictor leaves the row in, and only the summaries and
  // fits that use that column leave it out (counts in the footnotes)
  const study = defineStudy(table, { outcome, split, train: opts.train, required: modelNames });
  const models: ModelColumn[] = modelNames.map((name) => {
    const x = numericColumn(table, name);
    for (const i of [...study.train, ...study.test]) {
      if (!Number.isFinite(x[i]!)) throw new RadnomoError('E_COLUMN', `${table.source}: model column "${name}" holds "${stringColumn(table, name)[i]}" at row ${i + 2}; it must be a number.`);
    }
    return { name, label: labels[name], values: x };
  });
  const result = studyTables(study, { vars, categorical, summary, predictors, multivariable, models, decimals, groupLabels, labels });
  for (const t of result.tables) {
    t.footnotes.push(...study.notes.map((n) => `Note: ${n}`));
  }
  const files: OutputFile[] = tableFiles(result.tables, `Tables: ${outcome}`).map((f) => ({ path: path.join(outDir, f.name), data: f.data }));
  files.push({ path: path.join(outDir, 'tables.json'), data: JSON.stringify(tablesJson(study, result), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v instanceof Float64Array ? undefined : v), 2) + '\n' });
  return { files, study, result };
}

/** The numbers behind the tables (NaN/Inf as null; ROC curve arrays left out). */
function tablesJson(study: Study, r: StudyTables): Record<string, unknown> {
  return {
    outcome: study.outcome,
    split: study.split,
    train: study.trainValue,
    test: study.testValue,
    n: { train: study.train.length, test: study.test.length, dropped: study.dropped },
    table1: r.table1 ? { summaries: r.table1.summaries, sets: r.table1.sets } : null,
    regression: r.regression ? { univariable: r.regression.univariable, multivariable: r.regression.multivariable?.coefficients ?? null, failed: r.regression.failed } : null,
    performance: r.performance
      ? {
          rules: r.performance.rules,
          results: r.performance.results.map((x) => ({ model: x.model, set: x.set, n: x.n, events: x.events, auc: x.auc, threshold: x.threshold, direction: x.direction, metrics: x.metrics ? pickMetrics(x.metrics) : null })),
        }
      : null,
    delong: r.delong ? r.delong.matrices.map((m) => ({ set: m.set, names: m.names, p: m.p })) : null,
    hosmerLemeshow: r.hl ? r.hl.cells.map((c) => ({ model: c.model, set: c.set, statistic: c.result?.statistic ?? null, df: c.result?.df ?? null, p: c.result?.p ?? null, reason: c.reason })) : null,
  };
}

function pickMetrics(m: NonNullable<StudyTables['performance']>['results'][number]['metrics'] & object): Record<string, unknown> {
  return { threshold: m.threshold, rule: m.rule, counts: m.counts, accuracy: m.accuracy, sensitivity: m.sensitivity, specificity: m.specificity, ppv: m.ppv, npv: m.npv };
}

/** `radnomo tables`: returns the exit code (0). Bad input throws a RadnomoError before anything is written. */
export async function runTables(opts: TablesCommandOptions, log: (s: string) => void): Promise<number> {
  const data = required(opts.data, '--data');
  const outDir = path.resolve(required(opts.outDir, '-o/--out-dir'));
  const table = readCsv(data);
  const { files, study, result } = tablesOutputs(table, opts, outDir);
  writeOutputs(files);
  log(`radnomo: ${result.tables.length} table(s) of "${study.outcome}": training ${study.train.length} rows${study.split ? `, test ${study.test.length} rows` : ''}`);
  for (const n of study.notes) log(`  note: ${n}`);
  for (const f of files) log(`  ${path.relative(process.cwd(), f.path) || f.path}`);
  return 0;
}
