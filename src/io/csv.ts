import * as fs from 'node:fs';
import Papa from 'papaparse';
import { RadnomoError } from '../errors';

/** A CSV read as text: header names and one string array per column, all the same length. */
export interface CsvTable {
  /** Where it came from, for error messages. */
  source: string;
  names: string[];
  columns: Map<string, string[]>;
  nrows: number;
}

/** Parses CSV text (RFC 4180, header row required) into columns of strings. */
export function parseCsv(text: string, source: string): CsvTable {
  const res = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  if (res.errors.length > 0) {
    const e = res.errors[0]!;
    const row = e.row === undefined ? '' : ` at row ${e.row + 1}`;
    throw new RadnomoError('E_FORMAT', `${source}: not a valid CSV file${row} (${e.message}).`);
  }
  const rows = res.data;
  if (rows.length === 0) throw new RadnomoError('E_FORMAT', `${source}: the file is empty; a header row is needed.`);
  const names = rows[0]!.map((s) => s.trim());
  const seen = new Set<string>();
  for (const n of names) {
    if (n === '') throw new RadnomoError('E_FORMAT', `${source}: the header has an empty column name.`);
    if (seen.has(n)) throw new RadnomoError('E_FORMAT', `${source}: column "${n}" appears twice in the header.`);
    seen.add(n);
  }
  const columns = new Map<string, string[]>(names.map((n) => [n, []]));
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== names.length) {
      throw new RadnomoError(
        'E_FORMAT',
        `${source}: row ${r + 1} has ${row.length} fields but the header has ${names.length}.`,
      );
    }
    names.forEach((n, j) => columns.get(n)!.push(row[j]!));
  }
  return { source, names, columns, nrows: rows.length - 1 };
}

/** Reads and parses a CSV file. */
export function readCsv(file: string): CsvTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RadnomoError('E_IO', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  return parseCsv(text, file);
}

/** The named column's strings; a clear error when it is absent. */
export function stringColumn(t: CsvTable, name: string): string[] {
  const c = t.columns.get(name);
  if (!c) {
    throw new RadnomoError('E_COLUMN', `${t.source}: no column "${name}" (columns are: ${t.names.join(', ')}).`);
  }
  return c;
}

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'NULL', 'null', '.']);

/** True when a CSV cell means "missing" (empty, NA, NaN, NULL, '.'). */
export function isMissing(cell: string): boolean {
  return MISSING.has(cell.trim());
}

/**
 * The named column as numbers. Missing cells (see isMissing) become NaN; any other text that is
 * not a number is an error naming the column, row and value.
 */
export function numericColumn(t: CsvTable, name: string): Float64Array {
  const c = stringColumn(t, name);
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const s = c[i]!.trim();
    if (MISSING.has(s)) {
      out[i] = NaN;
      continue;
    }
    const v = Number(s);
    if (!Number.isFinite(v)) {
      throw new RadnomoError(
        'E_COLUMN',
        `${t.source}: column "${name}" row ${i + 2} holds "${c[i]}", which is not a number.`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** Neutralises a cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR). */
export function spreadsheetSafe(cell: string): string {
  if (/^[=+\-@\t\r]/.test(cell) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)) return `'${cell}`;
  return cell;
}

/** Quotes one CSV field when needed (RFC 4180). */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return formatNumber(v);
  const s = spreadsheetSafe(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Full-precision number text: shortest round-trip representation; NaN as "NaN". */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Renders rows (header first) as CSV text with a trailing newline. */
export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return lines.join('\n') + '\n';
}
