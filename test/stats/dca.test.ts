import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCsv, numericColumn } from '../../src/io/csv';
import { decisionCurves, parseThresholds, defaultThresholds } from '../../stats/dca';
import { analysis } from '../../src/cli/stats/dca';

const FIX = path.join(__dirname, '..', '..', 'fixtures');
interface Curve { variable: string; tp_rate: number[]; fp_rate: number[]; net_benefit: number[]; net_intervention_avoided: number[] }
interface Case { name: string; n: number; prevalence: number; thresholds: number[]; curves: Curve[] }
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'reference', 'dca.json'), 'utf8')) as { cases: Case[] };
const table = readCsv(path.join(FIX, 'sim_logistic.csv'));
const y = numericColumn(table, 'y');

let worst = 0;
function close(a: number, b: number, label: string): void {
  // absolute floor 1e-12: net benefits cross zero
  const err = Math.abs(a - b) / Math.max(Math.abs(b), 1e-3);
  worst = Math.max(worst, err);
  if (!(err <= 1e-12)) throw new Error(`${label}: got ${a}, R ${b} (error ${err.toExponential(2)})`);
}
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`dca: worst relative error against R = ${worst.toExponential(2)}`);
});

describe('decision curves match the dcurves definition', () => {
  for (const g of golden.cases) {
    test(g.name, () => {
      const thresholds = g.name === 'sim' ? defaultThresholds() : parseThresholds('0.05:0.95:0.05');
      // Grid generated as R's seq(): bit-identical thresholds (ties with risks such as 0.1 depend on it).
      expect(Array.from(thresholds)).toEqual(g.thresholds);
      const models = g.curves.filter((c) => c.variable !== 'all' && c.variable !== 'none').map((c) => ({ name: c.variable, risk: numericColumn(table, c.variable) }));
      const r = decisionCurves(y, models, thresholds);
      expect(r.prevalence).toBe(g.prevalence);
      expect(r.curves.map((c) => c.variable)).toEqual(g.curves.map((c) => c.variable));
      r.curves.forEach((c, m) => {
        const e = g.curves[m]!;
        e.net_benefit.forEach((v, k) => {
          close(c.tpRate[k]!, e.tp_rate[k]!, `${c.variable} tp ${k}`);
          close(c.fpRate[k]!, e.fp_rate[k]!, `${c.variable} fp ${k}`);
          close(c.netBenefit[k]!, v, `${c.variable} nb at ${g.thresholds[k]}`);
          close(c.netInterventionAvoided[k]!, e.net_intervention_avoided[k]!, `${c.variable} nia at ${g.thresholds[k]}`);
        });
      });
    });
  }
  test('closed form: treat-all net benefit = prev - (1 - prev) pt / (1 - pt); treat-none = 0', () => {
    const r = decisionCurves([1, 0, 0, 1, 0], [{ name: 'm', risk: [0.9, 0.2, 0.6, 0.4, 0] }], [0.25, 0.5]);
    expect(r.curves[0]!.netBenefit[0]).toBeCloseTo(0.4 - 0.6 / 3, 15);
    expect(r.curves[1]!.netBenefit[1]).toBe(0);
    // pt = 0.5: positives 0.9 (case), 0.6 (control): 1/5 - 1/5 * 1 = 0
    expect(r.curves[2]!.netBenefit[1]).toBeCloseTo(0, 15);
    // pt = 0.25: positives 0.9, 0.6, 0.4: TP 2, FP 1 -> 2/5 - 1/5 / 3
    expect(r.curves[2]!.netBenefit[0]).toBeCloseTo(0.4 - 0.2 / 3, 15);
  });
  test('threshold parsing and bad input', () => {
    expect(parseThresholds('0.1:0.3:0.1').length).toBe(3);
    expect(() => parseThresholds('0.1-0.3')).toThrow(/from:to:by/);
    expect(() => parseThresholds('0:0.5:0.1')).toThrow(/strictly between 0 and 1/);
    expect(() => decisionCurves([0, 1], [{ name: 'all', risk: [0.1, 0.2] }])).toThrow(/reserved/);
    expect(() => decisionCurves([0, 1], [{ name: 'm', risk: [0.1, 1.2] }])).toThrow(/row 2 is 1.2/);
  });
});

describe('radnomo stats dca', () => {
  test('net benefit rows equal the golden', () => {
    const g = golden.cases[0]!;
    const out = analysis.run(table, { outcome: 'y', prob: 'p_model,p_marker,p_coarse', thresholds: '0.01:0.99:0.01' });
    const rows = out.json.rows as Array<Record<string, number | string>>;
    expect(rows.length).toBe(99 * 5);
    const row = rows.find((r) => r.variable === 'p_model' && r.threshold === g.thresholds[29])!;
    close(row.net_benefit as number, g.curves[2]!.net_benefit[29]!, 'cli nb');
    expect(out.text).toMatch(/p_marker/);
  });
});
