import { RadnomoError } from '../../errors';
import { type CsvTable, stringColumn } from '../../io/csv';
import { Random } from '../../random';
import { ciAucDelong } from '../../../stats/delong';
import { type DirectionOption, ciAucBootstrap, roc, youdenBest } from '../../../stats/roc';
import type { StatsAnalysis } from './analysis';
import { completeRows } from './common';
import { sortLevels } from '../../../stats/tests';

// ---- small helpers shared by the roc, delong and metrics commands --------------------------------

/** The value of a required string option, or a usage error naming the flag. */
export function requiredString(opts: Record<string, string | boolean | undefined>, key: string, flag: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v.trim() === '') throw new RadnomoError('E_USAGE', `${flag} is required.`);
  return v.trim();
}

/** A numeric option (string from commander), with a default and bounds; a usage error names the flag. */
export function numberOption(
  v: string | boolean | undefined,
  flag: string,
  dflt: number,
  check: { integer?: boolean; min?: number; max?: number; openMin?: boolean; openMax?: boolean } = {},
): number {
  if (v === undefined || v === false) return dflt;
  const x = Number(String(v).trim());
  const bad =
    String(v).trim() === '' ||
    !Number.isFinite(x) ||
    (check.integer === true && !Number.isInteger(x)) ||
    (check.min !== undefined && (check.openMin ? x <= check.min : x < check.min)) ||
    (check.max !== undefined && (check.openMax ? x >= check.max : x > check.max));
  if (bad) {
    const what = [
      check.integer ? 'an integer' : 'a number',
      check.min !== undefined ? `${check.openMin ? '>' : '>='} ${check.min}` : '',
      check.max !== undefined ? `${check.openMax ? '<' : '<='} ${check.max}` : '',
    ].filter((s) => s !== '').join(' ');
    throw new RadnomoError('E_USAGE', `${flag} must be ${what}, got "${String(v)}".`);
  }
  return x;
}

/** --direction: auto, "<" or ">". */
export function directionOption(v: string | boolean | undefined): DirectionOption {
  if (v === undefined || v === false) return 'auto';
  const s = String(v).trim();
  if (s === 'auto' || s === '<' || s === '>') return s;
  throw new RadnomoError('E_USAGE', `--direction must be auto, "<" or ">", got "${s}".`);
}

/** Rows where none of `columns` is missing (see common.ts). */
export { completeRows };

/** A two-level outcome: the rows kept (those holding the control or the case value), 0/1 codes, the two values. */
export interface BinaryOutcome {
  rows: number[];
  y: Float64Array;
  control: string;
  case: string;
  /** Rows left out because they hold neither value (only with explicit levels). */
  otherRows: number;
}

/** The `--levels control,case` option: two different values, or undefined when not given. */
export function levelsOption(v: string | boolean | undefined): [string, string] | undefined {
  if (v === undefined || v === false) return undefined;
  const parts = String(v).split(',').map((s) => s.trim());
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || parts[0] === parts[1]) {
    throw new RadnomoError('E_USAGE', `--levels must be two different values, control first: e.g. --levels 0,1 or --levels benign,malignant; got "${String(v)}".`);
  }
  return [parts[0]!, parts[1]!];
}

/**
 * The outcome column at the given rows as pROC's `roc(response, predictor, levels)` reads it.
 * Without `levels`, the column must hold exactly two values, and as pROC's default
 * (`levels(as.factor(response))`) the first in R's sort order is the control and the second the
 * case: numbers by value (so 0/1 gives control 0, case 1; 1/2 gives control 1), text by R's
 * collation (benign < malignant; FALSE < TRUE). pROC warns and keeps the first two of three or
 * more values; here that is an error asking for `--levels`. With `levels` ([control, case]),
 * rows holding another value are left out and counted, as pROC does silently. Numeric columns
 * compare by value, so "1.0" matches level "1", as R's read.csv makes them the same number.
 */
export function binaryOutcome(table: CsvTable, name: string, rows: number[], levels?: [string, string]): BinaryOutcome {
  const col = stringColumn(table, name);
  const cells = rows.map((r) => col[r]!.trim());
  const numeric = cells.every((c) => c !== '' && Number.isFinite(Number(c)));
  const key = (c: string): string => (numeric && c !== '' && Number.isFinite(Number(c)) ? String(Number(c)) : c);
  let control: string;
  let kase: string;
  if (levels) {
    [control, kase] = levels.map(key) as [string, string];
  } else {
    const values = sortLevels(cells.map(key));
    if (values.length !== 2) {
      const shown = values.slice(0, 6).map((v) => `"${v}"`).join(', ') + (values.length > 6 ? ', ...' : '');
      throw new RadnomoError(
        'E_COLUMN',
        values.length < 2
          ? `${table.source}: outcome column "${name}" holds only ${values.length === 1 ? `"${values[0]}"` : 'missing values'} in the ${rows.length} usable rows; an ROC needs controls and cases.`
          : `${table.source}: outcome column "${name}" holds ${values.length} values (${shown}); name the control and the case with --levels CONTROL,CASE (rows with other values are left out).`,
      );
    }
    [control, kase] = values as [string, string];
  }
  const kept: number[] = [];
  const y: number[] = [];
  cells.forEach((c, k) => {
    const v = key(c);
    if (v === control || v === kase) {
      kept.push(rows[k]!);
      y.push(v === kase ? 1 : 0);
    }
  });
  for (const [v, role] of [[control, 'control'], [kase, 'case']] as const) {
    if (!y.some((c) => c === (role === 'case' ? 1 : 0))) {
      throw new RadnomoError('E_COLUMN', `${table.source}: outcome column "${name}" has no usable row holding "${v}", the ${role} value --levels names.`);
    }
  }
  return { rows: kept, y: Float64Array.from(y), control, case: kase, otherRows: rows.length - kept.length };
}

/** The warning for rows an explicit `--levels` left out, or none. */
export function otherLevelNote(o: BinaryOutcome, name: string): string[] {
  return o.otherRows > 0 ? [`${o.otherRows} row(s) whose ${name} is neither ${o.control} (control) nor ${o.case} (case) left out.`] : [];
}

/** A numeric column at the given rows; an error names the row and value. */
export function numericAt(table: CsvTable, name: string, rows: number[]): Float64Array {
  const c = stringColumn(table, name);
  return Float64Array.from(rows, (r) => {
    const v = Number(c[r]!.trim());
    if (c[r]!.trim() === '' || !Number.isFinite(v)) {
      throw new RadnomoError('E_COLUMN', `${table.source}: column "${name}" row ${r + 2} holds "${c[r]}", which is not a finite number.`);
    }
    return v;
  });
}

/** A number for a terminal table: 4 decimals for [-10, 10], else up to 6 significant digits. */
export function fmt(x: number): string {
  if (Number.isNaN(x)) return 'NA';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(3);
  return Math.abs(x) <= 10 ? x.toFixed(4) : String(Number(x.toPrecision(6)));
}

/** Left-aligned first column, right-aligned others. */
export function textTable(header: string[], rows: string[][]): string {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]): string => r.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join('  ');
  return [line(header), line(w.map((x) => '-'.repeat(x))), ...rows.map(line)].join('\n');
}

/** JSON for a number that may be infinite (thresholds): "Inf"/"-Inf" strings, as R's jsonlite writes them. */
export function jsonNumber(x: number): number | string {
  return x === Infinity ? 'Inf' : x === -Infinity ? '-Inf' : x;
}

/** Help of the --levels option of roc, delong and metrics. */
export const LEVELS_HELP = "the outcome's control and case values, as pROC's levels (default: its two values in sorted order, so 0/1 gives control 0, case 1)";

// ---- radnomo stats roc ---------------------------------------------------------------------------

export const analysis: StatsAnalysis = {
  name: 'roc',
  summary: 'ROC curve, AUC with DeLong or bootstrap CI, Youden cut-off (as pROC)',
  options: [
    { flags: '--outcome <column>', description: 'outcome column with two values (0/1, 1/2, benign/malignant...)', required: true },
    { flags: '--levels <control,case>', description: LEVELS_HELP },
    { flags: '--predictor <column>', description: 'numeric predictor (score, probability, marker)', required: true },
    { flags: '--direction <dir>', description: 'auto (pROC: median of controls vs cases), "<" (controls lower) or ">"', defaultValue: 'auto' },
    { flags: '--ci <method>', description: 'AUC CI: delong or bootstrap (stratified, percentile)', defaultValue: 'delong' },
    { flags: '--boot <n>', description: 'bootstrap replicates', defaultValue: '2000' },
    { flags: '--seed <s>', description: 'seed of the bootstrap', defaultValue: '1' },
    { flags: '--conf-level <p>', description: 'confidence level', defaultValue: '0.95' },
  ],
  run(table, opts) {
    const outcome = requiredString(opts, 'outcome', '--outcome');
    const predictor = requiredString(opts, 'predictor', '--predictor');
    const direction = directionOption(opts.direction);
    const ciMethod = String(opts.ci ?? 'delong').trim();
    if (ciMethod !== 'delong' && ciMethod !== 'bootstrap') {
      throw new RadnomoError('E_USAGE', `--ci must be delong or bootstrap, got "${ciMethod}".`);
    }
    const bootN = numberOption(opts.boot, '--boot', 2000, { integer: true, min: 1 });
    const seed = numberOption(opts.seed, '--seed', 1, { integer: true });
    const confLevel = numberOption(opts.confLevel, '--conf-level', 0.95, { min: 0, max: 1, openMin: true, openMax: true });
    const complete = completeRows(table, [outcome, predictor]);
    const dropped = table.nrows - complete.length;
    const o = binaryOutcome(table, outcome, complete, levelsOption(opts.levels));
    const { rows, y } = o;
    const x = numericAt(table, predictor, rows);
    const curve = roc(y, x, { direction, predictorName: predictor, outcomeName: outcome });
    const ci =
      ciMethod === 'delong'
        ? ciAucDelong(curve, confLevel)
        : ciAucBootstrap(curve, new Random(seed), { bootN, confLevel, stratified: true });
    const ciName = ciMethod === 'delong' ? 'DeLong' : `${ci.method}, seed ${seed}`;
    const best = youdenBest(curve);
    const first = best[0]!;
    const warnings = [
      ...(dropped > 0 ? [`${dropped} row(s) with a missing ${outcome} or ${predictor} dropped.`] : []),
      ...otherLevelNote(o, outcome),
      ...curve.warnings,
      ...(ciMethod === 'bootstrap' && bootN < 100 ? [`only ${bootN} bootstrap replicate(s): the percentile CI is not reliable (pROC's default is 2000).`] : []),
      ...(best.length > 1
        ? [`${best.length} thresholds tie for the best Youden index; "youden" is the first in pROC's order, "youden_all" lists all (pROC's coords(roc, "best") returns all).`]
        : []),
    ];
    const json = {
      analysis: 'roc',
      outcome,
      predictor,
      n: rows.length,
      dropped_missing: dropped,
      levels: { control: o.control, case: o.case },
      cases: curve.cases.length,
      controls: curve.controls.length,
      direction: curve.direction,
      auc: curve.auc,
      ci: [ci.lower, ci.upper],
      ci_method: ciName,
      conf_level: confLevel,
      youden: { threshold: jsonNumber(first.threshold), sensitivity: first.sensitivity, specificity: first.specificity },
      youden_all: best.map((b) => ({ threshold: jsonNumber(b.threshold), sensitivity: b.sensitivity, specificity: b.specificity })),
      warnings,
    };
    const pct = `${Math.round(confLevel * 1000) / 10}%`;
    const text = [
      `ROC of ${predictor} for ${outcome}: ${curve.cases.length} cases (${o.case}), ${curve.controls.length} controls (${o.control}), direction ${curve.direction === '<' ? 'controls < cases' : 'controls > cases'}`,
      '',
      textTable(
        ['', 'value', `${pct} CI`],
        [
          ['AUC', fmt(curve.auc), `${fmt(ci.lower)} - ${fmt(ci.upper)} (${ciName})`],
          ...best.map((b, k) => [
            best.length > 1 ? `Youden best ${k + 1}` : 'Youden best',
            `threshold ${fmt(b.threshold)}`,
            `sensitivity ${fmt(b.sensitivity)}, specificity ${fmt(b.specificity)}`,
          ]),
        ],
      ),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};
