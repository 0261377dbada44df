/**
 * The regression table of a nomogram paper: univariable and multivariable logistic regression on
 * the training rows, odds ratios with Wald 95% CIs (R's exp(confint.default(fit))) and Wald p-values
 * (summary.glm), from stats/logistic.ts' univariableLogistic and fitLogistic. A categorical
 * predictor gets a row per level with its reference level marked.
 */
import { fitLogistic, TreatmentEncoder, univariableLogistic, type LogisticFit, type Predictor, type UnivariableRow } from '../../stats/logistic';
import { isRadnomoError } from '../../src/errors';
import { isMissing } from '../../src/io/csv';
import { DASH, fmtCi, fmtP, fmtRatio, formatOptions, type FormatOptions } from './format';
import type { TableModel, TableRow } from './render';

export interface RegressionTableOptions extends FormatOptions {
  /** Predictors entering the multivariable model (default: all). */
  multivariable?: readonly string[];
  /** Display labels of predictors. */
  labels?: Readonly<Record<string, string>>;
  /** Sentence describing the rows used, e.g. "training set (n = 398, 148 events)". */
  population?: string;
}

export interface RegressionTableResult {
  table: TableModel;
  univariable: UnivariableRow[];
  /** The multivariable fit, or null when it could not be fitted (the reason is a footnote). */
  multivariable: LogisticFit | null;
  /** Univariable fits that failed (constant predictor, ...): predictor → message. */
  failed: Record<string, string>;
}

/** Whether predictor `p` has a value on row `i` (not NaN; for text, not a missing marker). */
function present(p: Predictor, i: number): boolean {
  const v = p.values[i];
  return typeof v === 'string' ? !isMissing(v) : !Number.isNaN(v as number);
}

/** The rows where every predictor in `ps` has a value (R's na.omit over the model frame). */
function completeCases(ps: readonly Predictor[], n: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (ps.every((p) => present(p, i))) keep.push(i);
  return keep;
}

/** A predictor restricted to the rows `keep`. */
function subset(p: Predictor, keep: readonly number[]): Predictor {
  const v = p.values;
  if (v.length > 0 && typeof v[0] === 'string') return { ...p, values: keep.map((i) => (v as readonly string[])[i]!) };
  return { ...p, values: Float64Array.from(keep, (i) => (v as ArrayLike<number>)[i]!) };
}

/**
 * Builds the univariable/multivariable OR table. `y` and the predictor columns are the training
 * rows. Every number comes from the fits: OR = exp(estimate), CI = exp(estimate ± z·SE). Missing
 * predictor values are handled as glm's default na.omit: each univariable model uses the rows where
 * its predictor is present, the multivariable model the rows complete for all its predictors; the
 * footnotes give the counts.
 */
export function regressionTable(y: ArrayLike<number>, predictors: readonly Predictor[], opts: RegressionTableOptions = {}): RegressionTableResult {
  const f = formatOptions(opts);
  const label = (n: string): string => opts.labels?.[n] ?? n;
  const uni: UnivariableRow[] = [];
  const failed: Record<string, string> = {};
  const levelsOf: Record<string, string[]> = {};
  const n = y.length;
  const missingNotes: string[] = [];
  for (const pr of predictors) {
    const keep = completeCases([pr], n);
    if (keep.length < n) missingNotes.push(`${label(pr.name)} ${n - keep.length}`);
    const prk = keep.length < n ? subset(pr, keep) : pr;
    const yk = keep.length < n ? Float64Array.from(keep, (i) => y[i]!) : y;
    try {
      Object.assign(levelsOf, new TreatmentEncoder().fit([prk]).levels);
      uni.push(...univariableLogistic(yk, [prk]));
    } catch (e) {
      if (!isRadnomoError(e)) throw e;
      failed[pr.name] = e.message;
    }
  }
  const multiNames = opts.multivariable ?? predictors.map((p) => p.name);
  const multiPreds = predictors.filter((p) => multiNames.includes(p.name));
  let multivariable: LogisticFit | null = null;
  let multiError = '';
  const multiKeep = completeCases(multiPreds, n);
  if (multiPreds.length > 0) {
    try {
      const full = multiKeep.length === n;
      multivariable = fitLogistic(full ? y : Float64Array.from(multiKeep, (i) => y[i]!), full ? multiPreds : multiPreds.map((p) => subset(p, multiKeep)));
      Object.assign(levelsOf, multivariable.encoder.levels);
    } catch (e) {
      if (!isRadnomoError(e)) throw e;
      multiError = e.message;
    }
  }
  const or = (est: number, lo: number, hi: number): string => fmtCi(est, lo, hi, f.decimals, fmtRatio);
  const rows: TableRow[] = [];
  let anyDash = false;
  const termCells = (termName: string, predictor: string): string[] => {
    const u = uni.find((r) => r.predictor === predictor && r.term === termName);
    const m = multivariable?.coefficients.find((t) => t.term === termName);
    const inMulti = multiNames.includes(predictor);
    const cells = [
      u ? or(u.or, u.orLower, u.orUpper) : DASH,
      u ? fmtP(u.p, f.pDecimals) : DASH,
      m ? or(m.or, m.orLower, m.orUpper) : inMulti ? DASH : '',
      m ? fmtP(m.p, f.pDecimals) : inMulti ? DASH : '',
    ];
    if (cells.some((c) => c.includes(DASH))) anyDash = true;
    return cells;
  };
  for (const pr of predictors) {
    const levels = levelsOf[pr.name];
    if (levels) {
      rows.push({ cells: [label(pr.name), '', '', '', ''] });
      const inMulti = multiNames.includes(pr.name);
      rows.push({ cells: [`${levels[0]!} (reference)`, '1', '', inMulti ? '1' : '', ''], indent: 1 });
      for (const lvl of levels.slice(1)) rows.push({ cells: [lvl, ...termCells(`${pr.name}${lvl}`, pr.name)], indent: 1 });
    } else {
      rows.push({ cells: [label(pr.name), ...termCells(pr.name, pr.name)] });
    }
  }
  const footnotes = [
    `OR, odds ratio per unit of the predictor (per level against the reference for categorical predictors); 95% CI, Wald interval exp(β ± 1.96·SE); p, Wald test. Logistic regression fitted on the ${opts.population ?? 'training set'}.`,
  ];
  if (multiPreds.length < predictors.length && multiPreds.length > 0) {
    footnotes.push(`The multivariable model includes ${multiPreds.map((p) => label(p.name)).join(', ')}; blank cells: not entered.`);
  }
  if (missingNotes.length > 0) {
    const events = multiKeep.reduce((a, i) => a + (y[i] === 1 ? 1 : 0), 0);
    footnotes.push(
      `Missing values (rows without the predictor: ${missingNotes.join(', ')}): each univariable model uses the rows where its predictor is present${multiPreds.length > 0 ? `; the multivariable model uses the ${multiKeep.length} rows complete for all its predictors (${events} events)` : ''}.`,
    );
  }
  if (multiError !== '') footnotes.push(`${DASH} The multivariable model could not be fitted: ${multiError}`);
  for (const [name, msg] of Object.entries(failed)) footnotes.push(`${DASH} ${label(name)}: univariable model not fitted (${msg})`);
  if (anyDash && multiError === '' && Object.keys(failed).length === 0) footnotes.push(`${DASH} not estimable.`);
  const warnings = [...new Set([...uni.flatMap((r) => r.warnings.map((w) => `univariable ${label(r.predictor)}: ${w}`)), ...(multivariable?.warnings.map((w) => `multivariable: ${w}`) ?? [])])];
  footnotes.push(...warnings.map((w) => `Warning: ${w}`));
  return {
    table: {
      id: 'regression',
      title: 'Table 2. Univariable and multivariable logistic regression',
      columns: ['Variable', 'OR (95% CI)', 'p', 'OR (95% CI)', 'p'],
      columnGroups: [
        { label: '', span: 1 },
        { label: 'Univariable', span: 2 },
        { label: 'Multivariable', span: 2 },
      ],
      rows,
      footnotes,
    },
    univariable: uni,
    multivariable,
    failed,
  };
}
