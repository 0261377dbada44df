import { RadnomoError } from '../../errors';
import { isMissing, numericColumn, stringColumn, type CsvTable } from '../../io/csv';
import { fitLogistic, univariableLogistic, type LogisticTerm, type Predictor } from '../../../stats/logistic';
import type { StatsAnalysis } from './analysis';

// --- small helpers shared by the stats CLI files of this module (hl, calibration, dca, correlation) ---

/** The string value of a required option; a usage error naming the flag when it is absent. */
export function requireOption(opts: Record<string, string | boolean | undefined>, key: string, flag: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v.trim() === '') throw new RadnomoError('E_USAGE', `${flag} is required.`);
  return v.trim();
}

/** A comma-separated list option as trimmed non-empty names. */
export function listOption(v: string | boolean | undefined): string[] {
  if (typeof v !== 'string') return [];
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A positive integer option. */
export function intOption(v: string | boolean | undefined, flag: string, dflt: number, min = 1): number {
  if (v === undefined || v === false) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min) throw new RadnomoError('E_USAGE', `${flag} must be an integer >= ${min}, got "${String(v)}".`);
  return n;
}

/** A finite number option. */
export function numberOption(v: string | boolean | undefined, flag: string, dflt: number): number {
  if (v === undefined || v === false) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new RadnomoError('E_USAGE', `${flag} must be a number, got "${String(v)}".`);
  return n;
}

/** Indices of rows where none of the named columns is missing. */
export function completeRows(t: CsvTable, columns: readonly string[]): number[] {
  const cols = columns.map((c) => stringColumn(t, c));
  const keep: number[] = [];
  for (let i = 0; i < t.nrows; i++) if (cols.every((c) => !isMissing(c[i]!))) keep.push(i);
  return keep;
}

/** The named numeric column restricted to the given rows. */
export function numericRows(t: CsvTable, name: string, rows: readonly number[]): Float64Array {
  const all = numericColumn(t, name);
  return Float64Array.from(rows, (i) => all[i]!);
}

/** A 0/1 outcome column restricted to rows, with an error naming the column for other values. */
export function outcomeRows(t: CsvTable, name: string, rows: readonly number[]): Float64Array {
  const y = numericRows(t, name, rows);
  let n1 = 0;
  for (let k = 0; k < y.length; k++) {
    if (y[k] !== 0 && y[k] !== 1) throw new RadnomoError('E_COLUMN', `${t.source}: outcome column "${name}" holds ${y[k]} at row ${rows[k]! + 2}; it must be coded 0/1.`);
    n1 += y[k]!;
  }
  if (n1 === 0 || n1 === y.length) throw new RadnomoError('E_DATA', `${t.source}: outcome column "${name}" has a single class (${n1 === 0 ? 0 : 1}) in the ${y.length} complete rows.`);
  return y;
}

/** Number to text for terminal tables: 4 significant digits, small p-values in e-notation. */
export function fmt(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** An aligned text table (first column left-aligned, the rest right-aligned). */
export function textTable(header: string[], rows: string[][]): string {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]): string => r.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

// --- radnomo stats logistic ---

function termJson(t: LogisticTerm): Record<string, number | string> {
  return { term: t.term, estimate: t.estimate, se: t.se, z: t.z, p: t.p, or: t.or, or_lower: t.orLower, or_upper: t.orUpper };
}

function termRows(ts: Array<LogisticTerm & { predictor?: string }>): string[][] {
  return ts.map((t) => [t.term, fmt(t.estimate), fmt(t.se), fmt(t.z), fmt(t.p), fmt(t.or), `${fmt(t.orLower)}-${fmt(t.orUpper)}`]);
}

export const analysis: StatsAnalysis = {
  name: 'logistic',
  summary: 'Logistic regression as glm(family = binomial): coefficients, Wald SE/z/p, odds ratios with 95% CI; univariable screening',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column (0/1)', required: true },
    { flags: '--predictors <columns>', description: 'comma-separated predictor columns', required: true },
    { flags: '--univariable', description: 'one model per predictor instead of one multivariable model' },
    { flags: '--categorical <columns>', description: 'predictors to dummy-code (reference = first sorted level, as R)' },
  ],
  run(table, opts) {
    const outcome = requireOption(opts, 'outcome', '--outcome');
    const names = listOption(opts.predictors);
    if (names.length === 0) throw new RadnomoError('E_USAGE', '--predictors needs at least one column name.');
    const categorical = listOption(opts.categorical);
    for (const c of categorical) {
      if (!names.includes(c)) throw new RadnomoError('E_USAGE', `--categorical column "${c}" is not among --predictors.`);
    }
    const rows = completeRows(table, [outcome, ...names]);
    const dropped = table.nrows - rows.length;
    const y = outcomeRows(table, outcome, rows);
    const predictors: Predictor[] = names.map((n) => {
      if (categorical.includes(n)) {
        const s = stringColumn(table, n);
        return { name: n, values: rows.map((i) => s[i]!.trim()), categorical: true };
      }
      return { name: n, values: numericRows(table, n, rows) };
    });
    const header = ['term', 'estimate', 'se', 'z', 'p', 'OR', '95% CI'];
    const notes = dropped > 0 ? [`${dropped} row(s) with missing values dropped; n = ${rows.length}.`] : [];
    if (opts.univariable === true) {
      const uni = univariableLogistic(y, predictors);
      const warnings = [...new Set(uni.flatMap((r) => r.warnings.map((w) => `${r.predictor}: ${w}`)))];
      const json = {
        analysis: 'logistic', mode: 'univariable', outcome, n: rows.length, dropped_missing: dropped,
        coefficients: uni.map((r) => ({ predictor: r.predictor, ...termJson(r) })), warnings,
      };
      const text = [textTable(['predictor', ...header], uni.map((r, k) => [r.predictor, ...termRows([uni[k]!])[0]!])), ...notes, ...warnings.map((w) => `Warning: ${w}`)].join('\n');
      return { json, text };
    }
    const fit = fitLogistic(y, predictors);
    const m = fit.model;
    const json = {
      analysis: 'logistic', mode: 'multivariable', outcome, n: rows.length, dropped_missing: dropped,
      coefficients: fit.coefficients.map(termJson),
      loglik: m.logLik, aic: m.aic, deviance: m.deviance, null_deviance: m.nullDeviance,
      df_residual: rows.length - m.terms.length, iterations: m.iterations, converged: m.converged,
      vcov: m.vcov.map((r) => Array.from(r)),
      lrm: { lr_chi2: fit.lrm.lrChi2, df: fit.lrm.df, p: fit.lrm.p, c: fit.lrm.c, c_exact: fit.lrm.cExact, dxy: fit.lrm.dxy, r2: fit.lrm.r2, brier: fit.lrm.brier },
      levels: fit.encoder.levels,
      warnings: fit.warnings,
    };
    const text = [
      textTable(header, termRows(fit.coefficients)),
      '',
      `n = ${rows.length}, log-likelihood = ${fmt(m.logLik, 6)}, AIC = ${fmt(m.aic, 6)}, residual deviance = ${fmt(m.deviance, 6)} (null ${fmt(m.nullDeviance, 6)})`,
      `LR chi2 = ${fmt(fit.lrm.lrChi2)} on ${fit.lrm.df} df (p = ${fmt(fit.lrm.p)}), C = ${fmt(fit.lrm.c)}, Nagelkerke R2 = ${fmt(fit.lrm.r2)}, Brier = ${fmt(fit.lrm.brier)}`,
      ...notes,
      ...fit.warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
