/**
 * One table model rendered three ways: CSV (RFC 4180, formula-looking cells guarded by
 * `spreadsheetSafe`), Markdown (pipe table, Markdown and HTML metacharacters escaped) and HTML
 * (every text escaped; a fragment per table, or a complete self-contained document).
 */
import { toCsv } from '../../src/io/csv';
import { DASH } from './format';

/** One row: data cells (first cell is the row label), or a section heading spanning the table. */
export interface TableRow {
  cells: string[];
  /** 'section' rows hold one heading in cells[0] (e.g. "Training set (n = 310)"). Default 'data'. */
  kind?: 'data' | 'section';
  /** Indentation level of the row label (levels of a categorical variable). */
  indent?: number;
}

/** A column group over consecutive columns (a spanning header, e.g. "Training set"). */
export interface ColumnGroup {
  label: string;
  /** Number of columns spanned. */
  span: number;
}

/** A publication table independent of its output format. */
export interface TableModel {
  /** File stem: "table1", "regression", ... */
  id: string;
  title: string;
  /** Leaf column headers; the first is the row-label column. */
  columns: string[];
  /** Optional spanning headers above `columns` (spans add up to columns.length). */
  columnGroups?: ColumnGroup[];
  rows: TableRow[];
  footnotes: string[];
}

/** A generic footnote for "—" cells, added by the renderers when no footnote explains the dash. */
export const DASH_NOTE = `${DASH} not available (not estimable from these data).`;

/** The table's footnotes, plus the dash note when a cell shows "—" and no footnote mentions it. */
export function footnotesOf(t: TableModel): string[] {
  const hasDash = t.rows.some((r) => r.cells.some((c) => c.includes(DASH)));
  const explained = t.footnotes.some((f) => f.includes(DASH));
  return hasDash && !explained ? [...t.footnotes, DASH_NOTE] : [...t.footnotes];
}

function checkShape(t: TableModel): void {
  const w = t.columns.length;
  if (t.columnGroups) {
    const s = t.columnGroups.reduce((a, g) => a + g.span, 0);
    if (s !== w) throw new RangeError(`table ${t.id}: column groups span ${s} columns but the table has ${w}`);
  }
  for (const r of t.rows) {
    if ((r.kind ?? 'data') === 'data' && r.cells.length !== w) throw new RangeError(`table ${t.id}: a row has ${r.cells.length} cells but the table has ${w} columns`);
  }
}

/** Leaf headers with their group label prefixed ("Training set: Benign (n = 200)"), for flat formats. */
export function flatHeaders(t: TableModel): string[] {
  if (!t.columnGroups) return [...t.columns];
  const out: string[] = [];
  let j = 0;
  for (const g of t.columnGroups) {
    for (let k = 0; k < g.span; k++, j++) out.push(g.label !== '' && t.columns[j] !== '' ? `${g.label}: ${t.columns[j]}` : g.label !== '' ? g.label : t.columns[j]!);
  }
  return out;
}

function rowCells(t: TableModel, r: TableRow, indentText: string): string[] {
  const w = t.columns.length;
  if (r.kind === 'section') return [r.cells[0] ?? '', ...Array.from({ length: w - 1 }, () => '')];
  const label = indentText.repeat(r.indent ?? 0) + r.cells[0]!;
  return [label, ...r.cells.slice(1)];
}

/**
 * CSV: the title as the first line's only cell is NOT written (a CSV holds the grid only); header
 * row, data rows (section rows as a first cell), then a blank row and one row per footnote.
 * Cells that a spreadsheet would run as a formula are prefixed with "'" (io/csv spreadsheetSafe).
 */
export function tableToCsv(t: TableModel): string {
  checkShape(t);
  const w = t.columns.length;
  const rows: string[][] = t.rows.map((r) => rowCells(t, r, '  '));
  const notes = footnotesOf(t);
  if (notes.length > 0) {
    rows.push(Array.from({ length: w }, () => ''));
    for (const n of notes) rows.push([n, ...Array.from({ length: w - 1 }, () => '')]);
  }
  return toCsv(flatHeaders(t), rows);
}

/** Escapes text for a Markdown table cell (pipes, emphasis, code, links, HTML tags, line breaks). */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/([|*_`[\]#])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/\r?\n|\r/g, ' ');
}

/** Markdown: "### title", a pipe table (flattened headers; section rows in bold), then footnotes. */
export function tableToMarkdown(t: TableModel): string {
  checkShape(t);
  const head = flatHeaders(t).map(escapeMarkdown);
  const lines = [`### ${escapeMarkdown(t.title)}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, j) => (j === 0 ? ' :--- ' : ' ---: ')).join('|')}|`];
  for (const r of t.rows) {
    const cells = rowCells(t, r, '\u00a0\u00a0').map(escapeMarkdown);
    if (r.kind === 'section') cells[0] = `**${cells[0]}**`;
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes = footnotesOf(t);
  if (notes.length > 0) {
    lines.push('');
    for (const n of notes) lines.push(`${escapeMarkdown(n)}  `);
  }
  return lines.join('\n') + '\n';
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** HTML: one <table> with caption, a spanning header row when grouped, body and footnotes in <tfoot>. */
export function tableToHtml(t: TableModel): string {
  checkShape(t);
  const e = escapeHtml;
  const w = t.columns.length;
  const out: string[] = [`<table class="radnomo-table" id="${e(t.id)}">`, `<caption>${e(t.title)}</caption>`, '<thead>'];
  if (t.columnGroups) {
    out.push(`<tr>${t.columnGroups.map((g) => `<th scope="colgroup"${g.span > 1 ? ` colspan="${g.span}"` : ''}>${e(g.label)}</th>`).join('')}</tr>`);
  }
  out.push(`<tr>${t.columns.map((c, j) => `<th scope="col"${j === 0 ? ' class="label"' : ''}>${e(c)}</th>`).join('')}</tr>`, '</thead>', '<tbody>');
  for (const r of t.rows) {
    if (r.kind === 'section') {
      out.push(`<tr class="section"><th scope="rowgroup" colspan="${w}">${e(r.cells[0] ?? '')}</th></tr>`);
      continue;
    }
    const ind = r.indent ? ` style="padding-left:${(0.5 + 1.2 * r.indent).toFixed(1)}em"` : '';
    out.push(`<tr><th scope="row" class="label"${ind}>${e(r.cells[0]!)}</th>${r.cells.slice(1).map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
  }
  out.push('</tbody>');
  const notes = footnotesOf(t);
  if (notes.length > 0) out.push(`<tfoot>${notes.map((n) => `<tr><td colspan="${w}">${e(n)}</td></tr>`).join('')}</tfoot>`);
  out.push('</table>');
  return out.join('\n') + '\n';
}

const CSS = `body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2rem; color: #111; }
table.radnomo-table { border-collapse: collapse; margin: 0 0 2.5rem 0; font-size: .9rem; }
table.radnomo-table caption { text-align: left; font-weight: bold; padding-bottom: .4rem; }
table.radnomo-table th, table.radnomo-table td { padding: .25rem .6rem; text-align: right; font-variant-numeric: tabular-nums; }
table.radnomo-table th.label { text-align: left; font-weight: normal; }
table.radnomo-table thead th { border-bottom: 1px solid #000; font-weight: bold; text-align: center; }
table.radnomo-table thead tr:first-child th { border-top: 2px solid #000; }
table.radnomo-table tbody tr:last-child th, table.radnomo-table tbody tr:last-child td { border-bottom: 2px solid #000; }
table.radnomo-table tr.section th { text-align: left; font-style: italic; padding-top: .6rem; }
table.radnomo-table tfoot td { text-align: left; font-size: .8rem; color: #333; }
`;

/** A complete, self-contained HTML document holding the given tables. */
export function tablesHtmlDocument(tables: readonly TableModel[], title = 'Tables'): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...tables.map(tableToHtml),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** All tables in one Markdown document. */
export function tablesMarkdownDocument(tables: readonly TableModel[], title = 'Tables'): string {
  return [`# ${escapeMarkdown(title)}`, '', ...tables.map((t) => tableToMarkdown(t))].join('\n');
}
