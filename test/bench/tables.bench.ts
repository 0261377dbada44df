/**
 * `radnomo nomogram` (with its ROC, calibration and DCA figures) + `radnomo tables` (all five tables, 4 models) on a simulated study of
 * n = 442 rows (70/30 split), in-memory outputs (SVG, 300 dpi PNG, calculator, CSV/Markdown/HTML)
 * without the disk writes. Budget shared with the figures: 2 s.
 */
import { parseCsv } from '../../src/io/csv';
import { Random } from '../../src/random';
import { nomogramOutputs } from '../../src/cli/nomogram-command';
import { tablesOutputs } from '../../src/cli/tables-command';
import { timeMedian, type BenchResult } from './timing';

/** A simulated study: age, size, grade (3 levels), a rad score, outcome, split, and 4 model columns. */
export function simulatedStudyCsv(n = 442, seed = 7): string {
  const rng = new Random(seed);
  const lines = ['age,size,grade,rad_score,y,split,m1,m2,m3,m4'];
  for (let i = 0; i < n; i++) {
    const age = Math.round(40 + 12 * rng.normal());
    const size = Math.round(Math.exp(1 + 0.5 * rng.normal()) * 10) / 10;
    const grade = ['I', 'II', 'III'][rng.int(3)]!;
    const rad = rng.normal();
    const lp = -0.5 + 0.03 * (age - 40) + 0.2 * size + (grade === 'III' ? 0.8 : grade === 'II' ? 0.3 : 0) + 1.2 * rad;
    const y = rng.next() < 1 / (1 + Math.exp(-lp)) ? 1 : 0;
    const m = [lp + rng.normal(), 0.5 * lp + rng.normal(), rad, lp + 0.3 * rng.normal()].map((v) => (1 / (1 + Math.exp(-v))).toFixed(6));
    lines.push(`${age},${size},${grade},${rad.toFixed(5)},${y},${rng.next() < 0.7 ? 'train' : 'test'},${m.join(',')}`);
  }
  return lines.join('\n') + '\n';
}

export async function bench(): Promise<BenchResult[]> {
  const table = parseCsv(simulatedStudyCsv(), 'sim.csv');
  const common = { outcome: 'y', split: 'split', train: 'train' };
  const nomo = (): unknown => nomogramOutputs(table, { ...common, predictors: 'age,size,grade,rad_score', categorical: 'grade' }, '/tmp/radnomo-bench-nomogram');
  const tabs = (): unknown =>
    tablesOutputs(table, { ...common, models: 'm1,m2,m3,m4', predictors: 'age,size,grade,rad_score', categorical: 'grade' }, '/tmp/radnomo-bench-tables');
  const both = (): void => {
    nomo();
    tabs();
  };
  const msNomo = await timeMedian(nomo, 5, 1);
  const msTabs = await timeMedian(tabs, 5, 1);
  const msBoth = await timeMedian(both, 5, 1);
  return [
    { name: 'nomogram (n=442: fit, SVG, 300 dpi PNG, HTML, ROC/calibration/DCA figures)', ms: msNomo },
    { name: 'tables (n=442, 4 models, 5 tables x 3 formats)', ms: msTabs },
    { name: 'nomogram + all tables (n=442, 4 models)', ms: msBoth, note: 'budget with figures: 2000 ms' },
  ];
}
