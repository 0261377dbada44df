import { parseCsv } from '../../../src/io/csv';
import { DASH } from '../../../nomogram/tables/format';
import { DASH_NOTE, escapeHtml, escapeMarkdown, flatHeaders, tableToCsv, tableToHtml, tableToMarkdown, tablesHtmlDocument, type TableModel } from '../../../nomogram/tables/render';

const model = (): TableModel => ({
  id: 't',
  title: 'Table <b>X</b> & "Y"',
  columns: ['Variable', 'A', 'p'],
  columnGroups: [
    { label: '', span: 1 },
    { label: 'Training set', span: 2 },
  ],
  rows: [
    { cells: ['Training'], kind: 'section' },
    { cells: ['=HYPERLINK("http://evil")', '+1+2', '-3'], indent: 0 },
    { cells: ['@SUM(A1)', '0.81 (0.75–0.87)', '< 0.001'] },
    { cells: ['level <script>alert(1)</script>', `a|b *c* _d_`, DASH], indent: 1 },
  ],
  footnotes: ['Note one.'],
});

describe('table rendering', () => {
  test('CSV: header flattened with the group label, formula cells guarded, footnotes after a blank row', () => {
    const csv = tableToCsv(model());
    const t = parseCsv(csv, 'x.csv');
    expect(t.names).toEqual(['Variable', 'Training set: A', 'Training set: p']);
    const v = t.columns.get('Variable')!;
    expect(v[0]).toBe('Training');
    expect(v[1]).toBe(`'=HYPERLINK("http://evil")`);
    expect(t.columns.get('Training set: A')![1]).toBe(`'+1+2`);
    expect(t.columns.get('Training set: p')![1]).toBe('-3'); // a plain number is not a formula
    expect(v[2]).toBe(`'@SUM(A1)`);
    expect(v[3]).toBe('  level <script>alert(1)</script>');
    expect(csv).toContain('\n,,\nNote one.,,\n'); // a blank row before the footnotes
    expect(v[4]).toBe('Note one.');
    expect(v[5]).toBe(DASH_NOTE); // the dash explained
    expect(t.nrows).toBe(6);
    // every CSV cell that starts with a formula character is guarded
    for (const col of t.columns.values()) for (const c of col) expect(/^[=+@\t\r]/.test(c)).toBe(false);
  });

  test('Markdown: pipes and emphasis escaped, no raw HTML tags, section rows bold', () => {
    const md = tableToMarkdown(model());
    expect(md).toContain('### Table &lt;b>X&lt;/b> &amp; "Y"');
    expect(md).toContain('| Variable | Training set: A | Training set: p |');
    expect(md).toContain('| **Training** |  |  |');
    expect(md).toContain('a\\|b \\*c\\* \\_d\\_');
    expect(md).not.toMatch(/<script/);
    expect(md).toContain('&lt;script>');
    // every table line has the same number of unescaped pipes
    const lines = md.split('\n').filter((l) => l.startsWith('|'));
    const pipes = lines.map((l) => l.replace(/\\\|/g, '').split('|').length);
    expect(new Set(pipes).size).toBe(1);
    expect(escapeMarkdown('x < 0.001')).toBe('x < 0.001');
  });

  test('HTML: every text escaped, spanning header, indented level rows', () => {
    const html = tableToHtml(model());
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('Table &lt;b&gt;X&lt;/b&gt; &amp; &quot;Y&quot;');
    expect(html).toContain('<th scope="colgroup" colspan="2">Training set</th>');
    expect(html).toContain('<th scope="rowgroup" colspan="3">Training</th>');
    expect(html).toContain('level &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('padding-left:1.7em');
    expect(html).toContain('&lt; 0.001');
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
    const doc = tablesHtmlDocument([model()], 'T <i>');
    expect(doc.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(doc).toContain('<title>T &lt;i&gt;</title>');
    expect(doc).not.toMatch(/<script|src=|href=/);
  });

  test('shape errors are caught', () => {
    const m = model();
    m.rows.push({ cells: ['x', 'y'] });
    expect(() => tableToCsv(m)).toThrow(/2 cells/);
    const g = model();
    g.columnGroups = [{ label: 'a', span: 2 }];
    expect(() => tableToHtml(g)).toThrow(/span 2/);
    expect(flatHeaders({ ...model(), columnGroups: undefined })).toEqual(['Variable', 'A', 'p']);
  });
});
