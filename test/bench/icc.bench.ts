/**
 * psych::ICC's six forms (with F tests and 95% intervals) for 1,143 features x 20 subjects x 2
 * readers, as the reproducibility filter of a radiomics study runs it. Goal: <= 50 ms.
 */
import { iccMany, type IccArray } from '../../stats/icc';
import { Random } from '../../src/random';
import { timeMedian, type BenchResult } from './timing';

function simulate(nF: number, nS: number, k: number, seed: number): IccArray {
  const rnd = new Random(seed);
  const values = new Float64Array(nF * nS * k);
  for (let f = 0; f < nF; f++) {
    const noise = 0.1 + 2 * rnd.next();
    for (let s = 0; s < nS; s++) {
      const t = 10 * rnd.normal();
      for (let r = 0; r < k; r++) values[(f * nS + s) * k + r] = t + 0.3 * r + noise * rnd.normal();
    }
  }
  return { nFeatures: nF, nSubjects: nS, nRaters: k, values };
}

export async function bench(): Promise<BenchResult[]> {
  const data = simulate(1143, 20, 2, 11);
  const lmer = await timeMedian(() => iccMany(data), 9, 2);
  const aov = await timeMedian(() => iccMany(data, { method: 'aov' }), 9, 2);
  return [
    { name: 'ICC six forms + CIs, 1143 features x 20 subjects x 2 readers (lmer)', ms: lmer, note: 'goal <= 50 ms' },
    { name: 'ICC six forms + CIs, 1143 features x 20 subjects x 2 readers (aov)', ms: aov, note: 'goal <= 50 ms' },
  ];
}
