/**
 * The shared logic of a nomogram study on one CSV: which rows are training and which are test
 * (a split column and its training value), the binary outcome, the predictor columns, a logistic
 * model fitted on the training rows only, and its predictions on both sets. Used by
 * `radnomo nomogram`, `radnomo tables`, `radnomo predict` and the bundled example study.
 *
 * Rules (each violation is a RadnomoError that names the column):
 * - the outcome is coded 0/1 (1 = event); any other value is an error;
 * - rows with a missing outcome, split or model column are dropped (the count is reported);
 * - each set needs at least MIN_ROWS rows and MIN_EVENTS rows in each outcome class;
 * - a categorical predictor's test rows may only hold levels seen in the training rows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RadnomoError } from './errors';
import { isMissing, numericColumn, stringColumn, type CsvTable } from './io/csv';
import { fitLogistic, sortLevels, type LogisticFit, type Predictor } from '../stats/logistic';
import { NomogramModel, type NomogramJson } from '../nomogram/points';

/** Fewest rows a training or test set may have. */
export const MIN_ROWS = 20;
/** Fewest rows of each outcome class (events and non-events) a set may have. */
export const MIN_EVENTS = 10;

/** Options that define the study's rows. */
export interface StudyDesign {
  outcome: string;
  /** Column that says which rows are training rows; absent: every row is a training row (no test set). */
  split?: string;
  /** Value of `split` that marks training rows; default "train" or "training" (any case) when present. */
  train?: string;
  /** Columns that must be present in a row for it to be used (predictors, model columns). */
  required?: readonly string[];
  /** Override MIN_ROWS / MIN_EVENTS (tests of small fixtures). */
  minRows?: number;
  minEvents?: number;
}

/** A study's rows: training and test row indices of the table (0-based), and the outcome. */
export interface Study {
  table: CsvTable;
  outcome: string;
  split: string | null;
  trainValue: string | null;
  /** The other split value (test), when there is a split. */
  testValue: string | null;
  train: number[];
  test: number[];
  /** Outcome per table row (NaN where missing). */
  y: Float64Array;
  /** Rows dropped for a missing outcome, split or required column. */
  dropped: number;
  notes: string[];
}

/** The outcome of a set of rows. */
export function outcomeOf(study: Study, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (i) => study.y[i]!);
}

function checkColumn(t: CsvTable, name: string, what: string): void {
  if (!t.columns.has(name)) throw new RadnomoError('E_COLUMN', `${t.source}: the ${what} "${name}" is not a column of the data (columns are: ${t.names.join(', ')}).`);
}

/** Checks a set's size: at least `minRows` rows and `minEvents` of each outcome class. */
export function checkSetSize(study: Pick<Study, 'table' | 'outcome' | 'y'>, rows: readonly number[], label: string, minRows = MIN_ROWS, minEvents = MIN_EVENTS): void {
  let n1 = 0;
  for (const i of rows) n1 += study.y[i]!;
  const n0 = rows.length - n1;
  if (rows.length < minRows) {
    throw new RadnomoError('E_DATA', `${study.table.source}: the ${label} has ${rows.length} complete row(s); at least ${minRows} are needed.`);
  }
  if (n1 < minEvents || n0 < minEvents) {
    throw new RadnomoError(
      'E_DATA',
      `${study.table.source}: the ${label} has ${n1} event(s) ("${study.outcome}" = 1) and ${n0} non-event(s) ("${study.outcome}" = 0); at least ${minEvents} of each are needed.`,
    );
  }
}

/**
 * Defines the study's training and test rows. The outcome must be 0/1 in every complete row; the
 * split column must have exactly two values, one of them the training value.
 */
export function defineStudy(table: CsvTable, d: StudyDesign): Study {
  checkColumn(table, d.outcome, 'outcome column');
  if (d.split !== undefined) checkColumn(table, d.split, 'split column');
  for (const c of d.required ?? []) checkColumn(table, c, 'column');
  if (d.split !== undefined && d.split === d.outcome) throw new RadnomoError('E_USAGE', `the split column and the outcome are both "${d.outcome}".`);
  const oc = stringColumn(table, d.outcome);
  const sc = d.split !== undefined ? stringColumn(table, d.split) : null;
  const req = (d.required ?? []).map((c) => stringColumn(table, c));
  const y = new Float64Array(table.nrows).fill(NaN);
  const keep: number[] = [];
  for (let i = 0; i < table.nrows; i++) {
    if (isMissing(oc[i]!) || (sc && isMissing(sc[i]!)) || req.some((c) => isMissing(c[i]!))) continue;
    const v = Number(oc[i]!.trim());
    if (v !== 0 && v !== 1) {
      throw new RadnomoError('E_COLUMN', `${table.source}: outcome column "${d.outcome}" holds "${oc[i]}" at row ${i + 2}; the outcome must be binary, coded 0/1 (1 = event).`);
    }
    y[i] = v;
    keep.push(i);
  }
  const dropped = table.nrows - keep.length;
  const notes: string[] = [];
  if (dropped > 0) notes.push(`${dropped} row(s) with a missing outcome, split or model value dropped; ${keep.length} used.`);
  let train = keep;
  let test: number[] = [];
  let trainValue: string | null = null;
  let testValue: string | null = null;
  if (sc) {
    const values = sortLevels([...new Set(keep.map((i) => sc[i]!.trim()))]);
    if (d.train !== undefined) {
      trainValue = d.train.trim();
      if (!values.includes(trainValue)) {
        throw new RadnomoError('E_COLUMN', `${table.source}: split column "${d.split}" has no row with the training value "${trainValue}" (its values are: ${values.join(', ')}).`);
      }
    } else {
      const cand = values.filter((v) => /^(train|training)$/i.test(v));
      if (cand.length !== 1) {
        throw new RadnomoError('E_USAGE', `${table.source}: say which value of split column "${d.split}" marks the training rows with --train (its values are: ${values.join(', ')}).`);
      }
      trainValue = cand[0]!;
    }
    const others = values.filter((v) => v !== trainValue);
    if (others.length !== 1) {
      throw new RadnomoError(
        'E_COLUMN',
        `${table.source}: split column "${d.split}" must have two values, the training value "${trainValue}" and one test value; it has ${values.length} (${values.join(', ')}).`,
      );
    }
    testValue = others[0]!;
    train = keep.filter((i) => sc[i]!.trim() === trainValue);
    test = keep.filter((i) => sc[i]!.trim() === testValue);
  }
  const study: Study = { table, outcome: d.outcome, split: d.split ?? null, trainValue, testValue, train, test, y, dropped, notes };
  const label = (set: string, value: string | null): string => (value === null ? 'data' : `${set} set ("${d.split}" = "${value}")`);
  checkSetSize(study, train, label('training', trainValue), d.minRows, d.minEvents);
  if (sc) checkSetSize(study, test, label('test', testValue), d.minRows, d.minEvents);
  return study;
}

/** The predictor columns restricted to rows (categorical ones as trimmed strings). */
export function predictorColumns(table: CsvTable, rows: readonly number[], names: readonly string[], categorical: readonly string[]): Predictor[] {
  return names.map((n) => {
    if (categorical.includes(n)) {
      const s = stringColumn(table, n);
      return { name: n, values: rows.map((i) => s[i]!.trim()), categorical: true };
    }
    const x = numericColumn(table, n);
    return { name: n, values: Float64Array.from(rows, (i) => x[i]!) };
  });
}

/** A logistic model fitted on a study's training rows, with its nomogram and predictions. */
export interface StudyModel {
  predictors: string[];
  categorical: string[];
  fit: LogisticFit;
  nomogram: NomogramModel;
  /** Predicted probability per table row (NaN for rows outside the study). */
  probability: Float64Array;
}

/**
 * Validates predictor names against the data: each must be a column, not the outcome or split,
 * listed once; categorical ones must be among the predictors.
 */
export function checkPredictors(study: Study, predictors: readonly string[], categorical: readonly string[]): void {
  if (predictors.length === 0) throw new RadnomoError('E_USAGE', '--predictors needs at least one column name.');
  const seen = new Set<string>();
  for (const p of predictors) {
    checkColumn(study.table, p, 'predictor');
    if (p === study.outcome) throw new RadnomoError('E_USAGE', `the outcome "${p}" cannot also be a predictor.`);
    if (p === study.split) throw new RadnomoError('E_USAGE', `the split column "${p}" cannot be a predictor.`);
    if (seen.has(p)) throw new RadnomoError('E_USAGE', `predictor "${p}" is listed twice.`);
    seen.add(p);
  }
  for (const c of categorical) {
    if (!predictors.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is not among the predictors.`);
  }
}

/** Errors naming the column and level when a test row holds a level of a categorical predictor that no training row has. */
export function checkUnseenLevels(study: Study, categorical: readonly string[]): void {
  for (const c of categorical) {
    const s = stringColumn(study.table, c);
    const seen = new Set(study.train.map((i) => s[i]!.trim()));
    for (const i of study.test) {
      const v = s[i]!.trim();
      if (!seen.has(v)) {
        throw new RadnomoError(
          'E_COLUMN',
          `${study.table.source}: categorical predictor "${c}" has level "${v}" at row ${i + 2} (test set) that no training row has (training levels: ${sortLevels([...seen]).join(', ')}).`,
        );
      }
    }
  }
}

/**
 * Fits glm(outcome ~ predictors, family = binomial) on the training rows only (categorical
 * predictors dummy-coded with R's reference level), builds the nomogram from the training
 * columns, and predicts the probability of every study row (training and test).
 */
export function fitStudyModel(study: Study, predictors: readonly string[], categorical: readonly string[] = [], labels?: Record<string, string>): StudyModel {
  checkPredictors(study, predictors, categorical);
  checkUnseenLevels(study, categorical);
  const y = outcomeOf(study, study.train);
  const trainCols = predictorColumns(study.table, study.train, predictors, categorical);
  const fit = fitLogistic(y, trainCols);
  const nomogram = NomogramModel.fromLogistic(fit, trainCols, { labels });
  const probability = new Float64Array(study.table.nrows).fill(NaN);
  const rows = [...study.train, ...study.test];
  const p = fit.model.predict(fit.encoder.apply(predictorColumns(study.table, rows, predictors, categorical)));
  rows.forEach((r, k) => (probability[r] = p[k]!));
  return { predictors: [...predictors], categorical: [...categorical], fit, nomogram, probability };
}

/** The saved form of a study model (what `radnomo nomogram` writes as model.json and `radnomo predict` reads). */
export interface ModelFile {
  format: 'radnomo-model';
  version: 1;
  outcome: string;
  split: { column: string; train: string; test: string } | null;
  n: { train: number; test: number; trainEvents: number; testEvents: number; dropped: number };
  predictors: Array<{ name: string; type: 'numeric' } | { name: string; type: 'categorical'; levels: string[] }>;
  logistic: {
    terms: string[];
    coefficients: number[];
    se: number[];
    vcov: number[][];
    table: LogisticFit['coefficients'];
    deviance: number;
    nullDeviance: number;
    aic: number;
    converged: boolean;
    lrm: LogisticFit['lrm'];
    warnings: string[];
  };
  nomogram: NomogramJson;
}

/** The model file of a fitted study model. */
export function modelFile(study: Study, m: StudyModel): ModelFile {
  const levels = m.fit.encoder.levels;
  const ev = (rows: readonly number[]): number => rows.reduce((a, i) => a + study.y[i]!, 0);
  const mod = m.fit.model;
  return {
    format: 'radnomo-model',
    version: 1,
    outcome: study.outcome,
    split: study.split !== null ? { column: study.split, train: study.trainValue!, test: study.testValue! } : null,
    n: { train: study.train.length, test: study.test.length, trainEvents: ev(study.train), testEvents: ev(study.test), dropped: study.dropped },
    predictors: m.predictors.map((name) => (levels[name] ? { name, type: 'categorical' as const, levels: [...levels[name]!] } : { name, type: 'numeric' as const })),
    logistic: {
      terms: [...mod.terms],
      coefficients: Array.from(mod.coefficients),
      se: Array.from(mod.se),
      vcov: mod.vcov.map((r) => Array.from(r)),
      table: m.fit.coefficients,
      deviance: mod.deviance,
      nullDeviance: mod.nullDeviance,
      aic: mod.aic,
      converged: mod.converged,
      lrm: m.fit.lrm,
      warnings: m.fit.warnings,
    },
    nomogram: m.nomogram.toJSON(),
  };
}

/** Reads and validates a model.json written by `radnomo nomogram`. */
export function readModelFile(file: string): ModelFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RadnomoError('E_IO', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new RadnomoError('E_FORMAT', `${file}: not valid JSON (${(e as Error).message}).`);
  }
  const o = j as Partial<ModelFile> | null;
  if (!o || typeof o !== 'object' || o.format !== 'radnomo-model' || o.version !== 1) {
    throw new RadnomoError('E_FORMAT', `${file}: not a radnomo model file (format "radnomo-model", version 1); write one with "radnomo nomogram".`);
  }
  const lg = o.logistic;
  if (!lg || !Array.isArray(lg.terms) || !Array.isArray(lg.coefficients) || lg.terms.length !== lg.coefficients.length || !lg.coefficients.every((c) => typeof c === 'number' && Number.isFinite(c))) {
    throw new RadnomoError('E_FORMAT', `${file}: the logistic model's terms and finite coefficients are missing or do not match.`);
  }
  if (!Array.isArray(o.predictors) || o.predictors.length === 0) throw new RadnomoError('E_FORMAT', `${file}: the model lists no predictors.`);
  NomogramModel.fromJSON(o.nomogram); // validates
  return o as ModelFile;
}

/** One scored row: linear predictor, probability and nomogram total points (NaN when a predictor value is missing). */
export interface Score {
  lp: number;
  probability: number;
  points: number;
}

/**
 * Scores the rows of a table with a saved model: lp = intercept + sum(beta * x) with the model's
 * dummy coding, probability = plogis(lp) (as predict(fit, newdata, type = "response")), and the
 * nomogram's total points. A missing predictor column, a non-numeric value or a categorical level
 * the model was not fitted on is an error naming the column (and row); a missing value gives NaN.
 */
export function scoreRows(model: ModelFile, table: CsvTable): Score[] {
  const nomo = NomogramModel.fromJSON(model.nomogram);
  const coef = new Map(model.logistic.terms.map((t, k) => [t, model.logistic.coefficients[k]!]));
  const intercept = coef.get('(Intercept)');
  if (intercept === undefined) throw new RadnomoError('E_FORMAT', 'model file: the logistic model has no "(Intercept)" term.');
  for (const p of model.predictors) {
    if (!table.columns.has(p.name)) {
      throw new RadnomoError('E_COLUMN', `${table.source}: predictor column "${p.name}" is missing (the model needs: ${model.predictors.map((q) => q.name).join(', ')}).`);
    }
  }
  const cols = model.predictors.map((p) => stringColumn(table, p.name));
  const out: Score[] = [];
  for (let i = 0; i < table.nrows; i++) {
    let lp = intercept;
    let missing = false;
    const row: Record<string, string | number> = {};
    model.predictors.forEach((p, k) => {
      const cell = cols[k]![i]!;
      if (missing || isMissing(cell)) {
        missing = true;
        return;
      }
      if (p.type === 'categorical') {
        let lvl = cell.trim();
        // numeric levels match by value, as R's factor of a numeric column does ("1.0" is level "1")
        if (!p.levels.includes(lvl) && lvl !== '' && Number.isFinite(Number(lvl))) {
          const same = p.levels.find((l) => l.trim() !== '' && Number(l) === Number(lvl));
          if (same !== undefined) lvl = same;
        }
        if (!p.levels.includes(lvl)) {
          throw new RadnomoError('E_COLUMN', `${table.source}: column "${p.name}" row ${i + 2} has level "${lvl}", which the model was not fitted on (levels: ${p.levels.join(', ')}).`);
        }
        if (lvl !== p.levels[0]) lp += coef.get(`${p.name}${lvl}`) ?? 0;
        row[p.name] = lvl;
      } else {
        const v = Number(cell.trim());
        if (!Number.isFinite(v)) throw new RadnomoError('E_COLUMN', `${table.source}: column "${p.name}" row ${i + 2} holds "${cell}", which is not a number.`);
        lp += coef.get(p.name)! * v;
        row[p.name] = v;
      }
    });
    if (missing) {
      out.push({ lp: NaN, probability: NaN, points: NaN });
      continue;
    }
    const prob = lp >= 0 ? 1 / (1 + Math.exp(-lp)) : Math.exp(lp) / (1 + Math.exp(lp));
    out.push({ lp, probability: prob, points: nomo.totalPoints(row) });
  }
  return out;
}

/** A file to write: path and contents. */
export interface OutputFile {
  path: string;
  data: string | Uint8Array;
}

/**
 * Writes every file under a temporary name first and renames them into place only when all were
 * written, so an error leaves none of the outputs (temporary files are removed).
 */
export function writeOutputs(files: readonly OutputFile[]): void {
  const temps: Array<{ tmp: string; final: string }> = [];
  try {
    for (const f of files) {
      const final = path.resolve(f.path);
      const dir = path.dirname(final);
      fs.mkdirSync(dir, { recursive: true });
      const tmp = path.join(dir, `.${path.basename(final)}.${process.pid}.${Date.now()}.tmp`);
      temps.push({ tmp, final });
      fs.writeFileSync(tmp, f.data);
    }
  } catch (e) {
    for (const t of temps) fs.rmSync(t.tmp, { force: true });
    throw new RadnomoError('E_IO', `cannot write the outputs (${(e as Error).message}); nothing was written.`);
  }
  for (const t of temps) {
    try {
      fs.renameSync(t.tmp, t.final);
    } catch (e) {
      for (const u of temps) fs.rmSync(u.tmp, { force: true });
      throw new RadnomoError('E_IO', `${t.final}: cannot write (${(e as Error).message}).`);
    }
  }
}
