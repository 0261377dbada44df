import * as fs from 'node:fs';
import { RadnomoError } from '../errors';
import { readBatch, caseName, type BatchCase } from '../batch';
import { readCsv, spreadsheetSafe, type CsvTable } from '../io/csv';
import { writeFileAtomic } from '../io/atomic-write';
import { errorsPath } from './extract-command';

export interface MergeOptions {
  batch?: string;
  out?: string;
  quiet?: boolean;
}

/** The columns that identify a case in a batch output, as `radnomo extract --batch` writes them. */
function keyColumns(hasLabel: boolean): string[] {
  return hasLabel ? ['Image', 'Mask', 'Label'] : ['Image', 'Mask'];
}

/** A case's key: its carried Image, Mask (and Label) values as they appear in a written CSV. */
function caseKey(c: BatchCase, cols: string[]): string {
  return JSON.stringify(cols.map((n) => spreadsheetSafe(c.carried[n] ?? '')));
}

/**
 * CSV text of cells exactly as read (already spreadsheet-safe when they were written), quoted by
 * the same rule as toCsv, so a merged table is byte for byte what a single run writes.
 */
function rawCsv(header: string[], rows: string[][]): string {
  const field = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}

interface Placed {
  file: string;
  row: number;
  cells: string[];
}

/** Reads one table (a shard output or its errors file) and places each row on its batch case. */
function placeRows(
  t: CsvTable,
  file: string,
  cols: string[],
  slots: Map<string, BatchCase[]>,
  placed: Map<number, Placed>,
  otherPlaced: Map<number, Placed>,
): void {
  for (const n of cols) {
    if (!t.columns.has(n)) {
      throw new RadnomoError('E_COLUMN', `${file}: no column "${n}"; a shard output of "radnomo extract --batch" carries ${cols.join(', ')} to match rows to cases.`);
    }
  }
  for (let r = 0; r < t.nrows; r++) {
    const key = JSON.stringify(cols.map((n) => t.columns.get(n)![r]!));
    const free = slots.get(key);
    const where = `${file} row ${r + 2}`;
    if (!free) {
      throw new RadnomoError('E_CASE', `${where} (${cols.map((n) => `${n} ${t.columns.get(n)![r]}`).join(', ')}) is not a case of the batch file.`);
    }
    const c = free.find((x) => !placed.has(x.index) && !otherPlaced.has(x.index));
    if (!c) {
      const first = placed.get(free[0]!.index) ?? otherPlaced.get(free[0]!.index)!;
      throw new RadnomoError('E_CASE', `${caseName(free[0]!)} is present twice: in ${first.file} row ${first.row} and in ${where}.`);
    }
    placed.set(c.index, { file, row: r + 2, cells: t.names.map((n) => t.columns.get(n)![r]!) });
  }
}

/** Checks that a table's header equals the reference header; names the first difference. */
function sameHeader(ref: { file: string; names: string[] } | null, file: string, names: string[]): { file: string; names: string[] } {
  if (!ref) return { file, names };
  if (ref.names.length !== names.length || ref.names.some((n, i) => n !== names[i])) {
    const i = ref.names.findIndex((n, j) => n !== names[j]);
    const at = i < 0 ? names.length : i;
    throw new RadnomoError(
      'E_COLUMN',
      `${file}: its header differs from ${ref.file} at column ${at + 1} ("${names[at] ?? '(none)'}" vs "${ref.names[at] ?? '(none)'}"); shards must come from the same parameters and batch.`,
    );
  }
  return ref;
}

/**
 * `radnomo merge --batch cases.csv -o all.csv shard1.csv shard2.csv ...`: joins the outputs of
 * `radnomo extract --batch --shard K/N` into one table in the batch's order, matching rows to
 * cases by their carried Image, Mask (and Label) values; the shards' `<shard>.errors.csv` files
 * are merged the same way into `<out>.errors.csv`. A case present twice or differing headers are
 * errors; cases missing from all shards are listed and the exit code is 3. Returns the exit code.
 */
export function runMerge(shards: string[], o: MergeOptions, log: (s: string) => void): number {
  if (!o.batch) throw new RadnomoError('E_USAGE', 'merge needs the batch file the shards were run on: --batch cases.csv');
  if (!o.out) throw new RadnomoError('E_USAGE', 'an output file is needed: -o features.csv');
  if (shards.length === 0) throw new RadnomoError('E_USAGE', 'give the shard output files to merge.');
  const { cases, carriedNames } = readBatch(o.batch);
  const cols = keyColumns(carriedNames.includes('Label'));
  const slots = new Map<string, BatchCase[]>();
  for (const c of cases) {
    const k = caseKey(c, cols);
    const list = slots.get(k);
    if (list) list.push(c);
    else slots.set(k, [c]);
  }
  const rows = new Map<number, Placed>();
  const errRows = new Map<number, Placed>();
  let header: { file: string; names: string[] } | null = null;
  let errHeader: { file: string; names: string[] } | null = null;
  const seen = new Set<string>();
  for (const file of shards) {
    if (!file.toLowerCase().endsWith('.csv')) throw new RadnomoError('E_USAGE', `${file}: merge joins CSV outputs only.`);
    const real = fs.existsSync(file) ? fs.realpathSync(file) : file;
    if (seen.has(real)) throw new RadnomoError('E_USAGE', `${file} is given twice.`);
    seen.add(real);
    const t = readCsv(file);
    // A shard whose cases all failed (or an empty shard) has a table without feature columns.
    if (t.nrows > 0) header = sameHeader(header, file, t.names);
    placeRows(t, file, cols, slots, rows, errRows);
    const ef = errorsPath(file);
    if (fs.existsSync(ef)) {
      const et = readCsv(ef);
      errHeader = sameHeader(errHeader, ef, et.names);
      placeRows(et, ef, cols, slots, errRows, rows);
    }
  }
  const names = header?.names ?? carriedNames;
  const ordered = cases.filter((c) => rows.has(c.index)).map((c) => rows.get(c.index)!.cells);
  writeFileAtomic(o.out, rawCsv(names, ordered));
  const errFile = errorsPath(o.out);
  const failed = cases.filter((c) => errRows.has(c.index));
  if (failed.length > 0 && errHeader) {
    writeFileAtomic(errFile, rawCsv(errHeader.names, failed.map((c) => errRows.get(c.index)!.cells)));
  } else if (fs.existsSync(errFile)) {
    fs.rmSync(errFile);
  }
  const missing = cases.filter((c) => !rows.has(c.index) && !errRows.has(c.index));
  const summary = `${ordered.length} of ${cases.length} cases merged from ${shards.length} shard${shards.length === 1 ? '' : 's'} into ${o.out}`;
  if (missing.length > 0) {
    const shown = missing.slice(0, 20).map(caseName).join(', ');
    log(`${summary}; ${missing.length} case${missing.length === 1 ? ' is' : 's are'} missing from all shards: ${shown}${missing.length > 20 ? ', ...' : ''}.`);
    if (failed.length > 0) log(`${failed.length} failed cases are listed in ${errFile}.`);
    return 3;
  }
  if (failed.length > 0) {
    log(`${summary}; ${failed.length} failed, listed in ${errFile}.`);
    return 3;
  }
  log(`${summary}.`);
  return 0;
}
