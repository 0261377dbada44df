import { Random } from '../../src/random';
import { isRadnomoError } from '../../src/errors';
import { bootstrapIndices, bootstrapReplicates, percentileCi, quantile7, strataMembers } from '../../stats/bootstrap';
import { golden } from './roc-golden';

const G = golden<{ probs: number[]; cases: Array<{ x: number[]; q: number[] }> }>('bootstrap.json');

describe("quantile7 = R's quantile(type = 7)", () => {
  for (const [i, c] of G.cases.entries()) {
    test(`vector ${i + 1} (n = ${c.x.length}): every probability bit for bit`, () => {
      expect(quantile7(c.x, G.probs)).toEqual(c.q);
    });
  }
  test('percentileCi returns (1-conf)/2, 0.5, 1-(1-conf)/2 quantiles as pROC', () => {
    const c = G.cases[4]!;
    const ci = percentileCi(c.x, 0.95);
    // pROC computes the probabilities as 0 + (1 - conf)/2 and 1 - (1 - conf)/2, which differ from
    // the literals 0.025/0.975 in the last bit: same expression here, so same quantiles as pROC.
    const a = (1 - 0.95) / 2;
    expect([ci.lower, ci.median, ci.upper]).toEqual(quantile7(c.x, [0 + a, 0.5, 1 - a]));
    const rel = [ci.lower, ci.median, ci.upper].map((v, k) => Math.abs(v - c.q[[1, 4, 6][k]!]!) / c.q[[1, 4, 6][k]!]!);
    expect(Math.max(...rel)).toBeLessThan(1e-12);
  });
  test('NaN values, empty input, probabilities outside [0, 1] are RadnomoErrors', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return isRadnomoError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => quantile7([1, NaN], [0.5]))).toBe('E_VALUE');
    expect(code(() => quantile7([], [0.5]))).toBe('E_DATA');
    expect(code(() => quantile7([1, 2], [1.5]))).toBe('E_VALUE');
    expect(code(() => percentileCi([1, 2], 1))).toBe('E_PARAMS');
  });
});

describe('bootstrapIndices', () => {
  test('same seed, same indices; indices in range', () => {
    const a = bootstrapIndices(500, new Random(1));
    const b = bootstrapIndices(500, new Random(1));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(bootstrapIndices(500, new Random(2)))).not.toEqual(Array.from(a));
    expect(a.every((i) => i >= 0 && i < 500)).toBe(true);
  });

  test('stratified: every slot is filled from its own stratum, strata sizes kept', () => {
    const strata = Float64Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : 0));
    const rng = new Random(4);
    let wrong = 0;
    for (let r = 0; r < 50; r++) {
      const idx = bootstrapIndices(300, rng, strata);
      for (let i = 0; i < 300; i++) if (strata[idx[i]!] !== strata[i]) wrong++;
    }
    expect(wrong).toBe(0);
    const s = strataMembers([5, 3, 5, 5, 3]);
    expect(Array.from(s.of)).toEqual([0, 1, 0, 0, 1]);
    expect(s.members.map((m) => Array.from(m))).toEqual([[0, 2, 3], [1, 4]]);
  });

  // Chi-square goodness of fit of the draws to the uniform distribution: with df = k - 1 the
  // statistic exceeds k - 1 + 6 sqrt(2(k - 1)) with probability < 1e-6; an off-by-one or a
  // biased mapping (e.g. modulo of 16 bits) pushes it far above.
  test.each([[7], [1000], [65536], [70001]])('draws from %i rows are uniform (chi-square)', (k) => {
    const draws = Math.max(70000, 20 * k);
    const counts = new Float64Array(k);
    const rng = new Random(k);
    let left = draws;
    while (left > 0) {
      const m = Math.min(left, k);
      const idx = bootstrapIndices(k, rng);
      for (let i = 0; i < m; i++) counts[idx[i]!]!++;
      left -= m;
    }
    const e = draws / k;
    let chi2 = 0;
    for (const c of counts) chi2 += ((c - e) * (c - e)) / e;
    expect(chi2).toBeLessThan(k - 1 + 6 * Math.sqrt(2 * (k - 1)));
    expect(chi2).toBeGreaterThan(Math.max(0, k - 1 - 6 * Math.sqrt(2 * (k - 1))));
  });
});

describe('bootstrapReplicates', () => {
  test('bootstrap SD of a mean matches its closed form sd(x)·sqrt((n-1)/n)/sqrt(n) (within 6%)', () => {
    const rng0 = new Random(8);
    const n = 200;
    const x = Float64Array.from({ length: n }, () => rng0.normal() * 3 + 1);
    const mu = x.reduce((a, v) => a + v, 0) / n;
    const popVar = x.reduce((a, v) => a + (v - mu) ** 2, 0) / n;
    const reps = bootstrapReplicates(n, 4000, new Random(9), (idx) => {
      let s = 0;
      for (const i of idx) s += x[i]!;
      return s / n;
    });
    const m = reps.values.reduce((a, v) => a + v, 0) / reps.values.length;
    const sd = Math.sqrt(reps.values.reduce((a, v) => a + (v - m) ** 2, 0) / (reps.values.length - 1));
    // SD of an SD estimate from B = 4000 replicates is ~ sd/sqrt(2B) ≈ 1.1%: 6% is > 5 of those
    expect(Math.abs(sd / Math.sqrt(popVar / n) - 1)).toBeLessThan(0.06);
    expect(Math.abs(m - mu)).toBeLessThan(5 * Math.sqrt(popVar / n / 4000));
  });

  test('NaN replicates are dropped and counted', () => {
    let k = 0;
    const r = bootstrapReplicates(10, 100, new Random(1), () => (k++ % 4 === 0 ? NaN : 1));
    expect(r.dropped).toBe(25);
    expect(r.values.length).toBe(75);
  });
});
