import * as path from 'node:path';
import * as vm from 'node:vm';
import { readCsv, numericColumn, stringColumn } from '../../src/io/csv';
import { fitLogistic, type Predictor } from '../../stats/logistic';
import { NomogramModel } from '../../nomogram/points';
import { calculatorHtml, type CalculatorPayload } from '../../nomogram/calculator-html';
import { Random } from '../../src/random';

const root = path.join(__dirname, '..', '..');
const table = readCsv(path.join(root, 'fixtures/nomogram_sim.csv'));
const y = numericColumn(table, 'y');
const EVIL = '<script>alert(1)</script>';
const LEVELS: Record<string, string> = { high: 'high "G3" & worse', low: "low 'G1'", mid: 'mid</script><b>' };
const gradeRaw = stringColumn(table, 'grade');
const preds: Predictor[] = [
  { name: 'x1', values: numericColumn(table, 'x1') },
  { name: EVIL, values: numericColumn(table, 'x2') },
  { name: 'grade', values: gradeRaw.map((g) => LEVELS[g]!) },
];
const model = NomogramModel.fromLogistic(fitLogistic(y, preds), preds, { labels: { x1: 'Age & <years>' } });
const html = calculatorHtml(model, { title: 'Risk of "high grade" <meningioma>', description: 'Model A & co.' });

interface FakeEl { value: string; textContent: string; listeners: Record<string, Array<() => void>>; addEventListener(t: string, f: () => void): void }
function fakeDom(jsonText: string) {
  const els = new Map<string, FakeEl>();
  const get = (id: string): FakeEl => {
    let e = els.get(id);
    if (!e) {
      e = { value: '', textContent: id === 'nomogram-model' ? jsonText : '', listeners: {}, addEventListener(t, f) { (this.listeners[t] ??= []).push(f); } };
      els.set(id, e);
    }
    return e;
  };
  return { document: { getElementById: get }, get };
}
function scripts(h: string) {
  const json = /<script type="application\/json" id="nomogram-model">([\s\S]*?)<\/script>/.exec(h)![1]!;
  const code = /<script>([\s\S]*?)<\/script>/.exec(h)![1]!;
  return { json, code };
}

test('self-contained: no external resources or network calls', () => {
  expect(html).not.toMatch(/\b(src|href)\s*=/i);
  expect(html).not.toMatch(/url\(|@import|https?:\/\/(?!www\.w3\.org)/i);
  expect(html).not.toMatch(/fetch\(|XMLHttpRequest|WebSocket|import\(/);
  expect(html).toMatch(/Content-Security-Policy/);
});

test('all model and label text is escaped; only our two script elements exist', () => {
  expect((html.match(/<script/gi) ?? []).length).toBe(2);
  expect((html.match(/<\/script/gi) ?? []).length).toBe(2);
  expect(html).not.toContain('<b>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).toContain('high &quot;G3&quot; &amp; worse');
  expect(html).toContain('low &#39;G1&#39;');
  expect(html).toContain('Age &amp; &lt;years&gt;');
  expect(html).toContain('<title>Risk of &quot;high grade&quot; &lt;meningioma&gt;</title>');
  const { json } = scripts(html);
  const payload = JSON.parse(json) as CalculatorPayload;
  expect(payload.predictors[1]!.name).toBe(EVIL);
  expect(payload.predictors[2]!.type === 'categorical' && payload.predictors[2].levels).toEqual([LEVELS.high, LEVELS.low, LEVELS.mid]);
});

test("the page's script gives the same points and risk as NomogramModel on 200 random rows", () => {
  const { json, code } = scripts(html);
  const dom = fakeDom(json);
  const ctx: Record<string, unknown> = { document: dom.document, window: {} as Record<string, unknown>, JSON, Math, String, Number, isFinite };
  vm.runInNewContext(code, ctx);
  const score = (ctx.window as Record<string, unknown>).radnomoNomogramScore as (m: unknown, inputs: string[]) => { points: number[]; total: number; risk: number };
  const payload = JSON.parse(json) as unknown;
  const rng = new Random(3);
  const levels = [LEVELS.high!, LEVELS.low!, LEVELS.mid!];
  let worst = 0;
  for (let k = 0; k < 200; k++) {
    const x1 = 20 + 70 * rng.next();
    const x2 = 12 * rng.next();
    const g = rng.int(3);
    const row = { x1, [EVIL]: x2, grade: levels[g]! };
    const r = score(payload, [String(x1), String(x2), String(g)]);
    worst = Math.max(worst, Math.abs(r.risk - model.risk(row)));
    expect(Math.abs(r.total - model.totalPoints(row))).toBeLessThan(1e-9);
    expect(Math.abs(r.points[0]! - model.pointsFor('x1', x1))).toBeLessThan(1e-9);
  }
  expect(worst).toBeLessThan(1e-12);

  // wiring: set the form and fire input events
  dom.get('in-0').value = '61.5';
  dom.get('in-1').value = '3.25';
  dom.get('in-2').value = '2';
  dom.get('in-2').listeners.change!.forEach((f) => f());
  const expected = model.risk({ x1: 61.5, [EVIL]: 3.25, grade: LEVELS.mid! });
  expect(dom.get('risk').textContent).toBe(`${(100 * expected).toFixed(1)}%`);
  expect(dom.get('total').textContent).toBe(model.totalPoints({ x1: 61.5, [EVIL]: 3.25, grade: LEVELS.mid! }).toFixed(1));
  expect(dom.get('pts-2').textContent).toBe(model.pointsFor('grade', LEVELS.mid!).toFixed(1));

  // unusable input: no risk shown, a message instead
  dom.get('in-0').value = 'abc';
  dom.get('in-0').listeners.input!.forEach((f) => f());
  expect(dom.get('risk').textContent).toBe('\u2014');
  expect(dom.get('msg-0').textContent).toMatch(/number/);
  dom.get('in-0').value = '150';
  dom.get('in-0').listeners.input!.forEach((f) => f());
  expect(dom.get('msg-0').textContent).toMatch(/outside the range/);
  expect(dom.get('risk').textContent).toMatch(/%$/);
});
