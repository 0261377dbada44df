import { RadnomoError } from '../../errors';
import { isMissing } from '../../io/csv';
import { delongPairwise, delongUnpaired } from '../../../stats/delong';
import { roc } from '../../../stats/roc';
import type { StatsAnalysis } from './analysis';
import { LEVELS_HELP, binaryOutcome, completeRows, levelsOption, otherLevelNote, directionOption, fmt, numberOption, requiredString, textTable } from './roc';

export const analysis: StatsAnalysis = {
  name: 'delong',
  summary: "DeLong's test between the AUCs of two or more predictors on the same cases, or of two independent samples with --unpaired (as pROC::roc.test)",
  options: [
    { flags: '--outcome <column>', description: 'outcome column with two values (0/1, 1/2, benign/malignant...)', required: true },
    { flags: '--levels <control,case>', description: LEVELS_HELP },
    { flags: '--predictors <columns>', description: 'two or more predictor columns, comma-separated (A,B[,C...])', required: true },
    { flags: '--direction <dir>', description: 'auto (each curve by pROC\'s median rule), "<" or ">"', defaultValue: 'auto' },
    { flags: '--conf-level <p>', description: 'confidence level of the AUC difference', defaultValue: '0.95' },
    {
      flags: '--unpaired',
      description: 'two independent samples (roc.test(paired = FALSE)): A\'s curve from the rows where A is present, B\'s from the rows where B is present',
    },
  ],
  run(table, opts) {
    const outcome = requiredString(opts, 'outcome', '--outcome');
    const names = requiredString(opts, 'predictors', '--predictors').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length < 2) throw new RadnomoError('E_USAGE', `--predictors needs at least two columns, got "${String(opts.predictors)}".`);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new RadnomoError('E_USAGE', `--predictors names "${dup}" twice.`);
    const direction = directionOption(opts.direction);
    const confLevel = numberOption(opts.confLevel, '--conf-level', 0.95, { min: 0, max: 1, openMin: true, openMax: true });
    // Each pair uses its own complete rows (pROC's roc.test(na.rm = TRUE)); here the columns are
    // read with missing cells as NaN, and rows missing the outcome are dropped for all pairs.
    completeRows(table, [outcome, ...names], false); // checks the columns exist
    const complete = completeRows(table, [outcome]);
    const o = binaryOutcome(table, outcome, complete, levelsOption(opts.levels));
    const { rows: withOutcome, y } = o;
    const predictors = names.map((name) => {
      const col = table.columns.get(name)!;
      const values = Float64Array.from(withOutcome, (r) => {
        const s = col[r]!.trim();
        if (isMissing(s)) return NaN;
        const v = Number(s);
        if (s === '' || !Number.isFinite(v)) {
          throw new RadnomoError('E_COLUMN', `${table.source}: column "${name}" row ${r + 2} holds "${col[r]}", which is not a finite number.`);
        }
        return v;
      });
      return { name, values };
    });
    const droppedOutcome = table.nrows - complete.length;
    const outcomeNotes = [...(droppedOutcome > 0 ? [`${droppedOutcome} row(s) with a missing ${outcome} dropped.`] : []), ...otherLevelNote(o, outcome)];
    if (opts.unpaired === true) return unpaired(outcome, { control: o.control, case: o.case }, y, predictors, direction, outcomeNotes);
    // A pair without rows holding both values (with both classes) cannot be compared paired.
    for (let i = 0; i < predictors.length; i++) {
      for (let j = i + 1; j < predictors.length; j++) {
        const a = predictors[i]!;
        const b = predictors[j]!;
        const classes = new Set<number>();
        for (let r = 0; r < y.length; r++) if (!Number.isNaN(a.values[r]!) && !Number.isNaN(b.values[r]!)) classes.add(y[r]!);
        if (classes.size < 2) {
          throw new RadnomoError(
            'E_DATA',
            `${table.source}: "${a.name}" and "${b.name}" are ${classes.size === 0 ? 'never both present on a row' : `both present only on rows with ${outcome} = ${[...classes][0] === 1 ? o.case : o.control}`}, so their AUCs cannot be compared on the same cases; for two independent samples use --unpaired.`,
          );
        }
      }
    }
    const res = delongPairwise(y, predictors, { direction, confLevel, outcomeName: outcome });
    const warnings = [
      ...outcomeNotes,
      ...res.pairs.filter((p) => p.dropped > 0).map((p) => `${p.a} vs ${p.b}: ${p.dropped} row(s) with a missing value dropped for this pair.`),
      ...[...new Set(res.pairs.flatMap((p) => p.warnings.map((w) => `${p.a} vs ${p.b}: ${w}`)))],
    ];
    const json = {
      analysis: 'delong',
      method: "DeLong's test for two correlated ROC curves",
      outcome,
      levels: { control: o.control, case: o.case },
      predictors: names,
      conf_level: confLevel,
      pairs: res.pairs.map((p) => ({
        a: p.a,
        b: p.b,
        auc_a: p.aucA,
        auc_b: p.aucB,
        direction_a: p.directionA,
        direction_b: p.directionB,
        difference: p.difference,
        ci: p.ci,
        z: p.z,
        p: p.p,
        n: p.n,
        dropped_missing: p.dropped + droppedOutcome,
      })),
      p_matrix: { names, p: res.p },
      warnings,
    };
    const pct = `${Math.round(confLevel * 1000) / 10}%`;
    const text = [
      `DeLong's test for two correlated ROC curves, outcome ${outcome} (case ${o.case}, control ${o.control}; two-sided)`,
      '',
      textTable(
        ['pair', 'AUC a', 'AUC b', 'difference', `${pct} CI`, 'Z', 'p'],
        res.pairs.map((p) => [`${p.a} vs ${p.b}`, fmt(p.aucA), fmt(p.aucB), fmt(p.difference), `${fmt(p.ci[0])} - ${fmt(p.ci[1])}`, fmt(p.z), fmt(p.p)]),
      ),
      ...(names.length > 2
        ? ['', 'p-values', textTable(['', ...names], names.map((n, i) => [n, ...res.p[i]!.map((v, j) => (i === j ? '-' : fmt(v)))]))]
        : []),
      ...warnings.map((w) => `Warning: ${w}`),
    ].join('\n');
    return { json, text };
  },
};

/** DeLong's test for two independent ROC curves (pROC::roc.test(roc(y, A), roc(y, B), paired = FALSE)). */
function unpaired(
  outcome: string,
  levels: { control: string; case: string },
  y: Float64Array,
  predictors: Array<{ name: string; values: Float64Array }>,
  direction: ReturnType<typeof directionOption>,
  outcomeNotes: string[],
): { json: Record<string, unknown>; text: string } {
  if (predictors.length !== 2) throw new RadnomoError('E_USAGE', `--unpaired compares exactly two predictors, got ${predictors.length}.`);
  const curves = predictors.map((p) => {
    const keep: number[] = [];
    for (let r = 0; r < y.length; r++) if (!Number.isNaN(p.values[r]!)) keep.push(r);
    const curve = roc(Float64Array.from(keep, (r) => y[r]!), Float64Array.from(keep, (r) => p.values[r]!), { direction, outcomeName: outcome, predictorName: p.name });
    return { name: p.name, curve, n: keep.length };
  });
  const [a, b] = curves as [(typeof curves)[0], (typeof curves)[0]];
  const t = delongUnpaired(a.curve, b.curve);
  const warnings = [...outcomeNotes, ...t.warnings];
  const json = {
    analysis: 'delong',
    method: t.method,
    outcome,
    levels,
    predictors: [a.name, b.name],
    unpaired: true,
    a: a.name,
    b: b.name,
    auc_a: t.aucA,
    auc_b: t.aucB,
    direction_a: a.curve.direction,
    direction_b: b.curve.direction,
    n_a: a.n,
    n_b: b.n,
    D: t.D,
    df: t.df,
    p: t.p,
    warnings,
  };
  const text = [
    `${t.method} (unpaired), outcome ${outcome} (case ${levels.case}, control ${levels.control}; two-sided)`,
    '',
    textTable(['', 'AUC', 'rows', 'direction'], [
      [a.name, fmt(t.aucA), String(a.n), a.curve.direction],
      [b.name, fmt(t.aucB), String(b.n), b.curve.direction],
    ]),
    '',
    `D = ${fmt(t.D)}, df = ${fmt(t.df)}, p = ${fmt(t.p)}`,
    ...warnings.map((w) => `Warning: ${w}`),
  ].join('\n');
  return { json, text };
}
