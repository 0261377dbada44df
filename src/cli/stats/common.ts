import { RadnomoError } from '../../errors';
import { isMissing, numericColumn, stringColumn, type CsvTable } from '../../io/csv';

// Small helpers shared by the `radnomo stats` commands (and the nomogram/tables commands):
// option parsing, complete-row selection, outcome checks, number formatting, text tables.

/** The string value of a required option; a usage error naming the flag when it is absent. */
export function requireOption(opts: Record<string, string | boolean | undefined>, key: string, flag: string): string {
  const v = opts[key];
  if (typeof v !== 'string' || v.trim() === '') throw new RadnomoError('E_USAGE', `${flag} is required.`);
  return v.trim();
}

/** A comma-separated list option as trimmed non-empty names. */
export function listOption(v: string | boolean | undefined, flag?: string): string[] {
  if (typeof v !== 'string') return [];
  const list = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const twice = flag === undefined ? undefined : list.find((s, i) => list.indexOf(s) !== i);
  if (twice !== undefined) throw new RadnomoError('E_USAGE', `${flag} lists "${twice}" twice.`);
  return list;
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

/**
 * Rows where none of `columns` is missing (stringColumn checks that the columns exist). With
 * `atLeastOne` (the default), no such row is an error that says why: a file without data rows, a
 * column missing on every row, or no row complete in all the columns together.
 */
export function completeRows(t: CsvTable, columns: readonly string[], atLeastOne = true): number[] {
  const cols = columns.map((c) => stringColumn(t, c));
  const keep: number[] = [];
  for (let i = 0; i < t.nrows; i++) if (cols.every((c) => !isMissing(c[i]!))) keep.push(i);
  if (keep.length === 0 && atLeastOne) {
    if (t.nrows === 0) throw new RadnomoError('E_DATA', `${t.source}: the file has a header but no data rows.`);
    const empty = columns.filter((_, k) => cols[k]!.every((v) => isMissing(v)));
    if (empty.length > 0) throw new RadnomoError('E_DATA', `${t.source}: ${empty.length === 1 ? 'column' : 'columns'} ${empty.map((c) => `"${c}"`).join(', ')} ${empty.length === 1 ? 'is' : 'are'} missing on all ${t.nrows} rows.`);
    throw new RadnomoError('E_DATA', `${t.source}: no row has values in all of ${columns.map((c) => `"${c}"`).join(', ')} (each of the ${t.nrows} rows misses at least one).`);
  }
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

/** Survival times at the given rows; a negative time is an error naming the column and CSV row. */
export function survivalTimes(t: CsvTable, name: string, rows: readonly number[]): Float64Array {
  const time = numericRows(t, name, rows);
  time.forEach((v, k) => {
    if (v < 0) throw new RadnomoError('E_VALUE', `${t.source}: column "${name}" row ${rows[k]! + 2} holds ${v}; survival times must not be negative.`);
  });
  return time;
}

/** Predicted probabilities at the given rows; a value outside [0, 1] is an error naming the column and CSV row. */
export function probabilityRows(t: CsvTable, name: string, rows: readonly number[]): Float64Array {
  const p = numericRows(t, name, rows);
  p.forEach((v, k) => {
    if (!(v >= 0 && v <= 1)) throw new RadnomoError('E_VALUE', `${t.source}: column "${name}" row ${rows[k]! + 2} holds ${v}; probabilities must lie in [0, 1].`);
  });
  return p;
}

/**
 * The columns (other than `exclude`) whose non-missing cells are all numbers and that hold at least
 * one, for --all-numeric and the ICC's default features; `skipped` says, for every other column,
 * which cell kept it out, so a column lost to one stray cell is reported rather than silently gone.
 */
export function numericColumnsReport(t: CsvTable, exclude: readonly string[]): { names: string[]; skipped: string[] } {
  const names: string[] = [];
  const skipped: string[] = [];
  for (const name of t.names) {
    if (exclude.includes(name)) continue;
    const c = stringColumn(t, name);
    let any = false;
    let bad = -1;
    for (let i = 0; i < c.length; i++) {
      const cell = c[i]!;
      if (isMissing(cell)) continue;
      if (!Number.isFinite(Number(cell.trim()))) {
        bad = i;
        break;
      }
      any = true;
    }
    if (bad >= 0) skipped.push(`column "${name}" left out: row ${bad + 2} holds "${c[bad]}", which is not a number.`);
    else if (!any) skipped.push(`column "${name}" left out: it is missing on every row.`);
    else names.push(name);
  }
  return { names, skipped };
}
