import { RadnomoError } from '../../errors';
import { type CsvTable, stringColumn } from '../../io/csv';
import { Random } from '../../random';
import { ciAucDelong } from '../../../stats/delong';
import { type DirectionOption, ciAucBootstrap, roc, youdenBest } from '../../../stats/roc';
import type { StatsAnalysis } from './analysis';
import { completeRows } from './common';

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

/** A 0/1 outcome column at the given rows; an error names the row (1-based, header = row 1) and value. */
export function binaryOutcome(table: CsvTable, name: string, rows: number[]): Float64Array {
  const c = stringColumn(table, name);
  return Float64Array.from(rows, (r) => {
    const s = c[r]!.trim();
    const v = Number(s);
    if (s === '' || (v !== 0 && v !== 1)) {
      throw new RadnomoError('E_COLUMN', `${table.source}: outcome column "${name}" must hold 0 (control) or 1 (case); row ${r + 2} holds "${c[r]}".`);
    }
    return v;
  });
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

// ---- radnomo stats roc ---------------------------------------------------------------------------

export const analysis: StatsAnalysis = {
  name: 'roc',
  summary: 'ROC curve, AUC with DeLong or bootstrap CI, Youden cut-off (as pROC)',
  options: [
    { flags: '--outcome <column>', description: 'binary outcome column: 0 = control, 1 = case', required: true },
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
    const rows = completeRows(table, [outcome, predictor]);
    const dropped = table.nrows - rows.length;
    const y = binaryOutcome(table, outcome, rows);
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
      `ROC of ${predictor} for ${outcome}: ${curve.cases.length} cases (1), ${curve.controls.length} controls (0), direction ${curve.direction === '<' ? 'controls < cases' : 'controls > cases'}`,
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
