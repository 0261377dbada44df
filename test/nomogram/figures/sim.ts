/**
 * A simulated study (n = 442, seeded) for the figure tests and the figures benchmark: a binary
 * outcome, four models' predicted risks (clinical, rad score, DTL score, nomogram) fitted by
 * logistic regression, 20 radiomics-like features for LASSO, and survival times with censoring
 * for Kaplan–Meier curves.
 */
import { Random } from '../../../src/random';
import { fitLogistic } from '../../../stats/logistic';

export interface SimStudy {
  n: number;
  y: Float64Array;
  age: Float64Array;
  size: Float64Array;
  radScore: Float64Array;
  dtlScore: Float64Array;
  /** Design rows (age, size, radScore, dtlScore) of the nomogram model. */
  nomogramRows: number[][];
  models: Array<{ name: string; risk: Float64Array; rows: number[][] }>;
  features: Record<string, Float64Array>;
  time: Float64Array;
  event: Float64Array;
  group: string[];
}

export function simulateStudy(n = 442, seed = 2025): SimStudy {
  const rng = new Random(seed);
  const y = new Float64Array(n);
  const age = new Float64Array(n);
  const size = new Float64Array(n);
  const radScore = new Float64Array(n);
  const dtlScore = new Float64Array(n);
  const features: Record<string, Float64Array> = {};
  const fnames = Array.from({ length: 20 }, (_, j) => (j < 6 ? ['original_glcm_JointEntropy', 'original_firstorder_Skewness', 'wavelet-LHL_glszm_ZoneEntropy', 'original_shape_Sphericity', 'log-sigma-3-0-mm-3D_gldm_DependenceVariance', 'original_ngtdm_Busyness'][j]! : `feature_${j + 1}`));
  for (const f of fnames) features[f] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const latent = rng.normal();
    const lp = -0.4 + 1.1 * latent;
    y[i] = rng.next() < 1 / (1 + Math.exp(-lp)) ? 1 : 0;
    age[i] = Math.round(55 + 10 * rng.normal() + 3 * latent);
    size[i] = Math.round((30 + 8 * rng.normal() + 4 * latent) * 10) / 10;
    const shared = rng.normal();
    fnames.forEach((f, j) => {
      const load = j < 6 ? 0.7 - 0.08 * j : 0.05;
      features[f]![i] = load * latent + (j % 3 === 0 ? 0.6 * shared : 0) + Math.sqrt(1 - load * load) * rng.normal();
    });
    radScore[i] = 0.9 * latent + 0.8 * rng.normal();
    dtlScore[i] = 0.7 * latent + 0.9 * rng.normal() + 0.3 * shared;
  }
  const fit = (names: string[], cols: Float64Array[]) => {
    const f = fitLogistic(y, names.map((name, j) => ({ name, values: cols[j]! })));
    const rows = Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
    return { risk: f.model.predict(rows), rows };
  };
  const clinical = fit(['age', 'size'], [age, size]);
  const rad = fit(['radScore'], [radScore]);
  const dtl = fit(['dtlScore'], [dtlScore]);
  const nomo = fit(['age', 'size', 'radScore', 'dtlScore'], [age, size, radScore, dtlScore]);
  const time = new Float64Array(n);
  const event = new Float64Array(n);
  const group: string[] = [];
  for (let i = 0; i < n; i++) {
    const high = nomo.risk[i]! > 0.5;
    group.push(high ? 'High risk' : 'Low risk');
    const t = -Math.log(1 - rng.next()) * (high ? 24 : 60);
    const c = 6 + rng.next() * 66;
    time[i] = Math.max(0.1, Math.round(Math.min(t, c) * 10) / 10);
    event[i] = t <= c ? 1 : 0;
  }
  return {
    n,
    y,
    age,
    size,
    radScore,
    dtlScore,
    nomogramRows: nomo.rows,
    models: [
      { name: 'Clinical model', ...clinical },
      { name: 'Rad score', ...rad },
      { name: 'DTL score', ...dtl },
      { name: 'Nomogram', ...nomo },
    ],
    features,
    time,
    event,
    group,
  };
}
