import { escapeXml, formatNumber, horizontalAxis, OKABE_ITO, pretty, textWidth, boxesOverlap, svgDocument, svgPolyline } from '../../nomogram/svg';

test('escapeXml escapes the five XML specials', () => {
  expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
});

test("formatNumber shows values as R's format() does", () => {
  expect(formatNumber(0.30000000000000004)).toBe('0.3');
  expect(formatNumber(-2.5)).toBe('-2.5');
  expect(formatNumber(100)).toBe('100');
  expect(formatNumber(1e-5)).toBe('1e-05');
  expect(formatNumber(123456789)).toBe('123456789');
  expect(formatNumber(0.05)).toBe('0.05');
});

test('pretty: rms default axes (closed cases)', () => {
  expect(pretty(0, 100, 10)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  expect(pretty(0.3, 11.97, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  expect(pretty(3, 3, 10).length).toBeGreaterThan(1);
});

test('Okabe-Ito palette has its 8 colours', () => {
  expect(OKABE_ITO).toHaveLength(8);
  expect(OKABE_ITO[1]).toBe('#E69F00');
});

test('text widths scale with size; digits are tabular in DejaVu Sans', () => {
  expect(textWidth('0123', 10)).toBeCloseTo(4 * 6.362, 6);
  expect(textWidth('abc', 14)).toBeCloseTo(1.4 * textWidth('abc', 10), 10);
  expect(textWidth('abc', 10, true)).toBeGreaterThan(textWidth('abc', 10));
});

test('horizontalAxis places ticks on the domain and reports label boxes that do not overlap', () => {
  const { elements, boxes } = horizontalAxis(
    [0, 25, 50, 75, 100].map((v) => ({ at: v, label: String(v) })),
    { domain: [0, 100], x0: 10, x1: 210, y: 50, fontSize: 8 },
  );
  expect(elements.filter((e) => e.startsWith('<line')).length).toBe(6);
  expect(elements.some((e) => e.includes('x1="110"'))).toBe(true);
  expect(boxes).toHaveLength(5);
  for (let i = 1; i < boxes.length; i++) expect(boxesOverlap(boxes[i - 1]!, boxes[i]!)).toBe(false);
});

test('svgDocument sizes in mm with point user units', () => {
  const s = svgDocument([svgPolyline([[0, 0], [10, 10]], OKABE_ITO[5])], { widthMm: 84, heightMm: 50, title: 'a<b' });
  expect(s).toMatch(/width="84mm" height="50mm" viewBox="0 0 238.11 141.73"/);
  expect(s).toContain('<title>a&lt;b</title>');
});
