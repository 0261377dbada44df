/**
 * Hosmer–Lemeshow goodness-of-fit per model and set (ResourceSelection::hoslem.test(y, p, g = 10)),
 * from stats/hosmer-lemeshow.ts. The test needs predicted probabilities: a model whose values are
 * not all within [0, 1] (a score) gets "—" with a footnote, as does a set where the test cannot be
 * formed (e.g. too few distinct probabilities).
 */
import { hosmerLemeshow, type HosmerLemeshowResult } from '../../stats/hosmer-lemeshow';
import { isRadnomoError } from '../../src/errors';
import { DASH, fmtNum, fmtP, formatOptions, type FormatOptions } from './format';
import { setData, type EvaluationSet, type ModelColumn } from './performance-table';
import type { ColumnGroup, TableModel, TableRow } from './render';

export interface HlCell {
  model: string;
  set: string;
  /** The test, or null with the reason it was not computed. */
  result: HosmerLemeshowResult | null;
  reason: string;
}

export interface HlTableResult {
  table: TableModel;
  cells: HlCell[];
}

/** True when every value of the rows is a probability in [0, 1]. */
export function isProbability(values: ArrayLike<number>, rows: readonly number[]): boolean {
  for (const i of rows) {
    const v = values[i]!;
    if (!(v >= 0 && v <= 1)) return false;
  }
  return true;
}

/** Hosmer–Lemeshow χ², df and p of each model in each set (g groups, default 10). */
export function hlTable(y: ArrayLike<number>, models: readonly ModelColumn[], sets: readonly EvaluationSet[], opts: FormatOptions & { groups?: number } = {}): HlTableResult {
  const f = formatOptions(opts);
  const g = opts.groups ?? 10;
  const cells: HlCell[] = [];
  const rows: TableRow[] = [];
  const notes: string[] = [];
  const scoreModels: string[] = [];
  for (const m of models) {
    const label = m.label ?? m.name;
    const out = [label];
    const prob = sets.every((s) => isProbability(m.values, s.rows));
    if (!prob) scoreModels.push(label);
    for (const s of sets) {
      let result: HosmerLemeshowResult | null = null;
      let reason = '';
      if (!prob) reason = 'not a probability';
      else {
        const d = setData(y, m.values, s.rows);
        try {
          result = hosmerLemeshow(d.y, d.x, g);
          for (const w of result.warnings) notes.push(`${label}, ${s.label.toLowerCase()}: ${w}`);
        } catch (e) {
          if (!isRadnomoError(e)) throw e;
          reason = e.message;
          notes.push(`${DASH} ${label}, ${s.label.toLowerCase()}: ${e.message}`);
        }
      }
      cells.push({ model: m.name, set: s.label, result, reason });
      out.push(result ? fmtNum(result.statistic, f.decimals) : DASH, result ? String(result.df) : DASH, result ? fmtP(result.p, f.pDecimals) : DASH);
    }
    rows.push({ cells: out });
  }
  const groups: ColumnGroup[] = [{ label: '', span: 1 }, ...sets.map((s) => ({ label: `${s.label} (n = ${s.rows.length})`, span: 3 }))];
  const footnotes = [`Hosmer–Lemeshow test with ${g} groups at deciles of the predicted probability; p > 0.05 means no evidence of miscalibration.`];
  if (scoreModels.length > 0) footnotes.push(`${DASH} ${scoreModels.join(', ')}: values are scores, not probabilities in [0, 1]; the test needs predicted probabilities.`);
  footnotes.push(...[...new Set(notes)].map((n) => (n.startsWith(DASH) ? n : `Note: ${n}`)));
  return {
    table: {
      id: 'hosmer-lemeshow',
      title: 'Table 5. Hosmer–Lemeshow goodness-of-fit test',
      columns: ['Model', ...sets.flatMap(() => ['χ²', 'df', 'p'])],
      columnGroups: groups,
      rows,
      footnotes,
    },
    cells,
  };
}
