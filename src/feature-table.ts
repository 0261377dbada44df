import { toCsv } from './io/csv';
import type { CaseOutcome } from './batch';

/**
 * The rows of a feature table: carried columns first, then diagnostics, then features, in the
 * first successful case's column order. Failed cases are left out (they go to the errors table).
 */
export function featureTable(outcomes: CaseOutcome[], carriedNames: string[]): { header: string[]; rows: Array<Array<string | number>> } {
  const ok = outcomes.filter((o): o is Extract<CaseOutcome, { ok: true }> => o.ok);
  if (ok.length === 0) return { header: carriedNames, rows: [] };
  const first = ok[0]!.result;
  const diagNames = Object.keys(first.diagnostics);
  const featNames = Object.keys(first.features);
  const header = [...carriedNames, ...diagNames, ...featNames];
  const rows = ok.map((o) => [
    ...carriedNames.map((n) => o.case.carried[n] ?? ''),
    ...diagNames.map((n) => o.result.diagnostics[n] ?? ''),
    ...featNames.map((n) => o.result.features[n] ?? NaN),
  ]);
  return { header, rows };
}

/** CSV text of a feature table. */
export function featureTableCsv(outcomes: CaseOutcome[], carriedNames: string[]): string {
  const { header, rows } = featureTable(outcomes, carriedNames);
  return toCsv(header, rows);
}

/** JSON text of a feature table: one object per successful case. */
export function featureTableJson(outcomes: CaseOutcome[], carriedNames: string[]): string {
  const { header, rows } = featureTable(outcomes, carriedNames);
  return JSON.stringify(rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]]))), null, 2) + '\n';
}

/**
 * CSV text of the failed cases: position in the batch, carried columns (which hold Image and Mask
 * in a batch; they are added when absent), error code and message.
 */
export function errorTableCsv(outcomes: CaseOutcome[], carriedNames: string[]): string {
  const failed = outcomes.filter((o): o is Extract<CaseOutcome, { ok: false }> => !o.ok);
  const paths = ['Image', 'Mask'].filter((n) => !carriedNames.includes(n));
  const pathOf = (o: CaseOutcome, n: string): string => (n === 'Image' ? o.case.image : o.case.mask);
  return toCsv(
    ['case', ...carriedNames, ...paths, 'error_code', 'error'],
    failed.map((o) => [o.case.index, ...carriedNames.map((n) => o.case.carried[n] ?? ''), ...paths.map((n) => pathOf(o, n)), o.code, o.message]),
  );
}
